import Foundation
import HoneTune

/// A study read from an Optuna file (`OptunaStudyFile.readStudy`), already in Hone's terms:
/// every trial as the `TrialTemplate` that recreates it, and a warning for everything that
/// had to change on the way (nothing is left out silently). `write(into:)` stores it.
public struct OptunaStudy: Sendable, Equatable {
  /// One trial: its number, what Hone's storage creates it from, and Optuna's datetimes.
  public struct Trial: Sendable, Equatable {
    /// The number in the study: 0, 1, 2, … in Optuna's trial order.
    public var number: Int
    /// State, parameters, values, intermediate values and attributes.
    public var template: TrialTemplate
    /// When the trial started (nil while waiting).
    public var datetimeStart: Date?
    /// When the trial finished.
    public var datetimeComplete: Date?

    /// A trial with every field given.
    public init(number: Int, template: TrialTemplate, datetimeStart: Date? = nil, datetimeComplete: Date? = nil) {
      self.number = number
      self.template = template
      self.datetimeStart = datetimeStart
      self.datetimeComplete = datetimeComplete
    }
  }

  /// The study's name in the Optuna file.
  public var name: String
  /// One direction per objective.
  public var directions: [StudyDirection]
  /// The study's user attributes.
  public var userAttrs: [String: JSONValue]
  /// The study's system attributes, kept as they are.
  public var systemAttrs: [String: JSONValue]
  /// The trials, in number order.
  public var trials: [Trial]
  /// What Hone could not take as it is, one line each.
  public var warnings: [String]

  /// A study with every field given.
  public init(name: String, directions: [StudyDirection], userAttrs: [String: JSONValue] = [:],
              systemAttrs: [String: JSONValue] = [:], trials: [Trial] = [], warnings: [String] = []) {
    self.name = name
    self.directions = directions
    self.userAttrs = userAttrs
    self.systemAttrs = systemAttrs
    self.trials = trials
    self.warnings = warnings
  }
}

/// What an import or export did: the study written, its trial count, and the warnings.
public struct OptunaTransferSummary: Sendable, Equatable {
  /// The name of the study written.
  public var study: String
  /// How many trials were written.
  public var trials: Int
  /// What could not be carried over as it is, one line each.
  public var warnings: [String]

  /// A summary with every field given.
  public init(study: String, trials: Int, warnings: [String]) {
    self.study = study
    self.trials = trials
    self.warnings = warnings
  }
}
