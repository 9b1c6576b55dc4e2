import Foundation
import Testing

/// `hone nas darts | train | latency`, and the computed objectives of `hone nas search`.
@Suite struct NASDartsCommandTests {
  private func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test func dartsSearchesRetrainsAndReports() throws {
    let hone = try CLIRunner()
    try Self.writeImages(to: hone.folder.appendingPathComponent("images.csv"))
    let small = ["--data", "images.csv", "--channels", "2", "--cells", "1", "--epochs", "2", "--retrain-epochs", "1", "--json"]
    let first = try hone.run(["nas", "darts"] + small)
    #expect(first.status == 0, "\(first.stderr)")
    let result = try json(first.stdout)
    let cell = try #require(result["cell"] as? String)
    #expect(cell.split(separator: "|").filter { $0.contains("~") }.count == 6 && !cell.contains("none"))
    let weights = try #require(result["weights"] as? [[Double]])
    #expect(weights.count == 6 && weights.allSatisfy { $0.count == 5 && Swift.abs($0.reduce(0, +) - 1) < 1e-5 })
    let search = try #require(result["search"] as? [String: Any])
    let retrained = try #require(result["retrained"] as? [String: Any])
    let (searchCompute, retrainCompute) = (try #require(search["multiply_accumulates"] as? Double), try #require(retrained["multiply_accumulates"] as? Double))
    #expect(result["multiply_accumulates"] as? Double == searchCompute + retrainCompute)
    #expect((0...1).contains(try #require(retrained["test_accuracy"] as? Double)))
    #expect((search["history"] as? [Any])?.count == 2)

    let sharp = try hone.run(["nas", "darts", "--sharp", "--order", "second"] + small)
    #expect(sharp.status == 0, "\(sharp.stderr)")
    let sharpResult = try json(sharp.stdout)
    #expect(sharpResult["operations"] as? [String] == ["none", "skip_connect", "avg_pool_3x3", "sep_conv_3x3", "dil_conv_3x3", "flood_conv_3x3"])
    #expect(sharpResult["max_w"] as? Bool == true && sharpResult["order"] as? String == "second")

    let trained = try hone("nas", "train", cell, "--data", "images.csv", "--channels", "2", "--cells", "1", "--retrain-epochs", "1")
    #expect(trained.status == 0, "\(trained.stderr)")
    #expect(try json(trained.stdout)["cell"] as? String == cell)
  }

  /// 150 random 4×4 images in three classes (a CSV with a label column).
  static func writeImages(to url: URL) throws {
    var rows = [(0..<16).map { "p\($0)" }.joined(separator: ",") + ",label"]
    for k in 0..<150 {
      rows.append((0..<16).map { i in String(Double((k * 31 + i * 17) % 23) / 23 + Double(k % 3) * 0.2) }.joined(separator: ",") + ",\(k % 3)")
    }
    try rows.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
  }

  @Test func dartsRefusesBadInput() throws {
    let hone = try CLIRunner()
    let base = ["nas", "darts", "--data", "digits", "--epochs", "1", "--retrain-epochs", "0"]
    for (extra, message) in [(["--order", "third"], "--order"), (["--operations", "conv"], "unknown cell operation"),
                             (["--image", "1x3x3"], "has 9 values"), (["--schedule", "step"], "--schedule"),
                             (["--operations", "none"], "at least one of them not none")] {
      let result = try hone.run(base + extra)
      #expect(result.status == 64, "\(extra): \(result.stderr)")
      #expect(result.stderr.contains(message), "\(extra): \(result.stderr)")
    }
    try "a,b,c,label\n1,2,3,0\n4,5,6,1\n".write(to: hone.folder.appendingPathComponent("wide.csv"), atomically: true, encoding: .utf8)
    let notSquare = try hone("nas", "darts", "--data", "wide.csv")
    #expect(notSquare.status == 64 && notSquare.stderr.contains("--image"), "\(notSquare.stderr)")
    let badCell = try hone("nas", "train", "|conv~0|", "--data", "digits")
    #expect(badCell.status == 64 && badCell.stderr.contains("not a cell"), "\(badCell.stderr)")
  }

  @Test func latencyMeasuresAndPredicts() throws {
    let hone = try CLIRunner()
    let result = try hone("nas", "latency", "--cell", "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|nor_conv_3x3~2|",
                          "--sample", "3", "--channels", "4", "--cells", "1", "--warmup", "1", "--repeats", "5", "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let document = try json(result.stdout)
    let cells = try #require(document["cells"] as? [[String: Any]])
    #expect(cells.count == 4)
    for cell in cells {
      #expect((cell["median_ms"] as? Double ?? 0) > 0 && (cell["iqr_ms"] as? Double ?? -1) >= 0 && (cell["predicted_ms"] as? Double ?? 0) > 0)
    }
    #expect((-1...1).contains(try #require(document["spearman"] as? Double)))
    #expect(try hone("nas", "latency").status == 64)
  }

  /// Latency and parameters as objectives of a cell table that has neither column; a table
  /// without models cannot have them.
  @Test func searchTakesComputedObjectives() throws {
    let hone = try CLIRunner()
    let ops = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
    func writeTable(_ name: String, every step: Int) throws {
      var rows = ["arch,acc"]
      for code in stride(from: 0, to: 15_625, by: step) {
        let e = (0..<6).map { code / Int(pow(5, Double($0))) % 5 }
        rows.append("|\(ops[e[0]])~0|+|\(ops[e[1]])~0|\(ops[e[2]])~1|+|\(ops[e[3]])~0|\(ops[e[4]])~1|\(ops[e[5]])~2|,\(90 + e.filter { $0 == 3 }.count)")
      }
      try rows.joined(separator: "\n").write(to: hone.folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    // Latency through the predictor-guided search (the default) on every cell; parameters at
    // random on a seventh of them (the table's own front, of 15,625 distinct parameter counts, is slow to find in a debug build).
    try writeTable("all.csv", every: 1)
    try writeTable("some.csv", every: 7)
    for (objective, method, table) in [("latency", "predictor", "all.csv"), ("parameters", "random", "some.csv")] {
      let result = try hone("nas", "search", "--table", table, "--objective", "acc", "--objective", objective,
                            "--direction", "maximize", "--direction", "minimize", "--queries", "30", "--image", "1x8x8",
                            "--channels", "2", "--cells", "1", "--method", method)
      #expect(result.status == 0, "\(objective): \(result.stderr)")
      let front = try #require(try json(result.stdout)["front"] as? [[String: Any]])
      #expect(!front.isEmpty && front.allSatisfy { ($0["values"] as? [Double])?.count == 2 })
    }
    try "a,acc\n1,0.5\n2,0.6\n".write(to: hone.folder.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
    let noModels = try hone("nas", "search", "--table", "p.csv", "--parameter", "a", "--objective", "acc", "--objective", "latency",
                            "--direction", "maximize", "--direction", "minimize")
    #expect(noModels.status == 64 && noModels.stderr.contains("no models"), "\(noModels.stderr)")
  }
}
