import FuzzDriver
import IonLinkFuzzing

// `ionlink controller`'s pc_rpc protocol on arbitrary lines: the first byte picks the target (a role of the
// default simulated lab), each following line is a request. Every line must be answered or the connection
// closed, never a crash or a hang (run.sh gives libFuzzer a per-input timeout).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    PcRpcFuzzing.run(bytes(data, size))
    return 0
}

runFuzzer { fuzzOne($0, $1) }
