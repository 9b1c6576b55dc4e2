import Foundation
import Testing

/// The project's `examples/` folder and the python3 that runs its scripts.
enum Examples {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples")
  static let python: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// `hone tune` on `examples/train.py` and `examples/space.json`.
@Suite(.enabled(if: Examples.python != nil, "python3 is not on PATH: the hone tune tests need it to run examples/train.py"))
struct TuneCommandTests {
  static let examples = Examples.folder

  func tune(_ hone: CLIRunner, _ options: [String], extra: [String] = []) throws -> CLIRunner.Result {
    try hone.run(["tune", "--study", "ex", "--storage", "sqlite:///t.db", "--space-file", Self.examples.appendingPathComponent("space.json").path]
      + options + ["--", "python3", Self.examples.appendingPathComponent("train.py").path, "--lr", "{lr}", "--l2", "{l2}", "--epochs", "{epochs}"] + extra)
  }

  func trials(_ hone: CLIRunner) throws -> [[String: Any]] {
    let out = try hone("trials", "--study", "ex", "--storage", "sqlite:///t.db")
    return try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
  }

  func reason(_ trial: [String: Any]?) -> String? { (trial?["system_attrs"] as? [String: Any])?["fail_reason"] as? String }

  @Test func prunesFailsTimesOutAndContinues() throws {
    let hone = try CLIRunner()
    #expect(try hone("study", "create", "--study", "ex", "--storage", "sqlite:///t.db").status == 0)
    // A learning rate that diverges: the script exits with status 3.
    #expect(try hone("enqueue", "--study", "ex", "--storage", "sqlite:///t.db", "--params", #"{"lr": 0.9, "l2": 1e-4, "epochs": 20}"#).status == 0)
    let first = try tune(hone, ["--trials", "8", "--pruner", "median", "--seed", "1"])
    #expect(first.status == 0, "\(first.stderr)")
    var all = try trials(hone)
    #expect(all.count == 8)
    let failed = all.first { $0["number"] as? Int == 0 }
    #expect(failed?["state"] as? String == "failed")
    #expect(reason(failed)?.contains("exited with status 3: diverged") == true, "\(String(describing: failed))")
    #expect(all.filter { $0["state"] as? String == "complete" }.count >= 5)

    // A learning rate so small that the curve stays far above the others: the median pruner stops it.
    #expect(try hone("enqueue", "--study", "ex", "--storage", "sqlite:///t.db", "--params", #"{"lr": 0.001, "l2": 1e-4, "epochs": 30}"#).status == 0)
    let second = try tune(hone, ["--trials", "1", "--pruner", "median"])
    #expect(second.status == 0, "\(second.stderr)")
    all = try trials(hone)
    #expect(all.last?["state"] as? String == "pruned")
    #expect((all.last?["intermediate_values"] as? [String: Any])?.count ?? 0 < 30)

    // A command slower than the trial timeout is ended and its trial failed with the reason.
    let third = try tune(hone, ["--trials", "1", "--trial-timeout", "1", "--grace", "1"], extra: ["--delay", "3"])
    #expect(third.status != 0, "no trial completed in that run")
    all = try trials(hone)
    #expect(all.count == 10)
    #expect(reason(all.last)?.contains("timed out") == true)

    // Each trial's output is kept.
    let log = try String(contentsOf: hone.folder.appendingPathComponent("hone-logs/ex/trial-1.out"), encoding: .utf8)
    #expect(log.contains("hone: step=1 value="))
    let errors = try String(contentsOf: hone.folder.appendingPathComponent("hone-logs/ex/trial-0.err"), encoding: .utf8)
    #expect(errors.contains("diverged"))
  }

  @Test func sigtermEndsRunningCommandsAndFailsTheirTrials() throws {
    let hone = try CLIRunner()
    let process = Process()
    process.executableURL = CLIRunner.binary
    process.currentDirectoryURL = hone.folder
    process.arguments = ["tune", "--study", "ex", "--storage", "sqlite:///t.db", "--space-file", Self.examples.appendingPathComponent("space.json").path,
                         "--trials", "4", "--jobs", "2", "--", "python3", Self.examples.appendingPathComponent("train.py").path,
                         "--lr", "{lr}", "--epochs", "{epochs}", "--delay", "5"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Wait until both commands run (their trials are running), however loaded the machine is.
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      Thread.sleep(forTimeInterval: 0.2)
      let running = try? hone("trials", "--study", "ex", "--storage", "sqlite:///t.db")
      if running?.stdout.components(separatedBy: "\"state\":\"running\"").count == 3 { break }
    }
    Thread.sleep(forTimeInterval: 0.3)
    process.terminate()
    process.waitUntilExit()
    #expect(process.terminationStatus == 128 + 15, "128 + SIGTERM")
    let all = try trials(hone)
    #expect(all.count == 2)
    #expect(all.allSatisfy { $0["state"] as? String == "failed" && reason($0) == "interrupted" })
  }

  @Test func badCommandLinesAreRefused() throws {
    let hone = try CLIRunner()
    let space = Self.examples.appendingPathComponent("space.json").path
    let cases: [([String], String)] = [
      (["tune", "--study", "ex", "--space-file", space, "--", "python3", "x.py", "--lr", "{learning_rate}"], "not a parameter"),
      (["tune", "--study", "ex", "--space-file", space], "give the command"),
      (["tune", "--study", "ex", "--space-file", "missing.json", "--", "true"], "cannot read"),
      (["tune", "--study", "ex", "--space", "{\"x\": {\"type\": \"float\", \"low\": 1, \"high\": 0}}", "--", "true"], "low"),
      (["tune", "--study", "ex", "--space-file", space, "--jobs", "0", "--", "true"], "--jobs"),
    ]
    for (args, message) in cases {
      let result = try hone.run(args)
      #expect(result.status != 0, "\(args)")
      #expect(result.stderr.contains(message), "\(args): \(result.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: hone.folder.appendingPathComponent("hone.db").path), "nothing was created")
    let missing = try hone.run(["tune", "--study", "ex", "--space-file", space, "--trials", "2", "--", "no-such-command-here"])
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("no trial completed"), "\(missing.stderr)")
  }
}
