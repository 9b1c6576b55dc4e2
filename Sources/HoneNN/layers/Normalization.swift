import HoneTensor

/// Layer normalization (Ba et al. 2016, "Layer Normalization") over the last dimension:
/// y = (x − μ)/√(σ² + ε)·γ + β with the biased variance, γ = 1 and β = 0 at first.
public final class LayerNorm: Layer {
  /// γ, [features].
  public let weight: Parameter
  /// β, [features].
  public let bias: Parameter
  /// ε.
  public let eps: Float

  /// Normalization of vectors of `features` values.
  public init(_ features: Int, eps: Float = 1e-5) {
    weight = Parameter(.ones([features]))
    bias = Parameter(.zeros([features]))
    self.eps = eps
  }

  /// Normalizes along the last axis.
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    precondition(input.shape.last == weight.value.count, "LayerNorm: input \(input.shape) does not end in \(weight.value.count)")
    let centered = input - input.mean(alongAxis: -1, keepDims: true)
    let variance = centered.squared().mean(alongAxis: -1, keepDims: true)
    return centered / (variance + eps).sqrt() * weight.value + bias.value
  }
}

/// Batch normalization of [N, C] inputs (Ioffe & Szegedy 2015, "Batch Normalization"),
/// PyTorch's `BatchNorm1d`: while training, each feature is normalized by the batch mean and
/// biased variance and the running statistics move by `momentum` (running variance updated
/// with the unbiased batch variance); in evaluation mode the running statistics are used.
public final class BatchNorm1d: Layer, ModeDependent {
  /// γ, [C].
  public let weight: Parameter
  /// β, [C].
  public let bias: Parameter
  /// The running mean (a buffer: saved, not trained).
  public let runningMean: Parameter
  /// The running variance (a buffer).
  public let runningVar: Parameter
  /// ε.
  public let eps: Float
  /// The running statistics' update rate.
  public let momentum: Float
  /// Training mode (batch statistics) or evaluation mode (running statistics).
  public var isTraining = true

  /// Batch normalization of `features` channels.
  public init(_ features: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
    weight = Parameter(.ones([features]))
    bias = Parameter(.zeros([features]))
    runningMean = Parameter(.zeros([features]), trainable: false)
    runningVar = Parameter(.ones([features]), trainable: false)
    self.eps = eps
    self.momentum = momentum
  }

  /// Normalizes each column.
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    precondition(input.rank == 2 && input.shape[1] == weight.value.count,
                 "BatchNorm1d: input \(input.shape) is not [N, \(weight.value.count)]")
    let mean: Tensor<Float>
    let variance: Tensor<Float>
    if isTraining {
      let n = input.shape[0]
      precondition(n > 1, "BatchNorm1d: training needs more than one example per batch, got input \(input.shape)")
      mean = input.mean(alongAxis: 0)
      variance = (input - mean).squared().mean(alongAxis: 0)
      let unbiased = variance.detached * (Float(n) / Float(n - 1))
      runningMean.value = (1 - momentum) * runningMean.value + momentum * mean.detached
      runningVar.value = (1 - momentum) * runningVar.value + momentum * unbiased
    } else {
      mean = runningMean.value
      variance = runningVar.value
    }
    return (input - mean) / (variance + eps).sqrt() * weight.value + bias.value
  }
}
