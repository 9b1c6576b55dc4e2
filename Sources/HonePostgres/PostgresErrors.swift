import Foundation
import HoneTune
import PostgresNIO

/// What a PostgreSQL failure means for the storage: retry the transaction, reconnect, or tell
/// the user — and the one-line message that says what to do.
enum PostgresErrors {
  /// The SQLSTATE of a server error (`23505` for a unique violation), nil for other errors.
  static func sqlState(_ error: Error) -> String? {
    (error as? PSQLError)?.serverInfo?[.sqlState]
  }

  /// Whether the connection is gone: closed or reset, the server shutting down or starting
  /// up, or a query left unanswered. The work is retried on a new connection.
  static func isConnectionLost(_ error: Error) -> Bool {
    if error is PostgresSessionError || error is ChannelError || error is IOError { return true }
    guard let error = error as? PSQLError else { return false }
    if let state = error.serverInfo?[.sqlState] {
      return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
    }
    return [.serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection].contains(error.code)
  }

  /// Whether the transaction lost a race (a serialization failure or a deadlock the server
  /// broke) and is simply run again.
  static func isRaceLost(_ error: Error) -> Bool {
    ["40001", "40P01"].contains(sqlState(error) ?? "")
  }

  /// `error` as a `StorageError` that says what to do; Hone's own errors pass through.
  static func translate(_ error: Error, _ url: PostgresURL) -> Error {
    if error is StorageError || error is TrialFinishedError || error is TuneError { return error }
    let server = "PostgreSQL at \(url.host):\(url.port)"
    switch error as? PostgresSessionError {
    case .timedOut(let seconds)?:
      return StorageError.backend("\(server) did not answer within \(Int(seconds)) s; check the network and the server")
    case .closed?:
      return StorageError.backend("\(server) closed the connection; check that the server runs")
    case nil: break
    }
    guard let psql = error as? PSQLError else {
      return StorageError.backend("cannot reach \(server): \(error); check that the server runs and that this host may connect")
    }
    guard let info = psql.serverInfo, let state = info[.sqlState] else {
      let cause = psql.underlying.map { "\($0)" } ?? "\(psql.code)"
      return StorageError.backend("cannot reach \(server): \(cause); check that the server runs and that this host may connect")
    }
    let message = info[.message] ?? "error \(state)"
    switch state {
    case "28P01", "28000":
      return StorageError.backend("\(server) refused user '\(url.user)': \(message); check the user and password in the storage URL")
    case "3D000":
      return StorageError.databaseNotFound("\(server) has no database '\(url.database)'; create it (createdb \(url.database)) or fix the storage URL")
    case "53300":
      return StorageError.backend("\(server) has no connection slot left (\(message)); raise max_connections or lower pool_size in the storage URL")
    case "42501":
      return StorageError.backend("\(server): user '\(url.user)' lacks a privilege Hone needs (\(message)); grant it CREATE and USAGE on the database")
    default:
      return StorageError.backend("\(server): \(message) (SQLSTATE \(state))")
    }
  }
}
