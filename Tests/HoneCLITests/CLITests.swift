import Foundation
import GRDB
import Testing
import Hone

@Suite(.serialized) struct CLITests {
  static let space = #"{"lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": true}, "layers": {"type": "int", "low": 1, "high": 4, "step": 1}, "opt": {"type": "categorical", "choices": ["adam", "sgd"]}}"#

  /// Every row of every table, as text: what "the database is left exactly as it was" compares.
  static func dump(_ path: String) throws -> [String] {
    try DatabaseQueue(path: path).read { db in
      let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      return try tables.flatMap { table in
        try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { "\(table): \($0)" }
      } + [try Int.fetchOne(db, sql: "PRAGMA user_version")!.description]
    }
  }

  @Test func askTellBestTrialsWorkflow() throws {
    let hone = try CLIRunner()
    #expect(try hone("study", "create", "--study", "s", "--direction", "maximize").status == 0)
    #expect(try hone("study", "create", "--study", "s").status != 0)
    #expect(try hone("study", "create", "--study", "s", "--direction", "maximize", "--load-if-exists").status == 0)
    let asked = try hone("ask", "--study", "s", "--space", Self.space, "--seed", "5")
    #expect(asked.status == 0)
    let reply = try JSONValue.parse(asked.stdout).objectValue!
    #expect(reply["trial"] == .int(0))
    let params = reply["params"]!.objectValue!
    #expect(Set(params.keys) == ["lr", "layers", "opt"])
    #expect(try hone("tell", "--study", "s", "--trial", "0", "--value", "0.93").status == 0)
    try (Self.space).write(to: hone.folder.appendingPathComponent("space.json"), atomically: true, encoding: .utf8)
    #expect(try hone("ask", "--study", "s", "--space-file", "space.json", "--sampler", "qmc", "--seed", "1").status == 0)
    #expect(try hone("tell", "--study", "s", "--trial", "1", "--state", "pruned").status == 0)
    #expect(try hone("enqueue", "--study", "s", "--params", #"{"lr": 0.01, "layers": 2, "opt": "adam"}"#).status == 0)
    let enqueued = try JSONValue.parse(try hone("ask", "--study", "s", "--space", Self.space).stdout).objectValue!
    #expect(enqueued["params"] == .object(["lr": .double(0.01), "layers": .int(2), "opt": "adam"]))
    #expect(try hone("tell", "--study", "s", "--trial", "2", "--value", "0.5").status == 0)
    let best = try JSONValue.parse(try hone("best", "--study", "s").stdout).objectValue!
    #expect(best["trial"] == .int(0) && best["values"] == .array([.double(0.93)]) && best["params"] == .object(params))
    let trials = try JSONValue.parse(try hone("trials", "--study", "s", "--format", "json").stdout).arrayValue!
    #expect(trials.map { $0.objectValue!["state"]! } == ["complete", "pruned", "complete"])
    #expect(trials.allSatisfy { t in ["number", "state", "values", "params"].allSatisfy { t.objectValue![$0] != nil } })
    let csv = try hone("trials", "--study", "s", "--format", "csv").stdout.split(separator: "\n")
    #expect(csv.count == 4 && csv[0].hasPrefix("number,state,value,"))
    #expect(try hone("study", "show", "--study", "s").stdout.contains(#""complete":2"#))
    #expect(try hone("study", "list").stdout.contains(#""study":"s""#))
    // Several objectives.
    #expect(try hone("study", "create", "--study", "m", "--direction", "minimize", "--direction", "maximize").status == 0)
    _ = try hone("ask", "--study", "m")
    #expect(try hone("tell", "--study", "m", "--trial", "0", "--values", "1,2").status == 0)
    #expect(try hone("best", "--study", "m").stdout.hasPrefix(#"[{"params""#))
    #expect(try hone("study", "delete", "--study", "m").status == 0)
    #expect(try hone("best", "--study", "m").status != 0)
  }

