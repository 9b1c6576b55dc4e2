import Foundation
import Hone

/// The objective of `hone tune`: each trial runs a command with the trial's parameters.
///
/// `{name}` in an argument becomes the parameter's value (`{trial}` the trial number); the
/// environment gets `HONE_STUDY`, `HONE_TRIAL` and `HONE_PARAM_<NAME>` (upper case, other
/// characters than letters and digits as `_`). The command's stdout is read as `TrialOutput`
/// lines: each intermediate value is reported and the pruner asked, and a pruned command is
/// terminated. A non-zero exit, a signal, a malformed `hone:` line or no result fails the
/// trial with the reason. Both output streams go to `<logs>/trial-<N>.out` and `.err`.
struct CommandObjective: Sendable {
  /// The command's arguments, parsed once (see `ArgumentTemplate`).
  let templates: [ArgumentTemplate]
  let space: ConditionalSpace
  let logs: URL
  /// Seconds between SIGTERM and SIGKILL.
  let grace: Double
  let running: RunningCommands

  /// The command's arguments as templates; throws when a brace is unbalanced or a
  /// placeholder names neither a parameter of the space nor `trial`.
  static func templates(_ command: [String], space: [String: Distribution]) throws -> [ArgumentTemplate] {
    try command.map { argument in
      let template = try ArgumentTemplate(argument)
      for name in template.names where name != "trial" && space[name] == nil {
        throw CLIError("the command uses {\(name)}, which is not a parameter of the search space (\(space.keys.sorted().joined(separator: ", "))); write {{ and }} for literal braces")
      }
      return template
    }
  }

  /// The system attributes that say where a trial runs, which `hone dashboard` shows:
  /// `host` (this machine's name), `worker` (`host:pid` of this `hone tune`) and the absolute
  /// paths of its logs, `stdout_path` and `stderr_path`.
  static func recordWhere(_ trial: Trial, stdoutLog: URL, stderrLog: URL) throws {
    let host = ProcessInfo.processInfo.hostName
    let attrs: [(String, String)] = [
      ("host", host), ("worker", "\(host):\(getpid())"),
      ("stdout_path", stdoutLog.standardizedFileURL.path), ("stderr_path", stderrLog.standardizedFileURL.path),
    ]
    for (key, value) in attrs { try trial.study.storage.setTrialSystemAttr(trialID: trial.id, key: key, value: .string(value)) }
  }

  /// Runs the command for one trial and returns its result.
  func callAsFunction(_ trial: Trial) async throws -> [Double] {
    let params = try space.suggest(in: trial)
    var values = params.mapValues(\.description)
    values["trial"] = String(trial.number)
    let arguments = try templates.map { template in
      switch template.render(values) {
      case .success(let argument): return argument
      case .failure(let missing):
        throw CLIError("the command uses {\(missing.name)}, but trial \(trial.number) has no such parameter (its condition does not hold)")
      }
    }
    guard !running.interrupted else {
      trial.study.stop()
      throw CLIError("interrupted")
    }
    var environment = ["HONE_STUDY": trial.study.name, "HONE_TRIAL": String(trial.number)]
    for (name, value) in params { environment["HONE_PARAM_" + Self.environmentName(name)] = value.description }
    let stdoutLog = logs.appendingPathComponent("trial-\(trial.number).out")
    let stderrLog = logs.appendingPathComponent("trial-\(trial.number).err")
    try Self.recordWhere(trial, stdoutLog: stdoutLog, stderrLog: stderrLog)
    let child: ChildProcess
    do {
      child = try ChildProcess(arguments: arguments, environment: environment, stdoutLog: stdoutLog, stderrLog: stderrLog)
      running.recordStart(failure: nil)
    } catch {
      if running.recordStart(failure: "\(error)") >= TuneCommand.startFailureLimit { trial.study.stop() }
      throw error
    }
    let state = Locked(_CommandState())
    running.add(child)
    defer { running.remove(child) }
    let exit = await withTaskCancellationHandler {
      await child.run { line in
        do {
          switch try TrialOutput.parse(line) {
          case .intermediate(let step, let values)?:
            try trial.report(values, step: step)
            if try trial.shouldPrune() {
              state.withLock { $0.pruned = true }
              child.terminate(grace: grace)
            }
          case .result(let result)?: state.withLock { $0.result = result }
          case nil: break
          }
        } catch is TrialFinishedError {
          // A report refused because the trial already ended (it timed out): nothing to do.
        } catch {
          state.withLock { $0.protocolError = $0.protocolError ?? "\(error)" }
          child.terminate(grace: grace)
        }
      }
    } onCancel: {
      child.terminate(grace: grace)
    }
    let outcome = state.current
    if exit == .status(0), !outcome.pruned, outcome.protocolError == nil, let result = outcome.result { return result }
    if running.interrupted { throw CLIError("interrupted") }
    if outcome.pruned { throw TrialPruned() }
    if let message = outcome.protocolError { throw CLIError(message) }
    let stderr = child.lastStderrLine.isEmpty ? "" : ": " + child.lastStderrLine
    switch exit {
    case .status(0): throw CLIError("the command printed no 'hone: value=<float>' line")
    case .status(let code): throw CLIError("the command exited with status \(code)\(stderr)")
    case .signal(let signal): throw CLIError("the command was killed by signal \(signal)\(stderr)")
    }
  }

