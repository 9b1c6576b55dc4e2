import Foundation
import Testing
import HoneReport
import HoneTune

/// Headless Chromium, if this machine has it (`make test` installs it where it can).
enum Chromium {
  static let path: String? = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"].lazy.compactMap { name in
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
      .first { FileManager.default.isExecutableFile(atPath: $0) }
  }.first

  /// Runs Chromium headless on a file with extra arguments; returns its stdout.
  static func run(_ arguments: [String], page: URL) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path!)
    // No background services and no name resolution: the page is a local file, and nothing else is fetched.
    process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(page.deletingLastPathComponent().path)/profile",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pings",
                         "--host-resolver-rules=MAP * ~NOTFOUND"]
      + arguments + [page.absoluteString]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    // A browser that hangs is ended after a minute (the test then fails on its output).
    let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    watchdog.cancel()
    return data
  }
}

@Suite(.enabled(if: Chromium.path != nil, "no Chromium on this machine (apt-get install chromium): the report is not rendered"))
struct ReportRenderingTests {
  @Test func rendersEveryPlotAndIsNotBlank() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let page = folder.appendingPathComponent("report.html")
    try StudyReport(study: await ReportFixtures.tuningStudy()).write(to: page.path)

    let dom = String(decoding: try Chromium.run(["--dump-dom"], page: page), as: UTF8.self)
    for id in ["history", "intermediate-values", "parallel-coordinates", "importance", "slices"] {
      let section = try #require(dom.range(of: "<section id=\"\(id)\">"), "\(id) is in the rendered page")
      #expect(dom[section.upperBound...].prefix(400).contains("<svg"), "\(id) holds a plot")
    }

    let screenshot = folder.appendingPathComponent("report.png")
    _ = try Chromium.run(["--window-size=1200,2600", "--screenshot=\(screenshot.path)"], page: page)
    let image = try PNGImage(data: Data(contentsOf: screenshot))
    let (width, height, ink, colors) = (image.width, image.height, image.inkFraction, image.colorCount)
    #expect(width == 1200 && height == 2600)
    #expect(ink > 0.02, "the page is not blank")
    #expect(colors > 50, "plots in several colors")
    // The history plot's dots (blue) and best-so-far line (orange) are drawn.
    let blue = image.contains { r, g, b in b > 150 && b > r + 60 && g > r + 30 }
    let orange = image.contains { r, g, b in r > 220 && g > 100 && g < 160 && b < 60 }
    #expect(blue, "blue trial dots are drawn")
    #expect(orange, "the orange best-so-far line is drawn")
  }
}

extension PNGImage {
  /// True when some pixel's (red, green, blue) satisfies `test`.
  func contains(where test: (Int, Int, Int) -> Bool) -> Bool {
    Swift.stride(from: 0, to: pixels.count, by: channels).contains { test(Int(pixels[$0]), Int(pixels[$0 + 1]), Int(pixels[$0 + 2])) }
  }
}
