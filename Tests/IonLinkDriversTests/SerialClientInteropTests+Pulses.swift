import Foundation
import Testing
import IonLink
@testable import IonLinkMocks

/// Public Python clients (from PyPI, unmodified) for the pulse generators: for the Quantum Composers 9520,
/// `qcsapphire` (written for the Sapphire 9200, whose command language the 9520 shares) and QMI's 9530 driver; for
/// the SRS DG645, instrumentkit (its other client, srsinst.dg645, is in SerialClientInteropTests.swift).
extension SerialClientInteropTests {
    /// `qcsapphire` (G. A. Cox, PyPI 1.0.1), `qcsapphire.Pulser`: `*IDN?` and its hardware report, the period,
    /// a channel's width and delay, the system state, burst mode and count each set and read back through its
    /// property-style commands (`:PULSE0:PERIOD`, `:PULSE1:WIDTH`, ...), the instrument's `?5` for a negative width
    /// and `?3` for an unknown keyword, each raised by the client as its own error, and close.
    @Test func qcsapphireDrivesTheQC9520() async throws {
        let p = try port(QuantumComposers9520Emulator(), 0x04D8, 0x000A, "INTEROP-QC")
        let script = """
            import sys
            import qcsapphire
            p = qcsapphire.Pulser(sys.argv[1])
            print(p.query('*IDN?'), p.report_hardware())
            print(p.pulse0.period(0.001), p.pulse0.period())
            print(p.pulse1.width(2.5e-05), p.pulse1.width())
            print(p.pulse1.delay(1e-6), p.pulse1.delay())
            print(p.pulse0.state(1), p.pulse0.state())
            print(p.pulse0.mode('BURS'), p.pulse0.bcounter(5), p.pulse0.mode(), p.pulse0.bcounter())
            try:
                p.pulse1.width(-1)
            except Exception as e:
                print("error:", e)
            try:
                p.pulse1.bogus(1)
            except Exception as e:
                print("error:", e)
            print(p.pulse1.width())
            p.close()
            """
        try await check("qcsapphire", script, on: p, prints: [
            "QC,9524,02311,1.2.2-1.2.0 ['9524', '02311', '1.2.2', '1.2.0']",
            "ok 0.001000000",
            "ok 0.000025000",
            "ok 0.000001000",
            "ok 1",
            "ok ok BURS 5",
            "error: Invalid parameter. Last write command == :PULSE1:WIDTH -1",
            "error: Invalid command keyword. Last write command == :PULSE1:BOGUS 1",
            "0.000025000",
        ])
    }

    /// `qmi` (QuTech, PyPI 0.54.2), `QuantumComposers_9530`: identification and the channel count (`:INST:CAT?`),
    /// T0's period, channel A's width and delay set and read back (each set answered `ok`), burst mode and count,
    /// duty-cycle mode on a channel, back to normal mode, channel and output enables, QMI's own range refusal, and close.
    @Test func qmiDrivesTheQC9520() async throws {
        let p = try port(QuantumComposers9520Emulator(), 0x04D8, 0x000A, "INTEROP-QC-QMI")
        let script = """
            import sys
            import qmi
            from qmi.instruments.quantum_composers import QuantumComposers_9530
            from qmi.instruments.quantum_composers.pulse_generator9530 import PulseMode
            qmi.start("interop_qc9520", init_logging=False)
            pg = qmi.make_instrument("qc", QuantumComposers_9530, "serial:" + sys.argv[1] + ":baudrate=38400")
            pg.open()
            idn = pg.get_idn()
            print(idn.vendor, idn.model, idn.serial, idn.version, pg.get_num_channels())
            pg.set_t0_period(1e-3)
            pg.set_channel_width(1, 2.5e-5)
            pg.set_channel_delay(1, 1e-6)
            print(pg.get_t0_period(), pg.get_channel_width(1), pg.get_channel_delay(1))
            pg.set_t0_mode(PulseMode.BURST)
            pg.set_t0_burst_count(5)
            pg.set_channel_mode(2, PulseMode.DUTYCYCLE)
            print(pg.get_t0_mode(), pg.get_t0_burst_count(), pg.get_channel_mode(2))
            pg.set_t0_mode(PulseMode.NORMAL)
            pg.set_channel_enabled(1, True)
            pg.set_output_enabled(True)
            print(pg.get_channel_enabled(1), pg.get_channel_enabled(2), pg.get_output_enabled())
            try:
                pg.set_channel_width(1, 2000.0)
            except ValueError as e:
                print("refused:", e)
            print(pg.get_channel_width(1))
            pg.close()
            qmi.stop()
            """
        try await check("qmi QuantumComposers_9530", script, on: p, prints: [
            "QC 9524 02311 1.2.2-1.2.0 4",
            "0.001 2.5e-05 1e-06",
            "PulseMode.BURST 5 PulseMode.DUTYCYCLE",
            "True False True",
            "refused: Parameter value out of range",
            "2.5e-05",
        ])
    }

