import HoneMath
import HoneTensor

/// NAS-Bench-201's `nor_conv_k×k`: ReLU → k×k convolution (stride 1, same padding, no bias) → batch norm.
public final class ReLUConvBN: Layer {
  /// The convolution.
  public let conv: Conv2d
  /// The batch norm.
  public let norm: BatchNorm2d

  /// The block on `channels` channels.
  public init(_ channels: Int, kernelSize: Int, affine: Bool = true, rng: inout SeededRNG) {
    conv = Conv2d(channels, channels, kernelSize: kernelSize, padding: kernelSize / 2, bias: false, rng: &rng)
    norm = BatchNorm2d(channels, affine: affine)
  }

  /// [N, C, H, W] → [N, C, H, W].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> { norm(conv(input.relu())) }
}

/// sharpDARTS' SharpSepConv (Hundt, Jain & Hager 2019): two depthwise-separable 3×3
/// convolutions through a middle width C_mid,
/// ReLU → depthwise 3×3 (dilation d) → 1×1 in→C_mid → BN → ReLU → depthwise 3×3 → 1×1 C_mid→out → BN.
/// With C_mid = in it is DARTS' SepConv; with d = 2 sharpDARTS' dil_conv; with C_mid = 4·out its flood_conv.
public final class SharpSepConv: Layer {
  /// The first separable convolution, in → C_mid.
  public let first: DepthwiseSeparableConv2d
  /// Its batch norm.
  public let firstNorm: BatchNorm2d
  /// The second separable convolution, C_mid → out.
  public let second: DepthwiseSeparableConv2d
  /// Its batch norm.
  public let secondNorm: BatchNorm2d

  /// The block `inputs` → `outputs` through `middle` channels.
  public init(_ inputs: Int, _ outputs: Int, middle: Int, dilation: Int = 1, affine: Bool = true, rng: inout SeededRNG) {
    first = DepthwiseSeparableConv2d(inputs, middle, kernelSize: 3, padding: dilation, dilation: dilation, rng: &rng)
    firstNorm = BatchNorm2d(middle, affine: affine)
    second = DepthwiseSeparableConv2d(middle, outputs, kernelSize: 3, padding: 1, rng: &rng)
    secondNorm = BatchNorm2d(outputs, affine: affine)
  }

  /// [N, in, H, W] → [N, out, H, W].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    secondNorm(second(firstNorm(first(input.relu())).relu()))
  }
}