  /// Each bad input: one clear line on stderr, a non-zero exit, the database as it was.
  @Test func badInputIsRefusedAndChangesNothing() throws {
    let hone = try CLIRunner()
    let db = hone.folder.appendingPathComponent("hone.db").path
    _ = try hone("study", "create", "--study", "s")
    _ = try hone("ask", "--study", "s", "--space", Self.space)
    _ = try hone("tell", "--study", "s", "--trial", "0", "--value", "1")
    _ = try hone("ask", "--study", "s", "--space", Self.space)
    let cases: [([String], String)] = [
      (["ask", "--study", "s", "--space", "{\"lr\": {\"type\": \"float\""], "JSON"),
      (["ask", "--study", "s", "--space", #"{"lr": {"type": "floot", "low": 0, "high": 1}}"#], "unknown distribution type"),
      (["ask", "--study", "s", "--space", #"{"lr": {"type": "float", "low": 1, "high": 0}}"#], "must not exceed"),
      (["ask", "--study", "s", "--space-file", "nope.json"], "cannot read"),
      (["ask", "--study", "ghost", "--space", Self.space], "no study named 'ghost'"),
      (["ask", "--study", "s", "--sampler", "magic"], "unknown sampler"),
      (["tell", "--study", "s", "--trial", "0", "--value", "2"], "already complete"),
      (["tell", "--study", "s", "--trial", "1", "--values", "1,2"], "1 objective(s) but 2 value(s)"),
      (["tell", "--study", "s", "--trial", "1", "--value", "abc"], "not a number"),
      (["tell", "--study", "s", "--trial", "1", "--state", "pruned", "--value", "1"], "exactly one of"),
      (["tell", "--study", "s", "--trial", "1", "--state", "complete"], "failed or pruned"),
      (["tell", "--study", "s", "--trial", "9", "--value", "1"], "no trial 9"),
      (["enqueue", "--study", "s", "--params", "[1]"], "JSON object"),
      (["study", "create", "--study", "s"], "already exists"),
      (["study", "create", "--study", "t", "--direction", "sideways"], "unknown direction"),
      (["trials", "--study", "s", "--format", "xml"], "json or csv"),
      (["ask", "--study", "s", "--storage", "mysql://x"], "unknown storage URL"),
    ]
    let before = try Self.dump(db)
    for (args, message) in cases {
      let r = try hone.run(args)
      #expect(r.status != 0, "\(args) should fail")
      #expect(r.stderr.contains(message), "\(args): stderr was \(r.stderr)")
      #expect(r.stdout.isEmpty, "\(args): stdout was \(r.stdout)")
      #expect(try Self.dump(db) == before, "\(args) changed the database")
    }
  }

  @Test func readCommandsNeverCreateADatabase() throws {
    let hone = try CLIRunner()
    for args in [["best", "--study", "s"], ["ask", "--study", "s"], ["trials", "--study", "s"], ["study", "list"],
                 ["study", "show", "--study", "s"], ["tell", "--study", "s", "--trial", "0", "--value", "1"]] {
      let r = try hone.run(args + ["--storage", "sqlite:///typo.db"])
      #expect(r.status != 0 && r.stderr.contains("no Hone database at typo.db"), "\(args): \(r.stderr)")
      #expect(!FileManager.default.fileExists(atPath: hone.folder.appendingPathComponent("typo.db").path))
    }
  }

  /// Without --seed, the first ask stores a seed, so QMC asks from separate processes
  /// continue one Sobol sequence: the first 4 points fill the 4 quarters of each coordinate.
  @Test func qmcWithoutSeedContinuesOneSequenceAcrossProcesses() throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "q")
    var quarters: [Set<Int>] = [[], []]
    for _ in 0..<4 {
      let r = try hone("ask", "--study", "q", "--sampler", "qmc", "--space",
                       #"{"a": {"type": "float", "low": 0, "high": 1}, "b": {"type": "float", "low": 0, "high": 1}}"#)
      let params = try JSONValue.parse(r.stdout).objectValue!["params"]!.objectValue!
      quarters[0].insert(Int(params["a"]!.doubleValue! * 4))
      quarters[1].insert(Int(params["b"]!.doubleValue! * 4))
    }
    #expect(quarters == [[0, 1, 2, 3], [0, 1, 2, 3]])
  }

  /// The model-based samplers keep their state in the database, so asks from separate
  /// processes continue one search: CMA-ES (λ = 6 for two parameters) completes two
  /// generations, NSGA-II (population 50) starts its first from the random one, and TPE
  /// leaves its random start-up (its draws beat the random ones); the GP stores its fitted hyperparameters; every suggestion
  /// lies in the space.
  @Test(arguments: ["tpe", "cmaes", "nsga2", "gp"])
  func modelBasedSamplersAcrossProcesses(sampler: String) throws {
    let hone = try CLIRunner()
    let directions = sampler == "nsga2" ? ["--direction", "minimize", "--direction", "minimize"] : []
    _ = try hone.run(["study", "create", "--study", "m"] + directions)
    let space = #"{"a": {"type": "float", "low": -2, "high": 2}, "k": {"type": "int", "low": 0, "high": 8}}"#
    for n in 0..<(sampler == "nsga2" ? 52 : 14) {
      let r = try hone("ask", "--study", "m", "--sampler", sampler, "--seed", "3", "--space", space)
      #expect(r.status == 0, "\(r.stderr)")
      let params = try JSONValue.parse(r.stdout).objectValue!["params"]!.objectValue!
      let a = params["a"]!.doubleValue!, k = params["k"]!.doubleValue!
      #expect((-2...2).contains(a) && (0...8).contains(k) && k == k.rounded())
      let values = sampler == "nsga2" ? ["--values", "\(a * a),\(k)"] : ["--value", "\(a * a + k)"]
      _ = try hone.run(["tell", "--study", "m", "--trial", "\(n)"] + values)
    }
    let trials = try JSONValue.parse(try hone("trials", "--study", "m", "--format", "json").stdout).arrayValue!
    let attrs = trials.map { $0.objectValue!["system_attrs"]!.objectValue! }
    switch sampler {
    case "cmaes": #expect(attrs.contains { $0[CMAESSampler.stateKey] != nil })
    case "nsga2": #expect(NSGAIISampler.generationState.read(attrs.last!) == 1)
    case "gp": #expect(GPSampler.fitState.read(attrs.last!)?.theta.count == 4)
    default:
      // Past start-up the model's draws beat the random ones on a² + k; every parameter is
      // stored in the ask itself, so no relative sample is kept for the constant liar.
      let values: [Double] = trials.map { $0.objectValue!["values"]!.arrayValue![0].doubleValue! }
      let modelMean: Double = values.suffix(4).reduce(0, +) / 4, randomMean: Double = values.prefix(10).reduce(0, +) / 10
      #expect(modelMean < randomMean)
      #expect(attrs.allSatisfy { $0[TPESampler.relativeParamsKey] == nil })
    }
  }

  /// Without `--sampler` an ask uses `auto`: each trial stores the sampler it chose, and
  /// `study show` counts them.
  @Test func askDefaultsToTheAutoSampler() throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "d")
    for n in 0..<12 {
      let r = try hone("ask", "--study", "d", "--seed", "1", "--space", #"{"a": {"type": "float", "low": 0, "high": 1}}"#)
      #expect(r.status == 0, "\(r.stderr)")
      let a = try JSONValue.parse(r.stdout).objectValue!["params"]!.objectValue!["a"]!.doubleValue!
      _ = try hone.run(["tell", "--study", "d", "--trial", "\(n)", "--value", "\((a - 0.3) * (a - 0.3))"])
    }
    let shown = try JSONValue.parse(try hone("study", "show", "--study", "d").stdout).objectValue!
    #expect(shown["auto_sampler"] == .object(["gp": .int(12)]))
  }

  /// An unknown acquisition is one clear error.
  @Test func unknownAcquisitionIsRefused() throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "g")
    let r = try hone("ask", "--study", "g", "--sampler", "gp", "--acquisition", "thompson", "--space", #"{"a": {"type": "float", "low": 0, "high": 1}}"#)
    #expect(r.status != 0 && r.stderr.contains("unknown acquisition 'thompson'"))
  }

  /// `--surrogate` names a model of the GP sampler; an unknown one is one clear error.
  @Test func askTakesASurrogate() throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "s")
    let space = #"{"a": {"type": "float", "low": 0, "high": 1}, "b": {"type": "float", "low": 0, "high": 1}}"#
    for n in 0..<12 {
      let r = try hone("ask", "--study", "s", "--seed", "1", "--sampler", "gp", "--surrogate", "infinite-width", "--space", space)
      #expect(r.status == 0, "\(r.stderr)")
      let p = try JSONValue.parse(r.stdout).objectValue!["params"]!.objectValue!
      _ = try hone.run(["tell", "--study", "s", "--trial", "\(n)", "--value", "\(p["a"]!.doubleValue! + p["b"]!.doubleValue!)"])
    }
    let bad = try hone("ask", "--study", "s", "--sampler", "gp", "--surrogate", "forest", "--space", space)
    #expect(bad.status == 64 && bad.stderr.contains("unknown surrogate 'forest'; use matern, infinite-width, dkl, hmc, ensemble or laplace"),
            "\(bad.stderr)")
  }

  /// CMA-ES on a study with two objectives: one clear error, a non-zero exit, no trial left running.
  @Test func cmaesRefusesSeveralObjectives() throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "mo", "--direction", "minimize", "--direction", "maximize")
    _ = try hone("ask", "--study", "mo", "--sampler", "random", "--space", #"{"a": {"type": "float", "low": 0, "high": 1}}"#)
    _ = try hone("tell", "--study", "mo", "--trial", "0", "--values", "1,2")
    let r = try hone("ask", "--study", "mo", "--sampler", "cmaes", "--space", #"{"a": {"type": "float", "low": 0, "high": 1}}"#)
    #expect(r.status != 0 && r.stderr.contains("CMA-ES optimizes one objective"))
    let trials = try JSONValue.parse(try hone("trials", "--study", "mo", "--format", "json").stdout).arrayValue!
    #expect(!trials.contains { $0.objectValue!["state"] == .string("running") })
  }

  /// `hone intermediate` records the value and prints the pruner's decision (exit 0 either way).
  @Test func intermediatePrunesExternalPrograms() throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "p", "--direction", "maximize")
    for n in 0..<5 {
      _ = try hone("ask", "--study", "p")
      for step in 1...3 {
        let r = try hone("intermediate", "--study", "p", "--trial", "\(n)", "--step", "\(step)", "--value", "0.\(n + step)")
        #expect(r.status == 0 && r.stdout == "continue\n", "\(r.stdout) \(r.stderr)")
      }
      _ = try hone("tell", "--study", "p", "--trial", "\(n)", "--value", "0.\(n + 3)")
    }
    _ = try hone("ask", "--study", "p")
    let low = try hone("intermediate", "--study", "p", "--trial", "5", "--step", "1", "--value", "0.01")
    #expect(low.status == 0 && low.stdout == "prune\n")
    let kept = try hone("intermediate", "--study", "p", "--trial", "5", "--step", "2", "--value", "0.01", "--pruner", "nop")
    #expect(kept.status == 0 && kept.stdout == "continue\n")
    let trials = try JSONValue.parse(try hone("trials", "--study", "p").stdout).arrayValue!
    #expect(trials[5].objectValue!["intermediate_values"] == .object(["1": .double(0.01), "2": .double(0.01)]))
    let extrapolated = try hone("intermediate", "--study", "p", "--trial", "5", "--step", "3", "--value", "0.5",
                                "--pruner", "learning-curve", "--predictor", "extrapolation")
    #expect(extrapolated.status == 0 && extrapolated.stdout == "continue\n", "\(extrapolated.stderr)")
    for (args, message) in [(["--pruner", "magic"], "unknown pruner"), (["--value", "x"], "not a number"),
                            (["--pruner", "learning-curve", "--predictor", "magic"], "unknown predictor")] {
      let r = try hone.run(["intermediate", "--study", "p", "--trial", "5", "--step", "3"] + (args.contains("--value") ? args : args + ["--value", "1"]))
      #expect(r.status != 0 && r.stderr.contains(message))
    }
    let finished = try hone("intermediate", "--study", "p", "--trial", "0", "--step", "9", "--value", "1")
    #expect(finished.status != 0 && finished.stderr.contains("only a running trial"))
  }

  @Test func nanValueFailsTheTrialWithANonZeroExit() throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "s")
    _ = try hone("ask", "--study", "s")
    let r = try hone("tell", "--study", "s", "--trial", "0", "--value", "nan")
    #expect(r.status != 0 && r.stderr.contains("failed") && r.stderr.contains("nan"))
    #expect(try hone("trials", "--study", "s").stdout.contains(#""state":"failed""#))
  }

  @Test func foreignNewerAndLockedDatabases() throws {
    let hone = try CLIRunner()
    let text = hone.folder.appendingPathComponent("notes.txt")
    try Data(repeating: 0x41, count: 4096).write(to: text)
    var r = try hone("study", "list", "--storage", "sqlite:///notes.txt")
    #expect(r.status != 0 && r.stderr.contains("not an SQLite database"))
    #expect(try Data(contentsOf: text) == Data(repeating: 0x41, count: 4096))

    let foreign = hone.folder.appendingPathComponent("app.db").path
    try DatabaseQueue(path: foreign).write { try $0.execute(sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
    let foreignBefore = try Self.dump(foreign)
    r = try hone("study", "create", "--study", "s", "--storage", "sqlite:///app.db")
    #expect(r.status != 0 && r.stderr.contains("not a Hone database"))
    #expect(try Self.dump(foreign) == foreignBefore)

    let newer = hone.folder.appendingPathComponent("newer.db").path
    _ = try hone("study", "create", "--study", "s", "--storage", "sqlite:///newer.db")
    try DatabaseQueue(path: newer).writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 7") }
    let newerBefore = try Self.dump(newer)
    r = try hone("ask", "--study", "s", "--storage", "sqlite:///newer.db")
    #expect(r.status != 0 && r.stderr.contains("newer"))
    #expect(try Self.dump(newer) == newerBefore)

    let locked = hone.folder.appendingPathComponent("locked.db").path
    _ = try hone("study", "create", "--study", "s", "--storage", "sqlite:///locked.db")
    let lockedBefore = try Self.dump(locked)
    try DatabaseQueue(path: locked).writeWithoutTransaction { db in
      try db.execute(sql: "BEGIN EXCLUSIVE")
      r = try hone("ask", "--study", "s", "--storage", "sqlite:///locked.db?timeout=0.3")
      try db.execute(sql: "ROLLBACK")
    }
    #expect(r.status != 0 && r.stderr.contains("locked"))
    #expect(try Self.dump(locked) == lockedBefore)
  }

  /// 4 processes × 250 ask/tell cycles through the CLI on one SQLite file: exactly 1,000
  /// complete trials numbered 0…999, none lost or duplicated.
  @Test func fourProcessesShareOneDatabase() async throws {
    let hone = try CLIRunner()
    #expect(try hone("study", "create", "--study", "shared").status == 0)
    let failures = Locked<[String]>([])
    await withTaskGroup(of: Void.self) { group in
      for worker in 0..<4 {
        group.addTask {
          for cycle in 0..<250 {
            do {
              let asked = try hone("ask", "--study", "shared", "--space", #"{"x": {"type": "float", "low": 0, "high": 1}}"#,
                                   "--seed", "\(worker)", "--sampler", "tpe")
              guard asked.status == 0, case .int(let n)? = try JSONValue.parse(asked.stdout).objectValue?["trial"] else {
                throw CLIRunnerError("ask: \(asked.stderr)")
              }
              let told = try hone("tell", "--study", "shared", "--trial", "\(n)", "--value", "\(worker * 1000 + cycle)")
              guard told.status == 0 else { throw CLIRunnerError("tell: \(told.stderr)") }
            } catch {
              failures.withLock { $0.append("worker \(worker) cycle \(cycle): \(error)") }
            }
          }
        }
      }
    }
    #expect(failures.current.isEmpty, "\(failures.current.prefix(3))")
    let storage = try SQLiteStorage(path: hone.folder.appendingPathComponent("hone.db").path)
    let trials = try storage.trials(studyID: try storage.studyID(name: "shared"), states: nil)
    #expect(trials.count == 1000)
    #expect(trials.map(\.number) == Array(0..<1000))
    #expect(trials.allSatisfy { $0.state == .complete })
    #expect(Set(trials.map { $0.values![0] }).count == 1000)
  }
}
