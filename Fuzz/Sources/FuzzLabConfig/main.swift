import FuzzDriver
import IonLink
import IonLinkPhysics

// The lab YAML parser (and the sweep's key override) and the fault plan parser on arbitrary text: a
// LabConfig or a ConfigError, a FaultPlan or a FaultPlanError.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    _ = try? LabConfig.parse(yaml: text, speciesKeys: Species.presets.keys.sorted())
    _ = try? LabConfig.overriding(yaml: text, key: "hub.window_length_ns", value: "7")
    _ = try? FaultPlan.parse(yaml: text)
    return 0
}

runFuzzer { fuzzOne($0, $1) }
