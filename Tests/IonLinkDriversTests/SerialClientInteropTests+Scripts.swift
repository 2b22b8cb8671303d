import Foundation
import Testing
import IonLink
@testable import IonLinkMocks

/// Second clients where no second independent library exists on PyPI (docs/interop-research.md): a plain pyserial
/// script written from the manual's command list, as a lab without a vendor library would drive the instrument.
/// The SynthHD's other public clients wrap `windfreak` or need the qudi framework; the TDC1's only library is s15lib.
extension SerialClientInteropTests {
    /// Windfreak SynthHD: model, serial, firmware and variant; channel B's frequency, power, phase and the three
    /// output switches set in one unterminated write and read back with the lock status; a frequency split across
    /// two writes; an out-of-range frequency and power ignored (settings kept, nothing answered); channel A untouched;
    /// the RF output off again; and an unknown query left unanswered (the script's own timeout: an empty line).
    @Test func pyserialScriptDrivesTheSynthHD() async throws {
        let p = try port(WindfreakSynthHDEmulator(serialNumber: "4321"), 0x16D0, 0x0557, "INTEROP-WF-PY")
        let script = """
            import sys, time, serial
            s = serial.Serial(sys.argv[1], timeout=0.5)
            def ask(c):
                s.write(c.encode())
                return s.readline().decode().strip()
            print(ask("+"), ask("-"), ask("v0"), ask("v2"))
            s.write(b"C1f1234.5W-3.5~45E1h1r1")
            print(ask("C?"), ask("f?"), ask("W?"), ask("~?"), ask("E?"), ask("h?"), ask("r?"), ask("p"))
            s.write(b"f12"); s.flush(); time.sleep(0.05); s.write(b"00.25")
            print(ask("f?"))
            s.write(b"f20000W30")
            print(ask("f?"), ask("W?"))
            s.write(b"C0")
            print(ask("C?"), ask("f?"), ask("r?"))
            s.write(b"C1r0")
            print(ask("r?"), repr(ask("Q?")))
            s.close()
            """
        try await check("pyserial SynthHD script", script, on: p, prints: [
            "WFT SynthHD 1.4 4321 Firmware Version 3.22 HD",
            "1 1234.50000000 -3.500 45.000 1 1 1 1",
            "1200.25000000",
            "1200.25000000 -3.500",
            "0 1000.00000000 0",
            "0 ''",
        ])
    }

    /// S-Fifteen TDC1: `*IDN?`; singles mode, 200 ms and NIM levels chained with `;` and read back with the
    /// reference clock; one singles acquisition (four counts); a time past 65 535 ms refused (`Invalid argument`,
    /// the time kept); an unknown command; a timestamp acquisition read as 32-bit little-endian words (whole words,
    /// the marker first, then events each with an input bit); pairs mode, whose counts add the pair count.
    @Test func pyserialScriptDrivesTheTDC1() async throws {
        let p = try port(SFifteenTDC1Emulator(seed: 15), 0x04D8, 0xF8B8, "INTEROP-TDC1-PY")
        let script = """
            import sys, time, struct, serial
            s = serial.Serial(sys.argv[1], timeout=1)
            def ask(c):
                s.write((c + "\\r\\n").encode())
                return s.readline().decode().strip()
            print(ask("*IDN?"))
            s.write(b"singles;time 200;NIM\\r\\n")
            print(ask("mode?"), ask("time?"), ask("level?"), ask("REFCLK?"))
            print(len(ask("counts?").split()))
            print(ask("time 70000"), ask("time?"))
            print(ask("bogus"))
            s.write(b"timestamp;time 50\\r\\n")
            print(ask("mode?"))
            s.write(b"counts?\\r\\n")
            time.sleep(0.3)
            data = b""
            while True:
                chunk = s.read(65536)
                if not chunk:
                    break
                data += chunk
            words = struct.unpack("<%dI" % (len(data) // 4), data[: len(data) // 4 * 4])
            print(len(data) % 4, words[0] & 0x10 != 0, len(words) > 1 and all(w & 0xF for w in words[1:]))
            s.write(b"pairs\\r\\n")
            print(ask("mode?"), len(ask("counts?").split()))
            s.close()
            """
        try await check("pyserial TDC1 script", script, on: p, prints: [
            "S-Fifteen Instruments,TDC1,TDC1-0021,1.2",
            "0 200 NIM 0",
            "4",
            "Invalid argument 200",
            "Unknown command",
            "3",
            "0 True True",
            "1 5",
        ])
    }
}
