import Foundation
import IonLink
import IonLinkDrivers
import IonLinkMocks

/// `*IDN?` round trip through IonLink's USBTMC driver and through pyvisa with pyvisa-py (pyusb on
/// libusb), against one ITC4001 emulator on one virtual USB device, alternating blocks.
func runUSBTMCBenchmark() async throws {
    guard VirtualSerialTestbed.processIsPreloaded else {
        print("usbtmc: skipped (run under umockdev-wrapper to reach the virtual device)")
        return
    }
    let serial = "M00BENCH1"
    let emulator = USBTMCDeviceEmulator(vendorID: 0x1313, productID: 0x804A, manufacturer: "Thorlabs", product: "ITC4001",
                                        serialNumber: serial, instrument: ThorlabsITC4001Emulator(serialNumber: serial))
    let testbed = try VirtualSerialTestbed.shared()
    let device = try VirtualUSBDevice(testbed: testbed, address: 90, vendorID: 0x1313, productID: 0x804A, serialNumber: serial,
                                      emulator: emulator)
    let tmc = try USBTMCDevice(vendorID: 0x1313, productID: 0x804A, serialNumber: serial)
    let n = 500
    var ionlinkSeconds = 0.0, pyvisaSeconds = 0.0
    for _ in 0..<3 {
        let start = ContinuousClock.now
        for _ in 0..<n { _ = try await tmc.query("*IDN?") }
        ionlinkSeconds += (ContinuousClock.now - start).inSeconds
        pyvisaSeconds += try pyvisaRoundTrips(resource: "USB0::0x1313::0x804A::\(serial)::INSTR", count: n, environment: testbed.environment)
    }
    let ours = ionlinkSeconds / Double(3 * n) * 1e6, theirs = pyvisaSeconds / Double(3 * n) * 1e6
    print(String(format: "usbtmc: *IDN? round trip  IonLink %.1f µs   pyvisa-py %.1f µs   pyvisa-py/IonLink %.2f", ours, theirs, theirs / ours))
    withExtendedLifetime(device) {}
}

func pyvisaRoundTrips(resource: String, count: Int, environment: [String: String]) throws -> Double {
    try pythonTimedLoop(script: """
        import sys, time, warnings
        warnings.simplefilter("ignore")
        import pyvisa
        inst = pyvisa.ResourceManager("@py").open_resource(sys.argv[1])
        inst.timeout = 2000
        n = int(sys.argv[2])
        t = time.perf_counter()
        for _ in range(n):
            assert inst.query("*IDN?").startswith("Thorlabs,ITC4001")
        print(time.perf_counter() - t)
        """, arguments: [resource, "\(count)"], environment: environment, install: "pyvisa pyvisa-py pyusb")
}
