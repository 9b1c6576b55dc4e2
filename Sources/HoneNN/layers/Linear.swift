import HoneMath
import HoneTensor

/// A fully connected layer y = x·Wᵀ + b, W of shape [out, in] (PyTorch's `nn.Linear`).
/// Initialized as PyTorch does: W and b uniform on ±1/√in (Kaiming-uniform with a = √5;
/// He et al. 2015, "Delving Deep into Rectifiers").
public final class Linear: Layer {
  /// The weight, [out, in].
  public let weight: Parameter
  /// The bias, [out], if any.
  public let bias: Parameter?

  /// A layer from `inputs` to `outputs` features, drawn from `rng`.
  public init(_ inputs: Int, _ outputs: Int, bias: Bool = true, rng: inout SeededRNG) {
    let bound = 1 / Float(Swift.max(inputs, 1)).squareRoot()
    weight = Parameter(.randomUniform([outputs, inputs], low: -bound, high: bound, using: &rng))
    self.bias = bias ? Parameter(.randomUniform([outputs], low: -bound, high: bound, using: &rng)) : nil
  }

  /// A layer with the given weight [out, in] and bias [out].
  public init(weight: Tensor<Float>, bias: Tensor<Float>?) {
    precondition(weight.rank == 2, "Linear: weight \(weight.shape) is not [out, in]")
    self.weight = Parameter(weight)
    self.bias = bias.map { Parameter($0) }
  }

  /// x [n, in] → [n, out].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    linear(input, weight: weight.value, bias: bias?.value)
  }
}

/// Layers applied one after another (PyTorch's `nn.Sequential`); parameters are named
/// `layers.<index>.<name>`.
public final class Sequential: Layer {
  /// The layers, in order.
  public var layers: [any Layer]

  /// A chain of layers.
  public init(_ layers: [any Layer]) { self.layers = layers }

  /// Applies every layer in turn.
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    var x = input
    for layer in layers { x = layer(x) }
    return x
  }

  /// A multilayer perceptron: Linear → activation (→ Dropout) for each hidden width, then a
  /// final Linear to `outputs`, initialized from `seed`.
  public static func mlp(inputs: Int, hidden: [Int], outputs: Int, activation: ActivationFunction = .relu,
                         dropout: Double = 0, seed: UInt64 = 0) -> Sequential {
    var rng = SeededRNG(seed: seed)
    var layers: [any Layer] = []
    var width = inputs
    for h in hidden {
      layers.append(Linear(width, h, rng: &rng))
      layers.append(Activation(activation))
      if dropout > 0 { layers.append(Dropout(probability: dropout, seed: rng.next())) }
      width = h
    }
    layers.append(Linear(width, outputs, rng: &rng))
    return Sequential(layers)
  }
}
