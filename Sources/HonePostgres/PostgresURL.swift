import Foundation
import HoneTune

/// A PostgreSQL storage URL, parsed and checked; nothing is opened.
///
/// The form is libpq's and SQLAlchemy's: `postgresql://user:password@host:port/database`
/// (also `postgres://`), with percent-encoded user, password and database, and these options:
///
/// - `sslmode=disable|prefer|require` (default `prefer`: TLS when the server offers it,
///   without checking its certificate, as libpq does; `require` refuses a server without TLS);
/// - `pool_size=N`: connections this process opens at most (default 4, from 1 to 64), shared by
///   every study and every thread of the process;
/// - `connect_timeout=SECONDS`: how long one connection attempt may take (default 10);
/// - `retry_timeout=SECONDS`: how long a worker keeps reconnecting, with back-off, after the
///   server went away (a restart, a dropped link) before it gives up (default 120).
public struct PostgresURL: Hashable, Sendable, CustomStringConvertible {
  /// TLS to the server.
  public enum SSLMode: String, Hashable, Sendable {
    /// Plain TCP.
    case disable
    /// TLS when the server offers it.
    case prefer
    /// TLS or no connection.
    case require
  }

  /// The server's host name or address.
  public var host: String
  /// The server's port.
  public var port: Int
  /// The role to log in as.
  public var user: String
  /// The role's password, if the server asks for one.
  public var password: String?
  /// The database.
  public var database: String
  /// TLS to the server.
  public var sslMode: SSLMode = .prefer
  /// Connections this process opens at most.
  public var poolSize = 4
  /// Seconds one connection attempt may take.
  public var connectTimeout: Double = 10
  /// Seconds a worker keeps reconnecting after losing the server.
  public var retryTimeout: Double = 120

  /// The URL without its password, for messages.
  public var description: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

  /// Parses `url`; `StorageError.invalidURL` says what is wrong and which form is expected.
  public init(_ url: String) throws {
    let form = "postgresql://user:password@host:port/database"
    guard let schemeEnd = url.range(of: "://"), ["postgresql", "postgres"].contains(url[..<schemeEnd.lowerBound]) else {
      throw StorageError.invalidURL("'\(url)' is not a PostgreSQL URL; use \(form)")
    }
    var rest = Substring(url[schemeEnd.upperBound...])
    var query = ""
    if let q = rest.firstIndex(of: "?") {
      query = String(rest[rest.index(after: q)...])
      rest = rest[..<q]
    }
    guard let slash = rest.firstIndex(of: "/") else {
      throw StorageError.invalidURL("'\(Self.redacted(url))' names no database; use \(form)")
    }
    let database = String(rest[rest.index(after: slash)...])
    var authority = rest[..<slash]
    var user = "postgres", password: String?
    if let at = authority.lastIndex(of: "@") {
      let credentials = authority[..<at]
      authority = authority[authority.index(after: at)...]
      if let colon = credentials.firstIndex(of: ":") {
        user = String(credentials[..<colon])
        password = try Self.decoded(String(credentials[credentials.index(after: colon)...]), "password", url)
      } else {
        user = String(credentials)
      }
      user = try Self.decoded(user, "user name", url)
    }
    var host = String(authority), port = 5432
    if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
      host = String(authority[..<colon])
      guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else {
        throw StorageError.invalidURL("'\(Self.redacted(url))': the port must be a number from 1 to 65535")
      }
      port = p
    }
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty else { throw StorageError.invalidURL("'\(Self.redacted(url))' names no host; use \(form)") }
    guard !user.isEmpty else { throw StorageError.invalidURL("'\(Self.redacted(url))' has an empty user name; use \(form)") }
    self.host = host
    self.port = port
    self.user = user
    self.password = password
    self.database = try Self.decoded(database, "database name", url)
    guard !self.database.isEmpty else { throw StorageError.invalidURL("'\(Self.redacted(url))' names no database; use \(form)") }
    for pair in query.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { throw StorageError.invalidURL("malformed option '\(pair)' in '\(Self.redacted(url))'; use key=value") }
      try set(parts[0], parts[1])
    }
  }

  private mutating func set(_ key: String, _ value: String) throws {
    func seconds(_ range: ClosedRange<Double>) throws -> Double {
      guard let s = Double(value), range.contains(s) else {
        throw StorageError.invalidURL("\(key) must be a number of seconds from \(range.lowerBound) to \(range.upperBound), got '\(value)'")
      }
      return s
    }
    switch key {
    case "sslmode":
      guard let mode = SSLMode(rawValue: value) else { throw StorageError.invalidURL("sslmode must be disable, prefer or require, got '\(value)'") }
      sslMode = mode
    case "pool_size":
      guard let n = Int(value), (1...64).contains(n) else { throw StorageError.invalidURL("pool_size must be a whole number from 1 to 64, got '\(value)'") }
      poolSize = n
    case "connect_timeout": connectTimeout = try seconds(0.1...3600)
    case "retry_timeout": retryTimeout = try seconds(0...86400)
    default:
      throw StorageError.invalidURL("unknown option '\(key)' in a PostgreSQL URL; known: sslmode, pool_size, connect_timeout, retry_timeout")
    }
  }

  /// `text` percent-decoded, or an error naming `what`.
  private static func decoded(_ text: String, _ what: String, _ url: String) throws -> String {
    guard let decoded = text.removingPercentEncoding else {
      throw StorageError.invalidURL("'\(redacted(url))': the \(what) is not valid percent-encoding")
    }
    return decoded
  }

  /// `url` with its password replaced by `***`, for messages.
  public static func redacted(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].firstIndex(of: "@"),
          let colon = url[schemeEnd.upperBound..<at].firstIndex(of: ":") else { return url }
    return url.replacingCharacters(in: url.index(after: colon)..<at, with: "***")
  }
}
