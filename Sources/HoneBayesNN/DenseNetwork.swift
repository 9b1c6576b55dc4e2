#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLAPACK
import HoneMath
import HoneTensor

/// A small fully connected network in Double, fₜ(x) = Wₗ·tanh(… tanh(W₁x + b₁) …) + bₗ, as the
/// network surrogates use it: evaluated on batches (one gemm per layer), differentiated in its
/// input by forward mode (the Jacobian ∂f/∂x, which the acquisitions need), and in its weights
/// by the tensor engine's reverse mode (`lossAndGradient`), which trains it. The last layer is
/// linear unless `activatedOutput` (a feature map that ends in tanh).
public struct DenseNetwork: Sendable {
  /// The layer widths, input first: [d, h₁, …, out].
  public let widths: [Int]
  /// Every weight, layer by layer: W (out × in, row-major) then b.
  public var parameters: [Double]
  /// Whether the last layer goes through tanh too.
  public let activatedOutput: Bool

  /// A network with LeCun-normal weights (variance 1/fan-in, the tanh initialization) and zero
  /// biases drawn from `seed`.
  public init(widths: [Int], seed: UInt64, activatedOutput: Bool = false) {
    precondition(widths.count >= 2 && widths.allSatisfy { $0 >= 1 }, "DenseNetwork: at least two positive widths, got \(widths)")
    var rng = SeededRNG(seed: seed, stream: 0xD3_45E)
    var parameters: [Double] = []
    for l in 1..<widths.count {
      let scale = 1 / Double(widths[l - 1]).squareRoot()
      parameters += (0..<(widths[l] * widths[l - 1])).map { _ in rng.nextNormal() * scale }
      parameters += Array(repeating: 0, count: widths[l])
    }
    self.init(widths: widths, parameters: parameters, activatedOutput: activatedOutput)
  }

  /// A network with the given parameters.
  public init(widths: [Int], parameters: [Double], activatedOutput: Bool = false) {
    precondition(parameters.count == Self.parameterCount(widths), "DenseNetwork: \(parameters.count) parameters for widths \(widths)")
    self.widths = widths
    self.parameters = parameters
    self.activatedOutput = activatedOutput
  }

  /// Σₗ (inₗ + 1)·outₗ.
  public static func parameterCount(_ widths: [Int]) -> Int {
    (1..<widths.count).reduce(0) { $0 + (widths[$1 - 1] + 1) * widths[$1] }
  }

  /// The offset of layer l's weights (l ≥ 1) in `parameters`.
  func offset(_ l: Int) -> Int { Self.parameterCount(Array(widths[0..<l])) }

  /// Whether layer l (1-based) applies tanh.
  func activates(_ l: Int) -> Bool { l < widths.count - 1 || activatedOutput }

  /// The input dimension.
  public var inputs: Int { widths[0] }
  /// The output dimension.
  public var outputs: Int { widths[widths.count - 1] }

  /// The outputs at n points (n × d row-major): n × out.
  public func forward(_ x: [Double]) -> [Double] {
    let n = x.count / inputs
    var h = x
    for l in 1..<widths.count {
      let fanIn = widths[l - 1], width = widths[l], at = offset(l)
      var next = [Double](repeating: 0, count: n * width)
      parameters.withUnsafeBufferPointer { p in
        let w = p.baseAddress! + at, b = w + width * fanIn
        for i in 0..<n { for j in 0..<width { next[i * width + j] = b[j] } }
        if n > 0 {
          cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(width), Int32(fanIn), 1, h, Int32(fanIn), w,
                      Int32(fanIn), 1, &next, Int32(width))
        }
      }
      if activates(l) { for t in next.indices { next[t] = tanh(next[t]) } }
      h = next
    }
    return h
  }

  /// The outputs at one point and their Jacobian ∂fₖ/∂xⱼ (out × d), by forward mode:
  /// Jₗ = diag(1 − hₗ²)·Wₗ·Jₗ₋₁ through each tanh layer.
  public func valueAndJacobian(at x: [Double]) -> (value: [Double], jacobian: [Double]) {
    let d = inputs
    var h = x
    var jacobian = [Double](repeating: 0, count: d * d)
    for j in 0..<d { jacobian[j * d + j] = 1 }
    for l in 1..<widths.count {
      let fanIn = widths[l - 1], width = widths[l], at = offset(l)
      var next = [Double](repeating: 0, count: width)
      var nextJacobian = [Double](repeating: 0, count: width * d)
      parameters.withUnsafeBufferPointer { p in
        let w = p.baseAddress! + at, b = w + width * fanIn
        for j in 0..<width { next[j] = b[j] }
        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(width), Int32(fanIn), 1, w, Int32(fanIn), h, 1, 1, &next, 1)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(width), Int32(d), Int32(fanIn), 1, w, Int32(fanIn), jacobian,
                    Int32(d), 0, &nextJacobian, Int32(d))
      }
      if activates(l) {
        for j in 0..<width {
          next[j] = tanh(next[j])
          let slope = 1 - next[j] * next[j]
          for k in 0..<d { nextJacobian[j * d + k] *= slope }
        }
      }
      h = next
      jacobian = nextJacobian
    }
    return (h, jacobian)
  }

  /// The network without its last layer, its last hidden layer as the output (tanh applied):
  /// the feature map φ of a last-layer model.
  public var body: DenseNetwork {
    DenseNetwork(widths: Array(widths.dropLast()), parameters: Array(parameters[0..<offset(widths.count - 1)]), activatedOutput: true)
  }

  /// The last layer's weights and bias: (w, b) for a single output.
  public var head: (weights: [Double], bias: Double) {
    let at = offset(widths.count - 1), fanIn = widths[widths.count - 2]
    return (Array(parameters[at..<(at + fanIn)]), parameters[at + fanIn])
  }

  /// The outputs as a tensor expression of the layer tensors `layers` ([W₁, b₁, W₂, …]) at
  /// `x` (n × d), for the tensor engine to differentiate.
  func output(_ layers: [Tensor<Double>], at x: Tensor<Double>) -> Tensor<Double> {
    var h = x
    for l in 1..<widths.count {
      h = linear(h, weight: layers[2 * (l - 1)], bias: layers[2 * (l - 1) + 1])
      if activates(l) { h = h.tanh() }
    }
    return h
  }

  /// The parameters as the layer tensors [W₁, b₁, W₂, …].
  func layerTensors(_ flat: [Double]) -> [Tensor<Double>] {
    (1..<widths.count).flatMap { l -> [Tensor<Double>] in
      let at = offset(l), fanIn = widths[l - 1], width = widths[l]
      return [Tensor(shape: [width, fanIn], scalars: Array(flat[at..<(at + width * fanIn)])),
              Tensor(Array(flat[(at + width * fanIn)..<(at + width * fanIn + width)]))]
    }
  }

  /// loss(f_θ(X)) and its gradient in θ (flat, as `parameters`), with `loss` a tensor
  /// expression of the n × out outputs; reverse mode through the tensor engine.
  public func lossAndGradient(at x: [Double], _ loss: (Tensor<Double>) -> Tensor<Double>) -> (value: Double, gradient: [Double]) {
    let input = Tensor(shape: [x.count / inputs, inputs], scalars: x)
    let (value, gradients) = valueWithGradient(at: layerTensors(parameters)) { layers in loss(output(layers, at: input)) }
    return (value, gradients.flatMap(\.scalars))
  }
}
