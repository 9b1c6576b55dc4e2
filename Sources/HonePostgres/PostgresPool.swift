import Foundation
import HoneTune
import PostgresNIO

/// The connections of one process to one database: at most `url.poolSize` of them, opened when
/// first needed and shared by every `PostgresStorage` of the process that names the same URL,
/// so that a process of many studies and threads holds at most that many connections.
///
/// `run` is how every storage call reaches the server. A transaction that lost a race (a
/// serialization failure or a broken deadlock) runs again at once; a lost connection (the
/// server restarted, the link dropped, a query went unanswered) is dropped and the work runs
/// again on a new one, after a back-off of 50 ms doubling to 2 s, until `url.retryTimeout`
/// has passed since the connection was lost.
final class PostgresPool: Sendable {
  /// The server, database and options.
  let url: PostgresURL
  private let slots: DispatchSemaphore
  private let idle = Locked<[PostgresSession]>([])
  /// Whether this process has checked (and brought up to date) the database's schema.
  let schemaChecked = Locked(false)

  private static let pools = Locked<[PostgresURL: PostgresPool]>([:])

  private init(_ url: PostgresURL) {
    self.url = url
    slots = DispatchSemaphore(value: url.poolSize)
  }

  /// The process's pool for `url`.
  static func shared(_ url: PostgresURL) -> PostgresPool {
    pools.withLock { pools in
      if let pool = pools[url] { return pool }
      let pool = PostgresPool(url)
      pools[url] = pool
      return pool
    }
  }

  /// Runs `body` on a connection of the pool (waiting for one when all `poolSize` are busy),
  /// retrying as the type describes until `deadline`, or for `url.retryTimeout` seconds after
  /// the connection was lost. `attempt` counts the runs, so that a write whose commit went
  /// unanswered can find out whether it landed before writing again.
  func run<T>(deadline: Date? = nil, _ body: (PostgresSession, _ attempt: Int) throws -> T) throws -> T {
    var attempt = 0, backoff = 0.05
    var lost: Date?
    while true {
      do {
        return try withSession { try body($0, attempt) }
      } catch where PostgresErrors.isRaceLost(error) && attempt < 100 {
        attempt += 1
      } catch where PostgresErrors.isConnectionLost(error) {
        let since = lost ?? Date()
        lost = since
        let giveUp = deadline ?? since.addingTimeInterval(url.retryTimeout)
        guard Date().addingTimeInterval(backoff) <= giveUp else { throw PostgresErrors.translate(error, url) }
        Thread.sleep(forTimeInterval: backoff)
        backoff = min(2 * backoff, 2)
        attempt += 1
      } catch {
        throw PostgresErrors.translate(error, url)
      }
    }
  }

  private func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
    slots.wait()
    defer { slots.signal() }
    // An idle connection the server ended (a restart, a terminated backend) is dropped unused.
    var reused: PostgresSession?
    while reused == nil, let candidate = idle.withLock({ $0.popLast() }) {
      if candidate.isClosed { candidate.close() } else { reused = candidate }
    }
    let session = try reused ?? PostgresSession(url)
    defer {
      if session.isBroken { session.close() } else { idle.withLock { $0.append(session) } }
    }
    return try body(session)
  }
}
