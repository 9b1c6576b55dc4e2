#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HoneMath

extension Acquisition {
  /// The values at m points (m × d row-major), with the posteriors computed in one batch
  /// (matrix products instead of m separate solves); the knowledge gradient goes point by point.
  public func values(at points: [Double], dimensions d: Int) -> [Double] {
    let m = points.count / Swift.max(d, 1)
    if kind == .knowledgeGradient && hasFeasible {
      return (0..<m).map { value(at: Array(points[($0 * d)..<(($0 + 1) * d)])) }
    }
    var result = [Double](repeating: 0, count: m)
    if hasFeasible {
      let (means, variances) = model.posterior(at: points)
      for i in 0..<m {
        let mu = means[i], sigma = variances[i].squareRoot()
        switch kind {
        case .logEI, .noisyEI: result[i] = log(sigma) + LogExpectedImprovement.logH((mu - best) / sigma).value
        case .logPI: result[i] = Normal.logCDF((mu - best) / sigma)
        case .ucb: result[i] = mu + kappa * sigma
        case .maxValueEntropy:
          var total = 0.0
          for yStar in maxValues {
            let gamma = (yStar - mu) / sigma
            let logCDF = Normal.logCDF(gamma)
            total += gamma * exp(Normal.logPDF(gamma) - logCDF) / 2 - logCDF
          }
          result[i] = total / Double(maxValues.count)
          if !constraints.isEmpty { result[i] = log(Swift.max(result[i], 1e-300)) }
        case .knowledgeGradient: break
        }
      }
    }
    for (c, threshold) in constraints {
      let (means, variances) = c.posterior(at: points)
      for i in 0..<m { result[i] += Normal.logCDF((threshold - means[i]) / variances[i].squareRoot()) }
    }
    return result
  }
}
