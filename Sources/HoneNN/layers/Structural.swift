import HoneTensor

/// The identity, x ↦ x (PyTorch's `nn.Identity`; the `skip_connect` of a cell).
public final class Identity: Layer {
  /// The identity layer.
  public init() {}
  /// Returns the input.
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> { input }
}

/// The zero operation, x ↦ 0 of the same shape: a missing edge of a cell (`none`), which
/// passes no gradient back.
public final class Zero: Layer {
  /// The zero layer.
  public init() {}
  /// Zeros shaped as the input.
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> { .zeros(input.shape) }
}

/// Global average pooling, [N, C, H, W] → [N, C] (PyTorch's `AdaptiveAvgPool2d(1)` then flatten).
public final class GlobalAvgPool2d: Layer {
  /// The pooling layer.
  public init() {}
  /// The mean of each channel's plane.
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    precondition(input.rank == 4, "GlobalAvgPool2d: input \(input.shape) is not [N, C, H, W]")
    return input.mean(alongAxes: [2, 3])
  }
}
