import IonLink
import IonLinkAssembly
import IonLinkPhysics
import IonLinkSimulation
import Logging
import Testing
@testable import IonLinkController

/// One pc_rpc connection's protocol against the default simulated lab, line by line.
struct PcRpcSessionTests {
    static func session() throws -> PcRpcSession {
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let config = try LabConfig.parse(yaml: LabConfig.defaultYAML(), speciesKeys: Species.presets.keys.sorted())
        let lab = try SimulatedLab(config: config, seed: 3, logger: logger).lab
        let targets = ServedDevices(lab: lab).controllerTargets(clock: ContinuousClock())
        return PcRpcSession(targets: Dictionary(uniqueKeysWithValues: targets.map { ($0.name, $0) }), description: "test", logger: logger)
    }

    /// A session past the greeting with `target` selected.
    static func selected(_ target: String) async throws -> PcRpcSession {
        var s = try session()
        _ = await s.receive(PcRpcSession.greeting)
        let methods = await s.receive("\(target) pyon_v2")
        #expect(methods.reply?.hasPrefix(#"{"__jsonclass__":["set","#) == true)
        return s
    }

    static func call(_ s: inout PcRpcSession, _ name: String, _ args: [PyonValue] = [], _ kwargs: KeyValuePairs<String, PyonValue> = [:])
        async throws -> PyonValue {
        let request = PyonValue.object(["action": .string("call"), "name": .string(name), "args": .tuple(args),
                                        "kwargs": .object(kwargs)])
        let step = await s.receive(request.json())
        return try PyonValue(json: try #require(step.reply))
    }

    @Test func greetingThenTargetsThenMethods() async throws {
        var s = try Self.session()
        let id = try PyonValue(json: try #require(await s.receive("ARTIQ pc_rpc").reply))
        let targets = try #require(id["targets"]?.elements)
        #expect(targets.contains(.string("nodeA.cooling")) && targets.contains(.string("hub.tagger")) && targets.contains(.string("nodeB.trap")))
        #expect(id["features"] == .list([.string("pyon_v2")]) && id["description"] == .string("test"))
        let methods = try PyonValue(json: try #require(await s.receive("nodeA.cooling pyon_v2").reply))
        guard case let .set(names) = methods else { Issue.record("not a set: \(methods)"); return }
        #expect(Set(names) == Set(["ping", "identify", "terminate", "wavelength_m", "set_power_w", "power_setpoint_w", "measured_power_w",
                                   "set_emission", "status", "power_limit_w"].map(PyonValue.string)))
    }

    @Test func aWrongGreetingTargetOrFeatureClosesTheConnection() async throws {
        var a = try Self.session()
        #expect(await a.receive("HELLO").close)
        var b = try Self.session()
        _ = await b.receive(PcRpcSession.greeting)
        #expect(await b.receive("nodeC.cooling pyon_v2").close)
        var c = try Self.session()
        _ = await c.receive(PcRpcSession.greeting)
        #expect(await c.receive("nodeA.cooling").close)   // PYON v1 only
        var d = try Self.session()
        _ = await d.receive(PcRpcSession.greeting)
        #expect(await d.receive("nodeA.cooling pyon_v2 zstd").close)
    }

    @Test func aLaserSetpointInsideItsLimitIsSetAndOnePastItIsRefused() async throws {
        var s = try await Self.selected("nodeA.cooling")
        let limit = try await Self.call(&s, "power_limit_w")
        guard case let .tuple(bounds)? = limit["ret"], case let .float(upper) = bounds[1] else { Issue.record("\(limit)"); return }
        #expect(try await Self.call(&s, "set_power_w", [.float(upper / 2)]) == .object(["status": .string("ok"), "ret": .none]))
        #expect(try await Self.call(&s, "power_setpoint_w")["ret"] == .float(upper / 2))
        let refused = try await Self.call(&s, "set_power_w", [], ["watts": .float(upper * 2)])
        #expect(refused["status"] == .string("failed"))
        #expect(refused["exception"]?["class"] == .string("ValueError"))
        guard case let .string(message)? = refused["exception"]?["message"] else { Issue.record("\(refused)"); return }
        #expect(message.hasPrefix("laser setpointOutOfRange: nodeA.cooling"), "\(message)")
        // Refused before anything was sent: the setpoint is unchanged.
        #expect(try await Self.call(&s, "power_setpoint_w")["ret"] == .float(upper / 2))
    }

    @Test func argumentsAreBoundAndCheckedAsPythonWould() async throws {
        var s = try await Self.selected("nodeA.trap")
        let cls = { (r: PyonValue) in r["exception"]?["class"] }
        #expect(cls(try await Self.call(&s, "set_electrode_v", [.int(0)])) == .string("TypeError"))              // missing volts
        #expect(cls(try await Self.call(&s, "set_electrode_v", [.int(0), .float(1), .int(2)])) == .string("TypeError"))
        #expect(cls(try await Self.call(&s, "set_electrode_v", [.int(0)], ["index": .int(1)])) == .string("TypeError"))
        #expect(cls(try await Self.call(&s, "set_electrode_v", [.string("0"), .float(1)])) == .string("TypeError"))
        #expect(cls(try await Self.call(&s, "set_electrode_v", [.int(0), .float(.nan)])) == .string("ValueError"))
        #expect(cls(try await Self.call(&s, "set_electrode_v", [.int(10_000), .float(1)])) == .string("ValueError"))   // no such electrode
        #expect(cls(try await Self.call(&s, "no_such_method")) == .string("AttributeError"))
        #expect(try await Self.call(&s, "set_electrode_v", [], ["volts": .float(1.25), "index": .int(2)])["status"] == .string("ok"))
        #expect(try await Self.call(&s, "electrode_v", [.int(2)])["ret"] == .float(1.25))
        #expect(try await Self.call(&s, "measure_qubit", [.string("q")])["exception"]?["class"] == .string("ValueError"))
        // A line that is not a request is answered, and the connection stays in step.
        let garbage = await s.receive("{not json")
        #expect(try PyonValue(json: try #require(garbage.reply))["status"] == .string("failed") && !garbage.close)
        #expect(try await Self.call(&s, "ping")["ret"] == .bool(true))
    }

    @Test func methodListDescribesEachMethodAsSipycoToolsReadIt() async throws {
        var s = try await Self.selected("hub.pulses")
        let reply = try PyonValue(json: try #require(await s.receive(#"{"action":"get_rpc_method_list"}"#).reply))
        let methods = try #require(reply["ret"]?["methods"])
        guard case let .tuple(program)? = methods["program"] else { Issue.record("\(methods)"); return }
        #expect(program[0]["args"] == .list([.string("self"), .string("steps")]))
        #expect(methods["terminate"] != nil && methods["ping"] != nil)
    }

    @Test func terminateAnswersThenEndsTheServer() async throws {
        var s = try await Self.selected("hub.tagger")
        let step = await s.receive(#"{"action":"call","name":"terminate","args":[],"kwargs":{}}"#)
        #expect(step.terminate && step.close)
        #expect(step.reply == #"{"status":"ok","ret":null}"#)
    }
}