  /// `HONE_PARAM_` suffix: upper case, any other character than letters and digits as `_`.
  static func environmentName(_ name: String) -> String {
    String(name.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
  }
}

/// What a running command has said so far.
struct _CommandState: Sendable {
  var pruned = false
  var result: [Double]?
  var protocolError: String?
}

/// The commands running now, so that Ctrl-C can end them all.
final class RunningCommands: Sendable {
  private struct State {
    var children: [pid_t: ChildProcess] = [:]
    var signal: Int32?
    var startFailures = 0
    var lastStartFailure: String?
  }
  private let state = Locked(State())

  /// Registers a started command; one started after an interrupt is ended at once.
  func add(_ child: ChildProcess) {
    let late = state.withLock { $0.children[child.pid] = child; return $0.signal != nil }
    if late { child.terminate(grace: 0) }
  }

  /// Forgets a command that has exited.
  func remove(_ child: ChildProcess) { _ = state.withLock { $0.children.removeValue(forKey: child.pid) } }

  /// Counts a command that started (`failure` nil) or could not start; returns how many
  /// could not start in a row.
  @discardableResult
  func recordStart(failure: String?) -> Int {
    state.withLock {
      if let failure {
        $0.startFailures += 1
        $0.lastStartFailure = failure
      } else {
        $0.startFailures = 0
      }
      return $0.startFailures
    }
  }

  /// Why commands could not start, when the last `TuneCommand.startFailureLimit` in a row failed to.
  var startFailure: String? {
    state.withLock { $0.startFailures >= TuneCommand.startFailureLimit ? $0.lastStartFailure : nil }
  }

  /// True once `interruptAll` has run.
  var interrupted: Bool { state.withLock { $0.signal != nil } }

  /// The signal that interrupted the run, if any.
  var interruptingSignal: Int32? { state.withLock { $0.signal } }

  /// Marks the run interrupted by `signal` and terminates every running command.
  func interruptAll(signal number: Int32, grace: Double) {
    let all = state.withLock { $0.signal = $0.signal ?? number; return Array($0.children.values) }
    for child in all { child.terminate(grace: grace) }
  }

  /// Ends the commands still running (those whose trial timed out go on until their SIGKILL)
  /// and waits until every one has exited, so that none outlives `hone tune`.
  func drain(grace: Double) {
    for child in state.withLock({ Array($0.children.values) }) { child.terminate(grace: grace) }
    while !state.withLock({ $0.children.isEmpty }) { Thread.sleep(forTimeInterval: 0.02) }
  }
}
