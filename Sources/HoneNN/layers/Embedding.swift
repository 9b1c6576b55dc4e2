import HoneMath
import HoneTensor

/// A lookup table of vectors (PyTorch's `nn.Embedding`): row i of the weight for index i,
/// initialized N(0, 1).
public final class Embedding: Layer {
  /// The table, [count, dimension].
  public let weight: Parameter

  /// A table of `count` vectors of `dimension` values.
  public init(_ count: Int, _ dimension: Int, rng: inout SeededRNG) {
    weight = Parameter(.randomNormal([count, dimension], using: &rng))
  }

  /// The vectors of `indices`, [indices.count, dimension].
  public func callAsFunction(_ indices: [Int]) -> Tensor<Float> { weight.value.gathering(indices, alongAxis: 0) }

  /// Indices given as a tensor of whole numbers, any shape S → S + [dimension].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    let indices = input.scalars.map { Int($0) }
    return self(indices).reshaped(to: input.shape + [weight.value.shape[1]])
  }
}

/// The stable embedding of Dettmers et al. 2022 ("8-bit Optimizers via Block-wise
/// Quantization", as bitsandbytes' `StableEmbedding`): Xavier-uniform initialization
/// (U(±√(6/(count + dimension))); Glorot & Bengio 2010), layer normalization of the output,
/// and a 32-bit optimizer state for the table even when the optimizer keeps 8-bit states.
public final class StableEmbedding: Layer {
  /// The table, [count, dimension]; its optimizer state stays 32-bit.
  public let weight: Parameter
  /// The normalization of each looked-up vector.
  public let norm: LayerNorm

  /// A table of `count` vectors of `dimension` values.
  public init(_ count: Int, _ dimension: Int, rng: inout SeededRNG) {
    let bound = (6 / Float(count + dimension)).squareRoot()
    weight = Parameter(.randomUniform([count, dimension], low: -bound, high: bound, using: &rng), keepsFullPrecisionState: true)
    norm = LayerNorm(dimension)
  }

  /// The normalized vectors of `indices`.
  public func callAsFunction(_ indices: [Int]) -> Tensor<Float> { norm(weight.value.gathering(indices, alongAxis: 0)) }

  /// Indices given as a tensor, any shape S → S + [dimension].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    self(input.scalars.map { Int($0) }).reshaped(to: input.shape + [weight.value.shape[1]])
  }
}
