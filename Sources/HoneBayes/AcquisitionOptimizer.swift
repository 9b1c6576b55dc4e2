import Foundation
import HoneMath

/// Maximizes an acquisition function over the unit cube (numeric coordinates) and finite
/// category sets, the way BoTorch's `optimize_acqf` and Optuna's GPSampler do: score
/// `rawSamples` scrambled-Sobol points, refine the best of them and `restarts − 1` more drawn
/// with probability ∝ exp(α − max α) (roulette-wheel selection, as Optuna's GPSampler picks
/// its local searches: spread over the promising basins rather than packed in one) — and the given
/// warm starts (the best evaluated points, as Optuna does, so that the search near the
/// incumbent is always refined) — with `BoundedLBFGS` on the analytic gradient (categories
/// held; skipped when the surrogate has no input gradients), then sweep each categorical
/// dimension over its choices. Candidates are then taken best first, and the first whose
/// rounded form (`round`: the valid point it will become) is not in `exclude` wins, so an
/// evaluated or running point is never proposed again while others remain.
public struct AcquisitionOptimizer: Sendable {
  /// Sobol points scored.
  public var rawSamples: Int
  /// Local refinements.
  public var restarts: Int
  /// L-BFGS iterations per refinement.
  public var maxIterations: Int

  /// An optimizer (BoTorch-like defaults, scaled down for speed).
  public init(rawSamples: Int = 1024, restarts: Int = 8, maxIterations: Int = 50) {
    precondition(rawSamples >= 1 && restarts >= 0 && maxIterations >= 1, "AcquisitionOptimizer: rawSamples ≥ 1, restarts ≥ 0, maxIterations ≥ 1")
    self.rawSamples = rawSamples
    self.restarts = restarts
    self.maxIterations = maxIterations
  }

  /// The best point: `choices[j]` is the number of categories of dimension j (nil when
  /// numeric, in [0, 1]); `seed` scrambles the Sobol points. `box`, when given, confines the
  /// numeric coordinates to [low, high] ⊆ [0, 1] per dimension (a trust region).
  public func maximize(_ acquisition: Acquisition, choices: [Int?], seed: UInt64,
                       round: ([Double]) -> [Double], exclude: Set<[Double]>, warmStarts: [[Double]] = [],
                       box: [ClosedRange<Double>]? = nil) -> [Double] {
    let (candidates, raw, ranked, scores) = search(acquisition, choices: choices, seed: seed, warmStarts: warmStarts, box: box)
    let d = choices.count
    for (x, _) in candidates where !exclude.contains(round(x)) { return round(x) }
    // Scores that are all non-finite still leave every raw point as a candidate.
    for index in ranked + scores.indices.filter({ !scores[$0].isFinite }) {
      let x = round(Array(raw[(index * d)..<((index + 1) * d)]))
      if !exclude.contains(x) { return x }
    }
    return round(Array(raw.prefix(d)))
  }

  /// The refined local optima of `acquisition`, best first (as `maximize` finds them, before
  /// rounding and exclusion) — what an ensemble of acquisitions chooses among.
  public func localOptima(_ acquisition: Acquisition, choices: [Int?], seed: UInt64, warmStarts: [[Double]] = [],
                          box: [ClosedRange<Double>]? = nil) -> [[Double]] {
    search(acquisition, choices: choices, seed: seed, warmStarts: warmStarts, box: box).candidates.map(\.x)
  }

  /// The raw Sobol points and their scores (ranked: the finite ones, best first) and the
  /// refined candidates, best first.
  private func search(_ acquisition: Acquisition, choices: [Int?], seed: UInt64, warmStarts: [[Double]],
                      box: [ClosedRange<Double>]?)
    -> (candidates: [(x: [Double], score: Double)], raw: [Double], ranked: [Int], scores: [Double]) {
    let d = choices.count
    let box = box ?? [ClosedRange<Double>](repeating: 0...1, count: d)
    // Scrambled Sobol points (at most 1,024 dimensions), seeded uniform points beyond.
    let sobol = try? SobolSequence(dimension: Swift.max(d, 1), seed: seed)
    var uniform = SeededRNG(seed: seed)
    var raw = [Double]()
    raw.reserveCapacity(rawSamples * d)
    for index in 0..<rawSamples {
      let u = sobol?.point(at: index) ?? (0..<d).map { _ in uniform.nextDouble() }
      for j in 0..<d {
        if let k = choices[j] {
          raw.append(Double(Swift.min(Int(u[j] * Double(k)), k - 1)))
        } else {
          raw.append(box[j].lowerBound + u[j] * (box[j].upperBound - box[j].lowerBound))
        }
      }
    }
    let scores = acquisition.values(at: raw, dimensions: d)
    let ranked = scores.indices.filter { scores[$0].isFinite }.sorted { scores[$0] > scores[$1] }
    var candidates: [(x: [Double], score: Double)] = []
    let minimizer = BoundedLBFGS(maxIterations: maxIterations, gradientTolerance: 1e-6, relativeTolerance: 1e-12)
    // A model without input gradients is searched over the Sobol points alone.
    let numeric = acquisition.model.hasGradients ? (0..<d).filter { choices[$0] == nil } : []
    var chosen: [Int] = ranked.first.map { [$0] } ?? []
    if let top = ranked.first {
      var weights = scores.map { $0.isFinite ? Foundation.exp($0 - scores[top]) : 0 }
      weights[top] = 0
      var wheel = SeededRNG(seed: seed, stream: 0x0A11_0C47)
      while chosen.count < restarts {
        let total = weights.reduce(0, +)
        guard total > 0 else { break }
        var u = wheel.nextDouble() * total
        var pick = weights.count - 1
        for (i, w) in weights.enumerated() where w > 0 {
          if u < w { pick = i; break }
          u -= w
        }
        chosen.append(pick)
        weights[pick] = 0
      }
    }
    let starts = chosen.map { Array(raw[($0 * d)..<(($0 + 1) * d)]) }
      + warmStarts.map { x in x.indices.map { j in choices[j] == nil ? Swift.min(Swift.max(x[j], box[j].lowerBound), box[j].upperBound) : x[j] } }
    for start in starts {
      var x = start
      if !numeric.isEmpty {
        let result = minimizer.minimize(start: numeric.map { x[$0] }, lower: numeric.map { box[$0].lowerBound },
                                        upper: numeric.map { box[$0].upperBound }) { z, g in
          var point = x
          for (k, j) in numeric.enumerated() { point[j] = z[k] }
          let (value, gradient) = acquisition.valueAndGradient(at: point)
          g = numeric.map { -gradient[$0] }
          return value.isFinite ? -value : .infinity
        }
        for (k, j) in numeric.enumerated() { x[j] = result.x[k] }
      }
      var score = acquisition.value(at: x)
      for j in 0..<d {
        guard let k = choices[j] else { continue }
        for c in 0..<k where Double(c) != x[j] {
          var y = x
          y[j] = Double(c)
          let s = acquisition.value(at: y)
          if s > score { score = s; x = y }
        }
      }
      candidates.append((x, score))
    }
    candidates.sort { $0.score > $1.score }
    return (candidates, raw, ranked, scores)
  }
}
