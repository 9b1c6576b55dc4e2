import Foundation
import GRDB
import Testing
import Hone

/// The python with Optuna that the interop tests run (`.venv-test/bin/python` of the
/// repository, made by `make test`, or `$HONE_TEST_PYTHON`), and the scripts in `Fixtures/`.
enum OptunaPython {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
  static let path: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let given = ProcessInfo.processInfo.environment["HONE_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    let candidate = given ?? root.appendingPathComponent(".venv-test/bin/python").path
    return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
  }()

  /// Runs `Fixtures/<script> args…` in `folder`; its stdout, or an error with its stderr.
  static func run(_ script: String, _ args: [String], in folder: URL) throws -> String {
    let result = try CLIRunner.run(URL(fileURLWithPath: path!), [fixtures.appendingPathComponent(script).path] + args, in: folder)
    guard result.status == 0 else { throw CLIRunnerError("\(script) \(args) failed: \(result.stderr)") }
    return result.stdout
  }

  /// A study as Optuna reads it (`optuna_read_study.py`), continued by `more` trials.
  static func read(_ file: String, study: String, continuing more: Int = 0, in folder: URL) throws -> [String: JSONValue] {
    let args = [file, study] + (more > 0 ? ["--continue", String(more)] : [])
    return try #require(try JSONValue.parse(run("optuna_read_study.py", args, in: folder)).objectValue)
  }
}

/// `hone study import --from optuna` and `hone study export --to optuna`, checked against
/// Optuna itself.
@Suite(.serialized, .enabled(if: OptunaPython.path != nil,
                             "no python with Optuna at .venv-test/bin/python (make test creates it) or $HONE_TEST_PYTHON: the Optuna interop tests need it"))
struct OptunaInteropTests {
  // MARK: helpers

  /// `hone trials --format json` of a study, one object per trial.
  func honeTrials(_ hone: CLIRunner, _ study: String) throws -> [[String: JSONValue]] {
    let r = try hone("trials", "--study", study, "--format", "json")
    #expect(r.status == 0, "\(r.stderr)")
    return try #require(try JSONValue.parse(r.stdout).arrayValue).map { try #require($0.objectValue) }
  }

  /// The fields both sides print alike: number, state, values, params, distributions,
  /// intermediate values, user attributes, and the constraints list.
  static func comparable(_ trial: [String: JSONValue], constraints: JSONValue?) -> [String: JSONValue] {
    var o: [String: JSONValue] = [:]
    for key in ["number", "state", "values", "params", "distributions", "intermediate_values", "user_attrs"] { o[key] = trial[key] ?? .null }
    o["constraints"] = constraints ?? .array([])
    return o
  }

  static func honeComparable(_ trial: [String: JSONValue]) -> [String: JSONValue] {
    comparable(trial, constraints: trial["system_attrs"]?.objectValue?["constraints"])
  }

  static func optunaComparable(_ trial: [String: JSONValue]) -> [String: JSONValue] {
    comparable(trial, constraints: trial["constraints"])
  }

  /// A Hone datetime (ISO 8601 with milliseconds) or an Optuna one (Unix seconds).
  static func date(_ value: JSONValue?) -> Date? {
    switch value {
    case .string(let text)?:
      let format = ISO8601DateFormatter()
      format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
      return format.date(from: text)
    case let number?: return number.doubleValue.map(Date.init(timeIntervalSince1970:))
    case nil: return nil
    }
  }

  /// Both datetimes absent, or within 2 ms (Hone prints milliseconds).
  static func sameTime(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
    switch (date(a), date(b)) {
    case (nil, nil): return (a ?? .null) == .null && (b ?? .null) == .null
    case (let x?, let y?): return abs(x.timeIntervalSince(y)) < 0.002
    default: return false
    }
  }

  /// `null` as Hone imports it from a categorical: the string "null".
  static func nullAsText(_ value: JSONValue) -> JSONValue { value == .null ? .string("null") : value }

