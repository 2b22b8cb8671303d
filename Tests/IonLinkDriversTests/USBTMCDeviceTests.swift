import Foundation
import Testing
import IonLink
@testable import IonLinkDrivers
@testable import IonLinkMocks

/// The USBTMC class driver through the real libusb against a URB-level USBTMC emulator on a umockdev
/// virtual USB device.
extension USBHIL {
    @Suite(.serialized) struct USBTMCDeviceTests {
        func itc(serial: String, interruptIn: Bool = true) throws -> (ThorlabsITC4001Emulator, USBTMCDeviceEmulator, VirtualUSBDevice) {
            let instrument = ThorlabsITC4001Emulator(serialNumber: serial)
            let usb = USBTMCDeviceEmulator(vendorID: 0x1313, productID: 0x804A, manufacturer: "Thorlabs", product: "ITC4001",
                                           serialNumber: serial, instrument: instrument, hasInterruptIn: interruptIn)
            let device = try VirtualUSBDevice(testbed: VirtualSerialTestbed.shared(), address: USBHIL.nextAddress.next(), vendorID: 0x1313,
                                              productID: 0x804A, serialNumber: serial, emulator: usb)
            return (instrument, usb, device)
        }

        @Test func opensAndQueries() async throws {
            let (_, _, device) = try itc(serial: "M00000001")
            let tmc = try USBTMCDevice(vendorID: 0x1313, productID: 0x804A, serialNumber: "M00000001", timeout: .milliseconds(500))
            #expect(tmc.deviceSerial == "M00000001")
            #expect(tmc.capabilities.scpi && tmc.capabilities.termCharSupported)
            #expect(try await tmc.query("*IDN?") == "Thorlabs,ITC4001,M00000001,1.8.0")
            try await tmc.write("SOUR:CURR 0.05;OUTP ON")
            #expect(try await tmc.query("OUTP?;:SOUR:CURR?") == "1;5.000000E-02")
            #expect(try await tmc.readStatusByte() == 0)
            withExtendedLifetime(device) {}
        }

        /// USB488: with an interrupt-IN endpoint the status byte arrives there, tagged 0x80 | bTag, and the
        /// control reply's third byte is reserved; without one it is that third byte. MAV (bit 4) is set
        /// while a reply waits to be read, and successive reads use successive bTags (2…127) without
        /// mixing up their notifications.
        @Test(arguments: [true, false]) func theStatusByteComesWhereUSB488PutsIt(_ interruptIn: Bool) async throws {
            let serial = interruptIn ? "M00000002" : "M00000003"
            let (_, _, device) = try itc(serial: serial, interruptIn: interruptIn)
            let tmc = try USBTMCDevice(vendorID: 0x1313, productID: 0x804A, serialNumber: serial, timeout: .milliseconds(500))
            try await tmc.write("*IDN?")
            for _ in 0..<130 { #expect(try await tmc.readStatusByte() == 0x10, "MAV with the reply waiting") }
            #expect(try await tmc.read().trimmingCharacters(in: .whitespacesAndNewlines) == "Thorlabs,ITC4001,\(serial),1.8.0")
            #expect(try await tmc.readStatusByte() == 0)
            withExtendedLifetime(device) {}
        }
    }
}

extension USBHIL {
    @Suite(.serialized) struct USBTMCFaultTests {
        func itc(serial: String) throws -> (USBTMCDeviceEmulator, VirtualUSBDevice) {
            let usb = USBTMCDeviceEmulator(vendorID: 0x1313, productID: 0x804A, manufacturer: "Thorlabs", product: "ITC4001",
                                           serialNumber: serial, instrument: ThorlabsITC4001Emulator(serialNumber: serial))
            let device = try VirtualUSBDevice(testbed: VirtualSerialTestbed.shared(), address: USBHIL.nextAddress.next(),
                                              vendorID: 0x1313, productID: 0x804A, serialNumber: serial, emulator: usb)
            return (usb, device)
        }

        @Test func eachFaultIsTypedAndTheDeviceRecovers() async throws {
            let (usb, device) = try itc(serial: "M00000002")
            let tmc = try USBTMCDevice(vendorID: 0x1313, productID: 0x804A, serialNumber: "M00000002", timeout: .milliseconds(300))
            let clock = ContinuousClock()
            let cases: [(String, WritableKeyPath<USBTMCFaultPlan, Int>, (TransportError) -> Bool)] = [
                ("lost reply (abort bulk-in)", \.dropReplies, { if case .timeout = $0 { true } else { false } }),
                ("stall", \.stalls, { if case .malformedReply = $0 { true } else { false } }),
                ("wrong bTag", \.wrongTags, { if case .malformedReply = $0 { true } else { false } }),
                ("garbled header", \.garbleHeaders, { if case .malformedReply = $0 { true } else { false } }),
                ("short header", \.shortHeaders, { if case .malformedReply = $0 { true } else { false } }),
            ]
            for (what, key, expected) in cases {
                usb.faults.withLock { $0[keyPath: key] = 1 }
                let start = clock.now
                do {
                    _ = try await tmc.query("*IDN?")
                    Issue.record("\(what): no error")
                } catch {
                    #expect(expected(error), "\(what): \(error)")
                }
                // The abort path is at most the transfer's timeout plus the drain's.
                #expect(clock.now - start < .seconds(2), "\(what): no hang")
                #expect(try await tmc.query("*IDN?") == "Thorlabs,ITC4001,M00000002,1.8.0", "\(what): recovered")
            }
            withExtendedLifetime(device) {}
        }

