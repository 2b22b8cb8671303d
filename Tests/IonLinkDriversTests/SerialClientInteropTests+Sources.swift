import Foundation
import Testing
import IonLink
@testable import IonLinkMocks

/// Public Python clients (from PyPI, unmodified) for the time tagger and the DC sources: S-Fifteen's own
/// `s15lib` for the TDC1, qcodes' Stahl driver and a plain pyserial script for the Stahl BS, and
/// qcodes_contrib_drivers' SIM928 for the SIM900 rack.
extension SerialClientInteropTests {
    func runPython(_ script: String, on p: EmulatedSerialPort) async throws -> (Int32, [String], String) {
        let (status, text, errors) = try await PythonPeer.run(script, arguments: [p.devnode],
                                                                  environment: try VirtualSerialTestbed.shared().environment)
        return (status, text.split(separator: "\n").map(String.init), errors)
    }

    /// Runs `client`'s `script` against the emulator on `p`: it must exit cleanly and print `expected`, line
    /// for line (lines starting with `prefix` left out: qcodes's own "Connected to:" banner); a failure shows
    /// what the client sent.
    func check(_ client: String, _ script: String, on p: EmulatedSerialPort, ignoring prefix: String? = nil, prints expected: [String],
               sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let (status, lines, errors) = try await runPython(script, on: p)
        #expect(status == 0, "\(client) failed: \(errors)\nit sent: \(p.receivedText)", sourceLocation: sourceLocation)
        #expect(lines.filter { prefix.map($0.hasPrefix) != true } == expected, "it sent: \(p.receivedText)", sourceLocation: sourceLocation)
    }

    /// `s15lib` (S-Fifteen Instruments' own library, PyPI 0.3.0, installed with `--no-deps`), class `TimestampTDC1`:
    /// its opening sequence (`singles`, `NIM`, `time N;`), the mode and level read back, an integration time set
    /// and read back, its own refusal of a time over 65 535 ms, the reference clock set and read back, singles
    /// and pairs counts, a timestamp run through its default decoder (the marker word comes back as one event of
    /// pattern `0000`, as its decoder does not skip it), the unlimited run its `get_timestamps` sends past 65.5 s
    /// (`INPKT;time 0;counts?;` through its own streaming reader for 0.3 s, then `abort`: ordered events, one
    /// marker, nothing after the abort, `time?` 0), `*IDN?` on its port, and close.
    @Test func s15libDrivesTheTDC1() async throws {
        let p = try port(SFifteenTDC1Emulator(seed: 15), 0x04D8, 0xF8B8, "INTEROP-TDC1")
        let script = """
            import sys, time
            import numpy as np
            from S15lib.instruments import TimestampTDC1
            d = TimestampTDC1(sys.argv[1], integration_time=0.1)
            print(d.mode, d.int_time, d.level)
            d.int_time = 0.2
            print(d.int_time)
            d.int_time = 70
            print(d.int_time)
            d.clock = 2
            print(d.clock, d.eclock)
            print(d.get_counts(0.1), d.mode)
            print(d.get_counts_and_coincidences(0.1), d.mode)
            ts, ch = d.get_timestamps(0.1)
            print(len(ts), list(ch).count('0000'), list(ch).count('0011'), bool(np.all(np.diff(ts) >= 0)), d.mode)
            buf, _ = d._stream_response_into_buffer("INPKT;time 0;counts?;", 0.3)
            ts, ch = d.read_timestamps_bin2(buf)
            time.sleep(0.5)
            print(len(ts) > 500, list(ch).count('0000'), bool(np.all(np.diff(ts) >= 0)), d._com.in_waiting, d.int_time)
            d._com.write(b"*IDN?\\r\\n")
            print(d._com.readline())
            d._com.close()
            """
        try await check("s15lib (pip install --no-deps s15lib?)", script, on: p, prints: [
            "singles 100 b'NIM\\r\\n'",
            "200",
            "Integration time cannot exceed 65535 ms in counter/coincidence mode",
            "200",
            "b'2\\r\\n' b'0\\r\\n'",
            "(275, 200, 0, 0) singles",
            "(261, 202, 0, 0, 55) pairs",
            "366 1 46 True timestamp",
            "True 1 True 0 0",
            "b'S-Fifteen Instruments,TDC1,TDC1-0021,1.2\\r\\n'",
        ])
    }

