import Foundation
import Testing
import Hone

/// What a shell user types: negative numbers, lists, braces, names that are not file names,
/// the storage in the environment, idempotent tells.
@Suite struct CLIInputTests {
  static let space = #"{"x": {"type": "float", "low": -5, "high": 5}}"#

  func json(_ result: CLIRunner.Result) throws -> [String: JSONValue] {
    try #require(try JSONValue.parse(result.stdout).objectValue, "stdout: \(result.stdout) stderr: \(result.stderr)")
  }

  /// `--value -0.5` is a value, not a missing one; a plain ask/tell loop keeps every trial and
  /// `hone best` finds the most negative value.
  @Test func negativeNumbersAreValues() throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "s")
    var told: [Double] = []
    for n in 0..<20 {
      let x = try json(try hone("ask", "--study", "s", "--space", Self.space, "--seed", "4"))["params"]!.objectValue!["x"]!.doubleValue!
      let r = try hone("tell", "--study", "s", "--trial", "\(n)", "--value", "\(x)")
      #expect(r.status == 0, "tell --value \(x): \(r.stderr)")
      told.append(x)
    }
    let best = try json(try hone("best", "--study", "s"))
    #expect(best["values"] == .array([.double(told.min()!)]))
    #expect(try JSONValue.parse(try hone("trials", "--study", "s").stdout).arrayValue!.allSatisfy { $0.objectValue!["state"] == "complete" })

    _ = try hone("study", "create", "--study", "m", "--direction", "minimize", "--direction", "maximize")
    _ = try hone("ask", "--study", "m")
    #expect(try json(try hone("tell", "--study", "m", "--trial", "0", "--values", "-1,2"))["values"] == .array([.double(-1), .double(2)]))

    _ = try hone("ask", "--study", "s")
    let pruned = try hone("intermediate", "--study", "s", "--trial", "20", "--step", "0", "--value", "-5", "--pruner", "threshold", "--lower", "-3")
    #expect(pruned.stdout == "prune\n", "\(pruned.stderr)")
    let capped = try hone("intermediate", "--study", "s", "--trial", "20", "--step", "1", "--value", "1", "--pruner", "threshold", "--upper", "-1")
    #expect(capped.stdout == "prune\n", "\(capped.stderr)")
  }

  /// Every numeric option of every command takes a negative number as the next argument:
  /// the command may refuse the value, but never as a missing one.
  @Test(arguments: [
    ["tell", "--study", "s", "--trial", "-1", "--value", "1"],
    ["heartbeat", "--study", "s", "--trial", "-1"],
    ["intermediate", "--study", "s", "--trial", "0", "--step", "-1", "--value", "-1"],
    ["intermediate", "--study", "s", "--trial", "0", "--step", "1", "--value", "1", "--pruner", "percentile", "--percentile", "-5"],
    ["ask", "--study", "s", "--seed", "-1"],
    ["importance", "--study", "s", "--objective", "-1"],
    ["study", "create", "--study", "t", "--heartbeat-grace", "-1"],
    ["tune", "--study", "s", "--space", #"{"x": {"type": "float", "low": 0, "high": 1}}"#, "--timeout", "-1", "--", "true"],
    ["tune", "--study", "s", "--space", #"{"x": {"type": "float", "low": 0, "high": 1}}"#, "--trials", "-2", "--", "true"],
    ["tune", "--study", "s", "--space", #"{"x": {"type": "float", "low": 0, "high": 1}}"#, "--warmup-steps", "-2", "--", "true"],
    ["demo", "--trials", "-1"],
    ["train", "--lr", "-0.1", "--epochs", "-1"],
    ["nas", "sample", "--space", "cell", "--count", "-1"],
  ])
  func numericOptionsTakeNegativeNumbers(args: [String]) throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "s")
    _ = try hone("ask", "--study", "s")
    let r = try hone.run(args)
    #expect(!r.stderr.contains("Missing value"), "\(args): \(r.stderr)")
    #expect(r.status != 0, "\(args) takes no negative number here")
  }

  /// `--values` refuses empty fields instead of dropping them.
  @Test(arguments: [",1", "1,,2", "1,", ","])
  func emptyFieldsAreRefused(values: String) throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "m", "--direction", "minimize", "--direction", "minimize")
    _ = try hone("ask", "--study", "m")
    let r = try hone("tell", "--study", "m", "--trial", "0", "--values", values)
    #expect(r.status != 0 && r.stderr.contains("empty field"), "\(values): \(r.stderr)")
    #expect(try JSONValue.parse(try hone("trials", "--study", "m").stdout).arrayValue![0].objectValue!["state"] == "running")
  }

  /// The storage comes from `$HONE_STORAGE` when `--storage` is not given.
  @Test func storageFromTheEnvironment() throws {
    let hone = try CLIRunner()
    let environment = ["HONE_STORAGE": "sqlite:///env.db"]
    #expect(try hone.run(["study", "create", "--study", "e"], environment: environment).status == 0)
    #expect(FileManager.default.fileExists(atPath: hone.folder.appendingPathComponent("env.db").path))
    #expect(!FileManager.default.fileExists(atPath: hone.folder.appendingPathComponent("hone.db").path))
    #expect(try hone.run(["study", "list"], environment: environment).stdout.contains(#""study":"e""#))
    #expect(try hone.run(["study", "list", "--storage", "sqlite:///env.db"]).stdout.contains(#""study":"e""#))
  }

  /// `--skip-if-finished` makes a repeated tell succeed and change nothing.
  @Test func tellCanBeIdempotent() throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "s")
    _ = try hone("ask", "--study", "s")
    #expect(try hone("tell", "--study", "s", "--trial", "0", "--value", "1").status == 0)
    let again = try hone("tell", "--study", "s", "--trial", "0", "--value", "2")
    #expect(again.status != 0 && again.stderr.contains("already complete"))
    let skipped = try hone("tell", "--study", "s", "--trial", "0", "--value", "2", "--skip-if-finished")
    #expect(skipped.status == 0)
    #expect(try json(skipped)["values"] == .array([.double(1)]), "the stored value is kept")
    #expect(try hone("tell", "--study", "s", "--trial", "7", "--value", "2", "--skip-if-finished").status != 0, "an unknown trial is still an error")
  }

  @Test func versionIsPrinted() throws {
    let r = try CLIRunner()("--version")
    #expect(r.status == 0 && r.stdout == honeVersion + "\n")
  }

  /// Bounds at the ends of Int64 and a schema version of -1: clear errors, no crash.
  @Test func extremeIntegersAndNegativeSchemaVersions() throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "s")
    for (low, high) in [(Int64.min, Int64.max), (Int64.min, 0), (0, Int64.max), (Int64.max - 1, Int64.max)] {
      let space = #"{"k": {"type": "int", "low": \#(low), "high": \#(high)}}"#
      for sampler in ["tpe", "random", "qmc", "gp", "cmaes"] {
        let r = try hone("ask", "--study", "s", "--space", space, "--sampler", sampler)
        #expect(r.status == 0 || r.status == 1, "\(sampler) [\(low), \(high)] crashed: \(r.status) \(r.stderr)")
        #expect(!r.stderr.contains("crashed"), "\(r.stderr)")
        if r.status == 1 { #expect(r.stderr.contains("within ±2^53"), "\(sampler): \(r.stderr)") }
        if r.status == 0, let k = try json(r)["params"]?.objectValue?["k"], case .int(let v) = k {
          #expect(Int64(v) >= low && Int64(v) <= high)
        }
      }
    }
    let db = hone.folder.appendingPathComponent("bad.db").path
    _ = try hone("study", "create", "--study", "s", "--storage", "sqlite:///bad.db")
    let sqlite = Process()
    sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    sqlite.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version = -1'); c.commit()", db]
    try sqlite.run()
    sqlite.waitUntilExit()
    let r = try hone("study", "list", "--storage", "sqlite:///bad.db")
    #expect(r.status == 1 && r.stderr.contains("schema version -1"), "\(r.status) \(r.stderr)")
  }
}

