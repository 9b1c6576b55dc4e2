import Foundation
import GRDB
import HoneTune

/// Parameters in blocks (`ParamLayout`): one row per batch of parameters a trial receives.
extension SQLiteStorage {
  /// Stores `params` (sorted by name) of trial `trialID` as its next block.
  func writeBlock(_ db: Database, studyID: Int, trialID: Int,
                  _ params: [(name: String, internalValue: Double, distribution: Distribution)]) throws {
    guard !params.isEmpty else { return }
    let names = params.map(\.name), distributions = params.map(\.distribution)
    let layoutID = try layoutID(db, studyID: studyID, names: names, distributions: distributions)
    let block = try db.value(Int.self, "SELECT COALESCE(MAX(block) + 1, 0) FROM trial_param_blocks WHERE trial_id = ?", [trialID])!
    try Self.insertBlock(db, trialID: trialID, block: block, layoutID: layoutID, values: params.map(\.internalValue))
  }

  /// Inserts block `block` of trial `trialID`: `values` in the order of layout `layoutID`.
  private static func insertBlock(_ db: Database, trialID: Int, block: Int, layoutID: Int, values: [Double]) throws {
    try db.run("INSERT INTO trial_param_blocks (trial_id, block, layout_id, vals) VALUES (?, ?, ?, ?)",
               [trialID, block, layoutID, ParamLayout.encode(values)])
  }

  /// Inserts a layout of the study and returns its id.
  private static func insertLayout(_ db: Database, studyID: Int, digest: Int64, _ stored: ParamLayout.Stored) throws -> Int {
    try db.run("INSERT INTO param_layouts (study_id, digest, names, distributions, choice) VALUES (?, ?, ?, ?, ?)",
               [studyID, digest, stored.names, stored.distributions, stored.choice])
    return Int(db.lastInsertedRowID)
  }

  /// The id of the study's layout of `names` and `distributions`, inserted when new.
  private func layoutID(_ db: Database, studyID: Int, names: [String], distributions: [Distribution]) throws -> Int {
    let digest = ParamLayout.digest(names: names)
    let candidates = try Int.fetchAll(db.cachedStatement(sql: "SELECT id FROM param_layouts WHERE study_id = ? AND digest = ?"),
                                      arguments: [studyID, digest])
    for id in candidates {
      let known = try layout(db, id)
      if known.names == names && known.distributions == distributions { return id }
    }
    return try Self.insertLayout(db, studyID: studyID, digest: digest, ParamLayout.stored(names: names, distributions: distributions))
  }

  /// Layout `id`, from the cache or the database.
  private func layout(_ db: Database, _ id: Int) throws -> ParamLayout {
    try layouts.layout(id) {
      guard let row = try db.row("SELECT names, distributions, choice FROM param_layouts WHERE id = ?", [id]) else {
        throw StorageError.backend("corrupt parameters: layout \(id) is missing")
      }
      return try ParamLayout(ParamLayout.Stored(names: row["names"], distributions: row["distributions"], choice: row["choice"]))
    }
  }

  /// The distributions trial `trialID` already holds.
  func storedDistributions(_ db: Database, trialID: Int) throws -> [String: Distribution] {
    var result: [String: Distribution] = [:]
    let rows = try db.rows("SELECT layout_id FROM trial_param_blocks WHERE trial_id = ? ORDER BY block", [trialID])
    var ids: [Int] = []
    while let row = try rows.next() { ids.append(row[0]) }
    for id in ids {
      let layout = try layout(db, id)
      if result.isEmpty { result = layout.byName } else { result.merge(layout.byName) { first, _ in first } }
    }
    return result
  }