    /// `qcodes` (PyPI 0.58.0), `qcodes.instrument_drivers.stahl.Stahl` over pyvisa-py: the `IDN` parse (model,
    /// serial, range, channel count, output type), voltages set (normalised `CHnn x`, ACK expected) and read back
    /// in the decimal-comma format, a channel's current, the temperature with its latin-1 degree sign, the
    /// driver's own refusal of a voltage outside the range, and close. (Its `is_locked` is not exercised:
    /// with pyvisa 1.16 its `query_binary_values(header_fmt="empty")` returns an empty list whatever the
    /// instrument sends, so it raises IndexError on any instrument.)
    @Test func qcodesDrivesTheStahlBS() async throws {
        let p = try port(StahlBSEmulator(), 0x0403, 0x6001, "INTEROP-STAHL")
        let script = """
            import sys
            from qcodes.instrument_drivers.stahl import Stahl
            s = Stahl("stahl", "ASRL" + sys.argv[1] + "::INSTR")
            print(s.model, s.serial_number, s.voltage_range, s.n_channels, s.output_type)
            s.channel1.voltage(1.2)
            s.channel16.voltage(-4.5)
            print(s.channel1.voltage(), s.channel16.voltage(), s.channel3.voltage(), s.channel1.current())
            print(s.temperature())
            try:
                s.channel2.voltage(6.0)
            except ValueError:
                print("refused")
            print(s.channel2.voltage())
            s.close()
            """
        try await check("qcodes Stahl", script, on: p, ignoring: "Connected to:", prints: [
            "BS 123 5.0 16 bipolar",
            "1.2 -4.5 0.0 0.0",
            "24.5",
            "refused",
            "0.0",
        ])
        #expect(p.receivedText.contains("BS123 CH01 0.62000\rBS123 CH16 0.05000\r"))
    }

    /// A plain pyserial script (pyserial 3.5) following the Stahl BS manual, as a lab without a driver would
    /// write one: `IDN`, a channel set and its ACK, the voltage read back, `TEMP` in latin-1, the `LOCK` bytes
    /// (0x10 per group of four: none locked), and the instrument's error reply to a channel it does not have.
    @Test func pyserialScriptDrivesTheStahlBS() async throws {
        let p = try port(StahlBSEmulator(), 0x0403, 0x6001, "INTEROP-STAHL2")
        let script = """
            import sys, serial
            s = serial.Serial(sys.argv[1], 115200, timeout=2)
            def ask(cmd):
                s.write((cmd + "\\r").encode("latin-1"))
                return s.read_until(b"\\r")[:-1]
            ident = ask("IDN").decode("latin-1").split()
            print(ident)
            print(ask(ident[0] + " CH05 0.75000"), ask(ident[0] + " U05").decode("latin-1"))
            print(ask(ident[0] + " TEMP").decode("latin-1"), ask(ident[0] + " LOCK").hex())
            print(ask(ident[0] + " CH17 0.50000").decode("latin-1")[:5], ask(ident[0] + " U05").decode("latin-1"))
            s.close()
            """
        try await check("pyserial script", script, on: p, prints: [
            "['BS123', '005', '16', 'b']",
            "b'\\x06' 2,500 V",
            "TEMP 24.5°C 10101010",
            "ERROR 2,500 V",
        ])
    }