  /// Hone studies for the export tests, made through the CLI (and the library, for what the
  /// CLI does not set): `s` (maximize) with complete, failed, pruned, running and waiting
  /// trials over a log float, a stepped float, an int and a categorical, one with
  /// constraints and user attributes, one failed with a reason; `m` (two objectives) with
  /// intermediate vectors.
  func makeHoneStudies(_ hone: CLIRunner) throws {
    let space = #"{"lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": true}, "dropout": {"type": "float", "low": 0, "high": 0.5, "step": 0.1}, "layers": {"type": "int", "low": 1, "high": 4}, "opt": {"type": "categorical", "choices": ["adam", "sgd", "1", "true"]}}"#
    func ok(_ args: String...) throws {
      let r = try hone.run(args)
      #expect(r.status == 0, "\(args): \(r.stderr)")
    }
    try ok("study", "create", "--study", "s", "--direction", "maximize")
    for trial in 0..<3 {
      try ok("ask", "--study", "s", "--space", space, "--seed", "7")
      try ok("intermediate", "--study", "s", "--trial", "\(trial)", "--step", "0", "--value", "0.\(trial + 1)", "--pruner", "nop")
      try ok("intermediate", "--study", "s", "--trial", "\(trial)", "--step", "2", "--value", "0.\(trial + 5)", "--pruner", "nop")
    }
    try ok("tell", "--study", "s", "--trial", "0", "--value", "0.9")
    try ok("tell", "--study", "s", "--trial", "1", "--state", "failed")
    try ok("tell", "--study", "s", "--trial", "2", "--state", "pruned")
    let storage = try SQLiteStorage(path: hone.folder.appendingPathComponent("hone.db").path, create: false)
    let study = try Study.load(name: "s", storage: storage)
    try study.setUserAttr("dataset", .string("digits"))
    let trial = try study.ask()
    _ = try trial.suggestFloat("lr", 1e-5...0.1, log: true)
    _ = try trial.suggestCategorical("opt", ["adam", "sgd", "1", "true"])
    try trial.setUserAttr("note", .object(["list": .array([.int(1), .double(2.5), .null]), "text": .string("ü→")]))
    try trial.setConstraints([0.5, -1])
    _ = try study.tell(trial, 0.7)
    let failing = try study.ask()
    _ = try failing.suggestInt("layers", 1...4)
    _ = try study.tell(failing, state: .failed, failReason: "out of memory")
    try ok("enqueue", "--study", "s", "--params", #"{"lr": 0.01, "layers": 2, "opt": "sgd"}"#)
    try ok("ask", "--study", "s", "--space", space)  // takes the enqueued trial and leaves it running
    try ok("enqueue", "--study", "s", "--params", #"{"lr": 0.001, "opt": "adam"}"#)
    try ok("study", "create", "--study", "m", "--direction", "minimize", "--direction", "maximize")
    for trial in 0..<3 {
      try ok("ask", "--study", "m", "--space", #"{"a": {"type": "float", "low": 0, "high": 1}, "k": {"type": "int", "low": 1, "high": 3}}"#)
      try ok("intermediate", "--study", "m", "--trial", "\(trial)", "--step", "0", "--values", "0.5,\(trial)")
    }
    try ok("tell", "--study", "m", "--trial", "0", "--values", "0.1,2")
    try ok("tell", "--study", "m", "--trial", "1", "--values", "0.3,1")
    try ok("tell", "--study", "m", "--trial", "2", "--state", "failed")
  }

  // MARK: tests

  /// An Optuna study, imported: `hone trials` shows what Optuna shows, but for what Hone
  /// cannot hold, each named in a warning.
  @Test func importsAnOptunaStudy() throws {
    let hone = try CLIRunner()
    _ = try OptunaPython.run("optuna_make_study.py", ["optuna.db"], in: hone.folder)
    let optuna = try OptunaPython.read("optuna.db", study: "single", in: hone.folder)
    let r = try hone("study", "import", "--from", "optuna", "--source", "sqlite:///optuna.db")
    #expect(r.status == 0, "\(r.stderr)")
    let reply = try #require(try JSONValue.parse(r.stdout).objectValue)
    #expect(reply["study"] == .string("single") && reply["trials"] == .int(10) && reply["source_study"] == .string("single"))
    let warnings = try #require(reply["warnings"]?.arrayValue).compactMap(\.stringValue)
    for expected in ["holds 2 studies ('single', 'multi')", "study:metric_names", "parameter 'mixed': the choices null",
                     "trial 3: complete with a non-finite value", "trial 7: running in Optuna", "trial 8: the fixed parameters mixed = null",
                     "trial 9: the user attribute 'nonfinite' holds NaN", "trial 9: the named constraints mem, time"] {
      #expect(warnings.contains { $0.contains(expected) }, "no warning with '\(expected)' in \(warnings)")
    }
    #expect(r.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }.count == warnings.count)

    let trials = try honeTrials(hone, "single")
    let expected = try #require(optuna["trials"]?.arrayValue).map { try #require($0.objectValue) }
    #expect(trials.count == expected.count)
    for (got, optunaTrial) in zip(trials, expected) {
      var want = Self.optunaComparable(optunaTrial)
      want["params"] = want["params"]?.objectValue.map { .object($0.mapValues(Self.nullAsText)) }
      want["distributions"] = want["distributions"]?.objectValue.map { distributions in
        .object(distributions.mapValues { d in
          guard var o = d.objectValue, let choices = o["choices"]?.arrayValue else { return d }
          o["choices"] = .array(choices.map(Self.nullAsText))
          return .object(o)
        })
      }
      if want["number"] == .int(3) {  // complete with -inf in Optuna
        want["state"] = .string("failed")
        want["values"] = .null
        #expect(got["system_attrs"]?.objectValue?["fail_reason"]?.stringValue?.contains("[-inf]") == true)
      }
      #expect(Self.honeComparable(got) == want)
      #expect(Self.sameTime(got["datetime_start"], optunaTrial["datetime_start"]), "\(got["number"]!)")
      #expect(Self.sameTime(got["datetime_complete"], optunaTrial["datetime_complete"]), "\(got["number"]!)")
    }
    #expect(trials[8]["system_attrs"]?.objectValue?["fixed_params"] == .object(["lr": .double(0.001), "opt": .string("sgd")]))
    let show = try JSONValue.parse(try hone("study", "show", "--study", "single").stdout).objectValue
    #expect(show?["user_attrs"] == optuna["user_attrs"])

    // The other study, under a new name: nothing to change but the sampler's attributes.
    let multi = try hone("study", "import", "--from", "optuna", "--source", "optuna.db", "--source-study", "multi", "--study", "multi-copy")
    #expect(multi.status == 0, "\(multi.stderr)")
    #expect(multi.stderr.contains("NSGAIISampler:generation (5 trials)"))
    let optunaMulti = try OptunaPython.read("optuna.db", study: "multi", in: hone.folder)
    let multiTrials = try honeTrials(hone, "multi-copy")
    let multiExpected = try #require(optunaMulti["trials"]?.arrayValue).map { try #require($0.objectValue) }
    #expect(multiTrials.count == 5)
    for (got, optunaTrial) in zip(multiTrials, multiExpected) {
      #expect(Self.honeComparable(got) == Self.optunaComparable(optunaTrial))
      #expect(got["system_attrs"] == optunaTrial["system_attrs"])
    }
  }

  /// A Hone study exported: Optuna reads the same trials, and continues the study with the
  /// same distributions (the enqueued trial first).
  @Test func exportsAHoneStudyThatOptunaContinues() throws {
    let hone = try CLIRunner()
    try makeHoneStudies(hone)
    let r = try hone("study", "export", "--to", "optuna", "--study", "s", "--output", "sqlite:///s.db")
    #expect(r.status == 0, "\(r.stderr)")
    let reply = try #require(try JSONValue.parse(r.stdout).objectValue)
    #expect(reply["study"] == .string("s") && reply["trials"] == .int(7) && reply["output"] == .string("s.db"))
    let warnings = try #require(reply["warnings"]?.arrayValue).compactMap(\.stringValue)
    #expect(warnings.contains { $0.contains("trial 5: running") }, "\(warnings)")
    #expect(warnings.contains { $0.contains("Optuna ignores them") && $0.contains("fail_reason") }, "\(warnings)")

    let trials = try honeTrials(hone, "s")
    let optuna = try OptunaPython.read("s.db", study: "s", continuing: 2, in: hone.folder)
    #expect(optuna["directions"] == .array([.string("maximize")]))
    #expect(optuna["user_attrs"] == .object(["dataset": .string("digits")]))
    let read = try #require(optuna["trials"]?.arrayValue).map { try #require($0.objectValue) }
    #expect(read.count == trials.count)
    for (got, optunaTrial) in zip(trials, read) {
      #expect(Self.optunaComparable(optunaTrial) == Self.honeComparable(got))
      #expect(optunaTrial["system_attrs"] == got["system_attrs"])
      #expect(Self.sameTime(got["datetime_start"], optunaTrial["datetime_start"]), "\(got["number"]!)")
      #expect(Self.sameTime(got["datetime_complete"], optunaTrial["datetime_complete"]), "\(got["number"]!)")
    }
    #expect(read.map { $0["state"] ?? .null } == ["complete", "failed", "pruned", "complete", "failed", "running", "waiting"].map(JSONValue.string))
    #expect(read[3]["constraints"] == .array([.double(0.5), .double(-1)]))
    #expect(read[4]["system_attrs"]?.objectValue?["fail_reason"] == .string("out of memory"))
    let continued = try #require(optuna["continued"]?.arrayValue).map { try #require($0.objectValue) }
    #expect(continued.map { $0["number"] ?? .null } == [.int(6), .int(7)])
    #expect(continued.allSatisfy { $0["state"] == .string("complete") })
    #expect(continued[0]["params"]?.objectValue?["lr"] == .double(0.001) && continued[0]["params"]?.objectValue?["opt"] == .string("adam"))
    #expect(Set(continued[1]["params"]?.objectValue.map { Array($0.keys) } ?? []) == ["lr", "dropout", "layers", "opt"])

    let m = try hone("study", "export", "--to", "optuna", "--study", "m", "--output", "m.db")
    #expect(m.status == 0, "\(m.stderr)")
    #expect(m.stderr.contains("warning: trials 0, 1, 2: intermediate vectors"), "\(m.stderr)")
    let optunaM = try OptunaPython.read("m.db", study: "m", continuing: 1, in: hone.folder)
    #expect(optunaM["directions"] == .array([.string("minimize"), .string("maximize")]))
    let readM = try #require(optunaM["trials"]?.arrayValue).map { try #require($0.objectValue) }
    for (got, optunaTrial) in zip(try honeTrials(hone, "m"), readM) {
      #expect(Self.optunaComparable(optunaTrial) == Self.honeComparable(got))
    }
    #expect(optunaM["continued"]?.arrayValue?.first?.objectValue?["state"] == .string("complete"))
  }

  /// import(export(study)) is the study: every field of every trial, but the intermediate
  /// vectors Optuna cannot hold (and datetimes to the microsecond).
  @Test func exportThenImportGivesTheStudyBack() throws {
    let hone = try CLIRunner()
    try makeHoneStudies(hone)
    for name in ["s", "m"] {
      #expect(try hone("study", "export", "--to", "optuna", "--study", name, "--output", "\(name).db").status == 0)
      let back = try hone("study", "import", "--from", "optuna", "--source", "sqlite:///\(name).db", "--study", "\(name)-back")
      #expect(back.status == 0, "\(back.stderr)")
      let original = try honeTrials(hone, name)
      let imported = try honeTrials(hone, "\(name)-back")
      #expect(original.count == imported.count)
      for (a, b) in zip(original, imported) {
        var a = a, b = b
        for key in ["datetime_start", "datetime_complete"] {
          #expect(Self.sameTime(a[key], b[key]), "\(name) trial \(a["number"]!): \(key)")
          a[key] = nil
          b[key] = nil
        }
        #expect(abs((a["duration"]?.doubleValue ?? 0) - (b["duration"]?.doubleValue ?? 0)) < 0.002)
        a["duration"] = nil
        b["duration"] = nil
        if name == "m" {
          #expect(b["intermediate_vectors"] == .object([:]))
          a["intermediate_vectors"] = nil
          b["intermediate_vectors"] = nil
        }
        #expect(a == b)
      }
      let show = { (study: String) in try JSONValue.parse(try hone("study", "show", "--study", study).stdout).objectValue?["user_attrs"] }
      #expect(try show(name) == show("\(name)-back"))
    }
  }

  /// Each bad transfer: a non-zero exit, one clear line (usage errors add the usage), no
  /// output, the Hone database unchanged and no file created (no new Hone database, no
  /// export, no temporary file).
  @Test func badTransfersAreRefusedAndWriteNothing() throws {
    let hone = try CLIRunner()
    let folder = hone.folder
    _ = try OptunaPython.run("optuna_make_study.py", ["optuna.db"], in: folder)
    _ = try hone("study", "create", "--study", "s")
    _ = try hone("study", "create", "--study", "other", "--storage", "sqlite:///other.db")
    try Data(String(repeating: "not a database ", count: 100).utf8).write(to: folder.appendingPathComponent("junk.db"))
    try FileManager.default.copyItem(at: folder.appendingPathComponent("optuna.db"), to: folder.appendingPathComponent("old.db"))
    try DatabaseQueue(path: folder.appendingPathComponent("old.db").path).write {
      try $0.execute(sql: "UPDATE alembic_version SET version_num = 'v3.0.0.d'")
    }
    try Data("keep".utf8).write(to: folder.appendingPathComponent("exists.db"))
    let importing = ["study", "import", "--from", "optuna", "--source"]
    let exporting = ["study", "export", "--to", "optuna", "--study"]
    let cases: [(args: [String], message: String, usage: Bool)] = [
      (importing + ["sqlite:///missing.db"], "no Optuna file at missing.db", false),
      (importing + ["missing.db", "--storage", "sqlite:///fresh.db"], "no Optuna file at missing.db", false),
      (importing + ["junk.db"], "junk.db is not an SQLite database", false),
      (importing + ["sqlite:///other.db"], "other.db is a Hone database", false),
      (importing + ["old.db"], "optuna storage upgrade --storage sqlite:///old.db", false),
      (importing + ["optuna.db", "--source-study", "ghost"], "has no study named 'ghost'; it holds 'single', 'multi'", false),
      (importing + ["optuna.db", "--source-study", "single", "--study", "s"], "already has a study named 's'", false),
      (importing + ["postgresql://u@localhost/optuna"], "not an SQLite file", false),
      (exporting + ["ghost", "--output", "new.db"], "no study named 'ghost'", false),
      (exporting + ["s", "--output", "sqlite:///exists.db"], "exists.db exists", false),
      (exporting + ["s", "--output", "nowhere/new.db"], "does not exist", false),
      (["study", "import", "--from", "mlflow", "--source", "optuna.db"], "the one supported source is optuna", true),
      (["study", "export", "--to", "csv", "--study", "s", "--output", "new.db"], "the one supported format is optuna", true),
    ]
    let db = folder.appendingPathComponent("hone.db").path
    let before = try CLITests.dump(db)
    for (args, message, usage) in cases {
      let r = try hone.run(args)
      #expect(r.status != 0, "\(args) should fail")
      #expect(r.stderr.contains(message), "\(args): stderr was \(r.stderr)")
      if !usage { #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(args): \(r.stderr)") }
      #expect(r.stdout.isEmpty, "\(args): stdout was \(r.stdout)")
      #expect(try CLITests.dump(db) == before, "\(args) changed the database")
      let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
        $0.hasPrefix("fresh.db") || $0.hasPrefix("new.db") || $0.contains(".hone-") || $0 == "nowhere"
      }
      #expect(left.isEmpty, "\(args) left \(left)")
    }
    #expect(try Data(contentsOf: folder.appendingPathComponent("exists.db")) == Data("keep".utf8))
  }
}
