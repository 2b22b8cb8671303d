import Foundation
import Testing

/// `ionlink controller`: the lab's instruments as ARTIQ controllers (sipyco pc_rpc), driven by a client
/// written from the protocol's description (Tests/python/pc_rpc_checks.py: sockets and json, no sipyco).
@Suite(.serialized) struct ControllerCommandTests {
    /// Every role of the emulated instrument lab: each method called, a setpoint past the lab YAML's limit
    /// refused with ValueError, two clients killed mid-call, then ping() and terminate() as ARTIQ's
    /// controller manager calls them; the controller then exits 0 with the instruments in their safe state.
    @Test func aPcRpcClientDrivesEveryEmulatedInstrument() async throws {
        let lab = EmulateLabCommandTests.lab
        let emulated = try await EmulatedLabProcess.start(lab: lab)
        defer { emulated.stop() }
        let (controller, out, err) = try CLI.start(CLI.ionlink, ["controller", "--config", lab.path, "--port", "0"], adding: emulated.environment)
        defer { if controller.isRunning { controller.terminate() } }
        let banner = await CLI.readUntil("pc_rpc on", from: out)
        let port = try #require(banner.split(separator: ":").dropFirst().first.flatMap { Int($0) }, "printed: \(banner)")

        let r = try await CLI.python("python/pc_rpc_checks.py", ["127.0.0.1", "\(port)"])
        let targets = try #require(r["targets"] as? [String])
        #expect(targets == ["hub.detector0", "hub.detector1", "hub.pulses", "hub.tagger", "nodeA.cooling", "nodeA.excitation", "nodeA.trap",
                            "nodeB.cooling", "nodeB.excitation", "nodeB.trap"])
        #expect(r["features"] as? [String] == ["pyon_v2"])
        // Transient device failures (a reply lost or late while the suite loads both cores) are retried by the
        // client, as a lab script would; a few at most.
        #expect((r["retried_transient_failures"] as? Int ?? 99) <= 10, "\(r["retried_transient_failures"] ?? "none")")
        let calls = try #require(r["calls"] as? [String: [String: String]])
        let samples = try #require(r["samples"] as? [String: [String: Any]])
        for role in targets {
            // Every method the target lists was called.
            #expect((r["unexercised"] as? [String: [String]])?[role] == [], "\(role)")
            for (method, status) in calls[role] ?? [:] where !(role.hasSuffix(".trap") && method == "load") {
                #expect(status == "ok", "\(role).\(method): \(status) \(samples[role]?[method] ?? "")")
            }
        }
        // The instruments answered as the emulated models do.
        let identity = samples["hub.detector0"]?["identify"] as? [String: String]
        #expect(identity?["model"] == "SIM928")
        #expect(samples["nodeA.cooling"]?["wavelength_m"] as? Double == 488e-9)
        // A loading attempt too short to load is a device failure, not a refusal.
        #expect(calls["nodeA.trap"]?["load"] == "RuntimeError")
        #expect((samples["nodeA.trap"]?["load"] as? String)?.hasPrefix("trap loadingFailed: nodeA.trap") == true)
        // Past the lab YAML's limits: ValueError naming the device error, nothing sent.
        for role in ["nodeA.cooling", "nodeB.excitation", "nodeA.trap", "hub.pulses"] {
            let refused = samples[role]?["past_limit"] as? [String: Any]
            let status = refused?["status"] as? String, exception = refused?["exception"] as? [String: Any]
            let cls = exception?["class"] as? String
            #expect(status == "failed" && cls == "ValueError", "\(role): \(refused ?? [:])")
        }
        let laserRefusal = (samples["nodeA.cooling"]?["past_limit"] as? [String: Any])?["exception"] as? [String: Any]
        #expect((laserRefusal?["message"] as? String)?.hasPrefix("laser setpointOutOfRange: nodeA.cooling") == true)
        #expect(r["method_list_status"] as? String == "ok" && r["method_list_has_terminate"] as? Bool == true)
        // The killed clients left it serving; terminate() answered, then the server ended.
        #expect(r["ping_after_killed_clients"] as? Bool == true)
        #expect((r["terminate"] as? [String: Any])?["status"] as? String == "ok")
        let status = try await CLI.exitStatus(of: controller, within: 30)
        #expect(status == 0)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("terminate() called") && log.contains("device=nodeA.cooling") && log.contains("emission off"), "\(log)")
    }

    /// A converting lab's ovens are controllers too (docs/labs/telecom-10km.yaml, simulated): setpoint, temperature and
    /// heater, and a setpoint past the stage's `max_setpoint_c` refused with ValueError.
    @Test func theConverterOvensAreControllers() async throws {
        let lab = CLI.repo.appendingPathComponent("docs/labs/telecom-10km.yaml")
        let (controller, out, _) = try CLI.start(CLI.ionlink, ["controller", "--config", lab.path, "--port", "0"])
        defer { if controller.isRunning { controller.terminate() } }
        let banner = await CLI.readUntil("pc_rpc on", from: out)
        let port = try #require(banner.split(separator: ":").dropFirst().first.flatMap { Int($0) }, "printed: \(banner)")
        let r = try await CLI.python("python/pc_rpc_checks.py", ["127.0.0.1", "\(port)"])
        let targets = try #require(r["targets"] as? [String])
        #expect(targets.contains("nodeA.converter_oven") && targets.contains("nodeB.converter_oven"), "\(targets)")
        let calls = try #require(r["calls"] as? [String: [String: String]])
        let samples = try #require(r["samples"] as? [String: [String: Any]])
        for role in ["nodeA.converter_oven", "nodeB.converter_oven"] {
            #expect((r["unexercised"] as? [String: [String]])?[role] == [], "\(role)")
            #expect(calls[role]?.values.allSatisfy { $0 == "ok" } == true, "\(role): \(calls[role] ?? [:])")
            #expect(abs((samples[role]?["setpoint_c"] as? Double ?? 0) - 84.2) < 1e-9 && samples[role]?["output_on"] as? Bool == true)
            let limit = samples[role]?["setpoint_limit_c"] as? [Double]
            #expect(limit.map { abs($0[0] - 20) < 1e-9 && abs($0[1] - 120) < 1e-9 } == true, "\(limit ?? [])")
            let refused = samples[role]?["past_limit"] as? [String: Any], exception = refused?["exception"] as? [String: Any]
            #expect(exception?["class"] as? String == "ValueError", "\(refused ?? [:])")
            #expect((exception?["message"] as? String)?.hasPrefix("temperature setpointOutOfRange: \(role)") == true)
        }
    }

    /// The device_db entries, read by Python as ARTIQ reads device_db.py: one per role, the first with the
    /// command the controller manager runs ({bind} and {port} left for it).
    @Test func printsTheARTIQDeviceDB() async throws {
        let r = try await CLI.ionlink(["controller", "--print-device-db", "--port", "3281", "--bind", "::1"])
        try #require(r.status == 0, "\(r.stderr)")
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("device_db.py")
        try ("device_db = {}\n" + r.stdout).write(to: db, atomically: true, encoding: .utf8)
        let script = """
            import json, runpy, shlex, sys
            db = runpy.run_path(sys.argv[1])["device_db"]
            command = [e["command"] for e in db.values() if "command" in e]
            print(json.dumps({"db": db, "commands": len(command),
                              "argv": shlex.split(command[0].format(bind="::1", port=3281)) if command else []}))
            """
        let py = try await CLI.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, db.path])
        try #require(py.status == 0, "\(py.stderr)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(py.stdout.utf8)) as? [String: Any])
        let entries = try #require(parsed["db"] as? [String: [String: Any]])
        #expect(entries.count == 12)   // the default lab: four detectors (polarization), pulses, tagger, and three roles per node
        let cooling = try #require(entries["ionlink_nodeA_cooling"])
        #expect(cooling["type"] as? String == "controller" && cooling["host"] as? String == "::1" && cooling["port"] as? Int == 3281)
        #expect(cooling["target"] as? String == "nodeA.cooling")
        #expect(parsed["commands"] as? Int == 1)
        let argv = try #require(parsed["argv"] as? [String])
        #expect(argv.first.map { FileManager.default.isExecutableFile(atPath: $0) } == true)
        #expect(Array(argv.dropFirst()) == ["controller", "--seed", "1", "--bind", "::1", "--port", "3281"])
    }

    @Test(arguments: [["--port", "70000"], ["--print-device-db", "--port", "0"], ["--config", "/nonexistent/lab.yaml", "--print-device-db"]])
    func badInputExitsTwo(arguments: [String]) async throws {
        let r = try await CLI.ionlink(["controller"] + arguments)
        #expect(r.status == 2, "\(r.stderr)")
    }
}
