import Foundation
import Testing
@testable import HoneCLIKit

/// `LineSplitter`: linear work and bounded memory whatever the line lengths.
@Suite struct LineSplitterTests {
  func lines(_ chunks: [String], max: Int = 1 << 20, carriageReturn: Bool = false) -> [LineSplitter.Line] {
    var splitter = LineSplitter(maxLength: max, carriageReturnEndsLine: carriageReturn)
    var out: [LineSplitter.Line] = []
    for chunk in chunks { splitter.feed(Array(chunk.utf8)) { out.append($0) } }
    splitter.finish { out.append($0) }
    return out
  }

  @Test func splitsOnNewlinesAcrossChunks() {
    #expect(lines(["a\nb", "c\n", "\nd"]).map(\.text) == ["a", "bc", "", "d"])
    #expect(lines(["x\r\n", "y\r", "\nz"]).map(\.text) == ["x", "y", "z"], "a \\r before \\n is removed")
    #expect(lines(["p\rq\n"]).map(\.text) == ["p\rq"], "without carriageReturnEndsLine a lone \\r stays")
    #expect(lines([]).isEmpty)
  }

  @Test func carriageReturnEndsALineForProgressBars() {
    #expect(lines(["10%\r20%\r", "30%\r\nhone: value=1\n"], carriageReturn: true).map(\.text) == ["10%", "20%", "30%", "hone: value=1"])
    #expect(lines(["a\r", "\n", "b"], carriageReturn: true).map(\.text) == ["a", "b"], "\\r\\n split over two chunks is one line end")
  }

  @Test func longLinesKeepTheirStartAndCountTheRest() {
    let out = lines([String(repeating: "x", count: 10) + "\nshort\n"], max: 4)
    #expect(out == [.init(text: "xxxx", droppedBytes: 6), .init(text: "shor", droppedBytes: 1)])
  }

  /// An 8 MB line with no newline, fed in 64 KB reads (as a pipe delivers it), then a result
  /// line: every byte is examined once (the old reader rescanned its whole pending buffer
  /// after each read, 8 MB²/64 KB ≈ 1 GB of scanning), and memory stays at the cap.
  @Test func workIsLinearInTheBytesRead() {
    var splitter = LineSplitter(maxLength: 1 << 20, carriageReturnEndsLine: true)
    let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 65_536)
    var out: [LineSplitter.Line] = []
    for _ in 0..<128 { splitter.feed(chunk) { out.append($0) } }
    splitter.feed(Array("\nhone: value=0.5\n".utf8)) { out.append($0) }
    let fed = 128 * 65_536 + 17
    #expect(splitter.scannedBytes == fed, "bytes examined per byte read: \(Double(splitter.scannedBytes) / Double(fed))")
    #expect(out.count == 2)
    #expect(out[0].text.utf8.count == 1 << 20 && out[0].droppedBytes == 128 * 65_536 - (1 << 20))
    #expect(out[1].text == "hone: value=0.5")
  }

  @Test func invalidUTF8IsReplacedNotFatal() {
    var splitter = LineSplitter(maxLength: 64)
    var out: [String] = []
    splitter.feed([0xFF, 0xFE, 0x00, 0x41, 0x0A] as [UInt8]) { out.append($0.text) }
    #expect(out == ["\u{FFFD}\u{FFFD}\u{0}A"])
  }
}
