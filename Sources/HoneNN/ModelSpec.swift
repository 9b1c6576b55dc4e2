import HoneMath

/// A classifier architecture written as text, as the CLI takes it:
/// - `mlp:256,256` — a multilayer perceptron with those hidden widths (`mlp` alone: one
///   hidden layer of 128), each followed by the activation and dropout;
/// - `linear` — multinomial logistic regression (no hidden layer);
/// - `cnn` — a small convolutional network for 8×8 single-channel images (64 features):
///   conv 3×3 (16) → activation → max-pool 2 → conv 3×3 (32) → activation → max-pool 2 → linear.
public struct ModelSpec: Sendable, Equatable, CustomStringConvertible {
  /// The architecture families.
  public enum Family: Sendable, Equatable {
    /// A multilayer perceptron with these hidden widths.
    case mlp([Int])
    /// The small CNN for 8×8 images.
    case cnn
  }

  /// The family and its sizes.
  public var family: Family
  /// The activation after each hidden layer.
  public var activation: ActivationFunction
  /// The dropout probability after each hidden activation of an MLP.
  public var dropout: Double

  /// A specification.
  public init(_ family: Family, activation: ActivationFunction = .relu, dropout: Double = 0) {
    self.family = family
    self.activation = activation
    self.dropout = dropout
  }

  /// Parses `mlp:256,256`, `mlp`, `linear` or `cnn`.
  public init(parsing text: String, activation: ActivationFunction = .relu, dropout: Double = 0) throws {
    let lower = text.lowercased()
    guard dropout >= 0 && dropout < 1 else { throw NNError.invalidArgument("dropout \(dropout) must be in [0, 1)") }
    if lower == "cnn" {
      self.init(.cnn, activation: activation, dropout: dropout)
    } else if lower == "linear" {
      self.init(.mlp([]), activation: activation, dropout: dropout)
    } else if lower == "mlp" {
      self.init(.mlp([128]), activation: activation, dropout: dropout)
    } else if lower.hasPrefix("mlp:") {
      let widths = lower.dropFirst(4).split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
      guard !widths.isEmpty, widths.allSatisfy({ ($0 ?? 0) > 0 }) else {
        throw NNError.invalidArgument("model \"\(text)\": write the hidden widths as positive integers, e.g. mlp:256,256")
      }
      self.init(.mlp(widths.map { $0! }), activation: activation, dropout: dropout)
    } else {
      throw NNError.invalidArgument("unknown model \"\(text)\": use mlp:W1,W2,… (e.g. mlp:256,256), mlp, linear or cnn")
    }
  }

  /// The text form.
  public var description: String {
    switch family {
    case .mlp(let widths): widths.isEmpty ? "linear" : "mlp:" + widths.map(String.init).joined(separator: ",")
    case .cnn: "cnn"
    }
  }

  /// The model for `inputs` features and `classes` outputs, initialized from `seed`.
  public func make(inputs: Int, classes: Int, seed: UInt64 = 0) throws -> Sequential {
    switch family {
    case .mlp(let widths):
      return Sequential.mlp(inputs: inputs, hidden: widths, outputs: classes, activation: activation, dropout: dropout, seed: seed)
    case .cnn:
      guard inputs == 64 else { throw NNError.invalidArgument("the cnn model takes 8×8 images (64 features); the data has \(inputs)") }
      var rng = SeededRNG(seed: seed)
      return Sequential([
        Reshape([1, 8, 8]),
        Conv2d(1, 16, kernelSize: 3, padding: 1, rng: &rng), Activation(activation), MaxPool2d(2),
        Conv2d(16, 32, kernelSize: 3, padding: 1, rng: &rng), Activation(activation), MaxPool2d(2),
        Flatten(), Linear(128, classes, rng: &rng),
      ])
    }
  }
}
