import Dispatch
import Foundation

extension Study {
  /// Called after each finished trial with the study and the trial as stored.
  public typealias Callback = @Sendable (Study, FrozenTrial) -> Void

  /// Runs `objective` on new trials until `trials` have run, `timeout` has passed, or
  /// `stop()` is called — whichever comes first — with `concurrency` trials at a time.
  ///
  /// Each trial's outcome is recorded: its value (NaN or ±∞ makes it failed), pruned when
  /// the objective throws `TrialPruned`, failed with the error's message when it throws
  /// anything else — and the study goes on. With `trialTimeout`, a trial whose objective is still
  /// running that long after it started is failed with that reason and the study moves on; the objective's task is cancelled,
  /// and whatever it records afterwards is refused. Storage errors end the run and are rethrown.
  public func optimize(trials: Int? = nil, timeout: Duration? = nil, concurrency: Int = 1,
                       trialTimeout: Duration? = nil, callbacks: [Callback] = [],
                       _ objective: @escaping @Sendable (Trial) async throws -> Double) async throws {
    try await optimize(trials: trials, timeout: timeout, concurrency: concurrency, trialTimeout: trialTimeout,
                       callbacks: callbacks, values: { [try await objective($0)] })
  }

  /// `optimize` for several objectives: the objective returns one value per direction.
  public func optimize(trials: Int? = nil, timeout: Duration? = nil, concurrency: Int = 1,
                       trialTimeout: Duration? = nil, callbacks: [Callback] = [],
                       values objective: @escaping @Sendable (Trial) async throws -> [Double]) async throws {
    guard concurrency >= 1 else { throw TuneError.invalidArgument("concurrency must be at least 1, got \(concurrency)") }
    if let trials, trials < 0 { throw TuneError.invalidArgument("trials must be >= 0, got \(trials)") }
    stopFlag.withLock { $0 = false }
    // On the monotonic clock: a wall clock set back or forward does not move the deadline.
    let deadline = timeout.map { ContinuousClock.now + $0 }
    let started = Locked(0)
    let claimSlot: @Sendable () -> Bool = { [stopFlag] in
      if stopFlag.current || Task.isCancelled { return false }
      if let deadline, ContinuousClock.now >= deadline { return false }
      return started.withLock { count in
        if let trials, count >= trials { return false }
        count += 1
        return true
      }
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<concurrency {
        group.addTask {
          while claimSlot() {
            let finished = try await self.runTrial(objective, trialTimeout: trialTimeout)
            for callback in callbacks { callback(self, finished) }
          }
        }
      }
      // The first error (a storage failure) stops the other workers before their next trial.
      do {
        while try await group.next() != nil {}
      } catch {
        group.cancelAll()
        throw error
      }
    }
  }

  /// One trial from ask to tell.
  func runTrial(_ objective: @escaping @Sendable (Trial) async throws -> [Double],
                trialTimeout: Duration?) async throws -> FrozenTrial {
    let trial = try ask()
    let beat = heartbeat.map { startHeartbeat(trialID: trial.id, every: $0.interval) }
    defer { beat?.cancel() }
    // A timed-out trial is failed in storage by the timer itself, so it ends at the timeout
    // even when the objective holds every thread of the cooperative pool.
    let outcome = await _TrialRace.run(trial: trial, objective: objective, timeout: trialTimeout) { reason in
      _ = try? self.finish(number: trial.number, state: .failed, failReason: reason)
    }
    // Whoever finished the trial first (this run, or a stale-trial sweep of another worker)
    // wins; `finish` returns the stored trial either way.
    do {
      switch outcome {
      case .values(let values): return try finish(number: trial.number, values: values).trial
      case .pruned: return try finish(number: trial.number, state: .pruned).trial
      case .failed(let reason): return try finish(number: trial.number, state: .failed, failReason: reason).trial
      }
    } catch TuneError.invalidArgument(let message) {
      // A wrong number of values is the objective's fault: fail the trial and go on.
      return try finish(number: trial.number, state: .failed, failReason: message).trial
    }
  }

  private func startHeartbeat(trialID: Int, every interval: Duration) -> DispatchSourceTimer {
    let timer = DispatchSource.makeTimerSource(queue: .global())
    let storage = self.storage
    timer.schedule(deadline: .now(), repeating: interval.seconds)
    timer.setEventHandler { try? storage.recordHeartbeat(trialID: trialID) }
    timer.resume()
    return timer
  }
}

/// How an objective ended.
enum _TrialOutcome: Sendable {
  case values([Double])
  case pruned
  case failed(String)
}

/// Runs an objective in its own task and returns whichever comes first: its outcome or the
/// timeout. The timer runs on a Dispatch queue, so it fires — and `onTimeout` runs there —
/// even when the objective keeps every thread of the cooperative pool busy.
final class _TrialRace: Sendable {
  private let continuation: Locked<CheckedContinuation<_TrialOutcome, Never>?>

  private init(_ continuation: CheckedContinuation<_TrialOutcome, Never>) { self.continuation = Locked(continuation) }

  /// True until the waiter has been resumed.
  private var isOpen: Bool { continuation.withLock { $0 != nil } }

  /// Resumes the waiter once; false if it was already resumed.
  private func finish(_ outcome: _TrialOutcome) -> Bool {
    let c = continuation.withLock { c in defer { c = nil }; return c }
    c?.resume(returning: outcome)
    return c != nil
  }

  static func run(trial: Trial, objective: @escaping @Sendable (Trial) async throws -> [Double],
                  timeout: Duration?, onTimeout: @escaping @Sendable (String) -> Void) async -> _TrialOutcome {
    await withCheckedContinuation { continuation in
      let race = _TrialRace(continuation)
      let task = Locked<Task<Void, Never>?>(nil)
      task.withLock { $0 = Task {
        // The clock starts when the objective does: time spent waiting for a thread of a
        // saturated pool is not the trial's.
        if let timeout {
          DispatchQueue.global().asyncAfter(deadline: .now() + timeout.seconds) {
            let reason = "trial timed out after \(timeout.seconds) s"
            guard race.isOpen else { return }
            onTimeout(reason)
            if race.finish(.failed(reason)) { task.current?.cancel() }
          }
        }
        let outcome: _TrialOutcome
        do {
          outcome = .values(try await objective(trial))
        } catch is TrialPruned {
          outcome = .pruned
        } catch {
          outcome = .failed("\(error)")
        }
        _ = race.finish(outcome)
      } }
    }
  }
}
