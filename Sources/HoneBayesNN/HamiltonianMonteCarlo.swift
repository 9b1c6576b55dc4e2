#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HoneBayes
import HoneMath
import HoneTensor

/// Full-batch Hamiltonian Monte Carlo over the weights of a small network (Neal 2011, "MCMC
/// Using Hamiltonian Dynamics"), the surrogate Li, Rudner & Wilson 2024 found the best BNN.
///
/// The potential is U(θ, η) = Σᵢ(f_θ(xᵢ) − yᵢ)²/(2e^η) + nη/2 − log p(θ) − log p(η), with the
/// noise variance e^η sampled too; priors W ~ N(0, σ²_w/fan-in), b ~ N(0, 1), η ~ N(log 10⁻³, 1.5²).
/// σ²_w = 16 by default: on unit-cube inputs, σ²_w = 1 made sin(6x) improbable enough that the
/// chains explained a third of its variance as noise (σ²ₙ ≈ 0.36 standardized); 16 fitted it
/// (σ²ₙ ≈ 0.006) with 80× the variance away from the data that it had at them.
/// Each of `chains` chains starts at a MAP estimate (Adam from its own initialization), runs
/// `warmup` iterations of `leapfrogSteps` leapfrog steps whose step size dual averaging tunes to
/// an acceptance rate of 0.8 (Hoffman & Gelman 2014, Alg. 5: γ = 0.05, t₀ = 10, κ = 0.75), then
/// `samples` iterations keeping every `thinning`-th state. The predictive is the mixture of
/// the kept networks (`SampledNetworkPosterior`), conditioned for fantasies with the samples'
/// mean noise.
public struct HMCSurrogate: SurrogateFitter {
  /// The hidden layers' widths.
  public let hidden: [Int]
  /// Independent chains.
  public let chains: Int
  /// Adaptation iterations per chain (discarded).
  public let warmup: Int
  /// Sampling iterations per chain.
  public let samples: Int
  /// Every how many sampling iterations a state is kept.
  public let thinning: Int
  /// Leapfrog steps per iteration.
  public let leapfrogSteps: Int
  /// σ²_w: the weights' prior is N(0, σ²_w/fan-in).
  public let weightVariance: Double

  /// A sampler with the given budget (defaults: 3 chains × (150 + 100) iterations of 10
  /// leapfrog steps, 60 networks kept).
  public init(hidden: [Int] = [50], chains: Int = 3, warmup: Int = 150, samples: Int = 100, thinning: Int = 5, leapfrogSteps: Int = 10,
              weightVariance: Double = 16) {
    precondition(chains >= 1 && warmup >= 1 && samples >= thinning && thinning >= 1 && leapfrogSteps >= 1,
                 "HMCSurrogate: chains, warmup, thinning, leapfrogSteps ≥ 1 and samples ≥ thinning")
    self.hidden = hidden
    self.chains = chains
    self.warmup = warmup
    self.samples = samples
    self.thinning = thinning
    self.leapfrogSteps = leapfrogSteps
    self.weightVariance = weightVariance
  }

  /// Implements `SurrogateFitter.name`.
  public var name: String { "hmc" }

  /// The noise prior's mean and standard deviation, on η = log σ²ₙ.
  static let noisePrior = (mean: log(1e-3), deviation: 1.5)

  /// Implements `SurrogateFitter.fit`.
  public func fit(_ data: SurrogateData, initial: [Double]?, warmIterations: Int, seed: UInt64) throws -> any Surrogate {
    let x = data.numericInputs, y = data.standardizedOutputs
    let widths = [data.dimensions] + hidden + [1]
    var kept: [DenseNetwork] = [], noises: [Double] = []
    for chain in 0..<chains {
      let chainSeed = SplitMix64.mix(seed &+ UInt64(chain))
      var start = DenseNetwork(widths: widths, seed: chainSeed)
      try start.fitMeanSquaredError(inputs: x, targets: y, steps: 300, weightDecay: 0)
      let (networks, etas) = sampleChain(from: start, inputs: x, targets: y, seed: chainSeed)
      kept += networks
      noises += etas.map(exp)
    }
    return SampledNetworkPosterior(members: kept, noise: noises.reduce(0, +) / Double(noises.count), fitted: FittedData(data))
  }

