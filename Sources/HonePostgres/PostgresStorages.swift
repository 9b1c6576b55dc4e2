import HoneTune

/// The storage HonePostgres defines, as rows of the storage catalog: `postgresql:` and its
/// alias `postgres:`.
public enum PostgresStorages {
  /// The rows.
  public static let entries: [StorageEntry] = ["postgresql", "postgres"].map { scheme in
    StorageEntry(scheme, "\(scheme)://user:password@host:port/database") { context, _ in
      try PostgresStorage(PostgresURL(context.url), create: context.create)
    }
  }
}
