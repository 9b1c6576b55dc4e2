import Foundation
import Testing
@testable import HoneCLIKit

/// The fuzz corpus (`Fuzz/corpus/<target>/`: seeds, inputs libFuzzer found interesting, and
/// every input that once crashed) replayed through the normal build: each must return.
@Suite struct FuzzCorpusTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

  @Test(arguments: FuzzTarget.allCases)
  func corpusReplays(target: FuzzTarget) throws {
    let folder = Self.corpus.appendingPathComponent(target.rawValue)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(!files.isEmpty, "no corpus for \(target.rawValue)")
    for file in files { target.run(try Data(contentsOf: folder.appendingPathComponent(file))) }
  }
}
