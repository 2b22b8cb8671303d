import Foundation
import Testing
@testable import IonLinkController

/// PYON v2 as sipyco writes it (`pyon.py`): plain JSON for JSON's types, `__jsonclass__` for the rest.
struct PyonValueTests {
    /// Lines as sipyco's encoder writes them (separators `,` and `:`), read and written back byte for byte.
    @Test(arguments: [
        #"{"action":"call","name":"set_delay","args":{"__jsonclass__":["tuple",[[2,1.5e-06]]]},"kwargs":{}}"#,
        #"{"__jsonclass__":["set",[["ping","terminate"]]]}"#,
        #"{"__jsonclass__":["dict",[[[1,"a"],[2,"b"]]]]}"#,
        #"{"__jsonclass__":["bytes",["AAEC/w=="]]}"#,
        #"[null,true,false,0,-7,9007199254740993,0.1,1e+16,"ab\nx\"'\\"]"#,
    ])
    func sipycoLinesRoundTrip(line: String) throws {
        let value = try PyonValue(json: line)
        let back = try PyonValue(json: value.json())
        #expect(back == value)
    }

    @Test func typesStayApart() throws {
        let v = try PyonValue(json: #"[1, 1.0, true, "1", null, {"__jsonclass__": ["tuple", [[]]]}]"#)
        #expect(v == .list([.int(1), .float(1), .bool(true), .string("1"), .none, .tuple([])]))
        #expect(try PyonValue(json: #"{"__jsonclass__":["tuple",[[2,1.5e-06]]]}"#) == .tuple([.int(2), .float(1.5e-6)]))
        #expect(try PyonValue(json: #"{"__jsonclass__":["bytes",["AAEC/w=="]]}"#) == .bytes([0, 1, 2, 255]))
        // Python's json writes non-finite floats this way.
        let nonFinite = try PyonValue(json: "[NaN, Infinity, -Infinity]").elements?.map { if case let .float(d) = $0 { d.isFinite } else { true } }
        #expect(nonFinite == [false, false, false])
    }

    @Test func writesOnlyASCIIAndTheClassesSipycoReads() {
        #expect(PyonValue.string("µ\u{1F600}\t").json() == #""\u00b5\ud83d\ude00\t""#)
        #expect(PyonValue.set([.string("a")]).json() == #"{"__jsonclass__":["set",[["a"]]]}"#)
        #expect(PyonValue.dict([.init(.int(1), .none)]).json() == #"{"__jsonclass__":["dict",[[[1,null]]]]}"#)
        #expect(PyonValue.object(["b": .int(1), "a": .float(0.5)]).json() == #"{"b":1,"a":0.5}"#)
        #expect(PyonValue.float(.infinity).json() == "Infinity")
    }

    @Test(arguments: ["", "{", "[1,]x", #"{"__jsonclass__":["nparray",[[1],"<f8","AAAA"]]}"#, #"{"__jsonclass__":"tuple"}"#,
                      #"{"__jsonclass__":["bytes",["***"]]}"#, String(repeating: "[", count: 100_000), "-", "99999999999999999999", "1e400",
                      "[1 2]", #"{"a" 1}"#, "\"a raw tab\u{09}in a string\""])
    func refusesWhatIsNotPyon(line: String) {
        #expect(throws: PyonDecodingError.self) { try PyonValue(json: line) }
    }

    /// Checked against Python's own json module: what it writes for the same values is what PyonValue reads.
    @Test func readsWhatPythonWrites() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = #"import json; print(json.dumps([1.5e-06, 2**62, -0.0, "é", float("nan"), [True, None]], separators=(",", ":")))"#
        p.arguments = ["python3", "-c", script]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let line = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .newlines)
        let v = try PyonValue(json: line)
        guard case let .list(items) = v, items.count == 6, case let .float(nan) = items[4] else { Issue.record("read \(v)"); return }
        #expect(items[0] == .float(1.5e-6) && items[1] == .int(1 << 62) && items[3] == .string("é") && nan.isNaN)
        #expect(items[5] == .list([.bool(true), .none]))
    }
}
