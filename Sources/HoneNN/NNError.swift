/// The errors of the layers, checkpoints, data and training loop. Each message says what was
/// wrong and what to do.
public enum NNError: Error, CustomStringConvertible, Equatable {
  /// A layer or loss was configured with an impossible value.
  case invalidArgument(String)
  /// A file could not be read or parsed.
  case badFile(String)
  /// A checkpoint does not match the model it is loaded into.
  case checkpointMismatch(String)
  /// Training produced a non-finite loss.
  case diverged(String)

  /// The message shown to the user.
  public var description: String {
    switch self {
    case .invalidArgument(let m): "invalid argument: \(m)"
    case .badFile(let m): "cannot read the file: \(m)"
    case .checkpointMismatch(let m): "the checkpoint does not fit the model: \(m)"
    case .diverged(let m): "training diverged: \(m)"
    }
  }
}
