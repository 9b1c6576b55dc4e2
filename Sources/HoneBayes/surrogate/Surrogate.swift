import HoneMath

/// A probabilistic model of a function over the unit cube, as Bayesian optimization reads it:
/// the posterior mean and variance of the latent function (on standardized outputs) at a batch
/// of points, and at one point with their input gradients, so that the acquisitions and their
/// optimizer work unchanged on any model (Li, Rudner & Wilson 2024, "A Study of Bayesian Neural
/// Network Surrogates for Bayesian Optimization", ICLR). Categorical dimensions hold category
/// indices; gradients along them are zero.
///
/// The Matérn GP (`GaussianProcess`), the infinite-width network (`KernelGaussianProcess` with
/// `NeuralNetworkKernel`) and HoneBayesNN's deep kernel, HMC, ensemble and Laplace networks
/// conform.
public protocol Surrogate: Sendable {
  /// The training inputs, n × d row-major.
  var inputs: [Double] { get }
  /// The input dimension d.
  var dimensions: Int { get }
  /// The standardized outputs the model was fitted to (n of them).
  var targets: [Double] { get }
  /// The mean and standard deviation that standardized the outputs: y = targets·scale + mean.
  var outputMean: Double { get }
  /// See `outputMean`.
  var outputScale: Double { get }
  /// Whether `posteriorWithGradient` gives input gradients. Without them the acquisition is
  /// maximized over the Sobol candidates alone (derivative-free).
  var hasGradients: Bool { get }
  /// The fitted hyperparameters, to warm-start the next fit (empty when the model has none
  /// worth keeping).
  var hyperparameterVector: [Double] { get }
  /// μ(x) and σ²(x) (σ² ≥ 10⁻¹⁸) at m points (m × d row-major).
  func posterior(at points: [Double]) -> (mean: [Double], variance: [Double])
  /// μ, σ² and, when `hasGradients`, ∂μ/∂x and ∂σ²/∂x (zeros otherwise) at one point.
  func posteriorWithGradient(at point: [Double]) -> Posterior
  /// The model after observing `outputs` (standardized) at `inputs` without refitting its
  /// hyperparameters or weights (BoTorch's `condition_on_observations`): the fantasies of
  /// points still being evaluated.
  func conditionedOnObservations(inputs: [Double], outputs: [Double]) throws -> any Surrogate
}

extension Surrogate {
  /// The number of training points n.
  public var count: Int { targets.count }
}

/// What a surrogate is fitted to: inputs in the unit cube (categorical dimensions as indices),
/// raw outputs, and how to standardize them.
public struct SurrogateData: Sendable {
  /// n × d row-major.
  public var inputs: [Double]
  /// n outputs (larger is better for the acquisitions, which maximize).
  public var outputs: [Double]
  /// d.
  public var dimensions: Int
  /// The number of categories of each dimension, nil when numeric.
  public var choices: [Int?]
  /// A fixed output mean and scale instead of the outputs' own (a subset of a larger history).
  public var standardization: (mean: Double, scale: Double)?
  /// Fix the noise at its floor (a deterministic objective).
  public var deterministic: Bool

  /// Data of n = outputs.count points.
  public init(inputs: [Double], outputs: [Double], dimensions: Int, choices: [Int?]? = nil,
              standardization: (mean: Double, scale: Double)? = nil, deterministic: Bool = false) {
    precondition(inputs.count == outputs.count * dimensions, "SurrogateData: \(inputs.count) input values for \(outputs.count) × \(dimensions)")
    self.inputs = inputs
    self.outputs = outputs
    self.dimensions = dimensions
    self.choices = choices ?? Array(repeating: nil, count: dimensions)
    self.standardization = standardization
    self.deterministic = deterministic
  }

  /// Which dimensions are categorical.
  public var categorical: [Bool] { choices.map { $0 != nil } }

  /// The mean and scale of the standardization: the given one, else the outputs' mean and
  /// standard deviation (1 when it is zero or there is one output).
  public var outputStandardization: (mean: Double, scale: Double) { standardization ?? Self.standardization(of: outputs) }

  /// The mean and standard deviation of `outputs`, the deviation 1 when it is zero, not finite
  /// or there is one output: how every surrogate (the Matérn GP too) standardizes.
  public static func standardization(of outputs: [Double]) -> (mean: Double, scale: Double) {
    let (mean, deviation) = meanAndStandardDeviation(outputs)
    return (mean, outputs.count > 1 && deviation > 0 && deviation.isFinite ? deviation : 1)
  }

  /// The standardized outputs.
  public var standardizedOutputs: [Double] {
    let (mean, scale) = outputStandardization
    return outputs.map { ($0 - mean) / scale }
  }

  /// The inputs with each category index i of k mapped to (i + ½)/k, so that models without a
  /// categorical kernel (networks, the infinite-width kernel) see every coordinate in [0, 1].
  public var numericInputs: [Double] { Self.numeric(inputs, choices: choices) }

  /// `rows` (m × d) with category indices mapped as `numericInputs` does.
  public static func numeric(_ rows: [Double], choices: [Int?]) -> [Double] {
    guard choices.contains(where: { $0 != nil }) else { return rows }
    let d = choices.count
    var out = rows
    for t in out.indices { if let k = choices[t % d] { out[t] = (rows[t] + 0.5) / Double(k) } }
    return out
  }
}

/// How a kind of surrogate is fitted: a catalog row builds one (`SurrogateEntry`), and
/// `GPSampler(surrogate:)` calls it on each suggestion's data.
public protocol SurrogateFitter: Sendable {
  /// The catalog name ("matern", "infinite-width", …).
  var name: String { get }
  /// True when the fitted model is a `GaussianProcess`, whose Cholesky factor the knowledge
  /// gradient's lookahead reads.
  var supportsKnowledgeGradient: Bool { get }
  /// The model fitted to `data`, from `initial` hyperparameters when given (a warm start:
  /// `Surrogate.hyperparameterVector` of the previous fit), with `warmIterations` optimizer
  /// iterations then; `seed` fixes any randomness (network initialization, HMC).
  func fit(_ data: SurrogateData, initial: [Double]?, warmIterations: Int, seed: UInt64) throws -> any Surrogate
}

extension SurrogateFitter {
  /// Implements `SurrogateFitter.supportsKnowledgeGradient`: only the Matérn GP carries the
  /// factor the knowledge gradient's lookahead reads.
  public var supportsKnowledgeGradient: Bool { false }
}
