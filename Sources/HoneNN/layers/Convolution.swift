import HoneMath
import HoneTensor

/// A 2-D convolution layer over [N, C, H, W] (PyTorch's `nn.Conv2d`, square kernels), weight
/// [out, in, k, k], initialized uniform on ±1/√(in·k²) as PyTorch does.
public final class Conv2d: Layer {
  /// The kernels, [out, in, k, k].
  public let weight: Parameter
  /// The bias, [out], if any.
  public let bias: Parameter?
  /// The step between windows.
  public let stride: Int
  /// Zeros added on each side.
  public let padding: Int

  /// `inputs` → `outputs` channels with k×k kernels.
  public init(_ inputs: Int, _ outputs: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true,
              rng: inout SeededRNG) {
    let bound = 1 / Float(inputs * kernelSize * kernelSize).squareRoot()
    weight = Parameter(.randomUniform([outputs, inputs, kernelSize, kernelSize], low: -bound, high: bound, using: &rng))
    self.bias = bias ? Parameter(.randomUniform([outputs], low: -bound, high: bound, using: &rng)) : nil
    self.stride = stride
    self.padding = padding
  }

  /// [N, in, H, W] → [N, out, H′, W′].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    conv2d(input, weight: weight.value, bias: bias?.value, stride: stride, padding: padding)
  }
}

/// Max pooling over k×k windows (stride k unless given).
public final class MaxPool2d: Layer {
  /// The window size k.
  public let kernelSize: Int
  /// The step between windows.
  public let stride: Int
  /// A pooling layer.
  public init(_ kernelSize: Int, stride: Int? = nil) {
    self.kernelSize = kernelSize
    self.stride = stride ?? kernelSize
  }
  /// [N, C, H, W] → [N, C, H′, W′].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> { maxPool2d(input, kernelSize: kernelSize, stride: stride) }
}

/// Average pooling over k×k windows (stride k unless given).
public final class AvgPool2d: Layer {
  /// The window size k.
  public let kernelSize: Int
  /// The step between windows.
  public let stride: Int
  /// A pooling layer.
  public init(_ kernelSize: Int, stride: Int? = nil) {
    self.kernelSize = kernelSize
    self.stride = stride ?? kernelSize
  }
  /// [N, C, H, W] → [N, C, H′, W′].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> { avgPool2d(input, kernelSize: kernelSize, stride: stride) }
}