  /// The prior precision of each parameter of a network of `widths`: fan-in for weights, 1 for biases.
  static func priorPrecisions(_ widths: [Int], weightVariance: Double) -> [Double] {
    var precisions: [Double] = []
    for l in 1..<widths.count {
      precisions += [Double](repeating: Double(widths[l - 1]) / weightVariance, count: widths[l] * widths[l - 1])
      precisions += [Double](repeating: 1, count: widths[l])
    }
    return precisions
  }

  /// U(θ, η) and its gradient (the last entry ∂U/∂η) for the network's parameters θ.
  static func potential(_ network: DenseNetwork, eta: Double, inputs x: [Double], targets: Tensor<Double>,
                        precisions: [Double]) -> (value: Double, gradient: [Double]) {
    let (sse, g) = network.lossAndGradient(at: x) { ($0 - targets).squared().sum() }
    let noise = exp(eta), n = Double(targets.count)
    var value = sse / (2 * noise) + n * eta / 2
    var gradient = [Double](repeating: 0, count: g.count + 1)
    for i in g.indices {
      let theta = network.parameters[i]
      value += precisions[i] * theta * theta / 2
      gradient[i] = g[i] / (2 * noise) + precisions[i] * theta
    }
    let z = (eta - noisePrior.mean) / noisePrior.deviation
    value += z * z / 2
    gradient[g.count] = -sse / (2 * noise) + n / 2 + z / noisePrior.deviation
    return (value, gradient)
  }

  /// One chain from `start`: the kept networks and their η.
  func sampleChain(from start: DenseNetwork, inputs x: [Double], targets y: [Double], seed: UInt64) -> ([DenseNetwork], [Double]) {
    let target = Tensor(shape: [y.count, 1], scalars: y)
    let precisions = Self.priorPrecisions(start.widths, weightVariance: weightVariance)
    var rng = SeededRNG(seed: seed, stream: 0x4D_C0)
    let fitted = start.forward(x)
    var eta = log(Swift.max(y.indices.reduce(0.0) { $0 + (fitted[$1] - y[$1]) * (fitted[$1] - y[$1]) } / Double(Swift.max(y.count, 1)), 1e-4))
    var network = start
    var current = Self.potential(network, eta: eta, inputs: x, targets: target, precisions: precisions)
    // Dual averaging of log ε (Hoffman & Gelman 2014, Alg. 5).
    var logStep = log(0.01), averagedLogStep = 0.0, errorSum = 0.0
    let mu = log(10 * 0.01), goal = 0.8
    var kept: [DenseNetwork] = [], keptEta: [Double] = []
    for iteration in 1...(warmup + samples) {
      let step = exp(iteration <= warmup ? logStep : averagedLogStep) * (0.9 + 0.2 * rng.nextDouble())
      var position = network.parameters + [eta]
      var momentum = position.map { _ in rng.nextNormal() }
      let kinetic = momentum.reduce(0) { $0 + $1 * $1 } / 2
      var state = current
      var proposal = network
      for _ in 0..<leapfrogSteps {
        for i in momentum.indices { momentum[i] -= step / 2 * state.gradient[i] }
        for i in position.indices { position[i] += step * momentum[i] }
        proposal.parameters = Array(position.dropLast())
        state = Self.potential(proposal, eta: position[position.count - 1], inputs: x, targets: target, precisions: precisions)
        guard state.value.isFinite else { break }
        for i in momentum.indices { momentum[i] -= step / 2 * state.gradient[i] }
      }
      let proposed = state.value + momentum.reduce(0) { $0 + $1 * $1 } / 2
      let logAccept = state.value.isFinite ? Swift.min(0, current.value + kinetic - proposed) : -.infinity
      if log(Swift.max(rng.nextDouble(), 1e-300)) < logAccept {
        network = proposal
        eta = position[position.count - 1]
        current = state
      }
      if iteration <= warmup {
        let t = Double(iteration)
        errorSum += goal - (logAccept.isFinite ? exp(logAccept) : 0)
        logStep = mu - t.squareRoot() / 0.05 * errorSum / (t + 10)
        let weight = pow(t, -0.75)
        averagedLogStep = weight * logStep + (1 - weight) * averagedLogStep
      } else if (iteration - warmup) % thinning == 0 {
        kept.append(network)
        keptEta.append(eta)
      }
    }
    return (kept, keptEta)
  }
}
