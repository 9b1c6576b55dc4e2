/// Errors of the numerics layer. Each message says what was wrong and what to pass instead.
public enum MathError: Error, Equatable, CustomStringConvertible, Sendable {
  /// An argument out of its domain (a dimension, a size, a shape).
  case invalidArgument(String)
  /// A matrix that stays not positive definite after the largest jitter was added.
  case notPositiveDefinite(String)
  /// An iterative LAPACK routine that did not converge.
  case notConverged(String)

  /// The message, one line.
  public var description: String {
    switch self {
    case .invalidArgument(let message): return message
    case .notPositiveDefinite(let message): return message
    case .notConverged(let message): return message
    }
  }
}
