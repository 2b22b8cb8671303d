import Foundation
import Testing
import IonLinkAssembly

/// docs/interop.md's table (model × public client → what runs) stays the suite's own account: every row names a test
/// that exists in this tree and client pins that the test command installs, and every emulated model of the catalog
/// has at least two rows with different clients.
@Suite struct InteropTableTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Row { var model: String, pins: [String], suite: String, test: String }

    /// The rows of the "Run by the suite" table.
    static func rows() throws -> [Row] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/interop.md"), encoding: .utf8)
        let table = text.components(separatedBy: "## Run by the suite")[1].components(separatedBy: "\n\n")[1]
        let pin = /`([A-Za-z0-9_.\-]+==[0-9.]+)`/, test = /`(\w+)\.(\w+)`/
        return table.split(separator: "\n").dropFirst(2).compactMap { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, let t = cells[2].firstMatch(of: test) else { return nil }
            return Row(model: cells[0], pins: cells[1].matches(of: pin).map { String($0.1) }, suite: String(t.1), test: String(t.2))
        }
    }

    /// Every Swift source under Tests/, concatenated.
    static func testSources() throws -> String {
        let files = FileManager.default.enumerator(at: root.appendingPathComponent("Tests"), includingPropertiesForKeys: nil)!
        return try files.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
            .map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
    }

    @Test func everyRowNamesATestThatExistsAndPinsThatAreInstalled() throws {
        let rows = try Self.rows()
        #expect(rows.count >= 24, "\(rows.count) rows")
        let sources = try Self.testSources()
        let requirements = try ["Tests/requirements.txt", "Tests/requirements-nodeps.txt"]
            .map { try String(contentsOf: Self.root.appendingPathComponent($0), encoding: .utf8) }.joined(separator: "\n")
        let installed = Set(requirements.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        for row in rows {
            let hasTest = sources.contains("func \(row.test)(")
            let hasSuite = sources.contains(try Regex("(struct|extension) [\\w.]*\\b\(row.suite)\\b"))
            #expect(hasTest, "\(row.model): no test \(row.test)")
            #expect(hasSuite, "\(row.model): no suite \(row.suite)")
            #expect(!row.pins.isEmpty, "\(row.model): the client's pin")
            for p in row.pins where !installed.contains(p) { Issue.record("\(row.model): \(p) is not in Tests/requirements*.txt") }
        }
    }

    /// The table's model names for the catalog's emulated models.
    static let modelNames = ["obis": "Coherent OBIS", "cobolt": "Cobolt 06-01", "ibeam": "Toptica iBeam smart", "itc4001": "Thorlabs ITC4001",
                             "stahl": "Stahl BS", "synthhd": "Windfreak SynthHD", "dsg800": "Rigol DSG800", "sim900": "SRS SIM900",
                             "tdc1": "S-Fifteen TDC1", "dg645": "SRS DG645", "qc9520": "Quantum Composers 9520", "tc200": "Thorlabs TC200"]

    @Test func everyEmulatedModelHasTwoClients() throws {
        let rows = try Self.rows()
        let emulated = InstrumentCatalog.standard.models.filter { $0.emulator != nil }.map(\.name)
        #expect(Set(emulated) == Set(Self.modelNames.keys), "a model added to the catalog needs its interop rows")
        for name in emulated {
            let clients = Set(rows.filter { $0.model.hasPrefix(Self.modelNames[name] ?? name) }.map(\.pins))
            #expect(clients.count >= 2, "\(name): \(clients.count) clients in docs/interop.md")
        }
    }
}
