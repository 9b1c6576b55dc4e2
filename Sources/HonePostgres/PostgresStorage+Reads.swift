import Foundation
import HoneTune
import PostgresNIO

/// Reading trials: one statement per read, each trial one row with its values, parameters
/// and intermediate values aggregated into arrays.
extension PostgresStorage {
  /// The trial columns, from `hone_trials t` joined with `trialJoins`.
  static let trialColumns = """
    t.id, t.number, t.state, t.datetime_start, t.datetime_complete, t.user_attrs, t.system_attrs,
    v.vals, p.names, p.vals, p.dists, i.steps, i.vals, iv.steps, iv.vals
    """

  /// A trial's values, parameters, intermediate values and vectors, each as arrays.
  static let trialJoins = """
    LEFT JOIN LATERAL (SELECT array_agg(value ORDER BY objective) AS vals FROM hone_trial_values WHERE trial_id = t.id) v ON true
    LEFT JOIN LATERAL (SELECT array_agg(name ORDER BY name) AS names, array_agg(value ORDER BY name) AS vals,
      array_agg(distribution ORDER BY name) AS dists FROM hone_trial_params WHERE trial_id = t.id) p ON true
    LEFT JOIN LATERAL (SELECT array_agg(step ORDER BY step) AS steps, array_agg(value ORDER BY step) AS vals
      FROM hone_trial_intermediate_values WHERE trial_id = t.id) i ON true
    LEFT JOIN LATERAL (SELECT array_agg(step ORDER BY step, objective) AS steps, array_agg(value ORDER BY step, objective) AS vals
      FROM hone_trial_intermediate_vectors WHERE trial_id = t.id) iv ON true
    """

  /// The trials matching `condition` (over `hone_trials t`, with `binds`), in number order.
  func fetchTrials(_ session: PostgresSession, where condition: String, _ binds: PostgresBindings) throws -> [FrozenTrial] {
    let sql = "SELECT \(Self.trialColumns) FROM hone_trials t \(Self.trialJoins) WHERE \(condition) ORDER BY t.number"
    return try session.query(PostgresQuery(unsafeSQL: sql, binds: binds)).map { try decodeTrial($0.makeRandomAccess(), at: 0) }
  }

  /// The trial with id `id`, if any.
  func fetchTrial(_ session: PostgresSession, id: Int) throws -> FrozenTrial? {
    try fetchTrials(session, where: "t.id = $1", Self.binds(id)).first
  }

  /// The trial whose columns (`trialColumns`) start at `offset` of `row`.
  func decodeTrial(_ row: PostgresRandomAccessRow, at offset: Int) throws -> FrozenTrial {
    func cell<T: PostgresDecodable>(_ k: Int, _: T.Type) throws -> T { try row[offset + k].decode(T.self) }
    let stateText = try cell(2, String.self)
    guard let state = TrialState(rawValue: stateText) else { throw StorageError.backend("corrupt trial state '\(stateText)'") }
    var trial = FrozenTrial(
      id: try cell(0, Int.self), number: try cell(1, Int.self), state: state, values: try cell(7, [Double]?.self),
      userAttrs: try StorageRules.decodeAttrs(cell(5, String.self)), systemAttrs: try StorageRules.decodeAttrs(cell(6, String.self)),
      datetimeStart: try cell(3, Date?.self), datetimeComplete: try cell(4, Date?.self))
    if let names = try cell(8, [String]?.self) {
      let values = try cell(9, [Double].self), texts = try cell(10, [String].self)
      var params: [String: ParamValue] = [:], distributions: [String: Distribution] = [:]
      for k in names.indices {
        let distribution = try distribution(texts[k], name: names[k])
        params[names[k]] = distribution.value(fromInternal: values[k])
        distributions[names[k]] = distribution
      }
      trial.params = params
      trial.distributions = distributions
    }
    if let steps = try cell(11, [Int]?.self) {
      trial.intermediateValues = Dictionary(zip(steps, try cell(12, [Double].self))) { _, last in last }
    }
    if let steps = try cell(13, [Int]?.self) {
      var vectors: [Int: [Double]] = [:]
      for (step, value) in zip(steps, try cell(14, [Double].self)) { vectors[step, default: []].append(value) }
      trial.intermediateVectors = vectors
    }
    return trial
  }

  /// The distribution of its stored JSON, parsed once per process.
  private func distribution(_ text: String, name: String) throws -> Distribution {
    if let known = distributions.withLock({ $0[text] }) { return known }
    let parsed = try Distribution(json: JSONValue.parse(text), name: name)
    distributions.withLock { $0[text] = parsed }
    return parsed
  }

  /// Bindings of `values`, in order.
  static func binds(_ values: any PostgresNonThrowingEncodable...) -> PostgresBindings {
    var binds = PostgresBindings()
    for value in values { binds.append(value) }
    return binds
  }

  // MARK: Storage reads

  /// Implements `Storage.trial`.
  public func trial(id: Int) throws -> FrozenTrial {
    try run { session, _ in
      guard let trial = try fetchTrial(session, id: id) else { throw StorageError.trialNotFound("no trial with id \(id)") }
      return trial
    }
  }

  /// Implements `Storage.trial`.
  public func trial(studyID: Int, number: Int) throws -> FrozenTrial {
    try run { session, _ in
      guard let trial = try fetchTrials(session, where: "t.study_id = $1 AND t.number = $2", Self.binds(studyID, number)).first else {
        guard try !session.query("SELECT 1 FROM hone_studies WHERE id = \(studyID)").isEmpty else {
          throw StorageError.studyNotFound("no study with id \(studyID)")
        }
        throw StorageError.trialNotFound("the study has no trial \(number)")
      }
      return trial
    }
  }

  /// Implements `Storage.trials`: the trials changed since this process last read the study,
  /// merged into those read before.
  public func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial] {
    if let states, states.isEmpty { return [] }
    let known = cache.entry(studyID)
    let changes = try trials(studyID: studyID, changedSince: known.changes)
    let all = changes.counter == known.changes ? known.trials : cache.update(studyID, known, changes: changes.counter, with: changes.trials)
    guard let states else { return all }
    return all.filter { states.contains($0.state) }
  }

  /// Implements `Storage.trials(studyID:changedSince:)`: one statement, which reads the study's
  /// change counter and the trials stamped above `counter` in one snapshot.
  public func trials(studyID: Int, changedSince counter: Int) throws -> TrialChanges {
    try run { session, _ in
      let sql = """
        SELECT s.changes, \(Self.trialColumns) FROM hone_studies s
        LEFT JOIN hone_trials t ON t.study_id = s.id AND t.changed > $2 \(Self.trialJoins)
        WHERE s.id = $1 ORDER BY t.number
        """
      let rows = try session.query(PostgresQuery(unsafeSQL: sql, binds: Self.binds(studyID, counter)))
      guard let first = rows.first else { throw StorageError.studyNotFound("no study with id \(studyID)") }
      var trials: [FrozenTrial] = []
      for row in rows {
        let columns = row.makeRandomAccess()
        if try columns[1].decode(Int?.self) != nil { trials.append(try decodeTrial(columns, at: 1)) }
      }
      return TrialChanges(counter: try first.makeRandomAccess()[0].decode(Int.self), trials: trials)
    }
  }
}
