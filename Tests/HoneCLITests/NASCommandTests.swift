import Foundation
import Testing

/// `hone nas sample | describe | search`.
@Suite struct NASCommandTests {
  @Test func sampleAndDescribeEverySpace() throws {
    let hone = try CLIRunner()
    for space in ["cell", "chain", "grammar"] {
      let sampled = try hone("nas", "sample", "--space", space, "--count", "3", "--seed", "4")
      #expect(sampled.status == 0, "\(sampled.stderr)")
      let lines = sampled.stdout.split(separator: "\n")
      #expect(lines.count == 3)
      let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
      let architecture = try #require(first["architecture"] as? String)
      let described = try hone("nas", "describe", "--space", space, architecture)
      #expect(described.status == 0, "\(described.stderr)")
      #expect(described.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(lines[0]), "describe round-trips the sample")
    }
    let cell = try hone("nas", "describe", "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|")
    #expect(cell.stdout.contains("\"parameters\":2336"), "9·16² + 2·16 for one 3×3 convolution at 16 channels")
    let bad = try hone("nas", "describe", "|conv~0|")
    #expect(bad.status != 0 && bad.stderr.contains("not a cell"))
    #expect(try hone("nas", "sample", "--space", "tree").status != 0)
  }

  @Test func searchATable() throws {
    let hone = try CLIRunner()
    // Every cell, accuracy = 90 + its number of 3×3 convolutions (best: 96).
    let ops = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
    var rows = ["arch,acc"]
    for code in 0..<15_625 {
      let e = (0..<6).map { code / Int(pow(5, Double($0))) % 5 }
      let arch = "|\(ops[e[0]])~0|+|\(ops[e[1]])~0|\(ops[e[2]])~1|+|\(ops[e[3]])~0|\(ops[e[4]])~1|\(ops[e[5]])~2|"
      rows.append("\(arch),\(90 + e.filter { $0 == 3 }.count)")
    }
    try rows.joined(separator: "\n").write(to: hone.folder.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
    for method in ["random", "rea", "predictor"] {
      let result = try hone("nas", "search", "--table", "t.csv", "--objective", "acc", "--method", method, "--queries", "40", "--seed", "1")
      #expect(result.status == 0, "\(method): \(result.stderr)")
      let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
      #expect(summary["table_best"] as? Double == 96)
      #expect((summary["best"] as? Double ?? 0) >= (method == "random" ? 93 : 95), "\(method): \(summary)")
    }
    let missing = try hone("nas", "search", "--table", "t.csv", "--objective", "nope")
    #expect(missing.status != 0 && missing.stderr.contains("no column 'nope'"))
    #expect(try hone("nas", "search", "--table", "absent.csv").status != 0)
  }

  /// Any table: parameter columns (strings and numbers) and metric columns, one objective or
  /// two (the Pareto front found, with its hypervolume beside the table's), with every method.
  @Test func searchAnyTableForOneOrTwoObjectives() throws {
    let hone = try CLIRunner()
    // error = (lr − 0.01)² + width penalty, size = width: a trade-off between the two.
    var rows = ["opt,lr,width,error,size"]
    for opt in ["sgd", "adam", "lion"] {
      for lr in [0.001, 0.003, 0.01, 0.03, 0.1] {
        for width in [16, 32, 64, 128, 256, 512] {
          let error = abs(log10(lr) + 2) + (opt == "adam" ? 0 : 0.5) + 64 / Double(width)
          rows.append("\(opt),\(lr),\(width),\(error),\(width)")
        }
      }
    }
    try rows.joined(separator: "\r\n").write(to: hone.folder.appendingPathComponent("g.csv"), atomically: true, encoding: .utf8)
    let parameters = ["--parameter", "opt", "--parameter", "lr", "--parameter", "width"]
    for method in ["random", "rea", "predictor", "tpe", "gp"] {
      let one = try hone.run(["nas", "search", "--table", "g.csv", "--objective", "error", "--direction", "minimize",
                              "--method", method, "--queries", "30", "--seed", "2"] + parameters)
      #expect(one.status == 0, "\(method): \(one.stderr)")
      let summary = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
      #expect(summary["table_best"] as? Double == 0.125)
      #expect((summary["best"] as? Double ?? 9) <= 1, "\(method): \(summary)")
    }
    let two = try hone.run(["nas", "search", "--table", "g.csv", "--objective", "error", "--direction", "minimize",
                            "--objective", "size", "--direction", "minimize", "--method", "predictor", "--queries", "40"] + parameters)
    #expect(two.status == 0, "\(two.stderr)")
    let pareto = try #require(try JSONSerialization.jsonObject(with: Data(two.stdout.utf8)) as? [String: Any])
    let front = try #require(pareto["front"] as? [[String: Any]])
    #expect(!front.isEmpty && front.allSatisfy { ($0["values"] as? [Double])?.count == 2 })
    let found = try #require(pareto["hypervolume"] as? Double), best = try #require(pareto["table_hypervolume"] as? Double)
    #expect(found > 0.5 * best && found <= best + 1e-9, "\(found) of \(best)")
    for (args, message) in [(["--objective", "error"], "--parameter"),
                            (["--objective", "error", "--objective", "size", "--direction", "minimize"] + parameters, "one --direction per --objective"),
                            (["--objective", "error", "--parameter", "nope"], "no column 'nope'")] {
      let r = try hone.run(["nas", "search", "--table", "g.csv"] + args)
      #expect(r.status != 0 && r.stderr.contains(message), "\(args): \(r.stderr)")
    }
  }
}