    /// `qcodes_contrib_drivers` (PyPI 0.24.1) `SIM928` (a SIM900 rack of SIM928 sources) over pyvisa-py: its
    /// reset and module discovery (`*DCL`, `FLSH`, `SRST`, `CTCR?`, each module's `*IDN?` through `SNDT`/`GETN?`),
    /// `TERM LF`, a voltage set and read back, its status check (`*ESR?`, `CESR?`, `OVSR?`) clean, its validator's
    /// refusal of 25 V, the module's own execution error for 30 V sent raw, reported by the client, and close.
    @Test func qcodesContribDrivesTheSIM928() async throws {
        let p = try port(SIM900Emulator.snspdBiasRack(), 0x0403, 0x6001, "INTEROP-SIM900")
        let script = """
            import sys
            from qcodes_contrib_drivers.drivers.StanfordResearchSystems.SIM928 import SIM928
            sim = SIM928("sim", "ASRL" + sys.argv[1] + "::INSTR", slot_names={1: "bias"})
            print(sim.modules, sim.IDN_bias())
            sim.volt_bias(1.25)
            print(sim.volt_bias(), sim.get_voltage(1), sim.check_module_errors(1))
            try:
                sim.volt_bias(25)
            except ValueError:
                print("refused")
            sim.write_module(1, "VOLT 30")
            try:
                sim.check_module_errors(1)
            except Exception as e:
                print(e)
            print(sim.volt_bias(), sim.check_module_errors(1))
            sim.close()
            """
        try await check("qcodes_contrib SIM928", script, on: p, ignoring: "Connected to:", prints: [
            "[1] {'vendor': 'Stanford_Research_Systems', 'model': 'SIM928', 'serial': 's/n017854', 'firmware': 'ver2.2'}",
            "1.25 1.25 []",
            "refused",
            "Execution Error: Illegal value (1).",
            "1.25 []",
        ])
    }

    /// `qmi` (QuTech's Quantum Measurement Infrastructure, PyPI 0.54.2), `Sim900` over its serial transport: the
    /// generic relay (`SNDT`, `NINP?`, `RAWN?`) to the SIM928 in port 1 and the SIM970 in port 7 (`*IDN?`, `TERM LF`),
    /// a voltage set, the output switched on, both read back, the voltmeter's reading of the bias resistor, the
    /// module's execution error for 30 V read with `LEXE?`, QMI's own refusal of port 9, and its error on a reply
    /// that does not end in LF (after `TERM CR`), and close.
    @Test func qmiRelaysToTheSIM928AndSIM970() async throws {
        let p = try port(SIM900Emulator.snspdBiasRack(), 0x0403, 0x6001, "INTEROP-SIM900-QMI")
        let script = """
            import sys
            import qmi
            from qmi.core.exceptions import QMI_UsageException, QMI_InstrumentException
            from qmi.instruments.stanford_research_systems.sim900 import Sim900
            qmi.start("interop_sim900", init_logging=False)
            sim = qmi.make_instrument("sim900", Sim900, "serial:" + sys.argv[1] + ":baudrate=9600")
            sim.open()
            sim.send_terminated_message(1, "TERM LF")
            sim.send_terminated_message(7, "TERM LF")
            print(sim.ask_module(1, "*IDN?", 0.2))
            print(sim.ask_module(7, "*IDN?", 0.2))
            sim.send_terminated_message(1, "VOLT 0.5")
            sim.send_terminated_message(1, "OPON")
            print(sim.ask_module(1, "VOLT?", 0.2), sim.ask_module(1, "EXON?", 0.2))
            print(sim.ask_module(7, "VOLT? 1,4", 0.2).split())
            sim.send_terminated_message(1, "VOLT 30")
            print(sim.ask_module(1, "LEXE?", 0.2), sim.ask_module(1, "VOLT?", 0.2), sim.input_bytes_waiting(1))
            try:
                sim.ask_module(9, "VOLT?")
            except QMI_UsageException as e:
                print("refused:", e)
            sim.send_terminated_message(1, "TERM CR")
            try:
                sim.ask_module(1, "VOLT?", 0.2)
            except QMI_InstrumentException as e:
                print("error:", e)
            sim.close()
            qmi.stop()
            """
        try await check("qmi Sim900", script, on: p, prints: [
            "Stanford_Research_Systems,SIM928,s/n017854,ver2.2",
            "Stanford_Research_Systems,SIM970,s/n023101,ver1.3",
            "+0.500 1",
            "['+0.499987', '+0.500007', '+0.500008', '+0.500009']",
            "1 +0.500 0",
            "refused: Port should be between 1 and 8, but is 9.",
            "error: Bad response, expected \"\\n\", received 13.",
        ])
    }
}
