import Foundation
import Testing

/// `pip install ./Clients/python` into a fresh venv, then a lab script (Tests/python/package_checks.py) that
/// imports the installed `ionlink`, starts a run on a served node, streams its heralds and opens its record.
@Suite(.serialized) struct PythonPackageTests {
    @Test func theInstalledPackageRunsAServedNodeAndOpensTheRecord() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let venv = dir.appendingPathComponent("venv")
        let made = try await CLI.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-m", "venv", venv.path])
        try #require(made.status == 0, "\(made.stderr)")
        let python = venv.appendingPathComponent("bin/python")
        let package = CLI.repo.appendingPathComponent("Clients/python").path
        let pip = try await CLI.run(python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", package], in: dir)
        try #require(pip.status == 0, "pip install ./Clients/python: \(pip.stderr)")

        let tokens = TestTokens()
        try tokens.write(to: dir)
        let node = try await ServedNode.start(["--tokens", "tokens.yaml", "--seed", "5", "--records", "records"], in: dir)
        defer { node.stop() }
        let r = try await CLI.run(python, [CLI.repo.appendingPathComponent("Tests/python/package_checks.py").path, node.address, "control.token"],
                                  in: dir)
        try #require(r.status == 0, "\(r.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        // The package came from the venv, not from the repository's folder.
        #expect((out["module"] as? String)?.hasPrefix(venv.path) == true, "\(out["module"] ?? "")")
        #expect(out["principal"] as? String == "alice")
        #expect(out["streamed_heralds"] as? Int == 150 && out["summary_heralds"] as? Int == 150)
        #expect(out["herald_times_increase"] as? Bool == true && out["finished"] as? Bool == true)
        #expect(out["bases"] as? [String] == ["X", "Y", "Z"])
        // The record the node wrote: where the updates said, complete, the same heralds as streamed.
        let record = try #require(out["record"] as? String)
        #expect(record.hasPrefix(dir.appendingPathComponent("records").standardizedFileURL.path) && record.hasSuffix("-1-seed5.h5"), "\(record)")
        #expect(out["record_format"] as? String == "ionlink-run/2" && out["record_finished"] as? Bool == true)
        #expect(out["record_heralds"] as? Int == 150)
        #expect(out["record_attempts_match"] as? Bool == true && out["record_lab_times_match"] as? Bool == true)
        #expect(out["record_last_block_attempts"] as? Int == out["summary_attempts"] as? Int)
        #expect(out["record_config_has_nodes"] as? Bool == true && out["record_seed"] as? Int == 5)
        #expect((out["record_herald_fields"] as? [String])?.contains("eigenvalue_a") == true)
        // Typed errors: the node's fault trailer as SetpointOutOfRange (a ValueError), a wrong token as Unauthenticated.
        #expect(out["past_limit"] as? String == "SetpointOutOfRange" && out["past_limit_is_value_error"] as? Bool == true)
        let fault = try #require(out["past_limit_fault"] as? [String: Any])
        #expect(fault["domain"] as? String == "laser" && fault["kind"] as? String == "setpointOutOfRange")
        #expect(fault["device"] as? String == "nodeA.excitation")
        #expect(out["wrong_token"] as? String == "UNAUTHENTICATED")
        #expect((out["not_a_record"] as? String)?.contains("not an HDF5 file") == true)

        // docs/examples/lab_notebook.py, as docs/python.md runs it, in the same venv.
        let script = CLI.repo.appendingPathComponent("docs/examples/lab_notebook.py").path
        let notebook = try await CLI.run(python, [script, node.address, "control.token"], in: dir)
        try #require(notebook.status == 0, "\(notebook.stderr)")
        let lines = notebook.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("run 2: 200 heralds in ") }, "\(notebook.stdout)")
        #expect(lines.contains { $0.hasPrefix("P(success) ") && $0.contains("from the record") })
        #expect(lines.contains { $0.hasPrefix("fidelity 0.") }, "\(notebook.stdout)")
        #expect(lines.contains { $0.hasPrefix("refused: nodeA.excitation setpointOutOfRange") })
    }
}
