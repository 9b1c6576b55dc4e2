#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HoneMath

extension Acquisition {
  /// Draws of the maximum y* for max-value entropy search (Wang & Jegelka 2017, §3.1): the
  /// distribution Pr(y* < y) ≈ Πₓ Φ((y − μ(x))/σ(x)) over the grid, fitted by a Gumbel
  /// distribution through its quartiles (b = (y₇₅ − y₂₅)/(ln(−ln ¼) − ln(−ln ¾)),
  /// a = y₅₀ + b·ln(−ln ½)), then sampled at 10 stratified probabilities
  /// y* = a − b·ln(−ln rₖ), rₖ = (k + ½)/10 (deterministic), each kept above the incumbent.
  static func gumbelMaxValues(model: any Surrogate, grid: [Double], floor: Double, count: Int = 10) -> [Double] {
    let (means, variances) = model.posterior(at: grid)
    let sigmas = variances.map { $0.squareRoot() }
    guard let top = zip(means, sigmas).map({ $0 + 6 * $1 }).max() else { return [floor + 1] }
    func logProbabilityBelow(_ y: Double) -> Double {
      var total = 0.0
      for i in means.indices { total += Normal.logCDF((y - means[i]) / sigmas[i]) }
      return total
    }
    func quantile(_ p: Double) -> Double {
      var low = Swift.min(floor, means.max() ?? floor) - 1, high = top + 1
      while logProbabilityBelow(low) > log(p) { low -= high - low }
      for _ in 0..<60 {
        let mid = (low + high) / 2
        if logProbabilityBelow(mid) < log(p) { low = mid } else { high = mid }
      }
      return (low + high) / 2
    }
    let (q25, q50, q75) = (quantile(0.25), quantile(0.5), quantile(0.75))
    let b = Swift.max((q75 - q25) / (log(-log(0.25)) - log(-log(0.75))), 1e-9)
    let a = q50 + b * log(-log(0.5))
    return (0..<count).map { k in
      let r = (Double(k) + 0.5) / Double(count)
      return Swift.max(a - b * log(-log(r)), floor + 1e-6)
    }
  }
}
