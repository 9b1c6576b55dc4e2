import Foundation
import HoneMath

/// The kernel density estimator of TPE (Bergstra et al. 2011, "Algorithms for
/// hyper-parameter optimization", NeurIPS; design choices as in Watanabe 2023, "Tree-
/// structured Parzen estimator: understanding its algorithm components", and Optuna): a
/// mixture of one kernel per observation plus one prior kernel,
///
///     p(x) = Σ_k w_k Π_j K_kj(x_j),
///
/// over one or several parameters (one kernel index for all of them: the multivariate
/// TPE of Falkner et al. 2018).
///
/// - Numeric parameters, in `ParamTransform` coordinates, get normal kernels truncated to
///   [low, high] — on a grid of step s, to [low − s/2, high + s/2] and integrated over each
///   grid cell. Centres are the observations; the prior kernel sits at the middle with
///   σ = high − low + s. Bandwidths: the larger gap to the neighbouring centres (the range
///   ends beyond the outermost, which use their inner gap), as Optuna 4.5+ does in both
///   modes. The "magic clip" bounds σ to [(high − low + s) / min(100, n + 2), high − low + s].
/// - Categorical parameters get, per observation c, the probabilities
///   (𝟙[i = c] + a/(n+1)) / (1 + a·C/(n+1)) over C choices, a the prior weight; the prior
///   kernel is uniform.
/// - Weights: the given observation weights, then the prior weight, normalized.
struct ParzenEstimator {
  /// One parameter's role.
  enum Dimension {
    case numeric(ParamTransform)
    case categorical(count: Int)
  }

  private let dimensions: [Dimension]
  /// What each dimension's kernels are, without the transform (for the inner loops).
  private enum Kind: Equatable { case continuous, grid(Double), categorical }
  private let kinds: [Kind]
  private let logWeights: [Double]
  private let cumulativeWeights: [Double]
  /// Per dimension, per kernel: centre and bandwidth (numeric) or log probabilities (categorical).
  private var mus: [[Double]] = [], sigmas: [[Double]] = [], inverseSigmas: [[Double]] = [], logNormalizers: [[Double]] = []
  private var logProbabilities: [[[Double]]] = []

  /// The mixture of the observations in `columns` (one column per dimension, one entry per
  /// observation: a `ParamTransform` coordinate or a category index) weighted by `weights`.
  init(columns: [[Double]], dimensions: [Dimension], weights: [Double], priorWeight: Double, magicClip: Bool = true) {
    precondition(columns.count == dimensions.count && columns.allSatisfy { $0.count == weights.count },
                 "one column per dimension and one weight per observation")
    self.dimensions = dimensions
    kinds = dimensions.map { d in
      switch d {
      case .numeric(let t): return t.step.map { .grid($0) } ?? .continuous
      case .categorical: return .categorical
      }
    }
    let n = weights.count
    var w = n == 0 ? [1.0] : weights + [priorWeight]
    let total = w.reduce(0, +)
    w = w.map { $0 / total }
    logWeights = w.map { $0 > 0 ? Foundation.log($0) : -.infinity }
    var running = 0.0
    cumulativeWeights = w.map { running += $0; return running }
    for (j, dimension) in dimensions.enumerated() {
      let column = columns[j]
      switch dimension {
      case .numeric(let t):
        let s = t.step ?? 0
        let width = t.high - t.low + s
        var sig = n == 0 ? [] : Self.neighbourBandwidths(column, low: t.low - s / 2, high: t.high + s / 2)
        let minimum = magicClip ? width / min(100, Double(n + 2)) : 1e-12
        sig = sig.map { min(max($0, minimum), width) }
        let mu = column + [(t.low + t.high) / 2]
        sig.append(width)
        let (a, b) = (t.low - s / 2, t.high + s / 2)
        mus.append(mu); sigmas.append(sig); inverseSigmas.append(sig.map { 1 / $0 })
        // A kernel more than 8.3σ inside both ends has Φ(b) − Φ(a) = 1 to double precision.
        logNormalizers.append(zip(mu, sig).map { m, sd in
          let (za, zb) = ((a - m) / sd, (b - m) / sd)
          return za < -8.3 && zb > 8.3 ? 0 : Normal.logMass(za, zb)
        })
        logProbabilities.append([])
      case .categorical(let count):
        let share = priorWeight / Double(n + 1)
        var rows = column.map { c -> [Double] in
          (0..<count).map { Foundation.log(($0 == Int(c) ? 1 : 0) + share) - Foundation.log(1 + share * Double(count)) }
        }
        rows.append([Double](repeating: -Foundation.log(Double(count)), count: count))
        logProbabilities.append(rows)
        mus.append([]); sigmas.append([]); inverseSigmas.append([]); logNormalizers.append([])
      }
    }
  }

