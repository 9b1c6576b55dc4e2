#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HoneMath

/// The acquisition functions of the GP sampler, all maximized, on a GP of the (standardized)
/// score to maximize. Frazier 2018 ("A Tutorial on Bayesian Optimization") describes the
/// three families: improvement (EI, PI), knowledge gradient, and entropy search.
public enum AcquisitionKind: String, Sendable, CaseIterable, Codable {
  /// log EI (Ament et al. 2023) over the best observed score — the default, as in Optuna's
  /// GPSampler.
  case logEI = "logei"
  /// Noisy EI, the tutorial's generalization for noisy observations: log EI (the same stable
  /// formula) over the best posterior mean at the evaluated points instead of the best
  /// observation. Where the fitted noise is at its floor the two
  /// incumbents coincide; where it is not (noisy objectives, and rugged ones that the model
  /// smooths over), the best observation sits above the model and log EI over it chases
  /// noise. On the benchmark functions (BENCHMARKS.md), with the GP sampler's output warping,
  /// it lowered the median regret in 7 of 15 cells (Styblinski–Tang, Rosenbrock, Hartmann-6)
  /// and raised it in 8 (Ackley, Levy, Rastrigin, Branin); without warping it had lowered it
  /// in 13 of 15.
  case noisyEI = "nei"
  /// The knowledge gradient (Frazier, Powell & Dayanik 2009) discretized on a set A (a grid
  /// plus the evaluated points with the highest posterior means) and the candidate:
  /// E[max μₙ₊₁] − max μₙ over A ∪ {x}, computed exactly from the upper envelope of the lines
  /// aᵢ + bᵢZ.
  case knowledgeGradient = "kg"
  /// Max-value entropy search (Wang & Jegelka 2017) with maxima drawn from a Gumbel fit:
  /// mean over y* of γφ(γ)/(2Φ(γ)) − log Φ(γ), γ = (y* − μ)/σ.
  case maxValueEntropy = "mes"
  /// Upper confidence bound μ + κσ (Srinivas et al. 2010), κ = 2.
  case ucb
  /// log probability of improvement, log Φ((μ − best)/σ) (Kushner 1964).
  case logPI = "pi"
}

/// An acquisition function ready to evaluate: the model, the incumbent, and (optionally)
/// constraint models whose log probability of feasibility, Σₖ log Φ((tₖ − μₖ)/σₖ), is added
/// (constrained EI, Gardner et al. 2014). With constraints but no feasible point yet, only
/// the log probability of feasibility is maximized.
public struct Acquisition: Sendable {
  /// The function.
  public let kind: AcquisitionKind
  /// The objective model (scores to maximize).
  public let model: any Surrogate
  /// The incumbent (standardized): best feasible observation, or best posterior mean for NEI.
  public let best: Double
  /// Constraint models with their standardized feasibility thresholds.
  public let constraints: [(model: any Surrogate, threshold: Double)]
  /// True when some evaluated point is feasible (or there are no constraints).
  public let hasFeasible: Bool
  /// Max-value samples (standardized) for MES.
  public let maxValues: [Double]
  /// UCB's κ.
  public let kappa: Double
  /// KG's discretization: the points A (m × d), their posterior means, and
  /// W = (L⁻¹k(X, A))ᵀ (m × n), so that Σₙ(A, x) = k(A, x) − W·L⁻¹k(X, x).
  let lookahead: (points: [Double], means: [Double], projected: [Double])
  /// The model as a Matérn GP, which the knowledge gradient needs.
  let process: GaussianProcess?

  /// An acquisition on `model`. `bestObserved` is the best feasible standardized score (nil if
  /// none); `incumbents` are the indices of the model's inputs that count as evaluated and
  /// feasible (default: all) — NEI's incumbent is their best posterior mean, and KG adds the 20
  /// best of them to its discretization; `grid` (m × d) is where MES fits its Gumbel
  /// distribution of the maximum and KG looks ahead. The knowledge gradient needs a
  /// `GaussianProcess` model.
  public init(_ kind: AcquisitionKind, model: any Surrogate, bestObserved: Double?,
              constraints: [(model: any Surrogate, threshold: Double)] = [], grid: [Double] = [], kappa: Double = 2,
              incumbents: [Int]? = nil) {
    process = model as? GaussianProcess
    precondition(kind != .knowledgeGradient || process != nil, "Acquisition: the knowledge gradient needs a GaussianProcess model")
    self.kind = kind
    self.model = model
    self.constraints = constraints
    self.kappa = kappa
    hasFeasible = bestObserved != nil
    let chosen = incumbents ?? Array(0..<model.count)
    let d = model.dimensions
    let candidates = chosen.flatMap { model.inputs[($0 * d)..<(($0 + 1) * d)] }
    let means = (kind == .noisyEI || kind == .knowledgeGradient) && !chosen.isEmpty ? model.posterior(at: candidates).mean : []
    lookahead = kind == .knowledgeGradient ? Self.lookahead(model: process!, grid: grid, candidates: candidates, means: means) : ([], [], [])
    switch kind {
    case .noisyEI: best = means.max() ?? bestObserved ?? 0
    default: best = bestObserved ?? (model.targets.max() ?? 0)
    }
    maxValues = kind == .maxValueEntropy ? Self.gumbelMaxValues(model: model, grid: grid + model.inputs, floor: best) : []
  }

