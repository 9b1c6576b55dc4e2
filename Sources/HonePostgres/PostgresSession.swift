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

  /// Whether the connection has closed (the server ended it while it sat idle in the pool).
  var isClosed: Bool { connection.isClosed }
  /// Wakes the query waiting on the connection when it closes.
  private let closing = CloseWatch()

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
    // The deadline covers the whole handshake: a server that accepts TCP and then says
    // nothing fails here too, not only one that cannot be reached.
    let connecting = PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                                id: 1, logger: logger)
    connection = try Self.wait(connecting, seconds: url.connectTimeout) {
      connecting.whenSuccess { connection in _ = connection.close() as EventLoopFuture<Void> }
    }
    connection.closeFuture.whenComplete { [closing] _ in closing.close() }
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
    guard !connection.isClosed else {
      isBroken = true
      throw PostgresSessionError.closed
    }
    return try wait(connection.query(query, logger: logger)).rows
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
  /// takes longer than `queryTimeout`. A connection that closed (the server ended it) fails at
  /// once: postgres-nio drops a query written to a closed channel without completing it.
  private func wait<T>(_ future: EventLoopFuture<T>) throws -> T {
    do {
      return try Self.wait(future, seconds: queryTimeout, closing: closing) { [connection] in
        _ = connection.close() as EventLoopFuture<Void>
      }
    } catch {
      if PostgresErrors.isConnectionLost(error) { isBroken = true }
      throw error
    }
  }

  /// The future's value; `PostgresSessionError.timedOut` after `onTimeout` ran when it takes
  /// longer than `seconds`; `PostgresSessionError.closed` when the connection of `closing`
  /// closes and the future does not follow within a second.
  private static func wait<T>(_ future: EventLoopFuture<T>, seconds: Double, closing: CloseWatch? = nil,
                              onTimeout: () -> Void) throws -> T {
    let done = DispatchSemaphore(value: 0)
    let finished = Locked(false)
    future.whenComplete { _ in
      finished.withLock { $0 = true }
      done.signal()
    }
    closing?.watch(done)
    defer { closing?.watch(nil) }
    if done.wait(timeout: .now() + seconds) == .timedOut {
      onTimeout()
      throw PostgresSessionError.timedOut(seconds: seconds)
    }
    if !finished.current {
      let deadline = DispatchTime.now() + 1
      while !finished.current, done.wait(timeout: deadline) == .success {}
      guard finished.current else { throw PostgresSessionError.closed }
    }
    return try future.wait()
  }

  /// Closes the connection.
  func close() { try? (connection.close() as EventLoopFuture<Void>).wait() }

  deinit { close() }
}

/// The semaphore of the query waiting on a connection, signalled when the connection closes
/// (one callback on the close future per connection, not one per query).
final class CloseWatch: Sendable {
  private let state = Locked<(closed: Bool, waiter: DispatchSemaphore?)>((false, nil))

  /// Watches for `waiter` (nil: no one waits); signals it at once if already closed.
  func watch(_ waiter: DispatchSemaphore?) {
    let closed = state.withLock { state in
      state.waiter = waiter
      return state.closed
    }
    if closed { waiter?.signal() }
  }

  /// The connection closed: signals whoever waits.
  func close() { state.withLock { $0.closed = true; return $0.waiter }?.signal() }
}

/// A query that got no answer.
enum PostgresSessionError: Error {
  /// No answer within the timeout.
  case timedOut(seconds: Double)
  /// The connection closed under the query.
  case closed
}
