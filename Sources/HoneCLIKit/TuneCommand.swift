import ArgumentParser
import Foundation
import Hone

/// `hone tune`: tunes any program. Each trial runs COMMAND with the trial's parameters (see
/// `CommandObjective`); `--jobs` run at once; Ctrl-C, SIGTERM or SIGHUP ends the running
/// commands, records their trials as failed ("interrupted") and exits with status 128 + the
/// signal (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP) — running the same command again
/// continues the study. No command outlives it. When the study carries a heartbeat grace
/// (`hone study create --heartbeat-grace`), the trials it runs send heartbeats, so those of a
/// `hone tune` that was killed are failed by the next ask of any process.
struct TuneCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tune", abstract: "Tune any program: run a command per trial, {name} in its arguments replaced by the parameters.",
    discussion: """
      The command reports with lines on stdout: 'hone: step=<int> value=<float>' (intermediate values, \
      for pruning) and a last 'hone: value=<float>' (or 'hone: values=<v1>,<v2>' for several objectives). \
      Every parameter of the space is sampled for each trial (those whose "when" condition holds, in \
      a conditional space) and put in the environment as HONE_PARAM_<NAME>, the trial number as \
      HONE_TRIAL, whether or not the arguments use it. Write {{ and }} for literal braces: \
      '{{"lr": {lr}}}' becomes {"lr": 0.01}.
      Example: hone tune --study s --space-file space.json --trials 20 -- python3 train.py --lr {lr}
      """)
  @Option(help: "Storage URL (default: $HONE_STORAGE, else sqlite:///hone.db).") var storage: String?
  @Option(help: "The study's name; created when missing.") var study: String
  @OptionGroup var searchSpace: SearchSpaceOptions
  @Option(parsing: .unconditional, help: "Trials to run (default: until --timeout or Ctrl-C).") var trials: Int?
  @Option(parsing: .unconditional, help: "Stop starting trials after this many seconds.") var timeout: Double?
  @Option(parsing: .unconditional, help: "Trials run at once.") var jobs = 1
  @Option(parsing: .unconditional, help: "Fail a trial whose command runs longer than this many seconds.") var trialTimeout: Double?
  @Option(parsing: .unconditional, help: "Seconds between SIGTERM and SIGKILL when a command is ended.") var grace = 5.0
  @Option(help: ArgumentHelp("\(Catalogs.samplers.nameList) (default auto).")) var sampler = "auto"
  @Option(help: ArgumentHelp("The GP sampler's acquisition: \(AcquisitionKind.allCases.map(\.rawValue).joined(separator: ", ")) (default logei).")) var acquisition: String?
  @Option(help: ArgumentHelp("The GP sampler's surrogate: \(Catalogs.surrogates.nameList) (default matern).")) var surrogate: String?
  @Option(help: ArgumentHelp("\(Catalogs.pruners.nameList) (default nop).")) var pruner = "nop"
  @OptionGroup var prunerSettings: PrunerSettingsOptions
  @Option(help: "minimize or maximize; repeat for several objectives (for a new study; default minimize).")
  var direction: [String] = []
  @Option(parsing: .unconditional, help: "Seed of the sampler.") var seed: UInt64?
  @Option(help: "Folder for each trial's stdout and stderr (default hone-logs/<study>, the name made a safe file name).")
  var logDir: String?
  @Flag(help: "End with one JSON line: the best trial and the counts of this run.") var json = false
  @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.") var command: [String] = []

  /// Consecutive commands that could not be started after which the run stops.
  static let startFailureLimit = 3

  func validate() throws {
    guard !command.isEmpty else { throw ValidationError("give the command to run after --, e.g. -- python3 train.py --lr {lr}") }
    guard (searchSpace.space == nil) != (searchSpace.spaceFile == nil) else { throw ValidationError("give --space-file or --space (one of them)") }
    if let trials, trials < 1 { throw ValidationError("--trials must be at least 1, got \(trials)") }
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    for (name, value) in [("--timeout", timeout), ("--trial-timeout", trialTimeout)] {
      if let value, !(value > 0 && value <= 1e9) { throw ValidationError("\(name) must be a positive number of seconds (at most 1e9), got \(value)") }
    }
    guard grace >= 0, grace <= 1e9 else { throw ValidationError("--grace must be between 0 and 1e9 seconds, got \(grace)") }
  }

  func run() async throws {
    // Everything is checked before the study is opened or created, so a bad input writes nothing.
    let space = try searchSpace.read()!
    let templates = try CommandObjective.templates(command, space: space.distributions)
    let directions = direction.isEmpty ? nil : try parseDirections(direction)
    let chosen = try Catalogs.sampler(sampler, seed: seed, space: space, settings: CatalogSettings().with("acquisition", acquisition).with("surrogate", surrogate))
    let chosenPruner = try Catalogs.pruner(pruner, directions: directions, settings: prunerSettings.settings)
    let logs = try OutputPaths.prepareFolder(logDir ?? "hone-logs/" + OutputPaths.fileName(forStudy: self.study), purpose: "log folder")
    let url = storage ?? storageFromEnvironment()
    let study = try openStudy(name: self.study, storage: Catalogs.storage(url), directions: directions, sampler: chosen,
                              pruner: chosenPruner).study
    let running = RunningCommands()
    let objective = CommandObjective(templates: templates, space: space, logs: logs, grace: grace, running: running)
    let before = try study.trials.count
    try recordSearchSettings(study, sampler: sampler, pruner: pruner)
    print("study \(study.name): \(before > 0 ? "continuing after \(before) trials" : "new"); logs in \(logs.path)")
    printDashboardHint(storage: url)
    fflush(nil)

    // Ctrl-C, SIGTERM or SIGHUP (a closed terminal or SSH session): no new trials, running
    // commands ended and their trials failed. A closed pipe on stdout is not fatal either.
    signal(SIGPIPE, SIG_IGN)
    let handlers = [SIGINT, SIGTERM, SIGHUP].map { number in
      signal(number, SIG_IGN)
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
    let finished = Locked<[FrozenTrial]>([])
    let record: Study.Callback = { study, trial in
      finished.withLock { $0.append(trial) }
      if let reason = trial.failReason, reason.hasPrefix(StorageRules.staleReasonPrefix) {
        // This run's heartbeats stopped reaching the storage (a cut link, a stalled host), and
        // another worker failed the trial meanwhile: its result was refused.
        FileHandle.standardError.write(Data("hone: trial \(trial.number) of study '\(study.name)' was failed by another worker while this one could not reach the storage (\(reason)); its result is dropped and the run goes on\n".utf8))
      }
    }
    try await study.optimize(trials: trials, timeout: timeout.map { .milliseconds(Int($0 * 1000)) }, concurrency: jobs,
                             trialTimeout: trialTimeout.map { .milliseconds(Int($0 * 1000)) }, callbacks: [record, progress.callback],
                             values: { try await objective($0) })
    running.drain(grace: grace)
    progress.finish()
    try summarize(study, thisRun: finished.current.sorted { $0.number < $1.number }, running: running)
  }

  /// Prints what this run did (its own trials only, enqueued ones included) and the best
  /// trial of the study, and fails the command when the run was interrupted or nothing completed.
  private func summarize(_ study: Study, thisRun: [FrozenTrial], running: RunningCommands) throws {
    let counts = Dictionary(grouping: thisRun, by: \.state).mapValues(\.count)
    print("\(thisRun.count) trials: " + TrialState.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", "))
    for trial in thisRun where trial.state == .failed { print("  #\(trial.number) failed: \(trial.failReason ?? "")") }
    let best = study.directions.count == 1 ? (try? study.bestTrial).map { [$0] } : try? study.bestTrials
    if let best, let first = best.first {
      print("best trial #\(first.number): values \(first.values!) params " + first.params.keys.sorted().map { "\($0)=\(first.params[$0]!)" }.joined(separator: " "))
    }
    if json {
      var summary: [String: JSONValue] = ["trials": .int(thisRun.count)]
      for state in TrialState.allCases { summary[state.rawValue] = .int(counts[state] ?? 0) }
      if let first = best?.first {
        summary["best_trial"] = .int(first.number)
        summary["values"] = .array(first.values!.map(JSONValue.double))
        summary["params"] = .object(first.params.mapValues(\.json))
      }
      printJSON(.object(summary))
    }
    fflush(nil)
    if let signal = running.interruptingSignal {
      FileHandle.standardError.write(Data("interrupted: the running trials were marked failed; run the same command to continue the study\n".utf8))
      throw ExitCode(128 + signal)
    }
    if let reason = running.startFailure {
      throw CLIError("stopped after \(Self.startFailureLimit) commands in a row could not be started: \(reason)")
    }
    if counts[.complete, default: 0] == 0, let failed = thisRun.first(where: { $0.state == .failed }) {
      throw CLIError("no trial completed; the first failure: \(failed.failReason ?? "unknown")")
    }
  }
}
