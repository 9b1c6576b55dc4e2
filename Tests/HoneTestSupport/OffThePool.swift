import Foundation

/// Runs `body` on a thread of its own and returns its result: for the tests' blocking work
/// (initdb, psql, `ip`, waiting for a child process), which must not hold a thread of Swift's
/// cooperative pool — the suites share its few threads, and a test that times an async
/// objective would wait for them. Expectations stay with the caller (`body` has no test context).
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
  }
}
