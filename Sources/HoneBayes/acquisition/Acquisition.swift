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
  /// log EI (Ament et al. 2023) over the best observed score — the default.
  case logEI = "logei"
  /// Noisy EI, the tutorial's generalization for noisy observations: log EI over the best
  /// posterior mean at the evaluated points instead of the best (noisy) observation.
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
  public let model: GaussianProcess
  /// The incumbent (standardized): best feasible observation, or best posterior mean for NEI.
  public let best: Double
  /// Constraint models with their standardized feasibility thresholds.
  public let constraints: [(model: GaussianProcess, threshold: Double)]
  /// True when some evaluated point is feasible (or there are no constraints).
  public let hasFeasible: Bool
  /// Max-value samples (standardized) for MES.
  public let maxValues: [Double]
  /// UCB's κ.
  public let kappa: Double
  /// KG's discretization: the points A (m × d), their posterior means, and
  /// W = (L⁻¹k(X, A))ᵀ (m × n), so that Σₙ(A, x) = k(A, x) − W·L⁻¹k(X, x).
  let lookahead: (points: [Double], means: [Double], projected: [Double])

  /// An acquisition on `model`. `bestObserved` is the best feasible standardized score (nil if
  /// none); `incumbents` are the indices of the model's inputs that count as evaluated and
  /// feasible (default: all) — NEI's incumbent is their best posterior mean, and KG adds the 20
  /// best of them to its discretization; `grid` (m × d) is where MES fits its Gumbel
  /// distribution of the maximum and KG looks ahead.
  public init(_ kind: AcquisitionKind, model: GaussianProcess, bestObserved: Double?,
              constraints: [(model: GaussianProcess, threshold: Double)] = [], grid: [Double] = [], kappa: Double = 2,
              incumbents: [Int]? = nil) {
    self.kind = kind
    self.model = model
    self.constraints = constraints
    self.kappa = kappa
    hasFeasible = bestObserved != nil
    let chosen = incumbents ?? Array(0..<model.count)
    let d = model.dimensions
    let candidates = chosen.flatMap { model.inputs[($0 * d)..<(($0 + 1) * d)] }
    let means = (kind == .noisyEI || kind == .knowledgeGradient) && !chosen.isEmpty ? model.posterior(at: candidates).mean : []
    lookahead = kind == .knowledgeGradient ? Self.lookahead(model: model, grid: grid, candidates: candidates, means: means) : ([], [], [])
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
    if hasFeasible {
      let p = model.posteriorWithGradient(at: x)
      let sigma = p.variance.squareRoot()
      let sigmaGradient = p.varianceGradient.map { $0 / (2 * sigma) }
      switch kind {
      case .logEI, .noisyEI:
        let z = (p.mean - best) / sigma
        let (logH, slope) = LogExpectedImprovement.logH(z)
        value = log(sigma) + logH
        for j in 0..<d {
          gradient[j] = sigmaGradient[j] / sigma + slope * (p.meanGradient[j] - z * sigmaGradient[j]) / sigma
        }
      case .logPI:
        let z = (p.mean - best) / sigma
        value = Normal.logCDF(z)
        let slope = exp(Normal.logPDF(z) - value)
        for j in 0..<d { gradient[j] = slope * (p.meanGradient[j] - z * sigmaGradient[j]) / sigma }
      case .ucb:
        value = p.mean + kappa * sigma
        for j in 0..<d { gradient[j] = p.meanGradient[j] + kappa * sigmaGradient[j] }
      case .maxValueEntropy:
        for yStar in maxValues {
          let gamma = (yStar - p.mean) / sigma
          let logCDF = Normal.logCDF(gamma)
          let psi = exp(Normal.logPDF(gamma) - logCDF)
          value += (gamma * psi / 2 - logCDF) / Double(maxValues.count)
          let dTerm = -psi / 2 - gamma * gamma * psi / 2 - gamma * psi * psi / 2
          for j in 0..<d {
            let dGamma = (-p.meanGradient[j] - gamma * sigmaGradient[j]) / sigma
            gradient[j] += dTerm * dGamma / Double(maxValues.count)
          }
        }
      case .knowledgeGradient:
        (value, gradient) = knowledgeGradient(at: x, posterior: p)
      }
      if !constraints.isEmpty && (kind == .knowledgeGradient || kind == .maxValueEntropy) {
        // Positive-valued acquisitions are combined on the log scale.
        // (Below 1e-300 the log is clamped and flat.)
        gradient = value > 1e-300 ? gradient.map { $0 / value } : Array(repeating: 0, count: d)
        value = log(Swift.max(value, 1e-300))
      }
    }
    for (c, threshold) in constraints {
      let p = c.posteriorWithGradient(at: x)
      let sigma = p.variance.squareRoot()
      let u = (threshold - p.mean) / sigma
      let logCDF = Normal.logCDF(u)
      value += logCDF
      let slope = exp(Normal.logPDF(u) - logCDF)
      for j in 0..<d {
        let sigmaGradient = p.varianceGradient[j] / (2 * sigma)
        gradient[j] += slope * (-p.meanGradient[j] - u * sigmaGradient) / sigma
      }
    }
    return (value, gradient)
  }
}
