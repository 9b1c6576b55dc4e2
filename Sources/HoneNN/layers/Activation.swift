import HoneTensor

/// The elementwise nonlinearities a layer can apply.
public enum ActivationFunction: String, Sendable, CaseIterable {
  /// max(x, 0).
  case relu
  /// x for x > 0, 0.01·x otherwise.
  case leakyRelu = "leaky_relu"
  /// tanh x.
  case tanh
  /// σ(x) = 1/(1 + e⁻ˣ).
  case sigmoid
  /// x·Φ(x) (Hendrycks & Gimpel 2016).
  case gelu
  /// x·σ(x) (Elfwing et al. 2018).
  case silu

  /// Applies the function.
  public func apply(_ x: Tensor<Float>) -> Tensor<Float> {
    switch self {
    case .relu: x.relu()
    case .leakyRelu: x.leakyRelu()
    case .tanh: x.tanh()
    case .sigmoid: x.sigmoid()
    case .gelu: x.gelu()
    case .silu: x.silu()
    }
  }
}

/// A layer applying an activation function.
public final class Activation: Layer {
  /// The function.
  public let function: ActivationFunction
  /// A layer for `function`.
  public init(_ function: ActivationFunction) { self.function = function }
  /// Applies the function elementwise.
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> { function.apply(input) }
}

/// Flattens [N, …] to [N, rest] (PyTorch's `nn.Flatten`).
public final class Flatten: Layer {
  /// A flattening layer.
  public init() {}
  /// [N, d1, d2, …] → [N, d1·d2·…].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> { input.flattened() }
}

/// Reshapes each example: [N, …] → [N] + `shape` (PyTorch's `nn.Unflatten(1, shape)`).
public final class Reshape: Layer {
  /// The shape of one example.
  public let shape: [Int]
  /// A layer giving each example `shape`.
  public init(_ shape: [Int]) { self.shape = shape }
  /// [N, …] → [N] + shape.
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> { input.reshaped(to: [input.shape[0]] + shape) }
}
