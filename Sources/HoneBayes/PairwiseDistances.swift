/// The per-dimension distances dⱼ(a, b) of every pair of training inputs b < a, which do not
/// depend on the hyperparameters and are therefore computed once per fit: dⱼ = (xₐⱼ − x_bⱼ)²
/// for numeric dimensions, 1[xₐⱼ ≠ x_bⱼ] for categorical ones (as in `Matern52`).
///
/// Stored dimension by dimension over the pairs in row order, p = a(a − 1)/2 + b, so that
/// r²ₚ = Σⱼ dⱼₚ/ℓⱼ² and the likelihood gradient's Σₚ wₚ·dⱼₚ are contiguous loops over p that
/// vectorize. Memory: d·n(n − 1)/2 doubles (the per-dimension difference tensor Optuna's
/// GPSampler builds has d·n²).
struct PairwiseDistances: Sendable {
  /// The number of dimensions d.
  let dimensions: Int
  /// n(n − 1)/2.
  let pairs: Int
  /// dⱼₚ at `planes[j * pairs + p]`.
  let planes: [Double]

  init(inputs: [Double], count n: Int, dimensions d: Int, categorical: [Bool]) {
    dimensions = d
    let pairs = n * (n - 1) / 2
    self.pairs = pairs
    planes = [Double](unsafeUninitializedCapacity: pairs * d) { buffer, initialized in
      inputs.withUnsafeBufferPointer { x in
        for j in 0..<d {
          let plane = buffer.baseAddress! + j * pairs
          var p = 0
          for a in 0..<n {
            let xa = x[a * d + j]
            for b in 0..<a {
              let xb = x[b * d + j]
              plane[p] = categorical[j] ? (xa == xb ? 0 : 1) : (xa - xb) * (xa - xb)
              p += 1
            }
          }
        }
      }
      initialized = pairs * d
    }
  }

  /// r²ₚ = Σⱼ dⱼₚ·wⱼ for every pair, with w the inverse squared length scales.
  func squaredDistances(inverseSquared w: [Double]) -> [Double] {
    [Double](unsafeUninitializedCapacity: pairs) { r2, initialized in
      planes.withUnsafeBufferPointer { planes in
        for p in 0..<pairs { r2[p] = 0 }
        for j in 0..<dimensions {
          let plane = planes.baseAddress! + j * pairs
          let wj = w[j]
          for p in 0..<pairs { r2[p] += plane[p] * wj }
        }
      }
      initialized = pairs
    }
  }

  /// Σₚ weightsₚ·dⱼₚ for each dimension j.
  func weightedSums(_ weights: UnsafePointer<Double>) -> [Double] {
    planes.withUnsafeBufferPointer { planes in
      (0..<dimensions).map { j in
        let plane = planes.baseAddress! + j * pairs
        // Four partial sums: independent additions instead of one chain.
        var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
        var p = 0
        while p + 4 <= pairs {
          s0 += weights[p] * plane[p]
          s1 += weights[p + 1] * plane[p + 1]
          s2 += weights[p + 2] * plane[p + 2]
          s3 += weights[p + 3] * plane[p + 3]
          p += 4
        }
        while p < pairs { s0 += weights[p] * plane[p]; p += 1 }
        return (s0 + s1) + (s2 + s3)
      }
    }
  }
}
