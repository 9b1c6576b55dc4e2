// Storage throughput: ask + tell cycles per second with the random sampler, the work that
// Benchmarks/peers/optuna_storage.py gives Optuna. A cycle is ask(), suggestFloat("x",
// -10...10), suggestInt("y", 0...100), suggestCategorical("c", ["a", "b", "c"]) — one
// storage write each, as in define-by-run — then tell(x² + y).
//
//   StorageBenchmark --mode memory|sqlite|postgres --trials N [--processes P] [--db PATH]
//                    [--url postgresql://…] [--json]
//
// With P > 1 the parent creates the study, starts P copies of itself as workers on the same
// file or database, and times from their start to the last exit. For postgres, --url names an
// empty database. Prints one JSON line with --json.
import Foundation
import Hone

struct Options {
  var mode = "memory"
  var trials = 1000
  var processes = 1
  var db: String?
  var url: String?
  var json = false
  var worker: (count: Int, seed: UInt64)?

  init(_ args: [String]) {
    var i = 0
    func value() -> String {
      i += 1
      guard i < args.count else { fatalError("missing value for \(args[i - 1])") }
      return args[i]
    }
    while i < args.count {
      switch args[i] {
      case "--mode": mode = value()
      case "--trials": trials = Int(value())!
      case "--processes": processes = Int(value())!
      case "--db": db = value()
      case "--url": url = value()
      case "--json": json = true
      case "--worker": worker = (Int(value())!, UInt64(value())!)
      default: fatalError("unknown argument \(args[i])")
      }
      i += 1
    }
  }
}

func cycles(_ study: Study, _ count: Int) throws {
  for _ in 0..<count {
    let trial = try study.ask()
    let x = try trial.suggestFloat("x", -10...10)
    let y = try trial.suggestInt("y", 0...100)
    _ = try trial.suggestCategorical("c", ["a", "b", "c"])
    try study.tell(trial, x * x + Double(y))
  }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let studyName = "bench"

/// The shared storage a worker opens: the SQLite file or the PostgreSQL database.
func sharedStorage(_ options: Options) throws -> any Storage {
  options.mode == "postgres" ? try PostgresStorage(url: options.url!) : try SQLiteStorage(path: options.db!)
}

if let worker = options.worker {
  let study = try Study.load(name: studyName, storage: sharedStorage(options), sampler: RandomSampler(seed: worker.seed),
                             pruner: NopPruner())
  try cycles(study, worker.count)
  exit(0)
}

let started: Date
var lockedErrors = 0
var otherErrors = 0
var storage: any Storage
switch options.mode {
case "memory":
  storage = InMemoryStorage()
  let study = try Study(name: studyName, storage: storage, direction: .minimize, sampler: RandomSampler(seed: 0), pruner: NopPruner())
  started = Date()
  try cycles(study, options.trials)
case "sqlite", "postgres":
  var worker = options
  if options.mode == "sqlite" {
    let path = options.db ?? FileManager.default.temporaryDirectory.appendingPathComponent("hone-bench-\(getpid()).db").path
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    worker.db = path
  } else if options.url == nil {
    fatalError("--mode postgres needs --url postgresql://… naming an empty database")
  }
  storage = try sharedStorage(worker)
  _ = try Study(name: studyName, storage: storage, direction: .minimize, pruner: NopPruner())
  started = Date()
  if options.processes == 1 {
    try cycles(try Study.load(name: studyName, storage: storage, sampler: RandomSampler(seed: 0), pruner: NopPruner()), options.trials)
  } else {
    var workers: [(Process, Pipe)] = []
    for w in 0..<options.processes {
      let share = options.trials / options.processes + (w < options.trials % options.processes ? 1 : 0)
      let p = Process()
      p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
      p.arguments = ["--mode", options.mode, "--worker", "\(share)", "\(w)"]
        + (worker.db.map { ["--db", $0] } ?? []) + (worker.url.map { ["--url", $0] } ?? [])
      let err = Pipe()
      p.standardError = err
      try p.run()
      workers.append((p, err))
    }
    for (p, err) in workers {
      let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      p.waitUntilExit()
      if p.terminationStatus != 0 {
        if message.contains("locked") { lockedErrors += 1 } else { otherErrors += 1 }
        FileHandle.standardError.write(Data(message.utf8))
      }
    }
  }
default:
  fatalError("--mode is memory, sqlite or postgres")
}
let seconds = Date().timeIntervalSince(started)
let trials = try storage.trials(studyID: try storage.studyID(name: studyName), states: nil)
let complete = trials.filter { $0.state == .complete }.count
let dense = trials.map(\.number) == Array(0..<trials.count)
let result: JSONValue = .object([
  "peer": "hone", "mode": .string(options.mode), "processes": .int(options.processes), "trials": .int(options.trials),
  "seconds": .double(seconds), "trials_per_second": .double(Double(options.trials) / seconds), "complete": .int(complete),
  "numbers_dense": .bool(dense), "locked_errors": .int(lockedErrors), "other_errors": .int(otherErrors),
])
if options.json {
  print(result.description)
} else {
  print("hone \(options.mode) x\(options.processes): \(options.trials) trials in \(String(format: "%.3f", seconds)) s = \(Int(Double(options.trials) / seconds)) trials/s; complete=\(complete) dense=\(dense) locked=\(lockedErrors) other=\(otherErrors)")
}
