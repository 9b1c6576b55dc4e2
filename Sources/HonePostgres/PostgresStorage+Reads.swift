import Foundation
import HoneTune
import PostgresNIO

/// Reading trials: one statement per read, each trial one row.
extension PostgresStorage {
  /// The columns of a trial (`hone_trials t`), as `decodeTrial` reads them.
  static let trialColumns = """
    t.id, t.number, t.state, t.datetime_start, t.datetime_complete, t.user_attrs, t.system_attrs, t.vals, t.param_names,
    t.param_values, t.param_distributions, t.intermediate_steps, t.intermediate_values, t.vector_steps, t.vector_values
    """
  /// How many columns `trialColumns` has.
  static let trialColumnCount = 15

  /// The trials matching `condition` (over `hone_trials t`, with `binds`), in number order.
  func fetchTrials(_ session: PostgresSession, where condition: String, _ binds: PostgresBindings) throws -> [FrozenTrial] {
    let sql = "SELECT \(Self.trialColumns) FROM hone_trials t WHERE \(condition) ORDER BY t.number"
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
    if let names = try cell(8, [String]?.self), !names.isEmpty {
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
    if let steps = try cell(11, [Int]?.self), !steps.isEmpty {
      trial.intermediateValues = Dictionary(zip(steps, try cell(12, [Double].self))) { _, last in last }
    }
    if let steps = try cell(13, [Int]?.self), !steps.isEmpty {
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
    let all = changes.trials.isEmpty ? known.trials : cache.update(studyID, known, changes: changes.counter, with: changes.trials)
    guard let states else { return all }
    return all.filter { states.contains($0.state) }
  }

  /// Implements `Storage.trials(studyID:changedSince:)`: one statement, which reads the trials
  /// stamped at or above `counter` and its snapshot's `xmin` (the counter to pass next time; see
  /// `PostgresSchema`). A trial written by a transaction that was still open at the previous
  /// read can come again.
  public func trials(studyID: Int, changedSince counter: Int) throws -> TrialChanges {
    try run { session, _ in
      let sql = """
        SELECT pg_snapshot_xmin(pg_current_snapshot())::TEXT::BIGINT, \(Self.trialColumns) FROM hone_studies s
        LEFT JOIN hone_trials t ON t.study_id = s.id AND t.changed >= $2::BIGINT::TEXT::XID8
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
