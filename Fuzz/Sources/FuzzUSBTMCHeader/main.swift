import FuzzDriver
import IonLinkDrivers

// The USBTMC Bulk-IN header parser: the first byte is the expected bTag, the rest the transfer.
// A header it accepts must announce no more than was requested.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    guard let tag = input.first else { return 0 }
    for requested in [0, 64, 4096] {
        if let h = USBTMCBulkInHeader.parse(input.dropFirst(), tag: tag, requested: requested) {
            precondition(h.transferSize >= 0 && h.transferSize <= requested, "header accepted beyond the request")
        }
    }
    return 0
}

runFuzzer { fuzzOne($0, $1) }
