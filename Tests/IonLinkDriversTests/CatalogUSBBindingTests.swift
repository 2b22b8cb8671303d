import Foundation
import Logging
import Testing
import IonLink
import IonLinkAssembly
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// USBTMC models bound to roles through the instrument catalog alone (no code of their own in the lab
/// builder): an ITC4001 as node A's excitation laser, a DSG800 as node B's trap RF.
extension USBHIL {
    @Suite(.serialized) struct CatalogUSBBindingTests {
        func device(_ model: String, serial: String) throws -> VirtualUSBDevice {
            guard case let .usbtmc(vendor, product, _, make)? = InstrumentCatalog.standard.model(model)?.emulator else {
                throw TransportError.notFound(port: model)
            }
            let emulator = USBTMCDeviceEmulator(vendorID: vendor, productID: product, manufacturer: "emulated", product: model,
                                                serialNumber: serial, instrument: make())
            return try VirtualUSBDevice(testbed: VirtualSerialTestbed.shared(), address: USBHIL.nextAddress.next(), vendorID: vendor,
                                        productID: product, serialNumber: serial, emulator: emulator)
        }

        @Test func usbModelsServeRolesFromTheirRegistrationAlone() async throws {
            let itc = try device("itc4001", serial: "CAT-ITC"), dsg = try device("dsg800", serial: "CAT-DSG")
            let builder = LabBuilder(logger: HIL.logger)
            let config = try builder.parse(yaml: try LabConfig.defaultYAML() + """

                devices:
                  A.excitation: { model: itc4001, port: "1313:804a:CAT-ITC", max_current_ma: "150" }
                  B.trap_rf: { model: dsg800, port: "1ab1:099c:CAT-DSG", volts_per_sqrt_mw: "25" }

                """)
            let assembled = try await builder.build(config, seed: 2)
            #expect(assembled.instruments == [Role(node: 0, named: "A", .excitation): "itc4001", Role(node: 1, named: "B", .trapRF): "dsg800"])
            let a = assembled.lab.nodes[0], b = assembled.lab.nodes[1]
            #expect(try await a.excitation.powerSetpoint() == config.nodes[0].excitation.power, "brought to the lab's setpoint")
            #expect(a.excitation.powerLimit.upper == config.nodes[0].excitation.maxPower)
            await #expect(throws: LaserError.self) { try await a.excitation.setPower(config.nodes[0].excitation.maxPower + .milliwatts(0.1)) }
            let rf = try await b.trap.rf()
            // The DSG800 sets its level in 0.01 dB steps: ±0.005 dB is ±0.06 % of the amplitude (0.12 V at 200 V).
            #expect(abs(rf.amplitude.volts - config.nodes[1].trap.rfAmplitude.volts) < 0.002 * config.nodes[1].trap.rfAmplitude.volts)
            #expect(abs(rf.frequency.megahertz - config.nodes[1].trap.rfFrequency.megahertz) < 1e-6)
            await #expect(throws: TrapControllerError.self) {
                try await b.trap.setRF(RFDrive(frequency: .megahertz(20), amplitude: config.nodes[1].trap.maxRFAmplitude + .volts(1)))
            }
            withExtendedLifetime((itc, dsg)) {}
        }

        @Test func aUSBModelNeedsItsCurrentLimitAndAUSBPort() async throws {
            let builder = LabBuilder(logger: HIL.logger)
            for (line, expected) in [("{ model: itc4001, port: \"1313:804a:X\" }", "max_current_ma is required"),
                                     ("{ model: itc4001, port: /dev/ttyUSB0, max_current_ma: \"100\" }", "must be a USB identity"),
                                     ("{ model: itc4001, port: \"1ab1:099c\", max_current_ma: \"100\" }", "1313:804a")] {
                let config = try builder.parse(yaml: try LabConfig.defaultYAML() + "\ndevices:\n  A.excitation: \(line)\n")
                do {
                    _ = try await builder.build(config, seed: 1)
                    Issue.record("bound \(line)")
                } catch let e as BindingError {
                    #expect(e.description.contains(expected), "\(e)")
                    #expect(e.description.contains("devices.A.excitation"))
                }
            }
        }
    }
}
