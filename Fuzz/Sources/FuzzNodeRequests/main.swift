import FuzzDriver
import IonLinkFuzzing

// Every gRPC method of a served node on arbitrary request bytes: the first byte picks the method, the
// second the credentials, the third the node (a whole lab, or a hub serving the attempt loop); the rest is
// the request message as sent on the wire. Each call must end in a reply or a status, never a crash or a
// hang (run.sh gives libFuzzer a per-input timeout).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    NodeRequestFuzzing.run(bytes(data, size))
    return 0
}

runFuzzer { fuzzOne($0, $1) }
