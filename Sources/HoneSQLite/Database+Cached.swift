import GRDB

extension Database {
  /// Executes `sql` through the connection's statement cache: compiled (and authorized) once
  /// per connection, which is most of the cost of a small statement.
  func run(_ sql: String, _ arguments: StatementArguments = []) throws {
    try cachedStatement(sql: sql).execute(arguments: arguments)
  }

  /// The first column of the first row of a cached query.
  func value<T: DatabaseValueConvertible & StatementColumnConvertible>(_ type: T.Type, _ sql: String,
                                                                       _ arguments: StatementArguments = []) throws -> T? {
    try T.fetchOne(cachedStatement(sql: sql), arguments: arguments)
  }

  /// The first row of a cached query, copied out of the statement.
  func row(_ sql: String, _ arguments: StatementArguments = []) throws -> Row? {
    try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
  }

  /// The rows of a cached query; each row is valid only until the cursor moves on.
  func rows(_ sql: String, _ arguments: StatementArguments = []) throws -> RowCursor {
    try Row.fetchCursor(cachedStatement(sql: sql), arguments: arguments)
  }
}
