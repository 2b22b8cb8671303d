import Foundation
import Testing

/// `ionlink report`: the HTML page rendered by headless Chromium (Debian's `chromium`), whose own layout
/// engine must draw every plot; a screenshot is kept under `.build/test-artifacts/`.
@Suite(.serialized) struct ReportTests {
    static let chromium = URL(fileURLWithPath: "/usr/bin/chromium")
    static let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"]

    @Test func chromiumDrawsEveryPlot() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let record = dir.appendingPathComponent("run.h5").path, html = dir.appendingPathComponent("report.html")
        let run = try await CLI.ionlink(["run", "--duration", "20s", "--record", record, "--record-tags"])
        try #require(run.status == 0, "\(run.stderr)")
        let report = try await CLI.ionlink(["report", record, "-o", html.path])
        try #require(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(!page.contains("src=\"http") && !page.contains("href=\"http"), "self-contained: nothing fetched")
        let printed = run.stdout.split(separator: "\n").filter { $0.hasPrefix("heralds ") || $0.hasPrefix("P(success) ") }
        #expect(printed.count == 2 && printed.allSatisfy { page.contains($0) }, "the run's own summary, as printed")
        // The fidelity is compared with what the model says a run measures (after the ions' readout
        // errors: 0.9698 for the default lab), not with the state's fidelity before readout (0.9844).
        #expect(page.contains("model 0.9698 as measured (0.9844 before readout)") && page.contains("model fidelity, as measured"))

        try #require(FileManager.default.isExecutableFile(atPath: Self.chromium.path), "apt-get install chromium")
        let dom = try await CLI.run(Self.chromium, Self.flags + ["--virtual-time-budget=3000", "--dump-dom", html.absoluteString])
        try #require(dom.status == 0, "\(dom.stderr)")
        func attribute(_ name: String) -> Int? {
            guard let r = dom.stdout.range(of: "\(name)=\"") else { return nil }
            return Int(dom.stdout[r.upperBound...].prefix { $0.isNumber })
        }
        #expect(attribute("data-plots") == 5, "rate, P(success), fidelity, click times, g²")
        let series = try #require(attribute("data-series-paths"))
        #expect(series >= 5 + 3, "at least one series per plot plus the fidelity error bars")
        #expect(attribute("data-drawn-paths") == series, "every series path has a non-empty box in Chromium's layout")
        for label in ["lab time (s)", "heralds per second", "P(success)", "aligned parity / fidelity", "time after sync (ns)",
                      "g²(τ)", "XX", "YY", "ZZ"] {
            #expect(dom.stdout.contains(label), "axis label \(label)")
        }

        let artifacts = CLI.repo.appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let shot = artifacts.appendingPathComponent("report-screenshot.png")
        try? FileManager.default.removeItem(at: shot)
        let png = try await CLI.run(Self.chromium, Self.flags + ["--window-size=1400,1700", "--screenshot=\(shot.path)", html.absoluteString])
        #expect(png.status == 0)
        let bytes = try Data(contentsOf: shot)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) && bytes.count > 20_000, "a PNG with something drawn on it")
    }

    @Test func badRecordsAreRefusedAndNothingIsWritten() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("report.html")
        let missing = try await CLI.ionlink(["report", dir.appendingPathComponent("nope.h5").path, "-o", out.path])
        #expect(missing.status == 2 && missing.stderr.contains("no such file"))
        let text = dir.appendingPathComponent("x.h5")
        try Data("hello".utf8).write(to: text)
        let foreign = try await CLI.ionlink(["report", text.path, "-o", out.path])
        #expect(foreign.status == 2 && foreign.stderr.contains("not an HDF5 file"))
        let good = dir.appendingPathComponent("good.h5")
        _ = try await CLI.ionlink(["run", "--duration", "1s", "--record", good.path])
        let bytes = try Data(contentsOf: good)
        let cut = dir.appendingPathComponent("cut.h5")
        try bytes.prefix(bytes.count / 3).write(to: cut)
        let truncated = try await CLI.ionlink(["report", cut.path, "-o", out.path])
        #expect(truncated.status == 2 && truncated.stderr.contains(cut.path))
        #expect(!FileManager.default.fileExists(atPath: out.path), "no report from a bad record")
        #expect(try Data(contentsOf: cut) == bytes.prefix(bytes.count / 3))
    }
}
