import Foundation
import IonLink
import Testing
@testable import IonLinkRemote

/// Mutual TLS: a node that asks for client certificates refuses a client without one, or with one its
/// authority did not sign, at the handshake; a certified client still needs a token.
@Suite struct MutualTLSTests {
    /// A lab CA, the node's certificate, a client's, and a client certificate from another CA (openssl).
    static func certificates() async throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ionlink-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = """
            set -e
            q() { "$@" >/dev/null 2>&1; }
            for ca in ca rogue; do
              q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$ca" -keyout $ca.key -out $ca.pem
            done
            leaf() {  # name, signing CA
              q openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" -keyout $1.key -out $1.csr
              printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > $1.ext
              q openssl x509 -req -in $1.csr -CA $2.pem -CAkey $2.key -CAcreateserial -days 2 -extfile $1.ext -out $1.pem
            }
            leaf node ca; leaf client ca; leaf intruder rogue
            """
        // openssl's few seconds on a thread of their own, not on one of the threads the gRPC calls need.
        let status = try await onOwnThread {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script]
            p.currentDirectoryURL = dir
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        try #require(status == 0, "openssl failed")
        return dir
    }

    @Test func clientCertificatesAreRequiredAndChecked() async throws {
        let dir = try await Self.certificates()
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ f: String) -> String { dir.appendingPathComponent(f).path }
        let lab = try Remote.simulatedLab()
        let server = try await Remote.serve(lab, tls: TLSFiles(certificate: path("node.pem"), key: path("node.key"), authority: path("ca.pem")))
        // A certified client with a token: in.
        let good = TLSFiles(certificate: path("client.pem"), key: path("client.key"), authority: path("ca.pem"))
        let node = try await RemoteNode.connect(Remote.endpoint(server, tls: good), callTimeout: .seconds(20), logger: Remote.logger)
        #expect(node.description.principal == "alice")
        #expect(try await node.laser("nodeB.cooling").status().interlockClosed)
        node.close()
        // No client certificate, one from another authority, and plaintext: refused before any call.
        for tls in [TLSFiles(authority: path("ca.pem")),
                    TLSFiles(certificate: path("intruder.pem"), key: path("intruder.key"), authority: path("ca.pem")),
                    nil] {
            do {
                let n = try await RemoteNode.connect(Remote.endpoint(server, tls: tls), callTimeout: .seconds(20), logger: Remote.logger)
                n.close()
                Issue.record("connected with \(String(describing: tls))")
            } catch {
                guard case .unreachable = error else { Issue.record("\(error)"); continue }
            }
        }
        // A certified client with a wrong token: refused by the token check.
        do {
            let n = try await RemoteNode.connect(Remote.endpoint(server, token: "wrong-token-0123456789abcdef", tls: good),
                                                 callTimeout: .seconds(20), logger: Remote.logger)
            n.close()
            Issue.record("connected with a wrong token")
        } catch {
            guard case .unauthenticated = error else { Issue.record("\(error)"); return }
        }
        // The client checks the node too: a node certificate from another authority is refused.
        let wrongAuthority = TLSFiles(certificate: path("client.pem"), key: path("client.key"), authority: path("rogue.pem"))
        await #expect(throws: RemoteNodeError.self) {
            _ = try await RemoteNode.connect(Remote.endpoint(server, tls: wrongAuthority), callTimeout: .seconds(20), logger: Remote.logger)
        }
        await server.stop()
    }
}