  /// The value (no gradient).
  public func value(at x: [Double]) -> Double { valueAndGradient(at: x).value }

  /// The value and its gradient in x.
  public func valueAndGradient(at x: [Double]) -> (value: Double, gradient: [Double]) {
    let d = x.count
    var value = 0.0
    var gradient = [Double](repeating: 0, count: d)
    /// Adds a term given as f(μ, σ) with its partials, by the chain rule through the posterior.
    func add(_ term: (value: Double, dMean: Double, dSigma: Double), _ p: Posterior) {
      let sigma = p.variance.squareRoot()
      value += term.value
      for j in 0..<d { gradient[j] += term.dMean * p.meanGradient[j] + term.dSigma * p.varianceGradient[j] / (2 * sigma) }
    }
    if hasFeasible {
      let p = model.posteriorWithGradient(at: x)
      if kind == .knowledgeGradient {
        (value, gradient) = knowledgeGradient(at: x, posterior: p)
        if !constraints.isEmpty {
          // Positive-valued, so combined with the constraints on the log scale (flat below 1e-300).
          gradient = value > 1e-300 ? gradient.map { $0 / value } : Array(repeating: 0, count: d)
          value = log(Swift.max(value, 1e-300))
        }
      } else {
        add(pointwise(mean: p.mean, sigma: p.variance.squareRoot()), p)
      }
    }
    for (c, threshold) in constraints {
      let p = c.posteriorWithGradient(at: x)
      add(Self.logFeasibility(mean: p.mean, sigma: p.variance.squareRoot(), threshold: threshold), p)
    }
    return (value, gradient)
  }

  /// Every acquisition but the knowledge gradient as a function of the posterior (μ, σ) at one
  /// point, with ∂/∂μ and ∂/∂σ: batch scoring uses the value, the gradient chains the partials.
  func pointwise(mean mu: Double, sigma: Double) -> (value: Double, dMean: Double, dSigma: Double) {
    switch kind {
    case .logEI, .noisyEI:
      // log σ + log h(z), z = (μ − best)/σ; d log h/dz = Φ/h.
      let z = (mu - best) / sigma
      let (logH, slope) = LogExpectedImprovement.logH(z)
      return (log(sigma) + logH, slope / sigma, (1 - slope * z) / sigma)
    case .logPI:
      let z = (mu - best) / sigma
      let value = Normal.logCDF(z)
      let slope = exp(Normal.logPDF(z) - value)
      return (value, slope / sigma, -slope * z / sigma)
    case .ucb:
      return (mu + kappa * sigma, 1, kappa)
    case .maxValueEntropy:
      // Mean over y* of γψ/2 − log Φ(γ), ψ = φ(γ)/Φ(γ), γ = (y* − μ)/σ.
      var value = 0.0, dMean = 0.0, dSigma = 0.0
      let weight = 1 / Double(maxValues.count)
      for yStar in maxValues {
        let gamma = (yStar - mu) / sigma
        let logCDF = Normal.logCDF(gamma)
        let psi = exp(Normal.logPDF(gamma) - logCDF)
        value += weight * (gamma * psi / 2 - logCDF)
        let dTerm = -psi / 2 - gamma * gamma * psi / 2 - gamma * psi * psi / 2
        dMean += weight * dTerm * (-1 / sigma)
        dSigma += weight * dTerm * (-gamma / sigma)
      }
      guard !constraints.isEmpty else { return (value, dMean, dSigma) }
      // Positive-valued, so combined with the constraints on the log scale (flat below 1e-300).
      guard value > 1e-300 else { return (log(1e-300), 0, 0) }
      return (log(value), dMean / value, dSigma / value)
    case .knowledgeGradient:
      preconditionFailure("the knowledge gradient is not a function of one posterior")
    }
  }

  /// log Φ((t − μ)/σ), the log probability that a constraint modelled by (μ, σ) is at most its
  /// threshold t, with ∂/∂μ and ∂/∂σ.
  static func logFeasibility(mean mu: Double, sigma: Double, threshold: Double) -> (value: Double, dMean: Double, dSigma: Double) {
    let u = (threshold - mu) / sigma
    let value = Normal.logCDF(u)
    let slope = exp(Normal.logPDF(u) - value)
    return (value, -slope / sigma, -slope * u / sigma)
  }
}
