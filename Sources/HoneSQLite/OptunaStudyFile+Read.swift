import Foundation
import GRDB
import HoneTune

extension OptunaStudyFile {
  /// Reads the study called `name` — or, when `name` is nil, the file's only study (its
  /// first, with a warning naming the others, when it holds several) — in one read
  /// transaction, as Hone can hold it:
  ///
  /// - trial numbers 0, 1, 2, … in Optuna's trial order; states, values (±∞ from their
  ///   value type), intermediate values (NaN and ±∞ included), user and system attributes;
  /// - parameters decoded from Optuna's internal floats through their distributions (a
  ///   categorical's index gives the choice, an int's float gives the int);
  /// - the distributions of every Optuna class, the deprecated ones mapped to float or int;
  /// - constraints in both of Optuna's forms as Hone's `constraints` list;
  /// - datetimes (naive UTC, as Optuna 5 writes them).
  ///
  /// What Hone cannot hold as it is becomes a warning in `OptunaStudy.warnings`: complete
  /// trials with an infinite value are imported as failed, choices that are not strings,
  /// numbers or booleans become strings, NaN and Infinity in attribute JSON become null, and
  /// so on. Throws `OptunaFileError.studyNotFound` for an unknown name or an empty file.
  /// O(rows of the study).
  public func readStudy(named name: String? = nil) throws -> OptunaStudy {
    try read { db in
      let studies = try Row.fetchAll(db, sql: "SELECT study_id, study_name FROM studies ORDER BY study_id").compactMap { row -> (id: Int, name: String)? in
        guard let id = _OptunaEncoding.int(row[0]), let name = _OptunaEncoding.text(row[1]) else { return nil }
        return (id, name)
      }
      let names = studies.map { "'\($0.name)'" }.joined(separator: ", ")
      var notes = _OptunaNotes()
      let chosen: (id: Int, name: String)
      if let name {
        guard let study = studies.first(where: { $0.name == name }) else {
          throw OptunaFileError.studyNotFound(studies.isEmpty ? "\(path) holds no study"
            : "\(path) has no study named '\(name)'; it holds \(names)")
        }
        chosen = study
      } else {
        guard let first = studies.first else { throw OptunaFileError.studyNotFound("\(path) holds no study; there is nothing to import") }
        chosen = first
        if studies.count > 1 {
          notes.add("\(path) holds \(studies.count) studies (\(names)); '\(first.name)', the first, was read; choose another with --source-study NAME")
        }
      }
      var reader = _OptunaStudyReader(db: db, studyID: chosen.id, name: chosen.name, libraryVersion: libraryVersion, notes: notes)
      return try reader.read()
    }
  }
}

/// Reads one study of an Optuna file inside a read transaction, turning each row into
/// Hone's terms and noting every change.
struct _OptunaStudyReader {
  let db: Database
  let studyID: Int
  let name: String
  let libraryVersion: String?
  var notes: _OptunaNotes
  /// Decoded distributions by parameter name and JSON text (Optuna repeats them in every row).
  private var decoded: [String: _OptunaDistribution] = [:]
  /// The distributions each parameter name has, to report names with several.
  private var distributionsByName: [String: Set<Distribution>] = [:]
  /// Trial system attributes Hone does not use, with how many trials hold each.
  private var foreignTrialKeys: [String: Int] = [:]

  init(db: Database, studyID: Int, name: String, libraryVersion: String?, notes: _OptunaNotes) {
    self.db = db
    self.studyID = studyID
    self.name = name
    self.libraryVersion = libraryVersion
    self.notes = notes
  }

  /// The raw rows of one trial.
  private struct RawTrial {
    var number: Int?
    var state: String?
    var start: DatabaseValue
    var complete: DatabaseValue
    var params: [(name: String?, value: DatabaseValue, json: String?)] = []
    var values: [(objective: Int?, value: DatabaseValue, type: String?)] = []
    var intermediates: [(step: Int?, value: DatabaseValue, type: String?)] = []
    var userAttrs: [(key: String?, json: String?)] = []
    var systemAttrs: [(key: String?, json: String?)] = []
  }

