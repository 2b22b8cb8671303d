import Testing
@testable import IonLink

/// A lab YAML (or fault plan, tokens file) cannot stall or bloat a run: the document has a size cap, keys
/// are looked up by index (a file of many keys reads in linear time), and strings have a length cap.
@Suite struct ConfigBoundsTests {
    let species = ["Yb171", "Ba138", "Sr88", "Ca40", "Ca40-393"]

    /// 25 000 unknown keys after a whole lab (as many as the size cap lets in): the first unknown one is named,
    /// with its line. (With a linear scan per key, as before, this took seconds; the time is measured by a
    /// command, not by this test.) 100 000 keys are past the cap, and refused unparsed.
    @Test func manyUnknownKeysAreRefusedNamingTheFirst() throws {
        let lab = try LabConfig.defaultYAML()
        let lines = lab.split(separator: "\n", omittingEmptySubsequences: false).count
        let hundredThousand = lab + (0..<100_000).map { "k\($0): 1\n" }.joined()
        #expect(throws: ConfigError.tooLarge(bytes: hundredThousand.utf8.count, limit: ConfigSection.maxDocumentBytes)) {
            try LabConfig.parse(yaml: hundredThousand, speciesKeys: species)
        }
        let extra = (0..<25_000).map { "k\($0): 1" }.joined(separator: "\n")
        let text = lab.hasSuffix("\n") ? lab + extra : lab + "\n" + extra
        #expect(text.utf8.count <= ConfigSection.maxDocumentBytes)
        #expect(throws: ConfigError.unknownKey(path: "k0", line: lines + (lab.hasSuffix("\n") ? 0 : 1))) {
            try LabConfig.parse(yaml: text, speciesKeys: species)
        }
    }

    /// A key given twice is refused (by the YAML parser, naming it), however many keys there are.
    @Test func aDuplicateKeyIsNamed() throws {
        let text = (0..<20_000).map { "k\($0): 1" }.joined(separator: "\n") + "\nk123: 2\n"
        let error = #expect(throws: ConfigError.self) { try LabConfig.parse(yaml: text, speciesKeys: species) }
        #expect(error?.description.contains("duplicated key(s): 'k123'") == true, "\(String(describing: error))")
    }

    /// A document past 256 KiB is refused with its size before it is parsed (it need not even be YAML).
    @Test func aDocumentPastTheCapIsRefusedUnread() throws {
        let text = "name: " + String(repeating: "a", count: 50 << 20)
        #expect(throws: ConfigError.tooLarge(bytes: text.utf8.count, limit: ConfigSection.maxDocumentBytes)) {
            try LabConfig.parse(yaml: text, speciesKeys: species)
        }
        let cap = ConfigSection.maxDocumentBytes
        #expect(throws: FaultPlanError(problem: .tooLarge(bytes: text.utf8.count, limit: cap))) { try FaultPlan.parse(yaml: text) }
        let broken = String(repeating: "[", count: 2 << 20)
        #expect(throws: ConfigError.tooLarge(bytes: 2 << 20, limit: ConfigSection.maxDocumentBytes)) { try ConfigSection.root(yaml: broken) }
    }

    /// A string value past 4096 characters (here the lab's name) is out of range, with its key and line.
    @Test func aLongStringIsOutOfRange() throws {
        let lab = try LabConfig.defaultYAML()
        let range = try #require(lab.range(of: "name: "))
        let line = lab[..<range.lowerBound].filter { $0 == "\n" }.count + 1
        let end = try #require(lab[range.upperBound...].firstIndex(of: "\n"))
        let text = lab.replacingCharacters(in: range.lowerBound..<end, with: "name: " + String(repeating: "n", count: 5000))
        #expect(throws: ConfigError.outOfRange(path: "name", value: "a string of 5000 characters", allowed: "at most 4096", line: line)) {
            try LabConfig.parse(yaml: text, speciesKeys: species)
        }
        let fine = lab.replacingCharacters(in: range.lowerBound..<end, with: "name: " + String(repeating: "n", count: 4096))
        #expect(try LabConfig.parse(yaml: fine, speciesKeys: species).name.count == 4096)
    }
}
