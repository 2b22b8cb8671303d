import Foundation
import Testing

/// The tree keeps its layout rules: no hand-written Swift file past 400 lines, no line past 150
/// characters (the `lineLength` of `.swift-format`). Generated code (`Generated/`) is exempt.
@Suite struct SourceLayoutTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func swiftFiles() throws -> [URL] {
        var out: [URL] = []
        for folder in ["Sources", "Drivers", "Mocks", "Tests", "Fuzz/Sources", "Benchmarks"] {
            guard let walk = FileManager.default.enumerator(at: repo.appendingPathComponent(folder), includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in walk where url.pathExtension == "swift" && !url.path.contains("/Generated/") { out.append(url) }
        }
        return out
    }

    @Test func filesAndLinesStayShort() throws {
        let files = try Self.swiftFiles()
        #expect(files.count > 100, "the walk found the tree")
        let config = try String(contentsOf: Self.repo.appendingPathComponent(".swift-format"), encoding: .utf8)
        #expect(config.contains("\"lineLength\": 150"))
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            let name = file.path.replacingOccurrences(of: Self.repo.path + "/", with: "")
            #expect(lines.count <= 401, "\(name) has \(lines.count) lines; split it")
            for (i, line) in lines.enumerated() where line.count > 150 {
                Issue.record("\(name):\(i + 1) is \(line.count) characters")
            }
        }
    }
}
