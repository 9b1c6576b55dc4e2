import HoneMath
import HoneTensor

/// A 2-D convolution layer over [N, C, H, W] (PyTorch's `nn.Conv2d`, square kernels), weight
/// [out, in/groups, k, k], initialized uniform on ±1/√(in/groups·k²) as PyTorch does. A
/// dilation d > 1 spaces the taps d pixels apart (atrous convolution, Yu & Koltun 2016); `groups`
/// g splits the channels into g independent convolutions (g = in = out: depthwise).
public final class Conv2d: Layer {
  /// The kernels, [out, in/groups, k, k].
  public let weight: Parameter
  /// The bias, [out], if any.
  public let bias: Parameter?
  /// The step between windows.
  public let stride: Int
  /// Zeros added on each side.
  public let padding: Int
  /// The spacing between a kernel's taps.
  public let dilation: Int
  /// Channel groups convolved independently.
  public let groups: Int

  /// `inputs` → `outputs` channels with k×k kernels; `inputs` and `outputs` must be multiples of `groups`.
  public init(_ inputs: Int, _ outputs: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
              groups: Int = 1, bias: Bool = true, rng: inout SeededRNG) {
    precondition(groups >= 1 && inputs % groups == 0 && outputs % groups == 0,
                 "Conv2d: \(inputs) inputs and \(outputs) outputs are not multiples of \(groups) groups")
    let bound = 1 / Float(inputs / groups * kernelSize * kernelSize).squareRoot()
    weight = Parameter(.randomUniform([outputs, inputs / groups, kernelSize, kernelSize], low: -bound, high: bound, using: &rng))
    self.bias = bias ? Parameter(.randomUniform([outputs], low: -bound, high: bound, using: &rng)) : nil
    (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
  }

  /// [N, in, H, W] → [N, out, H′, W′].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    conv2d(input, weight: weight.value, bias: bias?.value, stride: stride, padding: padding, dilation: dilation, groups: groups)
  }

  /// Multiply–accumulates per example for an input of `height` × `width`:
  /// out·(in/groups)·k²·H′·W′.
  public func multiplyAccumulates(height: Int, width: Int) -> Int {
    let (o, cg, k) = (weight.value.shape[0], weight.value.shape[1], weight.value.shape[2])
    let span = dilation * (k - 1) + 1
    let (h, w) = ((height + 2 * padding - span) / stride + 1, (width + 2 * padding - span) / stride + 1)
    return o * cg * k * k * h * w
  }
}

/// A depthwise-separable convolution (Chollet 2017, "Xception"; MobileNet's block): a k×k
/// depthwise convolution of each input channel alone (optionally dilated and strided), then a
/// 1×1 convolution mixing the channels, both without bias:
/// in·k²·H′W′ + in·out·H′W′ multiply–accumulates instead of in·out·k²·H′W′.
public final class DepthwiseSeparableConv2d: Layer {
  /// The k×k convolution of each channel (groups = in).
  public let depthwise: Conv2d
  /// The 1×1 convolution in → out.
  public let pointwise: Conv2d

  /// `inputs` → `outputs` channels.
  public init(_ inputs: Int, _ outputs: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
              rng: inout SeededRNG) {
    depthwise = Conv2d(inputs, inputs, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
                       groups: inputs, bias: false, rng: &rng)
    pointwise = Conv2d(inputs, outputs, kernelSize: 1, bias: false, rng: &rng)
  }

  /// [N, in, H, W] → [N, out, H′, W′].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> { pointwise(depthwise(input)) }
}

/// Max pooling over k×k windows (stride k unless given).
public final class MaxPool2d: Layer {
  /// The window size k.
  public let kernelSize: Int
  /// The step between windows.
  public let stride: Int
  /// Zeros (max pooling: ignored positions) added on each side.
  public let padding: Int
  /// A pooling layer.
  public init(_ kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
    self.kernelSize = kernelSize
    self.stride = stride ?? kernelSize
    self.padding = padding
  }
  /// [N, C, H, W] → [N, C, H′, W′].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> { maxPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding) }
}

/// Average pooling over k×k windows (stride k unless given).
public final class AvgPool2d: Layer {
  /// The window size k.
  public let kernelSize: Int
  /// The step between windows.
  public let stride: Int
  /// Zeros (max pooling: ignored positions) added on each side.
  public let padding: Int
  /// A pooling layer.
  public init(_ kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
    self.kernelSize = kernelSize
    self.stride = stride ?? kernelSize
    self.padding = padding
  }
  /// [N, C, H, W] → [N, C, H′, W′].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> { avgPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding) }
}
