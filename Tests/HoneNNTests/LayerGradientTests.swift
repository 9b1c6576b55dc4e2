import Testing
import HoneMath
import HoneTensor
@testable import HoneNN

/// One layer on one input shape, checked by directional finite differences in Float.
struct LayerGradientCase: CustomTestStringConvertible, @unchecked Sendable {
  let name: String
  let inputShape: [Int]
  let make: () -> any Layer
  var testDescription: String { name }
}

private let layerCases: [LayerGradientCase] = [
  LayerGradientCase(name: "Conv2d dilation 2", inputShape: [2, 3, 6, 6]) {
    var rng = SeededRNG(seed: 1)
    return Conv2d(3, 4, kernelSize: 3, padding: 2, dilation: 2, rng: &rng)
  },
  LayerGradientCase(name: "Conv2d depthwise", inputShape: [2, 3, 5, 5]) {
    var rng = SeededRNG(seed: 2)
    return Conv2d(3, 3, kernelSize: 3, padding: 1, groups: 3, rng: &rng)
  },
  LayerGradientCase(name: "DepthwiseSeparableConv2d (dilated)", inputShape: [2, 3, 6, 6]) {
    var rng = SeededRNG(seed: 3)
    return DepthwiseSeparableConv2d(3, 5, kernelSize: 3, padding: 2, dilation: 2, rng: &rng)
  },
  LayerGradientCase(name: "ReLUConvBN 3×3", inputShape: [2, 3, 4, 4]) {
    var rng = SeededRNG(seed: 4)
    return ReLUConvBN(3, kernelSize: 3, rng: &rng)
  },
  LayerGradientCase(name: "SharpSepConv (dilation 2, C_mid 5)", inputShape: [2, 3, 5, 5]) {
    var rng = SeededRNG(seed: 5)
    return SharpSepConv(3, 4, middle: 5, dilation: 2, rng: &rng)
  },
  LayerGradientCase(name: "BatchNorm2d (training)", inputShape: [3, 2, 3, 3]) { BatchNorm2d(2) },
  LayerGradientCase(name: "BatchNorm2d (no affine)", inputShape: [3, 2, 3, 3]) { BatchNorm2d(2, affine: false) },
  LayerGradientCase(name: "Identity", inputShape: [2, 2, 3, 3]) { Identity() },
  LayerGradientCase(name: "Zero", inputShape: [2, 2, 3, 3]) { Zero() },
  LayerGradientCase(name: "GlobalAvgPool2d", inputShape: [2, 3, 4, 4]) { GlobalAvgPool2d() },
  LayerGradientCase(name: "AvgPool2d (padding 1)", inputShape: [2, 2, 4, 4]) { AvgPool2d(3, stride: 1, padding: 1) },
]

@Suite("New layers' gradients against finite differences (Float)")
struct LayerGradientTests {
  /// For random directions v (over the input and every trainable parameter, scaled to each), the reverse-mode
  /// derivative g·v equals [L(θ + εv) − L(θ − εv)]/2ε of L = Σ r ⊙ layer(x), r fixed.
  @Test(arguments: layerCases)
  func directionalDerivativesMatch(_ c: LayerGradientCase) {
    checkDirectionalDerivatives(c.make(), inputShape: c.inputShape)
  }
}

/// Checks `layer`'s gradients (input and trainable parameters) along three random directions.
func checkDirectionalDerivatives(_ layer: any Layer, inputShape: [Int], sourceLocation: SourceLocation = #_sourceLocation) {
  var rng = SeededRNG(seed: 7)
  var x = Tensor<Float>.randomNormal(inputShape, using: &rng)
  let probe = layer(x)
  let r = Tensor<Float>.randomNormal(probe.shape, using: &rng)
  let parameters = layer.trainableParameters().map(\.parameter)
  func loss() -> Tensor<Float> { (layer(x) * r).sum() }
  // Reverse mode.
  x = x.tracked()
  for p in parameters { p.value = p.value.tracked() }
  let l = loss()
  l.backward()
  let gx = x.gradient ?? .zeros(x.shape)
  let gp = parameters.map { $0.value.gradient ?? .zeros($0.value.shape) }
  x = x.detached
  for p in parameters { p.value = p.value.detached }
  for _ in 0..<3 {
    let vx = Tensor<Float>.randomNormal(x.shape, using: &rng)
    // Each parameter moves in proportion to its root-mean-square value: a batch norm after a
    // convolution makes the loss scale-invariant in the kernels, so a step of a fixed size
    // would meet a curvature of order 1/‖w‖².
    // ε is small, so that few ReLU kinks (of the blocks' inner activations) lie within a step.
    let vp = parameters.map { p in
      Tensor<Float>.randomNormal(p.value.shape, using: &rng) * Swift.max(p.value.squared().mean().scalar.squareRoot(), 1e-2)
    }
    let analytic = (gx * vx).sum().scalar + zip(gp, vp).reduce(Float(0)) { $0 + ($1.0 * $1.1).sum().scalar }
    let eps: Float = 5e-4
    let (x0, p0) = (x, parameters.map(\.value))
    func shifted(_ s: Float) -> Float {
      x = x0 + s * vx
      for (p, (w, v)) in zip(parameters, zip(p0, vp)) { p.value = w + s * v }
      return loss().scalar
    }
    let numeric = (shifted(eps) - shifted(-eps)) / (2 * eps)
    x = x0
    for (p, w) in zip(parameters, p0) { p.value = w }
    #expect(Swift.abs(analytic - numeric) <= 2e-2 * Swift.max(1, Swift.abs(numeric)),
            "analytic \(analytic), finite difference \(numeric)", sourceLocation: sourceLocation)
  }
}
