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
      for i in 0..<m { result[i] = pointwise(mean: means[i], sigma: variances[i].squareRoot()).value }
    }
    for (c, threshold) in constraints {
      let (means, variances) = c.posterior(at: points)
      for i in 0..<m { result[i] += Self.logFeasibility(mean: means[i], sigma: variances[i].squareRoot(), threshold: threshold).value }
    }
    return result
  }
}