/// A full disk: writes say so, and reads keep working. Runs on a small tmpfs, which needs
/// root to mount (CI runs as root).
@Suite(.enabled(if: geteuid() == 0, "mounting a small tmpfs for the full-disk test needs root"))
struct FullDiskTests {
  @Test func writesSayTheDiskIsFullAndReadsWork() throws {
    let hone = try CLIRunner()
    let mount = hone.folder.appendingPathComponent("small")
    try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
    func run(_ tool: String, _ args: [String]) throws -> Int32 {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: tool)
      p.arguments = args
      p.standardError = FileHandle.nullDevice
      try p.run()
      p.waitUntilExit()
      return p.terminationStatus
    }
    try #require(try run("/bin/mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mount.path]) == 0, "mount a tmpfs")
    defer { _ = try? run("/bin/umount", [mount.path]) }
    let storage = "sqlite:///small/hone.db"
    let space = #"{"x": {"type": "float", "low": 0, "high": 1}}"#
    _ = try hone("study", "create", "--study", "s", "--storage", storage)
    _ = try hone("ask", "--study", "s", "--storage", storage, "--space", space)
    _ = try hone("tell", "--study", "s", "--storage", storage, "--trial", "0", "--value", "0.5")
    _ = try hone("ask", "--study", "s", "--storage", storage, "--space", space)
    // Fill the disk.
    _ = try run("/bin/dd", ["if=/dev/zero", "of=\(mount.path)/fill", "bs=4096"])
    for args in [["ask", "--study", "s", "--space", space], ["study", "create", "--study", "t"], ["tell", "--study", "s", "--trial", "1", "--value", "1"]] {
      let r = try hone.run(args + ["--storage", storage])
      #expect(r.status == 1 && r.stderr.contains("is full") && r.stderr.contains("nothing was written"), "\(args): \(r.stderr)")
    }
    let best = try hone("best", "--study", "s", "--storage", storage)
    #expect(best.status == 0 && best.stdout.contains(#""values":[0.5]"#), "\(best.stderr)")
    #expect(try hone("trials", "--study", "s", "--storage", storage).stdout.contains(#""state":"complete""#))
    #expect(try hone("study", "list", "--storage", storage).status == 0)
  }
}