    /// `instrumentkit` (Galvant Industries' InstrumentKit, PyPI 0.6.0, installed with `--no-deps`), `SRSDG645`:
    /// `*IDN?`, channel B's delay from A set and read back as a (reference, time) pair, the trigger source and
    /// rate, the holdoff and advanced triggering, the display mode, output AB's amplitude, offset and polarity,
    /// an amplitude past 5 V left unchanged with the instrument's error 10 in `LERR?`, the client's own refusal of
    /// a polarity that is not its enum, and `*RST` back to the factory settings.
    @Test func instrumentkitDrivesTheDG645() async throws {
        let p = try port(SRSDG645Emulator(), 0x0403, 0x6001, "INTEROP-DG-IK")
        let script = """
            import sys
            import quantities as pq
            import instruments as ik
            D = ik.srs.SRSDG645
            ddg = D.open_serial(sys.argv[1], baud=9600)
            print(ddg.name.strip())  # its terminator is LF: the CR of CR LF stays on the reply
            ddg.channel[D.Channels.B].delay = (ddg.channel[D.Channels.A], pq.Quantity(1, "us"))
            ref, t = ddg.channel[D.Channels.B].delay
            print(ref.name, round(float(t.rescale("ns").magnitude), 6))
            ddg.trigger_source = D.TriggerSource.internal
            ddg.trigger_rate = pq.Quantity(2, "kHz")
            ddg.holdoff = pq.Quantity(1, "ms")
            ddg.enable_adv_triggering = True
            print(ddg.trigger_source.name, ddg.trigger_rate, ddg.holdoff.rescale("ms"), ddg.enable_adv_triggering)
            ddg.display = (D.DisplayMode.channel_levels, D.Channels.C)
            print(ddg.display[0].name, ddg.display[1].name)
            out = ddg.output[D.Outputs.AB]
            out.level_amplitude = pq.Quantity(3.5, "V")
            out.level_offset = pq.Quantity(0.5, "V")
            out.polarity = D.LevelPolarity.negative
            print(out.level_amplitude, out.level_offset, out.polarity.name)
            out.level_amplitude = pq.Quantity(7, "V")
            print(ddg.query("LERR?").strip(), out.level_amplitude)
            try:
                out.polarity = 1
            except TypeError:
                print("refused")
            ddg.sendcmd("*RST")
            print(ddg.enable_adv_triggering, ddg.holdoff, ddg.trigger_source.name)
            """
        try await check("instrumentkit SRSDG645", script, on: p, prints: [
            "Stanford Research Systems,DG645,s/n008011,ver1.19.118",
            "A 1000.0",
            "internal 2000.0 Hz 1.0 ms True",
            "channel_levels C",
            "3.5 V 0.5 V negative",
            "10 3.5 V",
            "refused",
            "False 0.0 s single_shot",
        ])
    }
}
