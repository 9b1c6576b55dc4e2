import Foundation
import Testing
import Hone

@Suite struct CompareCommandTests {
  /// Two optimizers on digits, opposing signals on: the JSON has both solutions with every
  /// measurement, the pair, and the pairs of groups; the report has every section and draws
  /// the digits of the first pair.
  @Test func comparesTwoOptimizersWithJSONAndAReport() throws {
    let hone = try CLIRunner()
    let result = try hone("compare", "--data", "digits", "--model", "mlp:16", "--epochs", "2", "--batch-size", "128",
                          "--optimizers", "sgd,shampoo", "--lr", "sgd=0.1,shampoo=0.01", "--eigen-iterations", "3", "--trace-samples", "2",
                          "--opposing-signals", "--json", "-o", "report.html")
    #expect(result.status == 0, "\(result.stderr)")
    let document = try JSONValue.parse(result.stdout).objectValue!
    let solutions = document["solutions"]!.arrayValue!.map { $0.objectValue! }
    #expect(solutions.map { $0["optimizer"] } == [.string("sgd"), .string("shampoo")])
    #expect(solutions.map { $0["lr"] } == [.double(0.1), .double(0.01)])
    for s in solutions {
      for key in ["test_accuracy", "test_loss", "sharpness", "hessian_trace", "representation_rank", "weight_ranks", "sparsity",
                  "history", "opposing_signals", "sharpness_by_epoch"] {
        #expect(s[key] != nil, "no \(key)")
      }
      #expect(s["history"]?.arrayValue?.count == 2)
    }
    #expect(document["pairs"]?.arrayValue?.count == 1)
    let html = try String(contentsOf: hone.folder.appendingPathComponent("report.html"), encoding: .utf8)
    for id in ["summary", "pairs", "curves", "layers", "barriers", "opposing-signals-0", "opposing-signals-1"] {
      #expect(html.contains("<section id=\"\(id)\">"), "no section \(id)")
    }
    #expect(html.contains("label "), "the digits of a pair are drawn with their labels")
  }

  /// `--tune N` picks each learning rate by a short study, within a factor of 30 of the default.
  @Test func tunesTheLearningRates() throws {
    let hone = try CLIRunner()
    let result = try hone("compare", "--data", "breast-cancer", "--model", "mlp:8", "--epochs", "2", "--optimizers", "adamw",
                          "--tune", "3", "--eigen-iterations", "2", "--trace-samples", "1", "--json")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("adamw: tuned learning rate"))
    let lr = try JSONValue.parse(result.stdout).objectValue!["solutions"]!.arrayValue![0].objectValue!["lr"]!.doubleValue!
    #expect(lr >= 1e-3 / 30 && lr <= 1e-3 * 30)
  }

  /// An optimizer that diverges is reported and the others are still measured; when every one
  /// diverges the command fails with one line.
  @Test func aDivergingOptimizerIsReportedAndTheOthersGoOn() throws {
    let hone = try CLIRunner()
    let common = ["compare", "--data", "breast-cancer", "--model", "mlp:8", "--epochs", "2", "--eigen-iterations", "2", "--trace-samples", "1"]
    let result = try hone.run(common + ["--optimizers", "sgd,adamw", "--lr", "sgd=1e4", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let document = try JSONValue.parse(result.stdout).objectValue!
    #expect(document["solutions"]?.arrayValue?.map { $0.objectValue!["optimizer"] } == [.string("adamw")])
    #expect(document["diverged"]?.arrayValue?.first?.objectValue?["optimizer"] == .string("sgd"))
    #expect(document["pairs"]?.arrayValue?.isEmpty == true)
    let all = try hone.run(common + ["--optimizers", "sgd", "--lr", "1e4"])
    #expect(all.status != 0)
    #expect(all.stderr.contains("every optimizer diverged"), "\(all.stderr)")
  }

  @Test(arguments: [
    (["--optimizers", "sgd,adagrad"], "unknown optimizer"),
    (["--optimizers", "sgd,sgd"], "names an optimizer twice"),
    (["--optimizers", "sgd", "--lr", "adamw=0.1"], "not in --optimizers"),
    (["--optimizers", "sgd", "--lr", "fast"], "--lr takes a rate"),
    (["--useful", "0"], "--useful must be an epoch"),
    (["--model", "transformer"], "unknown model"),
  ])
  func badInputGetsOneClearError(arguments: [String], message: String) throws {
    let hone = try CLIRunner()
    let result = try hone.run(["compare", "--data", "digits", "--epochs", "1"] + arguments)
    #expect(result.status == 64)
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  /// `hone train --useful` trains with USEFUL and says how many examples it upsampled;
  /// `--optimizer sam-sgd` and `shampoo` train by name.
  @Test func trainTakesUsefulAndTheNewOptimizers() throws {
    let hone = try CLIRunner()
    let useful = try hone("train", "--data", "breast-cancer", "--model", "mlp:8", "--epochs", "3", "--useful", "1", "--optimizer", "sam-sgd",
                          "--lr", "0.05")
    #expect(useful.status == 0, "\(useful.stderr)")
    #expect(useful.stdout.contains("USEFUL upsampled"))
    let shampoo = try hone("train", "--data", "breast-cancer", "--model", "mlp:8", "--epochs", "2", "--optimizer", "shampoo", "--json")
    #expect(shampoo.status == 0, "\(shampoo.stderr)")
  }
}
