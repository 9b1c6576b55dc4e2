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
  /// Per dimension, per kernel: centre and bandwidth (numeric) or log probabilities
  /// (categorical); inverse bandwidths and log normalizers for grid dimensions only.
  private var mus: [[Double]] = [], sigmas: [[Double]] = [], inverseSigmas: [[Double]] = [], logNormalizers: [[Double]] = []
  private var logProbabilities: [[[Double]]] = []
  /// The continuous dimensions, whose Gaussian kernels `logDensity` evaluates in one fused pass.
  private var continuous: [Int] = []
  /// Per kernel: log w_k − Σ_j (log σ_kj + log Z_kj + ½ log 2π) over the continuous j (the
  /// part of its log density that does not depend on x), padded to a multiple of 4 kernels.
  private var gaussianConstant: [Double] = []
  /// The continuous centres and inverse bandwidths in blocks of 4 kernels: per block, per
  /// continuous dimension, 4 centres then 4 inverse bandwidths (padding kernels: 0 and 0).
  private var packedGaussians: [Double] = []

  /// The mixture of the observations in `columns` (one column per dimension, one entry per
  /// observation: a `ParamTransform` coordinate or a category index) weighted by `weights`.
  /// An estimator that is never sampled from (`sampled` false: TPE's g) keeps its continuous
  /// kernels in the packed form only.
  init(columns: [[Double]], dimensions: [Dimension], weights: [Double], priorWeight: Double, magicClip: Bool = true,
       sampled: Bool = true) {
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
    continuous = dimensions.indices.filter { kinds[$0] == .continuous }
    var position = [Int](repeating: -1, count: dimensions.count)  // j's place among the continuous dimensions
    for (c, j) in continuous.enumerated() { position[j] = c }
    let kernels = logWeights.count, padded = (kernels + 3) / 4 * 4
    gaussianConstant = logWeights + [Double](repeating: 0, count: padded - kernels)
    packedGaussians = [Double](repeating: 0, count: padded * 2 * continuous.count)
    // Per continuous dimension, per kernel: log σ + log Z + ½ log 2π, subtracted from the
    // kernels' constants afterwards, dimension by dimension in order.
    var scales = [Double](repeating: 0, count: kernels * continuous.count)
    // Each numeric dimension's kernels depend on its column alone: computed in parallel for
    // wide models (many dimensions × observations), a continuous one packed at once into its
    // own slots (so no dimension's arrays outlive it unless they are kept).
    let numeric = packedGaussians.withUnsafeMutableBufferPointer { packed in
      scales.withUnsafeMutableBufferPointer { scales in
        nonisolated(unsafe) let (packed, scales) = (packed, scales)
        return parallelMap(dimensions.count, parallel: dimensions.count * kernels >= Self.parallelWork) { j -> NumericKernels? in
          guard case .numeric(let t) = dimensions[j] else { return nil }
          let k = Self.kernels(of: columns[j], t, observations: n, magicClip: magicClip)
          guard position[j] >= 0 else { return k }
          Self.pack(k, continuousDimension: position[j], of: continuous.count, into: packed)
          for i in 0..<kernels { scales[position[j] * kernels + i] = k.logScale[i] }
          return sampled ? k : nil
        }
      }
    }
    gaussianConstant.withUnsafeMutableBufferPointer { constant in
      for c in continuous.indices { for i in 0..<kernels { constant[i] -= scales[c * kernels + i] } }
    }
    for (j, dimension) in dimensions.enumerated() {
      switch dimension {
      case .numeric:
        let k = numeric[j]
        if kinds[j] == .continuous {
          inverseSigmas.append([]); logNormalizers.append([])
        } else {
          inverseSigmas.append(k!.sigma.map { 1 / $0 }); logNormalizers.append(k!.logNormalizer)
        }
        mus.append(k?.mu ?? []); sigmas.append(k?.sigma ?? [])
        logProbabilities.append([])
      case .categorical(let count):
        let share = priorWeight / Double(n + 1)
        var rows = columns[j].map { c -> [Double] in
          (0..<count).map { Foundation.log(($0 == Int(c) ? 1 : 0) + share) - Foundation.log(1 + share * Double(count)) }
        }
        rows.append([Double](repeating: -Foundation.log(Double(count)), count: count))
        logProbabilities.append(rows)
        mus.append([]); sigmas.append([]); inverseSigmas.append([]); logNormalizers.append([])
      }
    }
  }

  /// Dimensions × kernels from which the numeric dimensions are set up in parallel.
  static let parallelWork = 200_000

  /// One numeric dimension's kernels: centres, bandwidths, log normalizers log Z, and per
  /// kernel log σ + log Z + ½ log 2π (what its Gaussian takes from the kernel's constant).
  private struct NumericKernels {
    var mu: [Double], sigma: [Double], logNormalizer: [Double], logScale: [Double]
  }

  /// The kernels of the observations `column` (n of them) of a numeric dimension, plus the
  /// prior kernel.
  private static func kernels(of column: [Double], _ t: ParamTransform, observations n: Int, magicClip: Bool) -> NumericKernels {
    let s = t.step ?? 0
    let width = t.high - t.low + s
    var sig = n == 0 ? [] : neighbourBandwidths(column, low: t.low - s / 2, high: t.high + s / 2)
    let minimum = magicClip ? width / min(100, Double(n + 2)) : 1e-12
    for k in sig.indices { sig[k] = min(max(sig[k], minimum), width) }
    sig.append(width)
    let mu = column + [(t.low + t.high) / 2]
    let (a, b) = (t.low - s / 2, t.high + s / 2)
    // A tail beyond 8.3σ holds under 2^−53 of a mass of at least ½: a kernel centred in
    // [a, b] and that far inside both ends has Φ(b) − Φ(a) = 1 to double precision, and one
    // that far inside one end has the other end's Φ alone (one error function, not two).
    let logNormalizer = zip(mu, sig).map { m, sd in
      let (za, zb) = ((a - m) / sd, (b - m) / sd)
      if za < -8.3 && zb > 8.3 { return 0.0 }
      if za < -8.3 && zb >= 0 { return Normal.logCDF(zb) }
      if zb > 8.3 && za <= 0 { return Normal.logCDF(-za) }
      return Normal.logMass(za, zb)
    }
    var logScale = [Double](repeating: 0, count: mu.count)
    var lastSigma = -1.0, lastLog = 0.0  // many kernels share the clipped bandwidth
    for k in mu.indices {
      if sig[k] != lastSigma { lastSigma = sig[k]; lastLog = Foundation.log(lastSigma) }
      logScale[k] = lastLog + logNormalizer[k] + 0.918_938_533_204_672_7
    }
    return NumericKernels(mu: mu, sigma: sig, logNormalizer: logNormalizer, logScale: logScale)
  }

  /// Writes continuous dimension c's centres and inverse bandwidths into its slots of the
  /// packed Gaussians (blocks of 4 kernels: per block, per continuous dimension, 4 centres
  /// then 4 inverse bandwidths); other dimensions' slots are not touched.
  private static func pack(_ k: NumericKernels, continuousDimension c: Int, of count: Int, into packed: UnsafeMutableBufferPointer<Double>) {
    let stride = count * 8
    for i in k.mu.indices {
      let at = i / 4 * stride + c * 8 + i % 4
      packed[at] = k.mu[i]
      packed[at + 4] = 1 / k.sigma[i]
    }
  }

  /// Optuna's bandwidth: each centre's larger gap to its neighbours in sorted order, the
  /// range ends [a, b] standing beyond the outermost; with two or more centres, the lowest
  /// and highest use their inner gap only; a single centre, its distance to the farther end.
  private static func neighbourBandwidths(_ centres: [Double], low a: Double, high b: Double) -> [Double] {
    let n = centres.count
    if n == 1 { return [max(centres[0] - a, b - centres[0])] }
    let order = stableArgsort(centres)  // ties keep their order
    var sorted = [Double](repeating: a, count: n + 2)
    for (rank, index) in order.enumerated() { sorted[rank + 1] = centres[index] }
    sorted[n + 1] = b
    var result = [Double](repeating: 0, count: n)
    result[order[0]] = sorted[2] - sorted[1]
    result[order[n - 1]] = sorted[n] - sorted[n - 1]
    for rank in 1..<(n - 1) {
      let i = rank + 1
      result[order[rank]] = max(sorted[i] - sorted[i - 1], sorted[i + 1] - sorted[i])
    }
    return result
  }

  /// `count` draws: a kernel by weight, then each coordinate from that kernel. The uniforms
  /// are drawn first, in order (one for the kernel, then one per dimension, draw by draw), so
  /// that the draws can be turned into points on several threads (`parallel`) with the same
  /// result as one thread.
  func sample(count: Int, rng: inout SeededRNG, parallel: Bool = false) -> [[Double]] {
    let uniforms = (0..<count).map { _ in (0...dimensions.count).map { _ in rng.nextDouble() } }
    return parallelMap(count, parallel: parallel) { point(from: uniforms[$0]) }
  }

  /// The point that the uniforms `u` (the kernel's, then one per dimension) select.
  private func point(from u: [Double]) -> [Double] {
    let chosen = u[0] * cumulativeWeights.last!
    let k = min(cumulativeWeights.firstIndex { $0 > chosen } ?? cumulativeWeights.count - 1, cumulativeWeights.count - 1)
    return dimensions.indices.map { j in
      switch dimensions[j] {
      case .numeric(let t):
        let s = t.step ?? 0
        let (mu, sigma) = (mus[j][k], sigmas[j][k])
        let z = Normal.truncatedQuantile(u[j + 1], (t.low - s / 2 - mu) / sigma, (t.high + s / 2 - mu) / sigma)
        let x = mu + sigma * z
        guard s > 0 else { return min(max(x, t.low), t.high) }
        return min(max(t.low + ((x - t.low) / s).rounded() * s, t.low), t.high)
      case .categorical:
        var acc = 0.0
        for (c, lp) in logProbabilities[j][k].enumerated() {
          acc += Foundation.exp(lp)
          if u[j + 1] < acc { return Double(c) }
        }
        return Double(logProbabilities[j][k].count - 1)
      }
    }
  }

  /// log p(x) for each point: log Σ_k exp(log w_k + Σ_j log K_kj(x_j)).
  func logDensity(_ points: [[Double]]) -> [Double] {
    let kernels = logWeights.count
    var terms = [Double](repeating: 0, count: gaussianConstant.count)
    return points.map { x in
      let xs = continuous.map { x[$0] }
      return terms.withUnsafeMutableBufferPointer { term in
        Self.gaussianTerms(xs, packed: packedGaussians, constant: gaussianConstant, into: term)
        for j in dimensions.indices {
          let xj = x[j]
          switch kinds[j] {
          case .continuous:
            continue
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
        guard top > -.infinity else { return -Double.infinity }
        // Kernels more than e^50 below the largest change the sum by < 1e-19 relative: skipped.
        var sum = 0.0
        for k in 0..<kernels where term[k] - top > -50 { sum += Foundation.exp(term[k] - top) }
        return top + Foundation.log(sum)
      }
    }
  }

  /// term_k = constant_k − ½ Σ_j ((x_j − μ_jk) / σ_jk)² over the continuous dimensions j, four
  /// kernels at a time in SIMD registers, walking `packedGaussians` once.
  private static func gaussianTerms(_ x: [Double], packed: [Double], constant: [Double],
                                    into term: UnsafeMutableBufferPointer<Double>) {
    guard !x.isEmpty else {
      for k in term.indices { term[k] = constant[k] }
      return
    }
    let vector = MemoryLayout<SIMD4<Double>>.size
    x.withUnsafeBufferPointer { x in
      packed.withUnsafeBytes { packed in
        constant.withUnsafeBytes { constant in
          let out = UnsafeMutableRawPointer(term.baseAddress!)
          var p = packed.baseAddress!
          for block in 0..<(constant.count / vector) {
            var sum = SIMD4<Double>()
            for xj in x {
              let z = (SIMD4(repeating: xj) - p.loadUnaligned(as: SIMD4<Double>.self)) * p.loadUnaligned(fromByteOffset: vector, as: SIMD4<Double>.self)
              sum += z * z
              p += 2 * vector
            }
            let at = block &* vector
            out.storeBytes(of: constant.loadUnaligned(fromByteOffset: at, as: SIMD4<Double>.self) - 0.5 * sum, toByteOffset: at, as: SIMD4<Double>.self)
          }
        }
      }
    }
  }
}
