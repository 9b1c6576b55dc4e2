/// What opening a storage needs: its URL (`scheme:…`) and whether a missing database may be
/// created (read-only commands pass false, so a mistyped path leaves nothing behind).
public struct StorageContext: Sendable {
  /// The whole URL.
  public var url: String
  /// Whether a missing database is created.
  public var create: Bool

  /// A context for `url`.
  public init(url: String, create: Bool = true) {
    self.url = url
    self.create = create
  }

  /// The scheme: what precedes the first colon ("sqlite" in `sqlite:///hone.db`).
  public static func scheme(of url: String) -> String { String(url.prefix { $0 != ":" }) }
}

/// A row of the storage catalog: its name is the URL scheme, its summary the URL's forms.
public typealias StorageEntry = CatalogEntry<StorageContext, any Storage>

/// The storage HoneTune defines: `memory:`.
public enum TuneStorages {
  /// The rows.
  public static let entries: [StorageEntry] = [
    StorageEntry("memory", "memory:") { context, _ in
      guard context.url == "memory:" || context.url == "memory://" else {
        throw StorageError.invalidURL("'\(context.url)': in-memory storage is written memory:")
      }
      return InMemoryStorage()
    },
  ]
}
