import Foundation
import GRPCCore
import IonLink
import Testing
@testable import IonLinkRemote

/// Tokens, roles, and what a node refuses: unknown callers, observers commanding, setpoints past its limits.
@Suite struct AccessTests {
    @Test func tokensFileParsesAndRefusesWeakOrSharedTokens() throws {
        let p = try AccessPolicy.parse(yaml: """
            tokens:
              - principal: alice
                role: control
                token: 0123456789abcdef0123
              - principal: bob
                role: observe
                token: fedcba9876543210fedc
            """)
        #expect(p.caller(authorization: "Bearer 0123456789abcdef0123") == Caller(principal: "alice", role: .control))
        #expect(p.caller(authorization: "Bearer fedcba9876543210fedc")?.role == .observe)
        #expect(p.caller(authorization: "Bearer 0123456789abcdef012") == nil)
        #expect(p.caller(authorization: "0123456789abcdef0123") == nil)
        #expect(throws: AccessPolicyError.tokenTooShort(principal: "eve", line: 2)) {
            try AccessPolicy.parse(yaml: "tokens:\n  - principal: eve\n    role: control\n    token: short\n")
        }
        #expect(throws: AccessPolicyError.duplicateToken(principal: "b", line: 5)) {
            try AccessPolicy.parse(yaml: """
                tokens:
                  - principal: a
                    role: control
                    token: 0123456789abcdef0123
                  - principal: b
                    role: observe
                    token: 0123456789abcdef0123
                """)
        }
        #expect(throws: AccessPolicyError.config(.unknownKey(path: "tokens[0].rights", line: 4))) {
            try AccessPolicy.parse(yaml: "tokens:\n  - principal: a\n    role: control\n    rights: all\n    token: 0123456789abcdef0123\n")
        }
        #expect(throws: AccessPolicyError.self) {
            try AccessPolicy.parse(yaml: "tokens:\n  - principal: a\n    role: admin\n    token: 0123456789abcdef0123\n")
        }
    }

    @Test func tokensFileReadableByOthersIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokens-\(UUID().uuidString).yaml").path
        try "tokens:\n  - principal: a\n    role: control\n    token: 0123456789abcdef0123\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: AccessPolicyError.readableByOthers(path: path, mode: "644")) { try AccessPolicy.load(path: path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try AccessPolicy.load(path: path).caller(authorization: "Bearer 0123456789abcdef0123")?.principal == "a")
    }

    @Test func callsWithoutOrWithUnknownTokensAreRefused() async throws {
        let lab = try Remote.simulatedLab()
        let server = try await Remote.serve(lab, runs: true)
        defer { Task { await server.stop() } }
        await #expect(throws: RemoteNodeError.self) {
            _ = try await RemoteNode.connect(Remote.endpoint(server, token: "not-a-token-of-this-node"), logger: Remote.logger)
        }
        do {
            _ = try await RemoteNode.connect(Remote.endpoint(server, token: "wrong-token-0123456789abcdef"), logger: Remote.logger)
            Issue.record("connected with a wrong token")
        } catch {
            guard case .unauthenticated = error else { Issue.record("\(error)"); return }
        }
        // No token at all, on every method: UNAUTHENTICATED before any device is touched.
        try await Remote.withClient(server, token: nil) { devices, runs, metadata in
            for call in [{ _ = try await devices.describe(.init(), metadata: metadata) },
                         { _ = try await devices.laser(.with { $0.role = "nodeA.cooling"; $0.status = .init() }, metadata: metadata) },
                         { _ = try await runs.status(.init(), metadata: metadata) }] as [@Sendable () async throws -> Void] {
                do {
                    try await call()
                    Issue.record("a call without a token was answered")
                } catch let e as RPCError {
                    #expect(e.code == .unauthenticated)
                }
            }
        }
        // Two authorization headers, a known token and another: refused, whichever comes first.
        for pair in [[Remote.controlToken, "wrong-token-0123456789abcdef"], [Remote.observeToken, Remote.controlToken]] {
            try await Remote.withClient(server, token: nil) { devices, _, _ in
                var metadata = Metadata()
                for t in pair { metadata.addString("Bearer \(t)", forKey: "authorization") }
                do {
                    _ = try await devices.describe(.init(), metadata: metadata)
                    Issue.record("a call with two authorization headers was answered")
                } catch let e as RPCError {
                    #expect(e.code == .unauthenticated && e.message.contains("2 authorization headers"), "\(e)")
                }
            }
        }
        await server.stop()
    }

    @Test func observerMayReadButNotCommand() async throws {
        let lab = try Remote.simulatedLab()
        let server = try await Remote.serve(lab)
        // 30 s per call: in a full run on two cores this test shares the machine with some eighty suites (the
        // 10 s default timed out there, never alone), as MutualTLSTests allows 20 s.
        let node = try await RemoteNode.connect(Remote.endpoint(server, token: Remote.observeToken), callTimeout: .seconds(30),
                                                logger: Remote.logger)
        #expect(node.description.principal == "bob")
        #expect(node.description.role == .observe)
        let laser = try node.laser("nodeA.cooling")
        let before = try await laser.powerSetpoint()
        #expect(try await laser.status().interlockClosed)
        do {
            try await laser.setPower(before * 0.5)
            Issue.record("an observer set a laser's power")
        } catch {
            guard case let .instrument(.rejected(_, reply)) = error.reason else { Issue.record("\(error)"); return }
            #expect(reply.contains("control"))
        }
        #expect(try await lab.lab.nodes[0].cooling.powerSetpoint() == before)
        do {
            _ = try await node.attemptLoop("hub.loop").runBurst(maxAttempts: 10)
            Issue.record("an observer ran a burst")
        } catch {
            guard case AttemptLoopError.notArmed = error else { Issue.record("\(error)"); return }
        }
        let t0 = node.clock.now()
        try await Remote.withClient(server, token: Remote.observeToken) { devices, _, metadata in
            do {
                _ = try await devices.clock(.with { $0.spendPs = 1_000_000 }, metadata: metadata)
                Issue.record("an observer let lab time pass")
            } catch let e as RPCError {
                #expect(e.code == .permissionDenied)
            }
        }
        #expect(lab.lab.clock.now() == t0)
        node.close()
        await server.stop()
    }

    /// Durations a control client may not ask for: a clock spend of 2⁶³−1 ps (it overflowed the virtual
    /// clock and killed the node), exposures of 2⁶³−1 ps or −1 ps (−1 set lab time to −1 ps). The spend is
    /// INVALID_ARGUMENT, the trap's durations OUT_OF_RANGE (as any setpoint past a limit); lab time does
    /// not move, and the node answers on.
    @Test func hostileDurationsAreRefusedAndTheNodeLivesOn() async throws {
        let lab = try Remote.simulatedLab()
        let server = try await Remote.serve(lab)
        try await Remote.withClient(server, token: Remote.controlToken) { devices, _, metadata in
            _ = try await devices.clock(.with { $0.spendPs = 1_000_000 }, metadata: metadata)
            let t0 = lab.lab.clock.now()
            for spend in [Int64.max, -1, 86_400_000_000_000_001] {
                do {
                    _ = try await devices.clock(.with { $0.spendPs = spend }, metadata: metadata)
                    Issue.record("spend_ps \(spend) accepted")
                } catch let e as RPCError { #expect(e.code == .invalidArgument, "spend_ps \(spend): \(e)") }
            }
            for exposure in [Int64.max, -1] {
                do {
                    _ = try await devices.trap(.with { $0.role = "nodeA.trap"; $0.fluorescenceExposurePs = exposure }, metadata: metadata)
                    Issue.record("exposure \(exposure) accepted")
                } catch let e as RPCError { #expect(e.code == .outOfRange, "exposure \(exposure): \(e)") }
                do {
                    _ = try await devices.trap(.with { $0.role = "nodeA.trap"; $0.loadTimeoutPs = exposure }, metadata: metadata)
                    Issue.record("load timeout \(exposure) accepted")
                } catch let e as RPCError { #expect(e.code == .outOfRange, "load timeout \(exposure): \(e)") }
            }
            #expect(lab.lab.clock.now() == t0, "lab time did not move")
            let after = try await devices.clock(.with { $0.spendPs = 5 }, metadata: metadata)
            #expect(after.labTimePs == t0.inPicoseconds + 5, "the node answers on")
        }
        await server.stop()
    }

    @Test func nodeRefusesSetpointsPastItsLimitsBeforeTheDevice() async throws {
        let lab = try Remote.simulatedLab()
        let server = try await Remote.serve(lab)
        let laser = lab.lab.nodes[0].excitation, trap = lab.lab.nodes[1].trap
        let power = try await laser.powerSetpoint(), rf = try await trap.rf()
        // Sent raw, past the remote devices' own checks: the node must refuse them itself.
        try await Remote.withClient(server, token: Remote.controlToken) { devices, _, metadata in
            do {
                _ = try await devices.laser(.with { $0.role = "nodeA.excitation"; $0.setPowerW = laser.powerLimit.upper.watts * 1.01 },
                                            metadata: metadata)
                Issue.record("power past the limit was accepted")
            } catch let e as RPCError {
                #expect(e.code == .outOfRange)
                let back = LaserError.from(e, device: "?", command: "?")
                #expect(back == .setpointOutOfRange(device: laser.name, requested: laser.powerLimit.upper * 1.01, allowed: laser.powerLimit))
            }
            do {
                _ = try await devices.trap(.with {
                    $0.role = "nodeB.trap"
                    $0.setRf = .with { $0.frequencyHz = rf.frequency.hertz; $0.amplitudeV = trap.rfAmplitudeLimit.upper.volts + 1 }
                }, metadata: metadata)
                Issue.record("RF past the limit was accepted")
            } catch let e as RPCError {
                #expect(e.code == .outOfRange)
                guard case .kind(.rfOutOfRange) = TrapControllerError.from(e, device: "?", command: "?").reason else { Issue.record("\(e)"); return }
            }
            do {
                _ = try await devices.laser(.with { $0.role = "nodeA.excitation"; $0.setPowerW = .nan }, metadata: metadata)
                Issue.record("NaN power was accepted")
            } catch let e as RPCError {
                #expect(e.code == .outOfRange)
            }
            do {
                _ = try await devices.laser(.with { $0.role = "nodeC.excitation"; $0.status = .init() }, metadata: metadata)
                Issue.record("an unknown device answered")
            } catch let e as RPCError {
                #expect(e.code == .notFound)
            }
        }
        #expect(try await laser.powerSetpoint() == power)
        #expect(try await trap.rf() == rf)
        // Within the limits, the same commands go through, and the remote device reads them back.
        let node = try await RemoteNode.connect(Remote.endpoint(server), logger: Remote.logger)
        let remote = try node.laser("nodeA.excitation")
        try await remote.setPower(laser.powerLimit.upper * 0.5)
        #expect(try await remote.powerSetpoint() == laser.powerLimit.upper * 0.5)
        #expect(try await laser.powerSetpoint() == laser.powerLimit.upper * 0.5)
        node.close()
        await server.stop()
    }
}
