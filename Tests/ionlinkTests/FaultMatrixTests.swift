import Foundation
import Testing
import IonLink

/// `ionlink fault-matrix` end to end: every fault of the plan vocabulary injected into a real run (child
/// processes writing HDF5 records, one killed with SIGKILL and resumed) is recovered from, with no herald
/// lost or counted twice; and the plan's own errors name the key and line.
@Suite struct FaultMatrixTests {
    @Test func everyFaultIsRecoveredWithNoHeraldLostOrCountedTwice() async throws {
        let out = try await CLI.ionlink(["fault-matrix", "--duration", "60s", "--at", "20s", "--seed", "4", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["fault"] as? String }) == Set(FaultKind.allCases.map(\.rawValue)))
        for row in rows {
            let name = row["fault"] as? String ?? "?"
            #expect(row["recovered"] as? Bool == true, "\(name): \(row["note"] ?? "")")
            #expect(row["heralds_lost"] as? Int == 0, "\(name)")
            #expect(row["counted_twice"] as? Int == 0, "\(name)")
            #expect((row["time_lost_s"] as? Double ?? -1) > 0, "\(name): a fault costs lab time")
            #expect(abs(row["p_deviation_sigma"] as? Double ?? 99) < 4, "\(name): P stays the model's")
        }
    }

    /// The fault matrix in docs/faults.md is the command's table: its header and one row per fault kind.
    @Test func readmeCarriesTheMatrixTable() async throws {
        let page = try String(contentsOf: CLI.repo.appendingPathComponent("docs").appendingPathComponent("faults.md"), encoding: .utf8)
        let section = try #require(page.components(separatedBy: "## Faults and recovery").dropFirst().first?
            .components(separatedBy: "\n## ").first)
        #expect(section.contains("| fault | device | recovered | lab time lost (s) | heralds lost | counted twice | P / P_model (σ) |"))
        for kind in FaultKind.allCases {
            let row = try #require(section.split(separator: "\n").first { $0.hasPrefix("| `\(kind.rawValue)` |") }, "\(kind)")
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(cells[2] == "yes" && cells[4] == "0" && cells[5] == "0", "\(row)")
        }
    }

    /// A detector that never comes back: the run gives up after the policy's 15 min of lab time, leaves
    /// the lab safe, keeps its heralds in the record and exits 1.
    @Test func anUnrecoverableFaultLeavesTheLabSafe() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = dir.appendingPathComponent("gone.yaml"), record = dir.appendingPathComponent("gone.h5")
        try "faults:\n  - { at_s: 5, device: hub.detector1, fault: disconnect, for_s: 100000 }\n"
            .write(to: plan, atomically: true, encoding: .utf8)
        let out = try await CLI.ionlink(["run", "--duration", "2000s", "--faults", plan.path, "--record", record.path, "--json"])
        #expect(out.status == 1, "\(out.stderr)")
        #expect(out.stderr.contains("safe state  nodeA.excitation: emission off"))
        #expect(out.stderr.contains("safe state  hub.detector1: disabled (bias off) FAILED"), "the gone detector cannot be reached")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect((summary["failure"] as? String)?.contains("hub.detector1: disconnected") == true)
        let heralds = try #require(summary["heralds"] as? Int)
        #expect(heralds > 0)
        let h5 = try await CLI.python("records/read_with_h5py.py", [record.path])
        #expect(
            h5["herald_rows"] as? Int == heralds && h5["heralds_in_blocks"] as? Int == heralds, "every herald before the failure is in the record")
    }

    @Test func badPlansAreRefusedWithTheKeyAndLine() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, String)] = [
            ("faults:\n  - { at_s: 1, device: hub.detector1, fault: melt }\n", "line 2: 'faults[0].fault' = melt is outside"),
            (
                "faults:\n  - { at_s: 1, device: nodeA.cooling, fault: latch }\n",
                "'faults[0].device' = nodeA.cooling is outside a device that can latch"
            ),
            ("faults:\n  - { at_s: 1, device: nodeC.trap, fault: timeout, count: 1 }\n", "'faults[0].device' = nodeC.trap"),
            ("faults:\n  - { at_s: 1, fault: kill, repeat_every_s: 5 }\n", "repeat_every_s"),
            ("faults:\n  - { at_s: 1, device: nodeA.trap, fault: timeout }\n", "missing key 'faults[0].count'"),
        ]
        for (yaml, message) in cases {
            let plan = dir.appendingPathComponent("plan.yaml")
            try yaml.write(to: plan, atomically: true, encoding: .utf8)
            let out = try await CLI.ionlink(["run", "--duration", "1s", "--no-record", "--faults", plan.path])
            #expect(out.status == 2, "\(yaml)")
            #expect(out.stderr.contains("fault plan") && out.stderr.contains(message), "\(out.stderr)")
        }
    }
}

/// `ionlink soak`, short: twenty minutes of lab time under the mixed plan (every fault but kill, the
/// hourly ones moved up by a plan of its own so each strikes at least once), memory flat, no leak.
@Suite struct SoakTests {
    @Test func shortSoakUnderEveryFaultPasses() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = dir.appendingPathComponent("mixed.yaml")
        try """
            faults:
              - { at_s: 60,  device: nodeA.cooling,    fault: timeout,    count: 3,  repeat_every_s: 600 }
              - { at_s: 120, device: nodeB.trap,       fault: garbage,    count: 2,  repeat_every_s: 600 }
              - { at_s: 180, device: hub.detector1,    fault: disconnect, for_s: 5,  repeat_every_s: 600 }
              - { at_s: 240, device: hub.detector2,    fault: latch,                 repeat_every_s: 300 }
              - { at_s: 300, device: nodeA.excitation, fault: interlock,  for_s: 30, repeat_every_s: 600 }
              - { at_s: 360, device: hub.tagger,       fault: overflow,   for_s: 2,  repeat_every_s: 600 }
              - { at_s: 420, device: nodeB.trap,       fault: ion_loss,   count: 2,  every_s: 60 }
            """.write(to: plan, atomically: true, encoding: .utf8)
        let out = try await CLI.ionlink(["soak", "--duration", "20m", "--sample-every", "240s", "--faults", plan.path, "--seed", "2"])
        #expect(out.status == 0, "\(out.stdout)\n\(out.stderr)")
        #expect(out.stdout.contains("soak passed"))
        for kind in ["timeout", "malformed_reply", "disconnected", "latch", "interlock", "overflow", "ion_loss"] {
            #expect(out.stdout.contains("\(kind) "), "\(kind) recovered: \(out.stdout)")
        }
        #expect(out.stdout.contains("no leak") && out.stdout.contains(": flat"))
    }

    @Test func theDefaultMixedPlanParses() async throws {
        let out = try await CLI.ionlink(["soak", "--print-plan"])
        let plan = try FaultPlan.parse(yaml: out.stdout)
        #expect(Set(plan.faults.map(\.kind)) == Set(FaultKind.allCases).subtracting([.kill]))
    }
}