        @Test func unplugMidTransferThenReconnect() async throws {
            let (usb, device) = try itc(serial: "M00000003")
            let tmc = try USBTMCDevice(vendorID: 0x1313, productID: 0x804A, serialNumber: "M00000003", timeout: .milliseconds(300))
            usb.faults.withLock { $0.dropReplies = 1 }
            try await tmc.write("*IDN?")
            device.unplug()
            await #expect(throws: TransportError.disconnected(port: tmc.name)) { _ = try await tmc.read() }
            // Plugged back in (a new address, as a real hub assigns): found again by VID:PID and serial.
            let again = try VirtualUSBDevice(testbed: VirtualSerialTestbed.shared(), address: USBHIL.nextAddress.next(),
                                             vendorID: 0x1313, productID: 0x804A, serialNumber: "M00000003", emulator: usb)
            #expect(try await tmc.query("*IDN?") == "Thorlabs,ITC4001,M00000003,1.8.0")
            withExtendedLifetime(again) {}
        }

        @Test func missingDeviceIsNotFound() {
            #expect(throws: TransportError.self) { _ = try USBTMCDevice(vendorID: 0x1313, productID: 0x804A, serialNumber: "NOPE") }
        }
    }
}

extension USBHIL {
    @Suite(.serialized) struct USBTMCListingTests {
        @Test func listsAndOpensByLocation() async throws {
            let usb = USBTMCDeviceEmulator(vendorID: 0x1AB1, productID: 0x099C, manufacturer: "Rigol", product: "DSG830",
                                           serialNumber: "LIST1", instrument: RigolDSG800Emulator(serialNumber: "LIST1"))
            let address = USBHIL.nextAddress.next()
            let device = try VirtualUSBDevice(testbed: VirtualSerialTestbed.shared(), address: address, vendorID: 0x1AB1, productID: 0x099C,
                                              serialNumber: "LIST1", emulator: usb)
            let info = try #require(USBTMCDevice.list().first { $0.bus == 2 && $0.address == address })
            #expect(info.vendorID == 0x1AB1 && info.productID == 0x099C && info.isUSB488)
            let tmc = try USBTMCDevice(info)
            #expect(tmc.deviceSerial == "LIST1")
            #expect(try await tmc.query("*IDN?").hasPrefix("Rigol Technologies,DSG830,LIST1"))
            withExtendedLifetime(device) {}
        }
    }
}

/// Replies longer than one request's TransferSize: the device sends them in parts (EOM on the last)
/// and the driver asks again until EOM.
final class LongReplyInstrument: SCPIMessageHandler {
    func handle(_ message: String) -> String? {
        message.hasPrefix("DATA?") ? (0..<2_000).map { String(format: "%04d", $0) }.joined(separator: ",") + "\n" : nil
    }
}

extension USBHIL {
    @Suite struct USBTMCLongReplyTests {
        @Test func replySpanningSeveralRequests() async throws {
            let usb = USBTMCDeviceEmulator(vendorID: 0x1313, productID: 0x804A, manufacturer: "t", product: "long",
                                           serialNumber: "LONG1", instrument: LongReplyInstrument())
            let device = try VirtualUSBDevice(testbed: VirtualSerialTestbed.shared(), address: USBHIL.nextAddress.next(), vendorID: 0x1313,
                                              productID: 0x804A, serialNumber: "LONG1", emulator: usb)
            let tmc = try USBTMCDevice(vendorID: 0x1313, productID: 0x804A, serialNumber: "LONG1")
            let reply = try await tmc.query("DATA?")
            let values = reply.split(separator: ",")
            #expect(reply.utf8.count == 9_999, "longer than the 4096-byte request")
            #expect(values.count == 2_000 && values.first == "0000" && values.last == "1999")
            withExtendedLifetime(device) {}
        }
    }
}

extension USBHIL {
    @Suite struct USBHotplugTests {
        @Test func arrivalAndDepartureAreReported() async throws {
            try #require(USBHotplugWatcher.isSupported)
            let testbed = try VirtualSerialTestbed.shared()  // before libusb starts monitoring udev
            let watcher = try USBHotplugWatcher(vendorID: 0x1AB1, productID: 0x0A01)
            let usb = USBTMCDeviceEmulator(vendorID: 0x1AB1, productID: 0x0A01, manufacturer: "Rigol", product: "DSG830",
                                           serialNumber: "HOT1", instrument: RigolDSG800Emulator(serialNumber: "HOT1"))
            let address = USBHIL.nextAddress.next()
            let device = try VirtualUSBDevice(testbed: testbed, address: address, vendorID: 0x1AB1,
                                              productID: 0x0A01, serialNumber: "HOT1", emulator: usb)
            var seen: [USBHotplugEvent.Kind] = []
            let collector = Task {
                var kinds: [USBHotplugEvent.Kind] = []
                for await e in watcher.events where e.address == address {
                    kinds.append(e.kind)
                    if e.kind == .left { break }
                }
                return kinds
            }
            try await Task.sleep(for: .milliseconds(300))
            device.unplug()
            let deadline = Task { try await Task.sleep(for: .seconds(3)); watcher.stop() }
            seen = await collector.value
            deadline.cancel()
            watcher.stop()
            #expect(seen == [.arrived, .left])
        }
    }
}
