import Testing
import IonLink
import IonLinkDrivers
@testable import IonLinkMocks

@Suite struct LoopbackTransportTests {
    @Test func linesCrossThePipeInChunks() async throws {
        let (host, instrument) = LoopbackTransport.pair(port: "loop0")
        try await host.write(Array("*IDN?\r\n".utf8))
        var framer = LineFramer(terminator: Array("\r\n".utf8))
        let asked = try await readLine(from: instrument, framer: &framer, timeout: .seconds(1))
        #expect(String(decoding: asked, as: UTF8.self) == "*IDN?")
        // The reply arrives split, with a second line behind it.
        try await instrument.write(Array("Coherent, OBIS".utf8))
        try await instrument.write(Array(" 488\r\nOK\r\n".utf8))
        var hostFramer = LineFramer(terminator: Array("\r\n".utf8))
        #expect(String(decoding: try await readLine(from: host, framer: &hostFramer, timeout: .seconds(1)), as: UTF8.self) == "Coherent, OBIS 488")
        #expect(String(decoding: try await readLine(from: host, framer: &hostFramer, timeout: .seconds(1)), as: UTF8.self) == "OK")
    }

    @Test func partialLineTimesOutWithWhatArrived() async throws {
        let (host, instrument) = LoopbackTransport.pair(port: "loop1")
        try await instrument.write(Array("12.5".utf8))
        var framer = LineFramer(terminator: [0x0D])
        do {
            _ = try await readLine(from: host, framer: &framer, timeout: .milliseconds(50))
            Issue.record("a partial line was returned")
        } catch {
            #expect(error == .timeout(port: "loop1", after: .milliseconds(50), partial: Array("12.5".utf8)))
        }
    }

    @Test func unplugIsDisconnected() async throws {
        let (host, instrument) = LoopbackTransport.pair(port: "loop2")
        instrument.unplug()
        await #expect(throws: TransportError.disconnected(port: "loop2")) { _ = try await host.read(timeout: .seconds(1)) }
        await #expect(throws: TransportError.disconnected(port: "loop2")) { try await host.write([1]) }
    }
}