  /// Reads the parameters of `trials`: a trial of one block (every trial asked with a fixed
  /// space) gets it as a `ParamBlock` sharing its layout's arrays and distributions
  /// dictionary — no dictionary is filled, and trials of one space compare their spaces in
  /// O(1); a trial of several blocks (define-by-run) gets them merged into dictionaries.
  func readParams(_ db: Database, into trials: inout [FrozenTrial], position: [Int: Int], where condition: String,
                  _ arguments: StatementArguments) throws {
    // Sorted here, not by an ORDER BY: SQLite would sort the rows with their value blobs in a
    // temporary B-tree, which spills to a temporary file once the blobs pass its cache (100
    // trials of 20,000 parameters: 16 MB written and read back on every ask).
    let rows = try db.rows("""
      SELECT b.trial_id, b.block, b.layout_id, b.vals FROM trial_param_blocks b JOIN trials t ON t.id = b.trial_id WHERE \(condition)
      """, arguments)
    var blocks: [(trialID: Int, block: Int, layoutID: Int, values: Data)] = []
    while let row = try rows.next() { blocks.append((row[0], row[1], row[2], row[3])) }
    blocks.sort { ($0.trialID, $0.block) < ($1.trialID, $1.block) }
    var start = 0
    while start < blocks.count {
      var end = start + 1
      while end < blocks.count && blocks[end].trialID == blocks[start].trialID { end += 1 }
      let i = position[blocks[start].trialID]!
      let first = try layout(db, blocks[start].layoutID)
      if end == start + 1 {
        trials[i].paramBlock = ParamBlock(names: first.names, distributions: first.distributions,
                                          internalValues: try first.decode(blocks[start].values))
        trials[i].distributions = first.byName
      } else {
        var params: [String: ParamValue] = [:], distributions: [String: Distribution] = [:]
        for block in blocks[start..<end] {
          let layout = try layout(db, block.layoutID)
          let values = try layout.decode(block.values)
          for k in layout.names.indices where distributions[layout.names[k]] == nil {
            params[layout.names[k]] = layout.distributions[k].value(fromInternal: values[k])
            distributions[layout.names[k]] = layout.distributions[k]
          }
        }
        trials[i].params = params
        trials[i].distributions = distributions
      }
      start = end
    }
  }

  /// Schema version 2 → 3: each trial's parameter rows become one block.
  static func migrateParamRowsToBlocks(_ db: Database) throws {
    try db.execute(sql: """
      CREATE TABLE param_layouts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        digest INTEGER NOT NULL,
        names BLOB NOT NULL,
        distributions TEXT NOT NULL,
        choice BLOB NOT NULL
      );
      CREATE INDEX param_layouts_by_digest ON param_layouts(study_id, digest);
      CREATE TABLE trial_param_blocks (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        block INTEGER NOT NULL,
        layout_id INTEGER NOT NULL REFERENCES param_layouts(id) ON DELETE CASCADE,
        vals BLOB NOT NULL,
        PRIMARY KEY (trial_id, block)
      );
      """)
    let rows = try Row.fetchCursor(db, sql: """
      SELECT t.study_id, p.trial_id, p.name, p.value, p.distribution FROM trial_params p JOIN trials t ON t.id = p.trial_id
      ORDER BY p.trial_id, p.name
      """)
    var pending: (studyID: Int, trialID: Int, names: [String], values: [Double], distributions: [Distribution])?
    var parsed: [String: Distribution] = [:]
    func flush() throws {
      guard let p = pending else { return }
      let digest = ParamLayout.digest(names: p.names)
      let stored = ParamLayout.stored(names: p.names, distributions: p.distributions)
      let known = try Int.fetchOne(db, sql: """
        SELECT id FROM param_layouts WHERE study_id = ? AND digest = ? AND names = ? AND distributions = ? AND choice = ?
        """, arguments: [p.studyID, digest, stored.names, stored.distributions, stored.choice])
      let layoutID = try known ?? insertLayout(db, studyID: p.studyID, digest: digest, stored)
      try insertBlock(db, trialID: p.trialID, block: 0, layoutID: layoutID, values: p.values)
    }
    while let row = try rows.next() {
      let trialID: Int = row[1]
      if pending?.trialID != trialID {
        try flush()
        pending = (row[0], trialID, [], [], [])
      }
      let name: String = row[2], text: String = row[4]
      let distribution = try parsed[text] ?? Distribution(json: JSONValue.parse(text), name: name)
      parsed[text] = distribution
      pending!.names.append(name)
      pending!.values.append(row[3])
      pending!.distributions.append(distribution)
    }
    try flush()
    try db.execute(sql: "DROP TABLE trial_params")
  }
}
