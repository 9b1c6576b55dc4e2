import Foundation

/// A trial as storage holds it: an immutable snapshot that samplers, pruners and
/// exports read.
public struct FrozenTrial: Hashable, Sendable {
  /// The fields, in one copy-on-write box: copying a trial — as reading a study's trials
  /// does, thousands at a time — retains one object instead of one per field.
  private struct Fields: Hashable {
    var id: Int
    var number: Int
    var state: TrialState
    var values: [Double]?
    var params: ParamStorage
    var distributions: [String: Distribution]
    var intermediateValues: [Int: Double]
    var intermediateVectors: [Int: [Double]] = [:]
    var userAttrs: [String: JSONValue]
    var systemAttrs: [String: JSONValue]
    var datetimeStart: Date?
    var datetimeComplete: Date?
  }

  /// Shared by copies until one of them changes a field.
  private final class Box: @unchecked Sendable {
    /// Unchecked: only a uniquely held box is written (`unique`), so accesses cannot overlap.
    @exclusivity(unchecked) var fields: Fields
    init(_ fields: Fields) { self.fields = fields }
  }

  private var box: Box

  /// The box's fields, for writing: copied first when another trial shares the box.
  private var unique: Fields {
    get { box.fields }
    _modify {
      if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
      yield &box.fields
    }
  }

  /// The storage-wide identifier.
  public var id: Int {
    get { box.fields.id }
    _modify { yield &unique.id }
  }
  /// The number within its study: 0, 1, 2, … in order of creation, with no gaps.
  public var number: Int {
    get { box.fields.number }
    _modify { yield &unique.number }
  }
  /// Where the trial is in its life.
  public var state: TrialState {
    get { box.fields.state }
    _modify { yield &unique.state }
  }
  /// The objective values (one per direction) once complete; a pruned trial may carry its
  /// last intermediate value.
  public var values: [Double]? {
    get { box.fields.values }
    _modify { yield &unique.values }
  }
  /// The parameter values, by name.
  public var params: [String: ParamValue] {
    get { box.fields.params.dictionary }
    _modify {
      var dictionary = unique.params.dictionary
      unique.params = .dictionary([:])  // so that `dictionary` is the only reference to its storage
      defer { unique.params = .dictionary(dictionary) }
      yield &dictionary
    }
  }
  /// One parameter's value, nil when the trial has none by that name: `params[name]` without
  /// building the whole dictionary of a block (a view that reads one parameter of 100,000
  /// trials).
  public func param(_ name: String) -> ParamValue? {
    switch box.fields.params {
    case .dictionary(let values): return values[name]
    case .block(let block):
      guard let k = block.names.firstIndex(of: name) else { return nil }
      return block.distributions[k].value(fromInternal: block.internalValues[k])
    }
  }
  /// The parameters as one block of internal values, when storage read them so (nil
  /// otherwise); setting it replaces `params`. The fast path of the model-based samplers.
  public var paramBlock: ParamBlock? {
    get { if case .block(let block) = box.fields.params { block } else { nil } }
    set { unique.params = newValue.map { .block($0) } ?? .dictionary([:]) }
  }
  /// The distribution each parameter was drawn from.
  public var distributions: [String: Distribution] {
    get { box.fields.distributions }
    _modify { yield &unique.distributions }
  }
  /// Intermediate values reported during the trial, by step.
  public var intermediateValues: [Int: Double] {
    get { box.fields.intermediateValues }
    _modify { yield &unique.intermediateValues }
  }
  /// Intermediate vectors (one value per objective) reported in studies with several
  /// objectives, by step.
  public var intermediateVectors: [Int: [Double]] {
    get { box.fields.intermediateVectors }
    _modify { yield &unique.intermediateVectors }
  }
  /// Attributes the user set.
  public var userAttrs: [String: JSONValue] {
    get { box.fields.userAttrs }
    _modify { yield &unique.userAttrs }
  }
  /// Attributes Hone set (for example `fail_reason`, `fixed_params`, `retry_of`).
  public var systemAttrs: [String: JSONValue] {
    get { box.fields.systemAttrs }
    _modify { yield &unique.systemAttrs }
  }
  /// When the trial started running (nil while waiting).
  public var datetimeStart: Date? {
    get { box.fields.datetimeStart }
    _modify { yield &unique.datetimeStart }
  }
  /// When the trial finished.
  public var datetimeComplete: Date? {
    get { box.fields.datetimeComplete }
    _modify { yield &unique.datetimeComplete }
  }

  /// A snapshot with every field given.
  public init(id: Int, number: Int, state: TrialState, values: [Double]? = nil,
              params: [String: ParamValue] = [:], distributions: [String: Distribution] = [:],
              intermediateValues: [Int: Double] = [:], userAttrs: [String: JSONValue] = [:],
              systemAttrs: [String: JSONValue] = [:], datetimeStart: Date? = nil,
              datetimeComplete: Date? = nil) {
    box = Box(Fields(id: id, number: number, state: state, values: values, params: .dictionary(params), distributions: distributions,
                     intermediateValues: intermediateValues, userAttrs: userAttrs, systemAttrs: systemAttrs,
                     datetimeStart: datetimeStart, datetimeComplete: datetimeComplete))
  }

  /// Equal when every field is.
  public static func == (a: FrozenTrial, b: FrozenTrial) -> Bool { a.box === b.box || a.box.fields == b.box.fields }

  /// Hashes every field.
  public func hash(into hasher: inout Hasher) { hasher.combine(box.fields) }

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
    systemAttrs.isEmpty ? 0 : (constraints(in: systemAttrs) ?? []).reduce(0) { $0 + max($1, 0) }
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
