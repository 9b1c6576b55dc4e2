import Dispatch

/// Runs blocking storage work (a SQLite read, a PostgreSQL round trip) on a Dispatch queue,
/// so that the server's async request handlers never hold a thread of the cooperative pool
/// while they wait.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
  }
}
