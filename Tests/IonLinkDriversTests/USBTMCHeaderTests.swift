import Testing
@testable import IonLinkDrivers

@Suite struct USBTMCHeaderTests {
    func header(_ id: UInt8, tag: UInt8, inverse: UInt8? = nil, size: UInt32, eom: Bool) -> [UInt8] {
        [id, tag, inverse ?? ~tag, 0] + withUnsafeBytes(of: size.littleEndian, Array.init) + [eom ? 1 : 0, 0, 0, 0]
    }

    @Test func acceptsOnlyItsOwnTagWithinTheRequest() {
        #expect(USBTMCBulkInHeader.parse(header(2, tag: 9, size: 5, eom: true)[...], tag: 9, requested: 64)
                == USBTMCBulkInHeader(transferSize: 5, endOfMessage: true))
        #expect(USBTMCBulkInHeader.parse(header(2, tag: 9, size: 64, eom: false)[...], tag: 9, requested: 64)?.endOfMessage == false)
        #expect(USBTMCBulkInHeader.parse(header(2, tag: 9, size: 5, eom: true)[...], tag: 8, requested: 64) == nil, "another transfer's tag")
        #expect(USBTMCBulkInHeader.parse(header(2, tag: 9, inverse: 9, size: 5, eom: true)[...], tag: 9, requested: 64) == nil, "bad inverse")
        #expect(USBTMCBulkInHeader.parse(header(1, tag: 9, size: 5, eom: true)[...], tag: 9, requested: 64) == nil, "not DEV_DEP_MSG_IN")
        #expect(USBTMCBulkInHeader.parse(header(2, tag: 9, size: 0xFFFF_FFFF, eom: true)[...], tag: 9, requested: 64) == nil,
                "a device claiming 4 GiB is not believed")
        #expect(USBTMCBulkInHeader.parse(Array(header(2, tag: 9, size: 5, eom: true).prefix(11))[...], tag: 9, requested: 64) == nil)
    }
}
