import Testing
@testable import IonLink

@Suite struct LabConfigTests {
    let species = ["Yb171", "Ba138", "Sr88", "Ca40", "Ca40-393"]

    func defaultText() throws -> String { try LabConfig.defaultYAML() }

    @Test func defaultLabParses() throws {
        let c = try LabConfig.parse(yaml: defaultText(), speciesKeys: species)
        #expect(c.nodes.count == 2)
        #expect(c.nodes[0].species == "Ba138")
        #expect(c.encoding == .polarization)
        #expect(c.hub.channels == [0, 1, 2, 3])
        #expect(c.nodes[1].photonArrivalOffset == .picoseconds(150))
        #expect(c.timing.effectiveAttemptsPerCool == 2000)
        #expect(c.nodes[0].excitation.maxPower == .milliwatts(10))
    }

    /// Replaces the first occurrence of `old` and returns the text and the 1-based line it is on.
    func edit(_ text: String, _ old: String, _ new: String) throws -> (String, Int) {
        let range = try #require(text.range(of: old))
        let line = text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
        return (text.replacingCharacters(in: range, with: new), line)
    }

    @Test func unknownKeyNamesKeyAndLine() throws {
        let (text, line) = try edit(defaultText(), "    objective_na: 0.8\n", "    objective_nax: 0.8\n")
        do {
            _ = try LabConfig.parse(yaml: text, speciesKeys: species)
            Issue.record("a misspelt key was accepted")
        } catch let ConfigError.misspeltKey(path, meant, l) {
            // The slip is named where it is, with what it was meant to be (not "missing key objective_na").
            #expect(path == "nodes.A.objective_nax" && meant == "objective_na")
            #expect(l == line)
        }
        let (text2, _) = try edit(defaultText(), "    objective_na: 0.8\n", "    objective_na: 0.8\n    colour: blue\n")
        #expect(throws: ConfigError.unknownKey(path: "nodes.A.colour", line: line + 1)) {
            try LabConfig.parse(yaml: text2, speciesKeys: species)
        }
    }

    @Test func wrongTypeNamesKeyAndLine() throws {
        let (text, line) = try edit(defaultText(), "fiber_length_m: 5", "fiber_length_m: five")
        #expect(throws: ConfigError.wrongType(path: "nodes.A.fiber_length_m", expected: "a number", found: "five", line: line)) {
            try LabConfig.parse(yaml: text, speciesKeys: species)
        }
        let (quoted, qline) = try edit(defaultText(), "electrodes: 12", "electrodes: \"12\"")
        #expect(throws: ConfigError.wrongType(path: "nodes.A.trap.electrodes", expected: "a whole number", found: "12", line: qline)) {
            try LabConfig.parse(yaml: quoted, speciesKeys: species)
        }
    }

    @Test func outOfRangeNamesKeyAndLine() throws {
        let (text, line) = try edit(defaultText(), "efficiency: 0.7", "efficiency: 1.7")
        #expect(throws: ConfigError.outOfRange(path: "hub.detector.efficiency", value: "1.7", allowed: "0.0...1.0", line: line)) {
            try LabConfig.parse(yaml: text, speciesKeys: species)
        }
        let (sp, sline) = try edit(defaultText(), "species: Ba138", "species: Be9")
        #expect(throws: ConfigError.outOfRange(path: "nodes.A.species", value: "Be9", allowed: species.joined(separator: " | "), line: sline)) {
            try LabConfig.parse(yaml: sp, speciesKeys: species)
        }
        let (pw, pline) = try edit(defaultText(), "power_mw: 2, max_power_mw: 10", "power_mw: 20, max_power_mw: 10")
        do {
            _ = try LabConfig.parse(yaml: pw, speciesKeys: species)
            Issue.record("a setpoint above its limit was accepted")
        } catch let ConfigError.outOfRange(path, _, _, l) {
            #expect(path == "nodes.A.lasers.excitation.power_mw")
            #expect(l == pline)
        }
    }

    @Test func syntaxErrorsAreTyped() {
        #expect(throws: ConfigError.self) { try LabConfig.parse(yaml: "name: [unclosed", speciesKeys: species) }
        #expect(throws: ConfigError.self) { try LabConfig.parse(yaml: "", speciesKeys: species) }
        #expect(throws: ConfigError.self) { try LabConfig.parse(yaml: "- a\n- b\n", speciesKeys: species) }
    }

    @Test func timeBinNeedsTwoDetectors() throws {
        let (text, _) = try edit(defaultText(), "encoding: polarization", "encoding: time-bin")
        #expect(throws: ConfigError.self) { try LabConfig.parse(yaml: text, speciesKeys: species) }
        let (tb, _) = try edit(text, "channels: { c0: 0, c1: 1, d0: 2, d1: 3 }", "channels: { c0: 0, c1: 0, d0: 1, d1: 1 }")
        let c = try LabConfig.parse(yaml: tb, speciesKeys: species)
        #expect(c.encoding == .timeBin)
    }
}
