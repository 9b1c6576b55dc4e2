#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parametric extrapolation of one learning curve, in the spirit of Domhan, Springenberg &
/// Hutter 2015 ("Speeding up Automatic Hyperparameter Optimization of Deep Neural Networks by
/// Extrapolation of Learning Curves"), with least squares and model averaging in place of
/// their MCMC over eleven families.
///
/// Steps x > 0 are scaled to u = x/x_last (x_last the last observed step). Each family is
/// y = c + a·h(u; θ), linear in (c, a):
///
///   exp3        h = −e^(−b·u),  b = e^θ ∈ [10⁻², 10²]   (y → c, Domhan's exp3)
///   pow3        h = −u^(−α),    α = e^θ ∈ [10⁻², 10]    (y → c, Domhan's pow3)
///   log-linear  h = log u                               (no θ; unbounded)
///
/// For each θ the best (c, a) is closed-form ordinary least squares; θ minimizes the residual
/// sum of squares RSS on a log grid refined by golden-section search (variable projection).
/// The prediction of family k at x has the delta-method variance v_k = s²·(1 + jᵀ(JᵀJ)⁻¹j),
/// with J the Jacobian of the fitted values in (c, a, θ), j that of the prediction and
/// s² = RSS/(n − p). The families are averaged with Akaike weights
/// w_k ∝ exp(−AICc_k/2), AICc = n·log(RSS/n) + 2q + 2q(q + 1)/(n − q − 1), q = p + 1
/// (Burnham & Anderson 2002, "Model Selection and Multimodel Inference", §4.2); the mean is
/// Σ w_k·m_k and the variance Σ w_k·(v_k + (m_k − m)²). Needs n ≥ 6 values. O(n) per family
/// and θ; a fit is about 100 passes over the curve.
public struct CurveExtrapolation: Sendable {
  /// A curve family y = c + a·h(u; θ).
  public enum Family: String, CaseIterable, Sendable {
    /// c − a·e^(−b·u).
    case exp3
    /// c − a·u^(−α).
    case pow3
    /// c + a·log u.
    case logLinear = "log-linear"
  }

  /// One fitted family.
  public struct Fit: Sendable {
    /// The family.
    public let family: Family
    /// The offset c, the amplitude a and the log-rate θ (0 for log-linear).
    public let c: Double, a: Double, theta: Double
    /// The residual variance s² = RSS/(n − p).
    public let residualVariance: Double
    /// The Akaike weight w_k (the weights sum to 1).
    public let weight: Double
    /// (JᵀJ) of the fitted values in (c, a[, θ]), factored.
    let information: Cholesky
  }

  /// The fitted families.
  public let fits: [Fit]
  /// The last observed step x_last, the unit of u.
  public let scale: Double

