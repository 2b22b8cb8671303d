import FuzzDriver
import IonLinkTags

// Every time-tag file reader on arbitrary bytes: each must return data or a typed error, never crash.
// The first byte picks the reader, so that each gets inputs past its magic check too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    guard let selector = input.first else { return 0 }
    let rest = Array(input.dropFirst())
    switch selector % 4 {
    case 0: _ = try? TTTRFile.read(rest)
    case 1: _ = try? PTUFile.read(Array("PQTTTR\0\0".utf8) + rest)
    case 2: _ = try? PicoHarpLegacyFile.read(Array("PicoHarp 300\0\0\0\0".utf8) + rest)
    default: _ = try? HydraHarpLegacyFile.read(Array("HydraHarp\0\0\0\0\0\0\0".utf8) + rest)
    }
    return 0
}

runFuzzer { fuzzOne($0, $1) }
