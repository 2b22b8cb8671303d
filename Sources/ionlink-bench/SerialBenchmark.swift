import Foundation
import IonLink
import IonLinkDrivers
import IonLinkMocks
import Logging

/// The OBIS power query (`SOUR:POW:LEV?`, a value line and `OK`) round trip through IonLink's driver
/// and through pyserial, against one emulator on one virtual port, alternating in blocks so that
/// both see the same machine state.
func runSerialBenchmark() async throws {
    guard VirtualSerialTestbed.processIsPreloaded else {
        print("serial: skipped (run under umockdev-wrapper to reach the virtual port)")
        return
    }
    let testbed = try VirtualSerialTestbed.shared()
    let port = try EmulatedSerialPort(testbed: testbed, usb: VirtualUSBIdentity(vendorID: 0x0D4D, productID: 0x003D, serialNumber: "BENCH-OBIS",
                                                                         manufacturer: "Coherent", product: "OBIS"), emulator: CoherentOBISEmulator())
    let laser = try await CoherentOBIS.connect(name: "bench", port: .path(port.devnode), maxPower: .milliwatts(100),
                                               logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
    let n = 2_000
    var ionlinkSeconds = 0.0, pyserialSeconds = 0.0
    for _ in 0..<3 {
        let start = ContinuousClock.now
        for _ in 0..<n { _ = try await laser.measuredPower() }
        ionlinkSeconds += (ContinuousClock.now - start).inSeconds
        pyserialSeconds += try pyserialRoundTrips(path: port.devnode, count: n, environment: testbed.environment)
    }
    let ionlinkUs = ionlinkSeconds / Double(3 * n) * 1e6, pyserialUs = pyserialSeconds / Double(3 * n) * 1e6
    print(String(format: "serial: OBIS SOUR:POW:LEV? round trip  IonLink %.1f µs   pyserial %.1f µs   pyserial/IonLink %.2f",
                 ionlinkUs, pyserialUs, pyserialUs / ionlinkUs))
    withExtendedLifetime(port) {}
}

/// Runs `count` queries with pyserial in a child process and returns the seconds it measured itself
/// (excluding interpreter start-up).
func pyserialRoundTrips(path: String, count: Int, environment: [String: String]) throws -> Double {
    try pythonTimedLoop(script: """
        import serial, sys, time
        s = serial.Serial(sys.argv[1], 115200, timeout=1)
        n = int(sys.argv[2])
        t = time.perf_counter()
        for _ in range(n):
            s.write(b"SOUR:POW:LEV?\\r\\n")
            v = s.readline()
            ok = s.readline()
            assert ok == b"OK\\r\\n", (v, ok)
        print(time.perf_counter() - t)
        """, arguments: [path, "\(count)"], environment: environment, install: "pyserial")
}

/// Runs a Python peer that prints the seconds its own loop took; returns them.
func pythonTimedLoop(script: String, arguments: [String], environment: [String: String], install: String) throws -> Double {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script] + arguments
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0,
          let seconds = Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw BenchmarkError(message: "python peer failed (python3 -m pip install \(install))")
    }
    return seconds
}

struct BenchmarkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
