import Foundation
import Testing

/// A shortened `hone demo`: a few trials of a few epochs on the digits data.
@Suite struct DemoCommandTests {
  @Test func shortDemoWritesStudyAndReportAndContinues() throws {
    let hone = try CLIRunner()
    let args = ["demo", "--trials", "4", "--epochs", "2", "--storage", "sqlite:///demo.db", "--report", "demo.html", "--json"]
    let first = try hone.run(args)
    #expect(first.status == 0, "\(first.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.split(separator: "\n").last!.utf8)) as? [String: Any])
    #expect(summary["trials"] as? Int == 4)
    let validation = try #require(summary["val_accuracy"] as? Double)
    let test = try #require(summary["test_accuracy"] as? Double)
    #expect(validation > 0.5 && validation <= 1 && test > 0.5 && test <= 1, "two epochs already classify digits")
    #expect(first.stderr.contains("trial 4/4"), "the progress line shows trial k/N")
    let html = try String(contentsOf: hone.folder.appendingPathComponent("demo.html"), encoding: .utf8)
    for id in ["history", "intermediate-values", "parallel-coordinates", "importance", "slices"] { #expect(html.contains("id=\"\(id)\"")) }

    let again = try hone.run(args)
    #expect(again.status == 0)
    #expect(again.stdout.contains("continuing study digits-mlp"))
    #expect(again.stdout.contains("\"trials\":8"))
    let fresh = try hone.run(args + ["--fresh"])
    #expect(fresh.stdout.contains("\"trials\":4"))

    let trials = try hone("trials", "--study", "digits-mlp", "--storage", "sqlite:///demo.db")
    #expect(trials.stdout.contains("\"optimizer\""), "the study is a real study other commands read")
  }

  @Test func badOptionsAreRefused() throws {
    let hone = try CLIRunner()
    for (args, message) in [(["demo", "--trials", "0"], "--trials"), (["demo", "--epochs", "1"], "--epochs"),
                            (["demo", "--sampler", "magic"], "unknown sampler"), (["demo", "--pruner", "magic"], "unknown pruner")] {
      let result = try hone.run(args)
      #expect(result.status != 0, "\(args)")
      #expect(result.stderr.contains(message), "\(args): \(result.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: hone.folder.appendingPathComponent("hone.db").path), "nothing was created")
  }
}
