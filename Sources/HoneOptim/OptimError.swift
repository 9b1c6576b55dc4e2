/// Errors of the optimizer library; each message says what was wrong and what to pass.
public enum OptimError: Error, Equatable, CustomStringConvertible, Sendable {
  /// A hyperparameter out of its domain (negative learning rate, β outside [0, 1), …).
  case invalidHyperparameter(String)
  /// Buffers of different lengths, or a state made for another number of parameters.
  case sizeMismatch(String)
  /// A saved state that cannot be read, or belongs to another optimizer.
  case invalidState(String)
  /// A step this optimizer cannot take from what it was given (SAM without a second gradient).
  case unsupported(String)

  /// The message, one line.
  public var description: String {
    switch self {
    case .invalidHyperparameter(let m), .sizeMismatch(let m), .invalidState(let m), .unsupported(let m): return m
    }
  }
}

/// Checks shared by the optimizers' initializers.
enum _Check {
  static func learningRate(_ lr: Double) throws {
    guard lr >= 0, lr.isFinite else { throw OptimError.invalidHyperparameter("learning rate must be >= 0 and finite, got \(lr)") }
  }
  static func beta(_ beta: Double, _ name: String) throws {
    guard beta >= 0, beta < 1 else { throw OptimError.invalidHyperparameter("\(name) must be in [0, 1), got \(beta)") }
  }
  /// β1 and β2 in [0, 1).
  static func betas(_ beta1: Double, _ beta2: Double) throws {
    try beta(beta1, "beta1")
    try beta(beta2, "beta2")
  }
  static func nonNegative(_ value: Double, _ name: String) throws {
    guard value >= 0, value.isFinite else { throw OptimError.invalidHyperparameter("\(name) must be >= 0 and finite, got \(value)") }
  }
  static func positive(_ value: Double, _ name: String) throws {
    guard value > 0, value.isFinite else { throw OptimError.invalidHyperparameter("\(name) must be > 0 and finite, got \(value)") }
  }
}
