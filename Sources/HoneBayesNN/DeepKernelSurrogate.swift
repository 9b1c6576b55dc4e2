#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLAPACK
import HoneBayes
import HoneMath
import HoneOptim
import HoneTensor

/// Deep kernel learning (Wilson, Hu, Salakhutdinov & Xing 2016, AISTATS): a GP whose kernel is
/// an RBF on learned features, k(x, x′) = s·exp(−‖φ(x) − φ(x′)‖²/(2ℓ²)), φ a tanh network
/// d → `hidden` → `features`, trained jointly with (log s, log ℓ, log σ²ₙ) by Adam on the
/// negative log marginal likelihood per point. The GP's part of the gradient is analytic,
/// G = ∂NLL/∂K = ½(K⁻¹ − ααᵀ), ∂NLL/∂φᵢ = Σⱼ 2Gᵢⱼkᵢⱼ·(φⱼ − φᵢ)/ℓ²; the network's follows by
/// the tensor engine's reverse mode on Σᵢ ⟨∂NLL/∂φᵢ, φᵢ⟩ with the first factor held fixed.
/// Priors: log s, log ℓ ~ N(0, 1); σ²ₙ ~ Gamma(1.1, rate 30) as the Matérn GP's (`GPPrior`),
/// σ²ₙ ≥ 10⁻⁶.
public struct DeepKernelSurrogate: SurrogateFitter {
  /// The hidden layers' widths.
  public let hidden: [Int]
  /// The feature dimension (at most the input dimension).
  public let features: Int
  /// Adam steps.
  public let steps: Int
  /// Adam's learning rate. The marginal likelihood of a deep kernel overfits (Ober, Rasmussen &
  /// van der Wilk 2021): with 0.01 the held-out mean log density on 200 random points of 20-D
  /// Rosenbrock and Levy was −146 and −219 (the Matérn GP's −0.9 and −1.5); 0.003 gave −53
  /// and −44 and was no worse on Branin, Hartmann-6 and 5-D Ackley (BayesBenchmark fit).
  public let learningRate: Double

  /// A fitter with `hidden` tanh layers, `features` features, `steps` Adam steps.
  public init(hidden: [Int] = [50, 50], features: Int = 5, steps: Int = 300, learningRate: Double = 0.003) {
    precondition(features >= 1 && steps >= 1 && learningRate > 0, "DeepKernelSurrogate: features ≥ 1, steps ≥ 1, learningRate > 0")
    self.hidden = hidden
    self.features = features
    self.steps = steps
    self.learningRate = learningRate
  }

  /// Implements `SurrogateFitter.name`.
  public var name: String { "dkl" }

  /// Implements `SurrogateFitter.fit`.
  public func fit(_ data: SurrogateData, initial: [Double]?, warmIterations: Int, seed: UInt64) throws -> any Surrogate {
    let x = data.numericInputs, y = data.standardizedOutputs
    var network = DenseNetwork(widths: [data.dimensions] + hidden + [Swift.min(features, data.dimensions)], seed: seed)
    var hyper = [0.0, 0.0, log(1e-2)]        // log s, log ℓ, log σ²ₙ
    let adam = try Adam<Double>(learningRate: .constant(learningRate))
    var state = adam.initialState(count: network.parameters.count + 3)
    for _ in 0..<(y.isEmpty ? 0 : steps) {
      guard let gradient = Self.gradient(network, hyper, inputs: x, targets: y) else { break }
      var all = network.parameters + hyper
      try adam.step(params: &all, grads: gradient, state: &state)
      network.parameters = Array(all.prefix(network.parameters.count))
      hyper = Array(all.suffix(3))
      hyper[2] = Swift.max(hyper[2], log(1e-6))
    }
    let kernel = FeatureKernel(network: network, outputScale: exp(hyper[0]), lengthscale: exp(hyper[1]), choices: data.choices,
                               known: data.inputs)
    let (mean, scale) = data.outputStandardization
    return try KernelGaussianProcess(kernel: kernel, inputs: data.inputs, targets: y, dimensions: data.dimensions, noise: exp(hyper[2]),
                                     outputMean: mean, outputScale: scale)
  }

