import FuzzDriver
import IonLinkFuzzing

// Every line-protocol driver's reply parsing on arbitrary replies: the first byte picks the driver, the
// rest (split at 0x1E) is what its instrument answers, command by command. Connecting and calling every
// operation must end in values or typed errors, never a crash or a hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    DriverReplyFuzzing.run(bytes(data, size))
    return 0
}

runFuzzer { fuzzOne($0, $1) }
