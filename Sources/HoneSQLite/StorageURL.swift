import Foundation
import HoneTune

/// Opens storage from a URL in SQLAlchemy's form, as the CLI and config files take it:
///
/// - `memory:` — in this process's memory;
/// - `sqlite:///relative/path.db` — a file relative to the working directory;
/// - `sqlite:////absolute/path.db` — an absolute path;
/// - query options for SQLite: `?timeout=SECONDS` (busy timeout, default 60) and
///   `synchronous=normal|full` (default normal).
public enum StorageURL {
  /// What a storage URL names, parsed and checked; nothing is opened.
  public enum Location: Equatable, Sendable {
    /// `memory:`.
    case memory
    /// An SQLite file with its busy timeout (seconds) and durability.
    case sqlite(path: String, busyTimeout: Double, durability: SQLiteStorage.Durability)
  }

  /// The storage the URL names; `StorageError.invalidURL` says which forms are accepted.
  /// With `create: false`, a missing SQLite file is an error instead of a new database.
  public static func open(_ url: String, create: Bool = true) throws -> any Storage {
    switch try parse(url) {
    case .memory: return InMemoryStorage()
    case .sqlite(let path, let busyTimeout, let durability):
      return try SQLiteStorage(path: path, busyTimeout: busyTimeout, durability: durability, create: create)
    }
  }

  /// Parses a storage URL without touching any file; `StorageError.invalidURL` says which
  /// forms are accepted.
  public static func parse(_ url: String) throws -> Location {
    if url == "memory:" || url == "memory://" { return .memory }
    let prefix = "sqlite:///"
    guard url.hasPrefix(prefix) else {
      throw StorageError.invalidURL("unknown storage URL '\(url)'; use sqlite:///relative.db, sqlite:////absolute/path.db or memory:")
    }
    var rest = String(url.dropFirst(prefix.count))
    var options: [String: String] = [:]
    if let q = rest.firstIndex(of: "?") {
      for pair in rest[rest.index(after: q)...].split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw StorageError.invalidURL("malformed option '\(pair)' in '\(url)'; use key=value") }
        options[parts[0]] = parts[1]
      }
      rest = String(rest[..<q])
    }
    guard !rest.isEmpty else { throw StorageError.invalidURL("'\(url)' names no file; use sqlite:///path/to/file.db") }
    var busyTimeout = 60.0
    var durability = SQLiteStorage.Durability.normal
    for (key, value) in options {
      switch key {
      case "timeout":
        guard let t = Double(value), t >= 0, t <= 1e9 else {
          throw StorageError.invalidURL("timeout must be a number of seconds from 0 to 1e9, got '\(value)'")
        }
        busyTimeout = t
      case "synchronous":
        guard let d = SQLiteStorage.Durability(rawValue: value.lowercased()) else {
          throw StorageError.invalidURL("synchronous must be normal or full, got '\(value)'")
        }
        durability = d
      default:
        throw StorageError.invalidURL("unknown option '\(key)' in '\(url)'; known: timeout, synchronous")
      }
    }
    return .sqlite(path: rest.removingPercentEncoding ?? rest, busyTimeout: busyTimeout, durability: durability)
  }
}

/// The storage HoneSQLite defines, as a row of the storage catalog: `sqlite:`.
public enum SQLiteStorages {
  /// The rows.
  public static let entries: [StorageEntry] = [
    StorageEntry("sqlite", "sqlite:///relative.db, sqlite:////absolute/path.db") { context, _ in
      try StorageURL.open(context.url, create: context.create)
    },
  ]
}
