import Testing
import HoneMath
@testable import HoneTensor

/// One differentiable function of a few tensors, checked against central finite differences
/// in Double.
struct GradientCase: CustomTestStringConvertible, Sendable {
  let name: String
  /// The input shapes.
  let shapes: [[Int]]
  /// Inputs drawn positive (for log, sqrt, division, powers).
  var positive = false
  let f: @Sendable ([Tensor<Double>]) -> Tensor<Double>
  var testDescription: String { name }
}

private let cases: [GradientCase] = [
  GradientCase(name: "add (broadcast)", shapes: [[2, 3], [3]]) { $0[0] + $0[1] },
  GradientCase(name: "subtract (broadcast)", shapes: [[2, 3], [2, 1]]) { $0[0] - $0[1] },
  GradientCase(name: "multiply (broadcast)", shapes: [[2, 1, 3], [4, 3]]) { $0[0] * $0[1] },
  GradientCase(name: "divide", shapes: [[2, 3], [2, 3]], positive: true) { $0[0] / $0[1] },
  GradientCase(name: "scalar arithmetic", shapes: [[3]], positive: true) { 2 - (3 * $0[0] + 1) / 2 + 1 / $0[0] },
  GradientCase(name: "maximum", shapes: [[2, 3], [2, 3]]) { Tensor.maximum($0[0], $0[1]) },
  GradientCase(name: "minimum (broadcast)", shapes: [[2, 3], [3]]) { Tensor.minimum($0[0], $0[1]) },
  GradientCase(name: "negate", shapes: [[4]]) { -$0[0] },
  GradientCase(name: "exp", shapes: [[2, 3]]) { $0[0].exp() },
  GradientCase(name: "log", shapes: [[2, 3]], positive: true) { $0[0].log() },
  GradientCase(name: "sqrt", shapes: [[2, 3]], positive: true) { $0[0].sqrt() },
  GradientCase(name: "tanh", shapes: [[2, 3]]) { $0[0].tanh() },
  GradientCase(name: "sigmoid", shapes: [[2, 3]]) { ($0[0] * 4).sigmoid() },
  GradientCase(name: "relu", shapes: [[3, 4]]) { $0[0].relu() },
  GradientCase(name: "leaky relu", shapes: [[3, 4]]) { $0[0].leakyRelu(slope: 0.1) },
  GradientCase(name: "gelu", shapes: [[3, 4]]) { $0[0].gelu() },
  GradientCase(name: "silu", shapes: [[3, 4]]) { ($0[0] * 3).silu() },
  GradientCase(name: "abs", shapes: [[3, 4]]) { $0[0].abs() },
  GradientCase(name: "squared", shapes: [[3, 4]]) { $0[0].squared() },
  GradientCase(name: "pow", shapes: [[3, 4]], positive: true) { $0[0].pow(2.5) },
  GradientCase(name: "sum over axes", shapes: [[2, 3, 4]]) { $0[0].sum(alongAxes: [0, 2]) },
  GradientCase(name: "sum keeping dims", shapes: [[2, 3, 4]]) { $0[0].sum(alongAxis: 1, keepDims: true) * $0[0] },
  GradientCase(name: "sum of all", shapes: [[2, 3]]) { $0[0].sum() },
  GradientCase(name: "mean", shapes: [[2, 3, 4]]) { $0[0].mean(alongAxis: -1) + $0[0].mean() },
  GradientCase(name: "max along axis", shapes: [[3, 5]]) { $0[0].max(alongAxis: 1) },
  GradientCase(name: "min along axis", shapes: [[3, 5]]) { $0[0].min(alongAxis: 0, keepDims: true) },
  GradientCase(name: "logsumexp", shapes: [[3, 5]]) { $0[0].logSumExp(alongAxis: 1) },
  GradientCase(name: "softmax", shapes: [[3, 5]]) { $0[0].softmax(alongAxis: 1) },
  GradientCase(name: "log-softmax (middle axis)", shapes: [[4, 3, 2]]) { $0[0].logSoftmax(alongAxis: 1) },
  GradientCase(name: "reshape", shapes: [[2, 6]]) { $0[0].reshaped(to: [3, -1]) * Tensor.arange(0, 4) },
  GradientCase(name: "transpose", shapes: [[2, 3]]) { $0[0].transposed() * Tensor.arange(0, 2) },
  GradientCase(name: "permute", shapes: [[2, 3, 4]]) { $0[0].permuted([2, 0, 1]) },
  GradientCase(name: "slice", shapes: [[3, 5]]) { $0[0].slice(alongAxis: 1, 1..<4) },
  GradientCase(name: "concatenate", shapes: [[2, 3], [2, 2]]) { Tensor.concatenate([$0[0], $0[1], $0[0]], alongAxis: 1) },
  GradientCase(name: "stack", shapes: [[2, 3], [2, 3]]) { Tensor.stack([$0[0], $0[1]], alongAxis: 1) },
  GradientCase(name: "gather (repeated index)", shapes: [[4, 3]]) { $0[0].gathering([2, 0, 2], alongAxis: 0) },
  GradientCase(name: "gather along axis 1", shapes: [[2, 4, 3]]) { $0[0].gathering([3, 1], alongAxis: 1) },
  GradientCase(name: "picking", shapes: [[3, 4]]) { $0[0].picking(columns: [1, 3, 0]) },
  GradientCase(name: "where", shapes: [[2, 3], [2, 3], [3]]) { Tensor.where($0[0].greater(Tensor(0)), $0[1], $0[2]) },
  GradientCase(name: "used twice", shapes: [[3]]) { $0[0] * $0[0] + $0[0].exp() * $0[0] },
  GradientCase(name: "matmul", shapes: [[2, 3], [3, 4]]) { matmul($0[0], $0[1]) },
  GradientCase(name: "matmul Aᵀ·B", shapes: [[3, 2], [3, 4]]) { matmul($0[0], $0[1], transposeA: true) },
  GradientCase(name: "matmul A·Bᵀ", shapes: [[2, 3], [4, 3]]) { matmul($0[0], $0[1], transposeB: true) },
  GradientCase(name: "matmul Aᵀ·Bᵀ", shapes: [[3, 2], [4, 3]]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) },
  GradientCase(name: "batched matmul", shapes: [[2, 2, 3], [2, 3, 4]]) { matmul($0[0], $0[1]) },
  GradientCase(name: "batched matmul Aᵀ·Bᵀ", shapes: [[2, 3, 2], [2, 4, 3]]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) },
  GradientCase(name: "batched × one matrix", shapes: [[2, 2, 3], [3, 4]]) { matmul($0[0], $0[1]) },
  GradientCase(name: "batched ᵀ × one matrixᵀ", shapes: [[2, 3, 2], [4, 3]]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) },
  GradientCase(name: "linear", shapes: [[3, 4], [2, 4], [2]]) { linear($0[0], weight: $0[1], bias: $0[2]) },
  GradientCase(name: "linear without bias", shapes: [[3, 4], [2, 4]]) { linear($0[0], weight: $0[1], bias: nil) },
  GradientCase(name: "conv2d (padding 1)", shapes: [[2, 2, 4, 4], [3, 2, 3, 3], [3]]) {
    conv2d($0[0], weight: $0[1], bias: $0[2], padding: 1)
  },
  GradientCase(name: "conv2d (stride 2)", shapes: [[1, 2, 5, 5], [2, 2, 3, 3]]) { conv2d($0[0], weight: $0[1], stride: 2) },
  GradientCase(name: "conv2d (dilation 2)", shapes: [[2, 2, 5, 5], [3, 2, 3, 3], [3]]) {
    conv2d($0[0], weight: $0[1], bias: $0[2], padding: 2, dilation: 2)
  },
  GradientCase(name: "conv2d (depthwise)", shapes: [[2, 3, 4, 4], [3, 1, 3, 3], [3]]) {
    conv2d($0[0], weight: $0[1], bias: $0[2], padding: 1, groups: 3)
  },
  GradientCase(name: "conv2d (2 groups, stride 2)", shapes: [[1, 4, 5, 5], [6, 2, 3, 3]]) {
    conv2d($0[0], weight: $0[1], stride: 2, groups: 2)
  },
  GradientCase(name: "max pool", shapes: [[2, 2, 4, 4]]) { maxPool2d($0[0], kernelSize: 2) },
  GradientCase(name: "max pool (stride 1, padding 1)", shapes: [[1, 2, 3, 3]]) { maxPool2d($0[0], kernelSize: 2, stride: 1, padding: 1) },
  GradientCase(name: "average pool", shapes: [[2, 2, 4, 4]]) { avgPool2d($0[0], kernelSize: 2) },
]