  /// Optuna's bandwidth: each centre's larger gap to its neighbours in sorted order, the
  /// range ends [a, b] standing beyond the outermost; with two or more centres, the lowest
  /// and highest use their inner gap only; a single centre, its distance to the farther end.
  private static func neighbourBandwidths(_ centres: [Double], low a: Double, high b: Double) -> [Double] {
    let n = centres.count
    if n == 1 { return [max(centres[0] - a, b - centres[0])] }
    var pairs = centres.enumerated().map { (value: $0.element, index: $0.offset) }
    pairs.sort { $0.value < $1.value }  // stable: ties keep their order
    var sorted = [Double](repeating: a, count: n + 2)
    for (rank, pair) in pairs.enumerated() { sorted[rank + 1] = pair.value }
    sorted[n + 1] = b
    var result = [Double](repeating: 0, count: n)
    for (rank, pair) in pairs.enumerated() {
      let i = rank + 1
      if rank == 0 { result[pair.index] = sorted[2] - sorted[1] }
      else if rank == n - 1 { result[pair.index] = sorted[n] - sorted[n - 1] }
      else { result[pair.index] = max(sorted[i] - sorted[i - 1], sorted[i + 1] - sorted[i]) }
    }
    return result
  }

  /// `count` draws: a kernel by weight, then each coordinate from that kernel.
  func sample(count: Int, rng: inout SeededRNG) -> [[Double]] {
    (0..<count).map { _ in
      let u = rng.nextDouble() * cumulativeWeights.last!
      let k = min(cumulativeWeights.firstIndex { $0 > u } ?? cumulativeWeights.count - 1, cumulativeWeights.count - 1)
      return dimensions.indices.map { j in
        switch dimensions[j] {
        case .numeric(let t):
          let s = t.step ?? 0
          let (mu, sigma) = (mus[j][k], sigmas[j][k])
          let z = Normal.truncatedQuantile(rng.nextDouble(), (t.low - s / 2 - mu) / sigma, (t.high + s / 2 - mu) / sigma)
          let x = mu + sigma * z
          guard s > 0 else { return min(max(x, t.low), t.high) }
          return min(max(t.low + ((x - t.low) / s).rounded() * s, t.low), t.high)
        case .categorical:
          let v = rng.nextDouble()
          var acc = 0.0
          for (c, lp) in logProbabilities[j][k].enumerated() {
            acc += Foundation.exp(lp)
            if v < acc { return Double(c) }
          }
          return Double(logProbabilities[j][k].count - 1)
        }
      }
    }
  }

  /// log p(x) for each point: log Σ_k exp(log w_k + Σ_j log K_kj(x_j)).
  func logDensity(_ points: [[Double]]) -> [Double] {
    let kernels = logWeights.count
    // The parts that do not depend on x: log w_k − Σ_j (log σ_kj + log Z_kj + ½ log 2π) for continuous j.
    var constant = logWeights
    for j in dimensions.indices where kinds[j] == .continuous {
      var lastSigma = -1.0, lastLog = 0.0  // many kernels share the clipped bandwidth
      for k in 0..<kernels {
        if sigmas[j][k] != lastSigma { lastSigma = sigmas[j][k]; lastLog = Foundation.log(lastSigma) }
        constant[k] -= lastLog + logNormalizers[j][k] + 0.918_938_533_204_672_7
      }
    }
    var terms = [Double](repeating: 0, count: kernels)
    return points.map { x in
      terms.withUnsafeMutableBufferPointer { term in
        for k in 0..<kernels { term[k] = constant[k] }
        for j in dimensions.indices {
          let xj = x[j]
          switch kinds[j] {
          case .continuous:
            mus[j].withUnsafeBufferPointer { mu in
              inverseSigmas[j].withUnsafeBufferPointer { inverse in
                for k in 0..<kernels {
                  let z = (xj - mu[k]) * inverse[k]
                  term[k] -= 0.5 * z * z
                }
              }
            }
          case .grid(let s):
            for k in 0..<kernels {
              let inverse = inverseSigmas[j][k]
              term[k] += Normal.logMass((xj - s / 2 - mus[j][k]) * inverse, (xj + s / 2 - mus[j][k]) * inverse) - logNormalizers[j][k]
            }
          case .categorical:
            let c = Int(xj)
            for k in 0..<kernels { term[k] += logProbabilities[j][k][c] }
          }
        }
        var top = -Double.infinity
        for k in 0..<kernels { top = max(top, term[k]) }
        guard top > -.infinity else { return -.infinity }
        // Kernels more than e^50 below the largest change the sum by < 1e-19 relative: skipped.
        var sum = 0.0
        for k in 0..<kernels where term[k] - top > -50 { sum += Foundation.exp(term[k] - top) }
        return top + Foundation.log(sum)
      }
    }
  }
}