  /// Fits every family to `values` observed at `steps` (increasing, all > 0); nil for fewer
  /// than 6 values, non-finite values or steps that are not increasing and positive.
  public init?(steps: [Double], values: [Double]) {
    let n = values.count
    guard n >= 6, steps.count == n, values.allSatisfy(\.isFinite), steps.first! > 0,
          zip(steps.dropFirst(), steps).allSatisfy({ $0 > $1 }) else { return nil }
    let scale = steps.last!
    let u = steps.map { $0 / scale }
    var raw: [(family: Family, c: Double, a: Double, theta: Double, rss: Double, information: Cholesky)] = []
    for family in Family.allCases {
      let theta: Double
      if let range = family.thetaRange {
        let intervals = 24
        let grid = (0...intervals).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(intervals) }
        let rss = grid.map { Self.linearFit(family, $0, u, values).rss }
        let best = rss.indices.min { rss[$0] < rss[$1] }!
        theta = goldenSectionMaximum(in: grid[max(best - 1, 0)], grid[min(best + 1, intervals)], iterations: 30) {
          -Self.linearFit(family, $0, u, values).rss
        }
      } else {
        theta = 0
      }
      let (c, a, rss) = Self.linearFit(family, theta, u, values)
      let p = family.parameterCount
      var jtj = Matrix(rows: p, columns: p)
      for ui in u {
        let j = family.gradient(a: a, theta: theta, u: ui)
        for r in 0..<p { for s in 0...r { jtj[r, s] += j[r] * j[s] } }
      }
      guard let information = try? Cholesky(jtj) else { continue }
      raw.append((family, c, a, theta, rss, information))
    }
    guard !raw.isEmpty else { return nil }
    let deviation = meanAndStandardDeviation(values).standardDeviation
    let floor = max(1e-12 * Double(n) * deviation * deviation, .leastNormalMagnitude)
    let criteria = raw.map { fit -> Double in
      let q = Double(fit.family.parameterCount + 1), m = Double(n)
      return m * log(max(fit.rss, floor) / m) + 2 * q + 2 * q * (q + 1) / (m - q - 1)
    }
    let lowest = criteria.min()!
    let likelihoods = criteria.map { exp(-($0 - lowest) / 2) }
    let total = likelihoods.reduce(0, +)
    fits = zip(raw, likelihoods).map { fit, likelihood in
      Fit(family: fit.family, c: fit.c, a: fit.a, theta: fit.theta,
          residualVariance: fit.rss / Double(n - fit.family.parameterCount), weight: likelihood / total,
          information: fit.information)
    }
    self.scale = scale
  }

  /// The model-averaged prediction at step x and its standard deviation.
  public func predict(at step: Double) -> (mean: Double, standardDeviation: Double) {
    let u = step / scale
    let each = fits.map { fit -> (mean: Double, variance: Double) in
      let j = fit.information.solveLower(fit.family.gradient(a: fit.a, theta: fit.theta, u: u))
      let leverage = j.reduce(0) { $0 + $1 * $1 }
      return (fit.c + fit.a * fit.family.h(u, fit.theta), fit.residualVariance * (1 + leverage))
    }
    let mean = zip(fits, each).reduce(0) { $0 + $1.0.weight * $1.1.mean }
    let variance = zip(fits, each).reduce(0) { $0 + $1.0.weight * ($1.1.variance + ($1.1.mean - mean) * ($1.1.mean - mean)) }
    return (mean, variance.squareRoot())
  }

  /// Ordinary least squares of y on (1, h(u; θ)): c, a and the residual sum of squares.
  static func linearFit(_ family: Family, _ theta: Double, _ u: [Double], _ y: [Double]) -> (c: Double, a: Double, rss: Double) {
    let n = Double(u.count)
    let h = u.map { family.h($0, theta) }
    var sumH = 0.0, sumY = 0.0
    for i in u.indices { sumH += h[i]; sumY += y[i] }
    let meanH = sumH / n, meanY = sumY / n
    var shh = 0.0, shy = 0.0, syy = 0.0
    for i in u.indices {
      let dh = h[i] - meanH, dy = y[i] - meanY
      shh += dh * dh; shy += dh * dy; syy += dy * dy
    }
    let a = shh > 1e-300 ? shy / shh : 0
    return (meanY - a * meanH, a, max(syy - a * shy, 0))
  }
}

extension CurveExtrapolation.Family {
  /// The range of θ searched (nil: the family has no θ).
  var thetaRange: ClosedRange<Double>? {
    switch self {
    case .exp3: return log(1e-2)...log(1e2)
    case .pow3: return log(1e-2)...log(10)
    case .logLinear: return nil
    }
  }

  /// p: the parameters of the mean (c, a and θ when there is one).
  var parameterCount: Int { thetaRange == nil ? 2 : 3 }

  /// h(u; θ).
  func h(_ u: Double, _ theta: Double) -> Double {
    switch self {
    case .exp3: return -exp(-exp(theta) * u)
    case .pow3: return -exp(-exp(theta) * log(u))
    case .logLinear: return log(u)
    }
  }

  /// ∂(c + a·h(u; θ))/∂(c, a[, θ]).
  func gradient(a: Double, theta: Double, u: Double) -> [Double] {
    let rate = exp(theta)
    switch self {
    case .exp3: return [1, h(u, theta), a * rate * u * exp(-rate * u)]
    case .pow3: return [1, h(u, theta), a * rate * log(u) * exp(-rate * log(u))]
    case .logLinear: return [1, log(u)]
    }
  }
}
