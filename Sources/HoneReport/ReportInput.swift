import Foundation
import HoneMath
import HoneTune

/// What the report's plots read from a study: its trials, directions, parameters and Pareto set.
struct ReportInput: Sendable {
  let studyName: String
  let directions: [StudyDirection]
  let trials: [FrozenTrial]
  /// Complete trials with finite values, by number.
  let complete: [FrozenTrial]
  /// Every parameter of any trial (the latest trial's distribution), by name.
  let parameters: [(name: String, distribution: Distribution)]
  /// Numbers of the trials on the Pareto front (the best trial for one objective).
  let best: Set<Int>

  init(study: Study) throws {
    try self.init(name: study.name, directions: study.directions, trials: study.trials)
  }

  /// The input of a study read elsewhere (a live view keeps its trials up to date itself).
  /// `parameterNames`, when the caller knows every name already, spares a scan of every
  /// trial: the latest distribution of each is then found from the end.
  init(name: String, directions: [StudyDirection], trials: [FrozenTrial], parameterNames: [String]? = nil) {
    studyName = name
    self.directions = directions
    let sorted = zip(trials, trials.dropFirst()).allSatisfy { $0.number < $1.number }
    self.trials = sorted ? trials : trials.sorted { $0.number < $1.number }
    complete = self.trials.filter { $0.state == .complete && ($0.values?.allSatisfy(\.isFinite) ?? false) }
    var latest: [String: Distribution] = [:]
    for trial in self.trials.reversed() {
      for (name, distribution) in trial.distributions where latest[name] == nil { latest[name] = distribution }
      if let names = parameterNames, latest.count >= names.count { break }
    }
    parameters = latest.keys.sorted().map { ($0, latest[$0]!) }
    let feasible = complete.filter(\.isFeasible)
    best = Set(paretoFrontIndices(feasible.map { $0.losses(directions) }).map { feasible[$0].number })
  }

  /// The complete trials (indices into `complete`) that improved the best value of objective
  /// `i` so far, in order, with that value: the steps of a best-so-far line.
  func improvements(objective i: Int) -> [(index: Int, value: Double)] {
    var steps: [(index: Int, value: Double)] = []
    for (k, trial) in complete.enumerated() {
      let v = trial.values![i]
      if let best = steps.last?.value, !directions[i].isBetter(v, than: best) { continue }
      steps.append((k, v))
    }
    return steps
  }

  /// "value", or "value 1", "value 2", … for several objectives, with the direction.
  func objectiveTitle(_ i: Int) -> String {
    (directions.count == 1 ? "value" : "value \(i + 1)") + " (\(directions[i] == .minimize ? "minimize" : "maximize"))"
  }

  /// How a parameter is laid out along an axis.
  static func scaleKind(_ distribution: Distribution) -> PlotScale.Kind {
    switch distribution {
    case .categorical(let choices): return .categorical(choices.map(\.description))
    case .int: return distribution.isLog ? .log : .integer
    case .float: return distribution.isLog ? .log : .linear
    }
  }

  /// A parameter's position along its axis: the number, or the index of the choice.
  static func plotValue(_ value: ParamValue?, in distribution: Distribution) -> Double? {
    guard let value else { return nil }
    return try? distribution.internalValue(of: value)
  }
}
