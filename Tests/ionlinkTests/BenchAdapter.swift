import IonLinkMocks

extension VirtualUSBIdentity {
    /// An FTDI USB-serial adapter on the bench with serial number `serial` (found by `0403:6001:<serial>`).
    static func bench(_ serial: String) -> VirtualUSBIdentity {
        VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: serial, manufacturer: "FTDI", product: "bench")
    }
}