/// Bad input that used to write: refused before anything is stored.
@Suite struct ValidationBeforeWriteTests {
  @Test func enqueueIsCheckedAgainstTheSpace() throws {
    let hone = try CLIRunner()
    let db = hone.folder.appendingPathComponent("hone.db").path
    _ = try hone("study", "create", "--study", "s")
    _ = try hone("ask", "--study", "s", "--space", #"{"lr": {"type": "float", "low": 0.001, "high": 0.1, "log": true}}"#)
    let before = try CLITests.dump(db)
    for (args, message) in [(["--params", #"{"lr": 5}"#], "outside"),
                            (["--params", #"{"lr": "big"}"#], "outside"),
                            (["--params", #"{"k": 9}"#, "--space", #"{"k": {"type": "int", "low": 0, "high": 3}}"#], "outside"),
                            (["--params", #"{"q": 1}"#, "--space", #"{"k": {"type": "int", "low": 0, "high": 3}}"#], "not a parameter")] {
      let r = try hone.run(["enqueue", "--study", "s"] + args)
      #expect(r.status != 0 && r.stderr.contains(message), "\(args): \(r.stderr)")
      #expect(try CLITests.dump(db) == before, "\(args) wrote something")
    }
    // A value enqueued before the space changed: the ask that would claim it refuses, and the
    // trial stays waiting.
    #expect(try hone("enqueue", "--study", "s", "--params", #"{"k": 9}"#).status == 0)
    let waiting = try CLITests.dump(db)
    let ask = try hone("ask", "--study", "s", "--space", #"{"k": {"type": "int", "low": 0, "high": 3}}"#)
    #expect(ask.status != 0 && ask.stderr.contains("enqueued trial 1"), "\(ask.stderr)")
    #expect(try CLITests.dump(db) == waiting)
  }

  @Test func incompatibleSamplersWriteNothing() throws {
    let hone = try CLIRunner()
    let db = hone.folder.appendingPathComponent("hone.db").path
    _ = try hone("study", "create", "--study", "mo", "--direction", "minimize", "--direction", "maximize")
    let before = try CLITests.dump(db)
    for _ in 0..<3 {
      let r = try hone("ask", "--study", "mo", "--sampler", "cmaes", "--space", #"{"a": {"type": "float", "low": 0, "high": 1}}"#)
      #expect(r.status != 0 && r.stderr.contains("CMA-ES optimizes one objective"))
    }
    #expect(try CLITests.dump(db) == before, "no failed trial is stored")
  }
}

/// Regularized evolution and the predictor-guided search on an ordinary space, from `ask`,
/// `tune` and `serve`.
@Suite struct PlainSpaceEvolutionTests {
  static let space = #"{"a": {"type": "float", "low": -3, "high": 3}, "k": {"type": "int", "low": 0, "high": 9}, "c": {"type": "categorical", "choices": ["x", "y", "z"]}}"#

  @Test(arguments: ["rea", "predictor"])
  func searchesAPlainSpace(sampler: String) throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "e")
    var values: [Double] = []
    for n in 0..<30 {
      let r = try hone("ask", "--study", "e", "--sampler", sampler, "--seed", "4", "--space", Self.space)
      #expect(r.status == 0, "\(r.stderr)")
      let params = try JSONValue.parse(r.stdout).objectValue!["params"]!.objectValue!
      let a = params["a"]!.doubleValue!, k = params["k"]!.doubleValue!
      let value = a * a + k + (params["c"] == "y" ? 0 : 1)
      values.append(value)
      _ = try hone("tell", "--study", "e", "--trial", "\(n)", "--value", "\(value)")
    }
    // Evolution and the predictor beat the random start-up on this bowl.
    #expect(values.suffix(10).min()! < values.prefix(10).min()!, "\(sampler): \(values)")
    let tuned = try hone.run(["tune", "--study", "t", "--sampler", sampler, "--seed", "1", "--trials", "12", "--space", Self.space,
                              "--", "python3", "-c", "print('hone: value=%f' % (({a}) ** 2 + {k}))"])
    #expect(tuned.status == 0, "\(tuned.stderr)")
    let served = try ServeCommandTests().serve(hone, [
      #"{"op": "create_study", "study": "v", "sampler": "\#(sampler)", "space": \#(Self.space)}"#,
      #"{"op": "ask", "study": "v", "space": \#(Self.space)}"#,
      #"{"op": "create_study", "study": "w", "sampler": "\#(sampler)"}"#,
    ])
    #expect(served[1]["trial"] as? Int == 0)
    #expect((served[2]["error"] as? String)?.contains("needs a search space") == true)
  }
}
