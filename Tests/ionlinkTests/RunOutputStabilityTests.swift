import Foundation
import Testing

/// `ionlink run --json` on the default lab with seed 1 is pinned, key for key and bit for bit, to a
/// stored copy: a restructure of how a lab is assembled and run must not change a run's result.
/// (Regenerate the copy only for a deliberate change of the physics or the protocol, and say so.)
@Suite struct RunOutputStabilityTests {
    static let stored = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/default-run-seed1.json")

    @Test func defaultRunJSONIsUnchanged() async throws {
        let r = try await CLI.ionlink(["run", "--seed", "1", "--json", "--no-record"])
        try #require(r.status == 0, "\(r.stderr)")
        let now = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let then = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.stored)) as? [String: Any])
        #expect(Set(now.keys) == Set(then.keys), "keys added: \(Set(now.keys).subtracting(then.keys)), gone: \(Set(then.keys).subtracting(now.keys))")
        for key in then.keys.sorted() {
            #expect(Self.same(now[key], then[key]), "\(key): now \(String(describing: now[key])), stored \(String(describing: then[key]))")
        }
    }

    /// JSON values equal in kind and value (numbers exactly, objects key for key).
    static func same(_ a: Any?, _ b: Any?) -> Bool {
        switch (a, b) {
        case (nil, nil), (is NSNull, is NSNull): return true
        case let (x as [String: Any], y as [String: Any]):
            return Set(x.keys) == Set(y.keys) && x.keys.allSatisfy { same(x[$0], y[$0]) }
        case let (x as [Any], y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (x as String, y as String): return x == y
        case let (x as NSNumber, y as NSNumber): return x == y
        default: return false
        }
    }
}
