import Logging
import Testing
import IonLink
import IonLinkDrivers
@testable import IonLinkMocks

@Suite struct LoopbackTransportTests {
    func session(_ host: LoopbackTransport, terminator: String, timeout: Duration) -> LineSession {
        LineSession(port: host.port, commandTerminator: "\r\n", replyTerminator: terminator, timeout: timeout,
                    logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }) { () throws(TransportError) -> any ByteTransport in host }
    }

    @Test func linesCrossThePipeInChunks() async throws {
        let (host, instrument) = LoopbackTransport.pair(port: "loop0")
        // The instrument answers in two chunks, with a second line behind the first.
        let answer = Task {
            var asked: [UInt8] = []
            while !asked.starts(with: Array("*IDN?\r\n".utf8)) { asked += try await instrument.read(timeout: .seconds(1)) }
            try await instrument.write(Array("Coherent, OBIS".utf8))
            try await instrument.write(Array(" 488\r\nOK\r\n".utf8))
            return asked
        }
        let lines = try await session(host, terminator: "\r\n", timeout: .seconds(1)).transaction("*IDN?") { $0 == "OK" }
        #expect(lines == ["Coherent, OBIS 488", "OK"])
        #expect(String(decoding: try await answer.value, as: UTF8.self) == "*IDN?\r\n")
    }

    @Test func partialLineTimesOutWithWhatArrived() async throws {
        let (host, instrument) = LoopbackTransport.pair(port: "loop1")
        try await instrument.write(Array("12.5".utf8))
        do {
            _ = try await session(host, terminator: "\r", timeout: .milliseconds(50)).transaction("VOLT?") { _ in true }
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
