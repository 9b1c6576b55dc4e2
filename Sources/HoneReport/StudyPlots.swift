import Foundation
import HoneTune

/// The plots of one study as `<svg>` elements, drawn from its trials on the server: the same
/// drawings `StudyReport` writes into its page, for views that hold a study's trials
/// themselves (`hone dashboard` keeps them current from the storage's change counter).
/// Past a budget of marks a plot draws a deterministic sample and says so in a corner note
/// (`PlotSample`), so a study of 100,000 trials stays legible.
public struct StudyPlots: Sendable {
  let input: ReportInput

  /// The plots of a study whose trials were read elsewhere (any order). `parameterNames`, when
  /// the caller keeps every parameter name already, saves a scan of all trials.
  public init(name: String, directions: [StudyDirection], trials: [FrozenTrial], parameterNames: [String]? = nil) {
    input = ReportInput(name: name, directions: directions, trials: trials, parameterNames: parameterNames)
  }

  /// How many objectives the study has.
  public var objectives: Int { input.directions.count }
  /// True once a trial is complete with finite values: the value plots need one.
  public var hasCompleteTrials: Bool { !input.complete.isEmpty }
  /// True when a trial reported intermediate values.
  public var hasIntermediateValues: Bool { input.trials.contains { !$0.intermediateValues.isEmpty } }
  /// The numbers of the best trials (the Pareto front for several objectives; feasible only).
  public var bestTrialNumbers: Set<Int> { input.best }
  /// The parameters' names, sorted.
  public var parameterNames: [String] { input.parameters.map(\.name) }

  /// Values by trial number with the best-so-far line.
  public func history(objective: Int) -> String { ReportPlots.history(input, objective: objective) }
  /// The learning curves; pruned ones red, ending in a cross.
  public func intermediateValues() -> String { ReportPlots.intermediateValues(input) }
  /// One axis per parameter and one for the objective.
  public func parallelCoordinates(objective: Int) -> String { ReportPlots.parallelCoordinates(input, objective: objective) }
  /// One slice plot per parameter.
  public func slices(objective: Int) -> [String] {
    input.parameters.map { ReportPlots.slice(input, parameter: $0, objective: objective) }
  }
  /// The first two objectives with the Pareto front (several objectives only).
  public func paretoFront() -> String { ReportPlots.paretoFront(input) }
  /// Trials from start to end, by worker.
  public func timeline(now: Date = Date()) -> String { ReportPlots.timeline(input, now: now) }

  /// Importances as horizontal bars, largest first.
  public static func importance(_ importances: [(name: String, importance: Double)], method: String = "PED-ANOVA") -> String {
    ReportPlots.importance(importances, method: method)
  }

  /// Several studies' best values so far against the trial number, on one plot.
  public static func comparison(_ studies: [StudyPlots]) -> String { ReportPlots.comparison(studies.map(\.input)) }
}
