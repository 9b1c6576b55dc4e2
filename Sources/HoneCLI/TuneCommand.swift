import ArgumentParser
import Foundation
import Hone

/// `hone tune`: tunes any program. Each trial runs COMMAND with the trial's parameters (see
/// `CommandObjective`); `--jobs` run at once; Ctrl-C (or SIGTERM) ends the running commands,
/// records their trials as failed ("interrupted") and exits with status 128 + the signal (130
/// for Ctrl-C) — running the same command again continues the study. No command outlives it.
struct TuneCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tune", abstract: "Tune any program: run a command per trial, {name} in its arguments replaced by the parameters.",
    discussion: """
      The command reports with lines on stdout: 'hone: step=<int> value=<float>' (intermediate values, \
      for pruning) and a last 'hone: value=<float>' (or 'hone: values=<v1>,<v2>' for several objectives). \
      Its parameters are also in the environment as HONE_PARAM_<NAME>, the trial number as HONE_TRIAL.
      Example: hone tune --study s --space-file space.json --trials 20 -- python3 train.py --lr {lr}
      """)
  @Option(help: "Storage URL.") var storage = "sqlite:///hone.db"
  @Option(help: "The study's name; created when missing.") var study: String
  @Option(help: "A file holding the search space JSON.") var spaceFile: String?
  @Option(help: "The search space as inline JSON.") var space: String?
  @Option(help: "Trials to run (default: until --timeout or Ctrl-C).") var trials: Int?
  @Option(help: "Stop starting trials after this many seconds.") var timeout: Double?
  @Option(help: "Trials run at once.") var jobs = 1
  @Option(help: "Fail a trial whose command runs longer than this many seconds.") var trialTimeout: Double?
  @Option(help: "Seconds between SIGTERM and SIGKILL when a command is ended.") var grace = 5.0
  @Option(help: "tpe (default), gp, cmaes, nsga2, random or qmc.") var sampler = "tpe"
  @Option(help: "The GP sampler's acquisition: logei (default), nei, kg, mes, ucb or pi.") var acquisition = "logei"
  @Option(help: "\(PrunerName.names.joined(separator: ", ")) (default nop).") var pruner = "nop"
  @Option(help: "minimize or maximize; repeat for several objectives (for a new study; default minimize).")
  var direction: [String] = []
  @Option(help: "Seed of the sampler.") var seed: UInt64?
  @Option(help: "Folder for each trial's stdout and stderr (default hone-logs/<study>).") var logDir: String?
  @Flag(help: "End with one JSON line: the best trial and the counts.") var json = false
  @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.") var command: [String] = []

  func validate() throws {
    guard !command.isEmpty else { throw ValidationError("give the command to run after --, e.g. -- python3 train.py --lr {lr}") }
    guard (space == nil) != (spaceFile == nil) else { throw ValidationError("give --space-file or --space (one of them)") }
    if let trials, trials < 1 { throw ValidationError("--trials must be at least 1, got \(trials)") }
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    for (name, value) in [("--timeout", timeout), ("--trial-timeout", trialTimeout)] {
      if let value, !(value > 0 && value <= 1e9) { throw ValidationError("\(name) must be a positive number of seconds (at most 1e9), got \(value)") }
    }
    guard grace >= 0, grace.isFinite else { throw ValidationError("--grace must be ≥ 0 seconds, got \(grace)") }
  }

  func run() async throws {
    let distributions = try Distribution.space(fromJSON: try space ?? readFile(spaceFile!))
    guard !distributions.isEmpty else { throw ValidationError("the search space is empty") }
    try CommandObjective.checkPlaceholders(command, space: distributions)
    let directions = direction.isEmpty ? nil : try parseDirections(direction)
    let chosen = try SamplerName.make(sampler, seed: seed, space: distributions, acquisition: acquisition)
    let study = try openStudy(name: self.study, storage: StorageURL.open(storage), directions: directions, sampler: chosen,
                              pruner: PrunerName.make(pruner)).study
    let logs = URL(fileURLWithPath: logDir ?? "hone-logs/\(self.study)")
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    let running = RunningCommands()
    let objective = CommandObjective(command: command, space: distributions, logs: logs, grace: grace, running: running)
    let before = try study.trials.count
    print("study \(study.name): \(before > 0 ? "continuing after \(before) trials" : "new"); logs in \(logs.path)")
    fflush(nil)

    // Ctrl-C (or SIGTERM): no new trials, running commands ended and their trials failed.
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    let handlers = [SIGINT, SIGTERM].map { number in
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [grace] in
        study.stop()
        running.interruptAll(signal: number, grace: grace)
      }
      source.resume()
      return source
    }
    defer { handlers.forEach { $0.cancel() } }

    let progress = StudyProgress(total: trials)
    try await study.optimize(trials: trials, timeout: timeout.map { .milliseconds(Int($0 * 1000)) }, concurrency: jobs,
                             trialTimeout: trialTimeout.map { .milliseconds(Int($0 * 1000)) }, callbacks: [progress.callback],
                             values: { try await objective($0) })
    running.drain(grace: grace)
    progress.finish()

    let now = try study.trials.dropFirst(before)
    let counts = Dictionary(grouping: now, by: \.state).mapValues(\.count)
    print("\(now.count) trials: " + TrialState.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", "))
    for trial in now where trial.state == .failed { print("  #\(trial.number) failed: \(trial.failReason ?? "")") }
    let best = study.directions.count == 1 ? (try? study.bestTrial).map { [$0] } : try? study.bestTrials
    if let best, let first = best.first {
      print("best trial #\(first.number): values \(first.values!) params " + first.params.keys.sorted().map { "\($0)=\(first.params[$0]!)" }.joined(separator: " "))
    }
    if json {
      var summary: [String: JSONValue] = ["trials": .int(now.count)]
      for state in TrialState.allCases { summary[state.rawValue] = .int(counts[state] ?? 0) }
      if let first = best?.first {
        summary["best_trial"] = .int(first.number)
        summary["values"] = .array(first.values!.map(JSONValue.double))
        summary["params"] = .object(first.params.mapValues(\.json))
      }
      printJSON(.object(summary))
    }
    if let signal = running.interruptingSignal {
      FileHandle.standardError.write(Data("interrupted: the running trials were marked failed; run the same command to continue the study\n".utf8))
      throw ExitCode(128 + signal)
    }
    if counts[.complete, default: 0] == 0, let failed = now.first(where: { $0.state == .failed }) {
      throw CLIError("no trial completed; the first failure: \(failed.failReason ?? "unknown")")
    }
  }
}
