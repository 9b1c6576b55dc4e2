import Foundation

/// A trial as storage holds it: an immutable snapshot that samplers, pruners and
/// exports read.
public struct FrozenTrial: Hashable, Sendable {
  /// The storage-wide identifier.
  public var id: Int
  /// The number within its study: 0, 1, 2, … in order of creation, with no gaps.
  public var number: Int
  /// Where the trial is in its life.
  public var state: TrialState
  /// The objective values (one per direction) once complete; a pruned trial may carry its
  /// last intermediate value.
  public var values: [Double]?
  /// The parameter values, by name.
  public var params: [String: ParamValue]
  /// The distribution each parameter was drawn from.
  public var distributions: [String: Distribution]
  /// Intermediate values reported during the trial, by step.
  public var intermediateValues: [Int: Double]
  /// Intermediate vectors (one value per objective) reported in studies with several
  /// objectives, by step.
  public var intermediateVectors: [Int: [Double]] = [:]
  /// Attributes the user set.
  public var userAttrs: [String: JSONValue]
  /// Attributes Hone set (for example `fail_reason`, `fixed_params`, `retry_of`).
  public var systemAttrs: [String: JSONValue]
  /// When the trial started running (nil while waiting).
  public var datetimeStart: Date?
  /// When the trial finished.
  public var datetimeComplete: Date?

  /// A snapshot with every field given.
  public init(id: Int, number: Int, state: TrialState, values: [Double]? = nil,
              params: [String: ParamValue] = [:], distributions: [String: Distribution] = [:],
              intermediateValues: [Int: Double] = [:], userAttrs: [String: JSONValue] = [:],
              systemAttrs: [String: JSONValue] = [:], datetimeStart: Date? = nil,
              datetimeComplete: Date? = nil) {
    self.id = id
    self.number = number
    self.state = state
    self.values = values
    self.params = params
    self.distributions = distributions
    self.intermediateValues = intermediateValues
    self.userAttrs = userAttrs
    self.systemAttrs = systemAttrs
    self.datetimeStart = datetimeStart
    self.datetimeComplete = datetimeComplete
  }

  /// The single objective value (the first of `values`).
  public var value: Double? { values?.first }

  /// The reason a failed trial failed, as recorded.
  public var failReason: String? { systemAttrs["fail_reason"]?.stringValue }

  /// The last reported intermediate value (at the largest step).
  public var lastIntermediateValue: (step: Int, value: Double)? {
    intermediateValues.max { $0.key < $1.key }.map { (step: $0.key, value: $0.value) }
  }

  /// The system attribute that holds the constraint values set by `Trial.setConstraints`.
  public static let constraintsKey = "constraints"

  /// The constraint values, when the trial set any (feasible when all are ≤ 0).
  public var constraints: [Double]? { Self.constraints(in: systemAttrs) }

  /// The total constraint violation Σ max(cᵢ, 0); 0 for a feasible trial or one without constraints.
  public var constraintViolation: Double { Self.violation(in: systemAttrs) }

  /// The constraint values recorded in system attributes.
  static func constraints(in systemAttrs: [String: JSONValue]) -> [Double]? {
    systemAttrs[constraintsKey]?.arrayValue.map { $0.compactMap(\.doubleValue) }
  }

  /// Σ max(cᵢ, 0) of the constraint values recorded in system attributes (callers that hold
  /// an array of trials pass `trials[i].systemAttrs`, which copies no other field).
  static func violation(in systemAttrs: [String: JSONValue]) -> Double {
    (constraints(in: systemAttrs) ?? []).reduce(0) { $0 + max($1, 0) }
  }

  /// True unless some constraint value is positive.
  public var isFeasible: Bool { constraintViolation == 0 }

  /// The objective values as losses to minimize: maximized objectives negated.
  public func losses(_ directions: [StudyDirection]) -> [Double] {
    zip(values ?? [], directions).map { $1 == .minimize ? $0 : -$0 }
  }

  /// Seconds from start to completion.
  public var duration: TimeInterval? {
    guard let s = datetimeStart, let c = datetimeComplete else { return nil }
    return c.timeIntervalSince(s)
  }
}

/// A trial to create as it is, rather than by running an objective: an enqueued trial
/// (`waiting`, with parameters fixed in advance) or an already evaluated point (`complete`,
/// `pruned` or `failed`, with its values).
public struct TrialTemplate: Sendable, Equatable {
  /// The state the trial is created in.
  public var state: TrialState
  /// Parameter values with their distributions.
  public var params: [String: ParamValue]
  /// The distribution of each parameter in `params`.
  public var distributions: [String: Distribution]
  /// Objective values, for a complete trial.
  public var values: [Double]?
  /// Intermediate values by step.
  public var intermediateValues: [Int: Double]
  /// User attributes.
  public var userAttrs: [String: JSONValue]
  /// System attributes.
  public var systemAttrs: [String: JSONValue]

  /// A template with every field given.
  public init(state: TrialState, params: [String: ParamValue] = [:],
              distributions: [String: Distribution] = [:], values: [Double]? = nil,
              intermediateValues: [Int: Double] = [:], userAttrs: [String: JSONValue] = [:],
              systemAttrs: [String: JSONValue] = [:]) {
    self.state = state
    self.params = params
    self.distributions = distributions
    self.values = values
    self.intermediateValues = intermediateValues
    self.userAttrs = userAttrs
    self.systemAttrs = systemAttrs
  }
}
