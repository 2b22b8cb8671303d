import Foundation
import Logging
import Testing
import IonLink
import IonLinkDrivers
import IonLinkPhysics
@testable import IonLinkMocks

/// Hardware-in-the-loop plumbing: each test gets an emulator on a fresh virtual port of the process's
/// umockdev testbed, or the real instrument when the user names one: a lab YAML whose `devices:`
/// section binds that model (`IONLINK_HIL_CONFIG=lab.yaml`), or a port for the model
/// (`IONLINK_HIL_<MODEL>_PORT=/dev/ttyUSB0`, which wins).
enum HIL {
    static let logger = Logger(label: "hil") { _ in SwiftLogNoOpLogHandler() }

    struct ConfigProblem: Error, CustomStringConvertible { var description: String }

    /// The real instrument's port for `model`, if the user named one; a bad config is an error.
    static func realPort(_ model: String) throws -> String? {
        let env = ProcessInfo.processInfo.environment
        if let port = env["IONLINK_HIL_\(model.uppercased())_PORT"] { return port }
        guard let path = env["IONLINK_HIL_CONFIG"] else { return nil }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigProblem(description: "IONLINK_HIL_CONFIG=\(path): \(error.localizedDescription)")
        }
        let config = try LabConfig.parse(yaml: text, speciesKeys: Species.presets.keys.sorted())
        guard let binding = config.devices.first(where: { $0.model == model }) else { return nil }
        guard let locator = SerialPortLocator(binding.port) else {
            throw ConfigProblem(description: "\(path) line \(binding.line): port \(binding.port) is neither a path nor VID:PID[:serial]")
        }
        return try locator.resolve()
    }

    /// The port a test of `model` runs against: the real instrument's when the user named one
    /// (``realPort(_:)``), else a new virtual port serving `emulator()`, which the test keeps (`emulated`)
    /// for as long as it runs.
    static func realOrEmulated(_ model: String, usb: VirtualUSBIdentity,
                               emulator: () -> any InstrumentEmulator) throws -> (path: String, emulated: EmulatedSerialPort?) {
        if let real = try realPort(model) { return (real, nil) }
        let port = try emulate(emulator(), usb: usb)
        return (port.devnode, port)
    }

    /// Serves `emulator` on a new virtual USB-serial port.
    static func emulate(_ emulator: any InstrumentEmulator, usb: VirtualUSBIdentity) throws -> EmulatedSerialPort {
        try EmulatedSerialPort(testbed: VirtualSerialTestbed.shared(), usb: usb, emulator: emulator)
    }

    /// Serves `emulator` on a new virtual USB-serial port; returns both, for tests that drive or read the emulator.
    static func emulated<E: InstrumentEmulator>(_ emulator: E, usb: VirtualUSBIdentity) throws -> (E, EmulatedSerialPort) {
        (emulator, try emulate(emulator, usb: usb))
    }

    /// Something that is not the instrument under test: it answers every line with `reply`.
    final class OtherInstrument: InstrumentEmulator {
        let reply: String
        var splitter = CommandLineSplitter()
        init(reply: String) { self.reply = reply }
        func receive(_ bytes: [UInt8]) -> [[UInt8]] { splitter.lines(from: bytes).map { _ in Array((reply + "\r\n").utf8) } }
    }

    /// Line noise, a dropped reply and a half line, each on `probe` (a query that reads a number):
    /// each a typed error within the timeout, and the next query works.
    static func checkFaultRecovery(_ port: EmulatedSerialPort, timeout: Duration,
                                   probe: () async throws(LaserError) -> Double) async {
        let clock = ContinuousClock()
        let faults: [(String, WritableKeyPath<ReplyFaults, Int>, (LaserError) -> Bool)] = [
            ("noise", \.garbleReplies, { if case .instrument(.malformedReply) = $0.reason { true } else { false } }),
            ("dropped reply", \.dropReplies, { if case .instrument(.timeout) = $0.reason { true } else { false } }),
            ("half line", \.truncateReplies, { if case .instrument(.timeout) = $0.reason { true } else { false } }),
        ]
        for (what, key, expected) in faults {
            port.faults.withLock { $0[keyPath: key] = 1 }
            let start = clock.now
            do {
                _ = try await probe()
                Issue.record("\(what): no error")
            } catch {
                #expect(expected(error), "\(what): \(error)")
            }
            // A hang never ends: five timeouts catch one and leave room for a loaded machine (0.92 s seen for 3 × 0.3 s).
            #expect(clock.now - start < timeout * 5, "\(what): no hang past the timeout")
            #expect((try? await probe()) != nil, "\(what): usable again")
        }
    }

    /// The same three faults for any driver: each must end in an error (of the driver's typed kind,
    /// checked by `isTyped`) within `limit`, and the next call must work.
    static func checkFaultRecovery(_ port: EmulatedSerialPort, limit: Duration, isTyped: (any Error) -> Bool,
                                   probe: () async throws -> Void) async {
        let clock = ContinuousClock()
        let faults: [(String, WritableKeyPath<ReplyFaults, Int>)] = [("noise", \.garbleReplies), ("dropped reply", \.dropReplies),
                                                                  ("half line", \.truncateReplies)]
        for (what, key) in faults {
            port.faults.withLock { $0[keyPath: key] = 1 }
            let start = clock.now
            do {
                try await probe()
                Issue.record("\(what): no error")
            } catch {
                #expect(isTyped(error), "\(what): \(error)")
            }
            #expect(clock.now - start < limit, "\(what): no hang past the timeout")
            do { try await probe() } catch { Issue.record("\(what): not usable again: \(error)") }
        }
    }

    /// Connecting to `port`, where another instrument answers, must throw `expected` having sent it
    /// nothing but the identification `query`.
    static func checkWrongInstrument<E: Error & Equatable>(_ port: EmulatedSerialPort, throws expected: E, sentOnly query: String,
                                                           connect: () async throws -> Void) async {
        await #expect(throws: expected) { try await connect() }
        #expect(port.receivedText == query, "only the identification query reached the other instrument")
    }

    /// The same where only the error's type (the driver's device kind) is checked.
    static func checkWrongInstrument<E: Error>(_ port: EmulatedSerialPort, throws _: E.Type, sentOnly query: String,
                                               connect: () async throws -> Void) async {
        await #expect(throws: E.self) { try await connect() }
        #expect(port.receivedText == query, "only the identification query reached the other instrument")
    }

    static let ftdi = VirtualUSBIdentity(vendorID: 0x0403, productID: 0x6001, serialNumber: "FT0001", manufacturer: "FTDI",
                                         product: "FT232R USB UART")
}