  /// The gradient of NLL/n − log p(s, ℓ)/n in (network parameters, log s, log ℓ, log σ²ₙ);
  /// nil when K cannot be factored.
  static func gradient(_ network: DenseNetwork, _ hyper: [Double], inputs x: [Double], targets y: [Double]) -> [Double]? {
    let n = y.count, k = network.outputs
    let phi = network.forward(x)
    let s = exp(hyper[0]), inverseSquared = exp(-2 * hyper[1]), noise = exp(hyper[2])
    var kernel = [Double](repeating: 0, count: n * n), squared = kernel
    for i in 0..<n {
      for j in 0..<i {
        var sum = 0.0
        for c in 0..<k { let t = phi[i * k + c] - phi[j * k + c]; sum += t * t }
        squared[i * n + j] = sum; squared[j * n + i] = sum
        let value = s * exp(-0.5 * sum * inverseSquared)
        kernel[i * n + j] = value; kernel[j * n + i] = value
      }
      kernel[i * n + i] = s
    }
    var noisy = kernel
    for i in 0..<n { noisy[i * n + i] += noise }
    guard let inverse = try? positiveDefiniteInverse(noisy, count: n) else { return nil }
    var alpha = [Double](repeating: 0, count: n)
    cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(n), 1, inverse, Int32(n), y, 1, 0, &alpha, 1)
    let perPoint = 1 / Double(n)
    var featureGradient = [Double](repeating: 0, count: n * k)
    var dScale = 0.0, dLength = 0.0, dNoise = 0.0
    for i in 0..<n {
      for j in 0..<n {
        let g = 0.5 * (inverse[i * n + j] - alpha[i] * alpha[j]) * perPoint
        let kij = kernel[i * n + j]
        dScale += g * kij
        if i == j { dNoise += g * noise; continue }
        dLength += g * kij * squared[i * n + j] * inverseSquared
        for c in 0..<k { featureGradient[i * k + c] += 2 * g * kij * (phi[j * k + c] - phi[i * k + c]) * inverseSquared }
      }
    }
    let fixed = Tensor(shape: [n, k], scalars: featureGradient)
    let networkGradient = network.lossAndGradient(at: x) { ($0 * fixed).sum() }.gradient
    // The noise prior of the Matérn GP, σ²ₙ ~ Gamma(1.1, rate 30): d/dη of −(1.1η − 30e^η).
    return networkGradient + [dScale + hyper[0] * perPoint, dLength + hyper[1] * perPoint, dNoise - (1.1 - 30 * noise) * perPoint]
  }
}

/// k(x, x′) = s·exp(−‖φ(x) − φ(x′)‖²/(2ℓ²)) on a network's features φ, with
/// ∂kᵢ/∂x = kᵢ·(φᵢ − φ(x))ᵀJ_φ(x)/ℓ²; the features of the training inputs are computed once.
struct FeatureKernel: CovarianceFunction {
  let network: DenseNetwork
  let outputScale: Double
  let lengthscale: Double
  let choices: [Int?]
  /// Rows whose features are kept, and the features.
  let known: [Double]
  let knownFeatures: [Double]

  init(network: DenseNetwork, outputScale: Double, lengthscale: Double, choices: [Int?], known: [Double]) {
    self.network = network
    self.outputScale = outputScale
    self.lengthscale = lengthscale
    self.choices = choices
    self.known = known
    knownFeatures = network.forward(SurrogateData.numeric(known, choices: choices))
  }

  func features(_ rows: [Double]) -> [Double] {
    rows == known ? knownFeatures : network.forward(SurrogateData.numeric(rows, choices: choices))
  }

  func matrix(_ a: [Double], _ b: [Double]) -> [Double] {
    let k = network.outputs, d = choices.count
    let fa = features(a), fb = features(b)
    let n = a.count / d, m = b.count / d
    var out = [Double](repeating: 0, count: n * m)
    let scale = -0.5 / (lengthscale * lengthscale)
    for i in 0..<n {
      for j in 0..<m {
        var sum = 0.0
        for c in 0..<k { let t = fa[i * k + c] - fb[j * k + c]; sum += t * t }
        out[i * m + j] = outputScale * exp(scale * sum)
      }
    }
    return out
  }

  func diagonal(_ points: [Double]) -> [Double] { Array(repeating: outputScale, count: points.count / choices.count) }

  func diagonalGradient(at point: [Double]) -> [Double] { Array(repeating: 0, count: choices.count) }

  func vectorWithJacobian(_ rows: [Double], at point: [Double]) -> (k: [Double], jacobian: [Double]) {
    let k = network.outputs, d = choices.count, n = rows.count / d
    let (phi, j) = network.valueAndJacobian(at: SurrogateData.numeric(point, choices: choices))
    let fr = features(rows)
    let inverseSquared = 1 / (lengthscale * lengthscale)
    var values = [Double](repeating: 0, count: n), jacobian = [Double](repeating: 0, count: n * d)
    for i in 0..<n {
      var sum = 0.0
      for c in 0..<k { let t = fr[i * k + c] - phi[c]; sum += t * t }
      let value = outputScale * exp(-0.5 * sum * inverseSquared)
      values[i] = value
      for c in 0..<k {
        let weight = value * (fr[i * k + c] - phi[c]) * inverseSquared
        for col in 0..<d where choices[col] == nil { jacobian[i * d + col] += weight * j[c * d + col] }
      }
    }
    return (values, jacobian)
  }
}
