import Foundation
import Testing
import Hone

@Suite struct TrainCommandTests {
  @Test func trainsOnACSVFileAndEndsWithJSON() throws {
    let hone = try CLIRunner()
    // Two separable classes in a CSV whose label column is not last.
    var csv = "y,a,b\n"
    for i in 0..<80 { csv += "\(i % 2),\(Double(i % 2) * 2 + Double(i % 7) * 0.1),\(Double(i % 5) * 0.2)\n" }
    try csv.write(to: hone.folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
    let result = try hone("train", "--data", "data.csv", "--label", "y", "--model", "mlp:8", "--epochs", "5",
                          "--batch-size", "16", "--lr", "0.01", "--save", "model.safetensors", "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("epoch") }.count == 5)
    let summary = try JSONValue.parse(String(lines.last!)).objectValue!
    #expect(Set(summary.keys) == ["val_accuracy", "test_accuracy", "test_f1", "epochs", "seconds"])
    #expect(summary["epochs"] == .int(5))
    #expect((summary["test_accuracy"]?.doubleValue ?? 0) >= 0.9)
    #expect(FileManager.default.fileExists(atPath: hone.folder.appendingPathComponent("model.safetensors").path))
  }

  @Test(arguments: [
    (["--data", "nowhere.csv"], "no such file"),
    (["--data", "digits", "--label", "x"], "--label is only for CSV files"),
    (["--data", "digits", "--model", "mlp:0"], "positive integers"),
    (["--data", "digits", "--model", "transformer"], "unknown model"),
    (["--data", "digits", "--optimizer", "adagrad"], "unknown optimizer"),
    (["--data", "digits", "--loss", "anyloss-f1"], "is for two classes"),
    (["--data", "digits", "--schedule", "linear"], "unknown schedule"),
  ])
  func badInputGetsOneClearError(arguments: [String], message: String) throws {
    let hone = try CLIRunner()
    let result = try hone.run(["train"] + arguments + ["--epochs", "1"])
    #expect(result.status != 0)
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(!result.stdout.contains("epoch"))
  }
}
