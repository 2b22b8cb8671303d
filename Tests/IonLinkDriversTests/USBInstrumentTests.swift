import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The ITC4001 and DSG800 drivers and the generic SCPI instrument through the real libusb against
/// USBTMC emulators on umockdev virtual USB devices.
extension USBHIL {
    @Suite(.serialized) struct USBInstrumentTests {
        func virtual(_ instrument: any SCPIMessageHandler, vendor: UInt16, product: UInt16, serial: String,
                     name: String) throws -> (USBTMCDeviceEmulator, VirtualUSBDevice) {
            let usb = USBTMCDeviceEmulator(vendorID: vendor, productID: product, manufacturer: "emulated", product: name,
                                           serialNumber: serial, instrument: instrument)
            return (usb, try VirtualUSBDevice(testbed: VirtualSerialTestbed.shared(), address: USBHIL.nextAddress.next(),
                                              vendorID: vendor, productID: product, serialNumber: serial, emulator: usb))
        }

        @Test func itc4001DrivesTheDiodeInPowerMode() async throws {
            let (_, dev) = try virtual(ThorlabsITC4001Emulator(serialNumber: "M10"), vendor: 0x1313, product: 0x804A, serial: "M10", name: "ITC4001")
            let laser = try await ThorlabsITC4001.connect(name: "itc", serialNumber: "M10", wavelength: .nanometers(780),
                                                          maxPower: .milliwatts(50), maxCurrent: .milliamperes(120), logger: HIL.logger)
            #expect(laser.identity.model == "ITC4001" && laser.identity.serialNumber == "M10")
            #expect(laser.currentLimit.upper == .milliamperes(120))
            try await laser.setPower(.milliwatts(40))
            try await laser.setEmission(true)
            #expect(abs(try await laser.powerSetpoint().milliwatts - 40) < 1e-6)
            // 40 mW needs 30 mA + 40/0.8 mA = 80 mA, under the 120 mA limit.
            #expect(abs(try await laser.measuredCurrent().amperes - 0.080) < 1e-6)
            #expect(abs(try await laser.measuredPower().milliwatts - 40) < 1e-6)
            try await laser.setTemperature(celsius: 22.5)
            #expect(abs(try await laser.temperatureCelsius() - 22.5) < 1e-6)
            #expect(try await laser.status().emitting)
            withExtendedLifetime(dev) {}
        }

        @Test func itc4001RefusesBeforeSendingAndReportsInstrumentErrors() async throws {
            let (_, dev) = try virtual(ThorlabsITC4001Emulator(serialNumber: "M11"), vendor: 0x1313, product: 0x804A, serial: "M11", name: "ITC4001")
            let laser = try await ThorlabsITC4001.connect(name: "itc", serialNumber: "M11", wavelength: .nanometers(780),
                                                          maxPower: .milliwatts(50), maxCurrent: .amperes(2), mode: .current, logger: HIL.logger)
            #expect(laser.currentLimit.upper == .amperes(0.4), "never above the controller's SOUR:CURR? MAX")
            await #expect(throws: LaserError.self) { try await laser.setPower(.milliwatts(51)) }
            await #expect(throws: LaserError.self) { try await laser.setCurrent(.amperes(0.41)) }
            await #expect(throws: LaserError.rejected(device: "itc", command: "SOUR:POW", reply: "controller is in current mode")) {
                try await laser.setPower(.milliwatts(10))
            }
            await #expect(throws: LaserError.rejected(device: "itc", command: "SOUR:FOO 1", reply: "-113,\"Undefined header\"")) {
                try await laser.checked("SOUR:FOO 1")
            }
            try await laser.setCurrent(.milliamperes(55))
            #expect(abs(try await laser.measuredCurrent().amperes) < 1e-12, "output still off")
            withExtendedLifetime(dev) {}
        }

        @Test func itc4001WrongInstrument() async throws {
            let (_, dev) = try virtual(RigolDSG800Emulator(), vendor: 0x1313, product: 0x804A, serial: "M12", name: "impostor")
            await #expect(throws: LaserError.wrongInstrument(device: "itc", expected: "Thorlabs ITC4001", found: "Rigol Technologies,DSG830")) {
                _ = try await ThorlabsITC4001.connect(name: "itc", serialNumber: "M12", wavelength: .nanometers(780), maxPower: .milliwatts(1),
                                                      maxCurrent: .milliamperes(1), logger: HIL.logger)
            }
            withExtendedLifetime(dev) {}
        }

        @Test func dsg800AsAnRFSource() async throws {
            let (_, dev) = try virtual(RigolDSG800Emulator(), vendor: 0x1AB1, product: 0x099C, serial: "DSG8A1", name: "DSG830")
            let rf = try await RigolDSG800.connect(name: "aom", productID: 0x099C, serialNumber: "DSG8A1",
                                                   frequencyLimit: SetpointLimit(.megahertz(50), .megahertz(5_000)),
                                                   powerLimit: SetpointLimit(.dBm(-30), .dBm(10)), logger: HIL.logger)
            #expect(rf.frequencyLimit.upper == .megahertz(3_000), "bounded by the DSG830")
            try await rf.setFrequency(.megahertz(80.25))
            try await rf.setPower(.dBm(3.5))
            try await rf.setOutput(true)
            #expect(abs(try await rf.frequency().megahertz - 80.25) < 1e-6)
            #expect(abs(try await rf.power().dBm - 3.5) < 1e-9)
            #expect(try await rf.isOutputOn())
            await #expect(throws: RFSourceError.self) { try await rf.setFrequency(.megahertz(3_001)) }
            await #expect(throws: RFSourceError.self) { try await rf.setPower(.dBm(11)) }
            withExtendedLifetime(dev) {}
        }

        @Test func genericSCPIDrainsTheErrorQueue() async throws {
            let (_, dev) = try virtual(RigolDSG800Emulator(), vendor: 0x1AB1, product: 0x099C, serial: "DSG8A2", name: "DSG830")
            let scpi = SCPIInstrument(name: "gen", device: try USBTMCDevice(vendorID: 0x1AB1, productID: 0x099C, serialNumber: "DSG8A2"),
                                      logger: HIL.logger)
            #expect(try await scpi.identity().model == "DSG830")
            try await scpi.reset()
            do {
                try await scpi.command(":FREQ 10GHz;:LEV banana")
                Issue.record("errors were not reported")
            } catch let e as SCPIError {
                #expect(e.code == -222, "the first error")
            }
            #expect(try await scpi.query(":SYST:ERR?") == "0,\"No error\"", "the queue was drained")
            withExtendedLifetime(dev) {}
        }
    }
}
