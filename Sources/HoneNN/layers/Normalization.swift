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

/// Batch normalization (Ioffe & Szegedy 2015, "Batch Normalization"), the shared part of
/// `BatchNorm1d` and `BatchNorm2d`: while training, each channel (axis 1) is normalized by the
/// mean and biased variance over the batch and any positions, y = (x − μ)/√(σ² + ε)·γ + β, and
/// the running statistics move by `momentum` (the running variance with the unbiased estimate
/// m/(m − 1)·σ² over m values); in evaluation mode the running statistics are used. Without
/// `affine` there is no γ and β.
public class BatchNormalization: ModeDependent {
  /// γ, [C] (nil without `affine`).
  public let weight: Parameter?
  /// β, [C] (nil without `affine`).
  public let bias: Parameter?
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

  init(channels: Int, eps: Float, momentum: Float, affine: Bool) {
    weight = affine ? Parameter(.ones([channels])) : nil
    bias = affine ? Parameter(.zeros([channels])) : nil
    runningMean = Parameter(.zeros([channels]), trainable: false)
    runningVar = Parameter(.ones([channels]), trainable: false)
    (self.eps, self.momentum) = (eps, momentum)
  }

  /// Normalizes `input` per channel with statistics over `axes`.
  func normalize(_ input: Tensor<Float>, axes: [Int]) -> Tensor<Float> {
    let channels = runningMean.value.count
    var shape = [Int](repeating: 1, count: input.rank)
    shape[1] = channels
    let mean: Tensor<Float>
    let variance: Tensor<Float>
    if isTraining {
      let m = input.count / channels
      precondition(m > 1, "batch norm: training needs more than one value per channel, got input \(input.shape)")
      mean = input.mean(alongAxes: axes, keepDims: true)
      variance = (input - mean).squared().mean(alongAxes: axes, keepDims: true)
      let unbiased = variance.detached.reshaped(to: [channels]) * (Float(m) / Float(m - 1))
      runningMean.value = (1 - momentum) * runningMean.value + momentum * mean.detached.reshaped(to: [channels])
      runningVar.value = (1 - momentum) * runningVar.value + momentum * unbiased
    } else {
      mean = runningMean.value.reshaped(to: shape)
      variance = runningVar.value.reshaped(to: shape)
    }
    let normalized = (input - mean) / (variance + eps).sqrt()
    guard let weight, let bias else { return normalized }
    return normalized * weight.value.reshaped(to: shape) + bias.value.reshaped(to: shape)
  }
}

/// Batch normalization of [N, C] inputs, PyTorch's `BatchNorm1d`: each feature's statistics
/// over the batch (see `BatchNormalization`).
public final class BatchNorm1d: BatchNormalization, Layer {
  /// Batch normalization of `features` channels.
  public init(_ features: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true) {
    super.init(channels: features, eps: eps, momentum: momentum, affine: affine)
  }

  /// Normalizes each column.
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    precondition(input.rank == 2 && input.shape[1] == runningMean.value.count,
                 "BatchNorm1d: input \(input.shape) is not [N, \(runningMean.value.count)]")
    return normalize(input, axes: [0])
  }
}

/// Batch normalization of [N, C, H, W] inputs, PyTorch's `BatchNorm2d`: each channel's
/// statistics over the batch and every position, N·H·W values (see `BatchNormalization`).
public final class BatchNorm2d: BatchNormalization, Layer {
  /// Batch normalization of `channels` channels.
  public init(_ channels: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true) {
    super.init(channels: channels, eps: eps, momentum: momentum, affine: affine)
  }

  /// Normalizes each channel.
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    precondition(input.rank == 4 && input.shape[1] == runningMean.value.count,
                 "BatchNorm2d: input \(input.shape) is not [N, \(runningMean.value.count), H, W]")
    return normalize(input, axes: [0, 2, 3])
  }
}