@Suite("Gradients against finite differences (Double)")
struct GradientCheckTests {
  @Test(arguments: cases)
  func gradientMatchesFiniteDifferences(_ c: GradientCase) {
    var rng = SeededRNG(seed: 42)
    let inputs = c.shapes.map { shape in
      let t = Tensor<Double>.randomNormal(shape, using: &rng)
      return c.positive ? t.abs() + 0.5 : t
    }
    // A random linear functional turns any output into a scalar: L = Σ w ∘ f(x).
    let probe = c.f(inputs)
    let weights = Tensor<Double>.randomNormal(probe.shape, using: &rng)
    let loss: ([Tensor<Double>]) -> Tensor<Double> = { (c.f($0) * weights).sum() }
    let (_, gradients) = valueWithGradient(at: inputs, in: loss)
    let h = 1e-6
    for (k, input) in inputs.enumerated() {
      #expect(gradients[k].shape == input.shape)
      for i in 0..<input.count {
        var plus = inputs, minus = inputs
        plus[k].withUnsafeMutableBufferPointer { $0[i] += h }
        minus[k].withUnsafeMutableBufferPointer { $0[i] -= h }
        let numeric = (loss(plus).scalar - loss(minus).scalar) / (2 * h)
        let analytic = gradients[k].scalars[i]
        #expect(Swift.abs(analytic - numeric) <= 1e-6 + 1e-5 * Swift.abs(numeric),
                "\(c.name): input \(k) element \(i): analytic \(analytic), finite difference \(numeric)")
      }
    }
  }
}