  mutating func read() throws -> OptunaStudy {
    let directions = try readDirections()
    let userRows = try pairs("SELECT \"key\", value_json FROM study_user_attributes WHERE study_id = ? ORDER BY study_user_attribute_id")
    let systemRows = try pairs("SELECT \"key\", value_json FROM study_system_attributes WHERE study_id = ? ORDER BY study_system_attribute_id")
    let userAttrs = attributes(userRows, kind: "study user attribute", trial: nil)
    let systemAttrs = attributes(systemRows, kind: "study system attribute", trial: nil)
    let foreignStudyKeys = systemAttrs.keys.filter { !_OptunaSchema.honeUses($0) }.sorted()
    if !foreignStudyKeys.isEmpty {
      notes.add("study system attributes that Hone does not use were kept as they are: \(foreignStudyKeys.joined(separator: ", "))")
    }
    let raws = try readRawTrials()
    var trials: [OptunaStudy.Trial] = []
    var renumbered = false
    for (number, raw) in raws.enumerated() {
      if raw.number != number { renumbered = true }
      trials.append(trial(number: number, raw, directions: directions))
    }
    if renumbered {
      notes.add("the trial numbers in the file are not 0, 1, 2, … in trial order; Hone numbers the trials in that order")
    }
    for (name, distributions) in distributionsByName.sorted(by: { $0.key < $1.key }) where distributions.count > 1 {
      notes.add("parameter '\(name)' has \(distributions.count) different distributions across trials; each trial keeps its own")
    }
    if !foreignTrialKeys.isEmpty {
      let list = foreignTrialKeys.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value) trial\($0.value > 1 ? "s" : ""))" }
      notes.add("trial system attributes that Hone does not use (sampler or pruner state) were kept as they are: \(list.joined(separator: ", "))")
    }
    if let version = libraryVersion, let major = Int(version.prefix { $0.isNumber }), major < 5,
       trials.contains(where: { $0.datetimeStart != nil }) {
      notes.add("the file was created by Optuna \(version), which wrote datetimes in the local time of its process; they were read as UTC, as Optuna 5 writes them")
    }
    return OptunaStudy(name: name, directions: directions, userAttrs: userAttrs, systemAttrs: systemAttrs, trials: trials,
                       warnings: notes.lines)
  }

  // MARK: rows

  private mutating func readDirections() throws -> [StudyDirection] {
    let rows = try Row.fetchAll(db, sql: "SELECT direction, objective FROM study_directions WHERE study_id = ? ORDER BY objective, study_direction_id",
                                arguments: [studyID])
    var directions: [StudyDirection] = []
    for row in rows {
      switch _OptunaEncoding.text(row[0]) {
      case "MINIMIZE"?: directions.append(.minimize)
      case "MAXIMIZE"?: directions.append(.maximize)
      case let other:
        notes.add("objective \(directions.count) has the direction \(other ?? "NULL"), which Hone does not know; imported as minimize")
        directions.append(.minimize)
      }
    }
    if directions.isEmpty {
      notes.add("the study has no directions (Optuna cannot optimize it either); imported as minimize")
      directions = [.minimize]
    }
    return directions
  }

  private func pairs(_ sql: String) throws -> [(key: String?, json: String?)] {
    try Row.fetchAll(db, sql: sql, arguments: [studyID]).map { row in
      (key: _OptunaEncoding.text(row[0]), json: _OptunaEncoding.text(row[1]))
    }
  }

  private func readRawTrials() throws -> [RawTrial] {
    var raws: [RawTrial] = []
    var position: [Int: Int] = [:]
    for row in try Row.fetchAll(db, sql: "SELECT trial_id, number, state, datetime_start, datetime_complete FROM trials WHERE study_id = ? ORDER BY trial_id",
                                arguments: [studyID]) {
      guard let id = _OptunaEncoding.int(row[0]) else { continue }
      position[id] = raws.count
      raws.append(RawTrial(number: _OptunaEncoding.int(row[1]), state: _OptunaEncoding.text(row[2]), start: row[3], complete: row[4]))
    }
    func each(_ sql: String, _ body: (inout RawTrial, Row) -> Void) throws {
      for row in try Row.fetchAll(db, sql: sql, arguments: [studyID]) {
        guard let id = _OptunaEncoding.int(row[0]), let i = position[id] else { continue }
        body(&raws[i], row)
      }
    }
    try each("""
      SELECT p.trial_id, p.param_name, p.param_value, p.distribution_json FROM trial_params p
      JOIN trials t ON t.trial_id = p.trial_id WHERE t.study_id = ? ORDER BY p.param_id
      """) { trial, row in
      trial.params.append((name: _OptunaEncoding.text(row[1]), value: row[2] as DatabaseValue, json: _OptunaEncoding.text(row[3])))
    }
    try each("""
      SELECT v.trial_id, v.objective, v.value, v.value_type FROM trial_values v
      JOIN trials t ON t.trial_id = v.trial_id WHERE t.study_id = ? ORDER BY v.trial_value_id
      """) { trial, row in
      trial.values.append((objective: _OptunaEncoding.int(row[1]), value: row[2] as DatabaseValue, type: _OptunaEncoding.text(row[3])))
    }
    try each("""
      SELECT i.trial_id, i.step, i.intermediate_value, i.intermediate_value_type FROM trial_intermediate_values i
      JOIN trials t ON t.trial_id = i.trial_id WHERE t.study_id = ? ORDER BY i.trial_intermediate_value_id
      """) { trial, row in
      trial.intermediates.append((step: _OptunaEncoding.int(row[1]), value: row[2] as DatabaseValue, type: _OptunaEncoding.text(row[3])))
    }
    try each("""
      SELECT a.trial_id, a."key", a.value_json FROM trial_user_attributes a
      JOIN trials t ON t.trial_id = a.trial_id WHERE t.study_id = ? ORDER BY a.trial_user_attribute_id
      """) { trial, row in
      trial.userAttrs.append((key: _OptunaEncoding.text(row[1]), json: _OptunaEncoding.text(row[2])))
    }
    try each("""
      SELECT a.trial_id, a."key", a.value_json FROM trial_system_attributes a
      JOIN trials t ON t.trial_id = a.trial_id WHERE t.study_id = ? ORDER BY a.trial_system_attribute_id
      """) { trial, row in
      trial.systemAttrs.append((key: _OptunaEncoding.text(row[1]), json: _OptunaEncoding.text(row[2])))
    }
    return raws
  }

  // MARK: one trial

  private mutating func trial(number: Int, _ raw: RawTrial, directions: [StudyDirection]) -> OptunaStudy.Trial {
    var state: TrialState
    var failReason: String?
    if let s = raw.state.flatMap(_OptunaSchema.state(named:)) {
      state = s
    } else {
      state = .failed
      failReason = "imported from Optuna with the unknown state \(raw.state ?? "NULL")"
      notes.add("the state \(raw.state ?? "NULL") is not one of Optuna's (Optuna cannot load it either): imported as failed", trial: number)
    }
    let (params, distributions) = parameters(raw.params, trial: number)
    var values = objectiveValues(raw.values, trial: number)
    switch state {
    case .complete:
      if let v = values, v.count == directions.count, v.allSatisfy(\.isFinite) { break }
      let held = values.map { "values \($0)" } ?? "no values"
      let why = values.map { $0.count != directions.count ? "\($0.count) values for \(directions.count) objectives" : "a non-finite value" } ?? "no values"
      notes.add("complete with \(why), which Hone cannot hold: imported as failed (its fail_reason keeps the values)", trial: number)
      state = .failed
      failReason = "imported from Optuna, where it is complete with \(held); Hone keeps complete trials with one finite value per objective"
      values = nil
    case .pruned:
      if let v = values, v.count != directions.count || !v.allSatisfy(\.isFinite) {
        notes.add("pruned with the value(s) \(v), which Hone cannot hold (it keeps one finite value per objective): imported without values", trial: number)
        values = nil
      }
    case .failed, .running, .waiting:
      if values != nil {
        notes.add("\(_OptunaSchema.stateName(state)) with values (Optuna expects none): the values were left out", trial: number)
        values = nil
      }
    }
    if state == .running {
      notes.add("running in Optuna: imported as running, which it stays until told (hone tell --state failed)", trial: number)
    }
    let userAttrs = attributes(raw.userAttrs, kind: "user attribute", trial: number)
    var systemAttrs = trialSystemAttributes(raw.systemAttrs, trial: number)
    if let failReason { systemAttrs["fail_reason"] = .string(failReason) }
    var template = TrialTemplate(state: state, params: params, distributions: distributions, values: values,
                                 intermediateValues: intermediateValues(raw.intermediates, trial: number),
                                 userAttrs: userAttrs, systemAttrs: systemAttrs)
    do {
      try StorageRules.checkTemplate(template, directionCount: directions.count)
    } catch {
      notes.add("Hone cannot hold it (\(error)): imported as failed, without parameters or values", trial: number)
      template.state = .failed
      template.params = [:]
      template.distributions = [:]
      template.values = nil
      template.systemAttrs["fail_reason"] = .string("imported from Optuna: \(error)")
    }
    return OptunaStudy.Trial(number: number, template: template, datetimeStart: datetime(raw.start, trial: number),
                             datetimeComplete: datetime(raw.complete, trial: number))
  }

  private mutating func parameters(_ rows: [(name: String?, value: DatabaseValue, json: String?)],
                                   trial number: Int) -> ([String: ParamValue], [String: Distribution]) {
    var params: [String: ParamValue] = [:]
    var distributions: [String: Distribution] = [:]
    for (name, cell, json) in rows {
      guard let name, let json else {
        notes.add("a parameter without a name or a distribution (Optuna cannot load it either) was left out", trial: number)
        continue
      }
      let entry = decodeDistribution(name: name, json: json)
      guard let distribution = entry.distribution else {
        notes.add(entry.unusable ?? "parameter '\(name)' was left out", trial: number)
        continue
      }
      guard let x = _OptunaEncoding.double(cell) else {
        notes.add("parameter '\(name)' has no value; it was left out", trial: number)
        continue
      }
      var value: ParamValue?
      switch distribution {
      case .float:
        value = .double(x)
      case .int:
        if x.isFinite, x != x.rounded() { notes.add("parameter '\(name)' holds the fraction \(x) for an integer; truncated, as Optuna does", trial: number) }
        value = _OptunaEncoding.exactInt(x.rounded(.towardZero)).map(ParamValue.int)
      case .categorical(let choices):
        if let i = _OptunaEncoding.exactInt(x.rounded(.towardZero)), i >= 0, i < entry.choiceIndex.count {
          value = choices[entry.choiceIndex[i]]
          if x != x.rounded() { notes.add("parameter '\(name)' holds the fractional choice index \(x); truncated, as Optuna does", trial: number) }
        }
      }
      guard let value, let held = distribution.coerce(value) else {
        notes.add("parameter '\(name)': the stored value \(x) lies outside its distribution \(distribution.json); it was left out", trial: number)
        continue
      }
      params[name] = held
      distributions[name] = distribution
      distributionsByName[name, default: []].insert(distribution)
    }
    return (params, distributions)
  }

  /// The distribution of one `distribution_json`, decoded once; its notes are added once.
  private mutating func decodeDistribution(name: String, json: String) -> _OptunaDistribution {
    let key = name + "\u{0}" + json
    if let known = decoded[key] { return known }
    let entry = _OptunaDistributionJSON.decode(json, name: name)
    for note in entry.notes { notes.add(note) }
    decoded[key] = entry
    return entry
  }

  private mutating func objectiveValues(_ rows: [(objective: Int?, value: DatabaseValue, type: String?)], trial number: Int) -> [Double]? {
    guard !rows.isEmpty else { return nil }
    var byObjective: [Int: Double] = [:]
    var damaged = false
    for (objective, cell, type) in rows {
      guard let objective, objective >= 0 else { damaged = true; continue }
      switch type {
      case "FINITE"?:
        guard let v = _OptunaEncoding.double(cell) else { damaged = true; continue }
        byObjective[objective] = v
      case "INF_POS"?: byObjective[objective] = .infinity
      case "INF_NEG"?: byObjective[objective] = -.infinity
      default: damaged = true
      }
    }
    let values = (0..<byObjective.count).compactMap { byObjective[$0] }
    if damaged || values.count != byObjective.count {
      notes.add("its objective values are damaged (missing, gapped or of an unknown type; Optuna cannot load them either): they were left out", trial: number)
      return nil
    }
    return values
  }

  private mutating func intermediateValues(_ rows: [(step: Int?, value: DatabaseValue, type: String?)], trial number: Int) -> [Int: Double] {
    var result: [Int: Double] = [:]
    for (step, cell, type) in rows {
      guard let step else {
        notes.add("an intermediate value without a step was left out", trial: number)
        continue
      }
      switch type {
      case "FINITE"?:
        if let v = _OptunaEncoding.double(cell) {
          result[step] = v
        } else {
          notes.add("the intermediate value at step \(step) is missing (Optuna cannot load it either); it was left out", trial: number)
        }
      case "INF_POS"?: result[step] = .infinity
      case "INF_NEG"?: result[step] = -.infinity
      case "NAN"?: result[step] = .nan
      default: notes.add("the intermediate value at step \(step) has the unknown type \(type ?? "NULL"); it was left out", trial: number)
      }
    }
    return result
  }

  /// Attributes from `(key, value_json)` rows; Python's NaN and Infinity become null.
  private mutating func attributes(_ rows: [(key: String?, json: String?)], kind: String, trial: Int?) -> [String: JSONValue] {
    var result: [String: JSONValue] = [:]
    for (key, json) in rows {
      guard let key, let json else {
        note("a \(kind) without a key or a value (Optuna cannot load it either) was left out", trial: trial)
        continue
      }
      do {
        let (value, nonFinite) = try _OptunaEncoding.parsePythonJSON(json)
        if nonFinite > 0 {
          note("the \(kind) '\(key)' holds NaN or Infinity, which JSON in Hone cannot; they became null", trial: trial)
        }
        result[key] = _OptunaEncoding.nullingNonFinite(value)
      } catch {
        note("the \(kind) '\(key)' is not valid JSON (Optuna cannot load it either); its text was kept as a string", trial: trial)
        result[key] = .string(json)
      }
    }
    return result
  }

  /// Trial system attributes: `constraints` and `constraints:<name>` merged into Hone's
  /// constraints list, `fixed_params` cut to the values Hone can hold, the rest kept.
  private mutating func trialSystemAttributes(_ rows: [(key: String?, json: String?)], trial number: Int) -> [String: JSONValue] {
    let prefix = FrozenTrial.constraintsKey + ":"
    var named: [(name: String, value: JSONValue)] = []
    for (key, json) in rows {
      if let key, key.hasPrefix(prefix), let json, let value = try? _OptunaEncoding.parsePythonJSON(json).value {
        named.append((String(key.dropFirst(prefix.count)), _OptunaEncoding.nullingNonFinite(value)))
      }
    }
    var result = attributes(rows.filter { !($0.key?.hasPrefix(prefix) ?? false) }, kind: "system attribute", trial: number)
    var constraints: [JSONValue]?
    switch result.removeValue(forKey: FrozenTrial.constraintsKey) {
    case .array(let items)?: constraints = items
    case nil, .null?: break
    case let other?: notes.add("the constraints attribute \(other) is not a list; it was left out", trial: number)
    }
    if !named.isEmpty {
      var list = constraints ?? []
      for (name, value) in named {
        if let i = Int(name), i >= 0, i < list.count { list[i] = value } else { list.append(value) }
      }
      notes.add("the named constraints \(named.map { $0.name }.joined(separator: ", ")) were appended to the constraints list in Optuna's order (Hone's constraints have no names)", trial: number)
      constraints = list
    }
    if let constraints {
      if constraints.contains(where: { $0.doubleValue == nil }) {
        notes.add("constraint values that are not numbers are ignored by Hone", trial: number)
      }
      result[FrozenTrial.constraintsKey] = .array(constraints)
    }
    if let fixed = result["fixed_params"] {
      if case .object(let members) = fixed {
        let dropped = members.filter { ParamValue(json: $0.value) == nil }.keys.sorted()
        if !dropped.isEmpty {
          notes.add("the fixed parameters \(dropped.map { "\($0) = \(members[$0]!)" }.joined(separator: ", ")) cannot be Hone values; the trial will sample them instead", trial: number)
          result["fixed_params"] = .object(members.filter { ParamValue(json: $0.value) != nil })
        }
      } else {
        notes.add("fixed_params \(fixed) is not an object of parameter values; it was left out", trial: number)
        result["fixed_params"] = nil
      }
    }
    for key in result.keys where !_OptunaSchema.honeUses(key) { foreignTrialKeys[key, default: 0] += 1 }
    return result
  }

  private mutating func datetime(_ cell: DatabaseValue, trial number: Int) -> Date? {
    if cell.isNull { return nil }
    if let text = _OptunaEncoding.text(cell), let date = _OptunaEncoding.date(fromText: text) { return date }
    notes.add("the datetime \(cell) is not one Optuna writes; it was left out", trial: number)
    return nil
  }

  private mutating func note(_ message: String, trial: Int?) {
    if let trial { notes.add(message, trial: trial) } else { notes.add(message) }
  }
}
