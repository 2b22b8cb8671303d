import IonLink

/// One pc_rpc target: a role of the lab (`nodeA.cooling`) and the methods its device offers.
///
/// Every target answers `ping()` with `True` (what ARTIQ's controller manager checks, by default every 30 s)
/// and `identify()` with the instrument's identity; the server adds sipyco's built-in `terminate()`.
public struct ControllerTarget: Sendable {
    /// The target's name, the role it serves (no whitespace, as sipyco requires).
    public var name: String
    public var docstring: String
    public private(set) var methods: [String: ControllerMethod]

    public init(name: String, docstring: String, device: any Device, methods: [ControllerMethod]) {
        self.name = name
        self.docstring = docstring
        let common = [
            ControllerMethod("ping", doc: "True while the controller serves (ARTIQ's controller manager calls it).") { _ in .bool(true) },
            ControllerMethod("identify", doc: "The instrument's identity: vendor, model, serial_number, firmware.") { _ throws(ControllerFailure) in
                do {
                    let id = try await device.identify()
                    return .object(["vendor": .string(id.vendor), "model": .string(id.model), "serial_number": .string(id.serialNumber),
                                    "firmware": .string(id.firmware)])
                } catch { throw ControllerFailure("RuntimeError", "\(device.name): identify failed: \(error)") }
            },
        ]
        self.methods = Dictionary((common + methods).map { ($0.name, $0) }) { first, _ in first }
    }

    /// The method names, as the target-selection reply lists them.
    public var methodNames: [String] { methods.keys.sorted() }
}

/// Performs a device call as every served role does: refused outside the device's limits before anything
/// is sent, then performed; a device error becomes the pc_rpc failure for it.
func perform<Call: DeviceCall>(_ call: Call, on target: Call.Target) async throws(ControllerFailure) -> Call.Outcome {
    do {
        try call.check(against: target)
        return try await call.perform(on: target)
    } catch { throw ControllerFailure(error) }
}

extension SetpointLimit {
    /// `(lower, upper)` in SI units.
    var pyon: PyonValue { .tuple([.float(lower.si), .float(upper.si)]) }
}
