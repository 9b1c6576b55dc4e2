import Dispatch
import Foundation
import HoneTune
import PostgresNIO

/// One synchronous PostgreSQL connection: postgres-nio's future API on the process's event-loop
/// group, waited on by the calling thread (never an event-loop thread), so that a synchronous
/// `Storage` call needs no thread of Swift's cooperative pool, which a blocked caller could be
/// holding.
///
/// A query that gets no answer within `queryTimeout` (a link that went down without a reset)
/// closes the connection, so the caller reconnects instead of waiting for TCP to give up.
final class PostgresSession: @unchecked Sendable {
  private let connection: PostgresConnection
  private let queryTimeout: Double
  private let logger = Logger(label: "hone.postgres")
  /// Set once the connection failed: the pool drops it instead of reusing it.
  private(set) var isBroken = false

  /// Seconds a session may sit idle inside a transaction before the server ends it: a worker
  /// cut off while it holds a study's lock keeps the other workers waiting no longer than this.
  static let idleInTransactionTimeout = 10

  /// Connects and sets the session up; fails within `url.connectTimeout`.
  init(_ url: PostgresURL, queryTimeout: Double = 60) throws {
    var configuration = PostgresConnection.Configuration(
      host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
      tls: try Self.tls(url.sslMode))
    configuration.options.connectTimeout = .milliseconds(Int64(url.connectTimeout * 1000))
    self.queryTimeout = queryTimeout
    connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                                id: 1, logger: logger).wait()
    try query("SET idle_in_transaction_session_timeout = '\(unescaped: String(Self.idleInTransactionTimeout))s'")
  }

  private static func tls(_ mode: PostgresURL.SSLMode) throws -> PostgresConnection.Configuration.TLS {
    guard mode != .disable else { return .disable }
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.certificateVerification = .none
    let context = try NIOSSLContext(configuration: tls)
    return mode == .require ? .require(context) : .prefer(context)
  }

  /// Runs `query` and returns every row (collected, so every error surfaces here).
  @discardableResult
  func query(_ query: PostgresQuery) throws -> [PostgresRow] {
    try wait(connection.query(query, logger: logger)).rows
  }

  /// Runs `body` between BEGIN and COMMIT; rolls back when it throws. A COMMIT that the server
  /// turned into a rollback (the transaction had failed) throws.
  func transaction<T>(_ body: () throws -> T) throws -> T {
    try query("BEGIN")
    let result: T
    do {
      result = try body()
    } catch {
      if !isBroken { _ = try? query("ROLLBACK") }
      throw error
    }
    let commit = try wait(connection.query("COMMIT", logger: logger))
    guard commit.metadata.command == "COMMIT" else {
      throw StorageError.backend("PostgreSQL rolled the transaction back instead of committing it")
    }
    return result
  }

  /// The future's value, or `PostgresSessionError.timedOut` (and the connection closed) when it
  /// takes longer than `queryTimeout`.
  private func wait<T>(_ future: EventLoopFuture<T>) throws -> T {
    let done = DispatchSemaphore(value: 0)
    future.whenComplete { _ in done.signal() }
    if done.wait(timeout: .now() + queryTimeout) == .timedOut {
      isBroken = true
      let closing: EventLoopFuture<Void> = connection.close()
      _ = closing
      throw PostgresSessionError.timedOut(seconds: queryTimeout)
    }
    do {
      return try future.wait()
    } catch {
      if PostgresErrors.isConnectionLost(error) { isBroken = true }
      throw error
    }
  }

  /// Closes the connection.
  func close() { try? (connection.close() as EventLoopFuture<Void>).wait() }
}

/// A query the server did not answer in time.
enum PostgresSessionError: Error {
  case timedOut(seconds: Double)
}
