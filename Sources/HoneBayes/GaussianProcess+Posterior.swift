import CLAPACK

/// The posterior of the latent function at a point (standardized units), with its gradient
/// in the point's numeric coordinates (zero along categorical dimensions).
public struct Posterior: Sendable {
  /// μ(x) = k(x)ᵀα.
  public var mean: Double
  /// σ²(x) = s − k(x)ᵀK⁻¹k(x) (at least 10⁻¹⁸).
  public var variance: Double
  /// ∂μ/∂x.
  public var meanGradient: [Double]
  /// ∂σ²/∂x = −2·(∂k/∂x)ᵀK⁻¹k.
  public var varianceGradient: [Double]

  /// A posterior with the given values.
  public init(mean: Double, variance: Double, meanGradient: [Double], varianceGradient: [Double]) {
    self.mean = mean
    self.variance = variance
    self.meanGradient = meanGradient
    self.varianceGradient = varianceGradient
  }
}

extension GaussianProcess {
  /// k between point i of `xs` and point j of `ys` (both row-major with d columns).
  func kernel(_ xs: [Double], _ i: Int, _ ys: [Double], _ j: Int) -> Double {
    let d = dimensions
    return Matern52.withMetric(inverseSquared: inverseSquared, categorical: categorical) { w, c in
      xs.withUnsafeBufferPointer { a in
        ys.withUnsafeBufferPointer { b in
          signal * Matern52.shape(Matern52.squaredDistance(a.baseAddress! + i * d, b.baseAddress! + j * d,
                                                           inverseSquared: w, categorical: c, dimensions: d))
        }
      }
    }
  }

  /// k(point a of `xs`, x) and its gradient in x.
  func kernelWithGradient(_ xs: [Double], _ a: Int, _ x: [Double]) -> (value: Double, gradient: [Double]) {
    let d = dimensions
    return xs.withUnsafeBufferPointer { p in
      x.withUnsafeBufferPointer { q in
        let pa = p.baseAddress! + a * d
        let r2 = Matern52.withMetric(inverseSquared: inverseSquared, categorical: categorical) { w, c in
          Matern52.squaredDistance(pa, q.baseAddress!, inverseSquared: w, categorical: c, dimensions: d)
        }
        let (m, slope) = Matern52.shapeAndSlope(r2)
        let gradient = (0..<d).map { j in categorical[j] ? 0 : signal * slope * 2 * (q[j] - pa[j]) * inverseSquared[j] }
        return (signal * m, gradient)
      }
    }
  }

  /// The posterior mean and variance at several points (m × d row-major), in one gemm and one
  /// triangular solve: O(m·n·d + m·n²).
  public func posterior(at points: [Double]) -> (mean: [Double], variance: [Double]) {
    let d = dimensions, n = count
    let m = points.count / Swift.max(d, 1)
    guard n > 0 else { return (Array(repeating: 0, count: m), Array(repeating: signal, count: m)) }
    // Kₓ: n × m (column per point): the squared distances first, accumulated one dimension at a
    // time over all points (contiguous, with the points transposed to d × m), then the kernel
    // in one flat loop without calls (the exponential inlines).
    var transposed = [Double](repeating: 0, count: d * m)
    for j in 0..<m { for k in 0..<d { transposed[k * m + j] = points[j * d + k] } }
    var kx = [Double](unsafeUninitializedCapacity: n * m) { buffer, initialized in
      let out = buffer.baseAddress!
      inputs.withUnsafeBufferPointer { x in
        transposed.withUnsafeBufferPointer { p in
          for i in 0..<n {
            let row = out + i * m
            for j in 0..<m { row[j] = 0 }
            for k in 0..<d {
              let xik = x[i * d + k], wk = inverseSquared[k]
              let column = p.baseAddress! + k * m
              if categorical[k] {
                for j in 0..<m { row[j] += column[j] == xik ? 0 : wk }
              } else {
                for j in 0..<m { row[j] += (column[j] - xik) * (column[j] - xik) * wk }
              }
            }
          }
        }
      }
      let s = signal
      for t in 0..<(n * m) { out[t] = s * Matern52.shape(out[t]) }
      initialized = n * m
    }
    var mean = [Double](repeating: 0, count: m)
    cblas_dgemv(CblasRowMajor, CblasTrans, Int32(n), Int32(m), 1, kx, Int32(m), alpha, 1, 0, &mean, 1)
    // V = L⁻¹Kₓ; σ² = s − Σᵢ V²ᵢⱼ.
    cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, Int32(n), Int32(m), 1, factor, Int32(n),
                &kx, Int32(m))
    var variance = [Double](repeating: signal, count: m)
    variance.withUnsafeMutableBufferPointer { variance in
      kx.withUnsafeBufferPointer { v in
        for i in 0..<n {
          let row = v.baseAddress! + i * m
          for j in 0..<m { variance[j] -= row[j] * row[j] }
        }
      }
      for j in 0..<m { variance[j] = Swift.max(variance[j], 1e-18) }
    }
    return (mean, variance)
  }

  /// The posterior at one point with gradients (O(n² + n·d)): v = L⁻¹k and L⁻ᵀv as products
  /// with the stored L⁻¹ (`dgemv`, which runs far faster than OpenBLAS's triangular solves at
  /// these sizes), σ² = s − |v|², ∂σ²/∂x = −2·(∂k/∂x)ᵀL⁻ᵀv.
  public func posteriorWithGradient(at point: [Double]) -> Posterior {
    let d = dimensions, n = count
    guard n > 0 else {
      return Posterior(mean: 0, variance: signal, meanGradient: Array(repeating: 0, count: d),
                       varianceGradient: Array(repeating: 0, count: d))
    }
    let (k, jacobian) = kernelVector(at: point)
    var meanGradient = [Double](repeating: 0, count: d)
    cblas_dgemv(CblasRowMajor, CblasTrans, Int32(n), Int32(d), 1, jacobian, Int32(d), alpha, 1, 0, &meanGradient, 1)
    var mean = 0.0
    for i in 0..<n { mean += k[i] * alpha[i] }
    var v = [Double](repeating: 0, count: n)
    cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(n), 1, inverseFactor, Int32(n), k, 1, 0, &v, 1)
    var quadratic = 0.0
    for i in 0..<n { quadratic += v[i] * v[i] }
    // w = K⁻¹k = L⁻ᵀv
    var w = [Double](repeating: 0, count: n)
    cblas_dgemv(CblasRowMajor, CblasTrans, Int32(n), Int32(n), 1, inverseFactor, Int32(n), v, 1, 0, &w, 1)
    var varianceGradient = [Double](repeating: 0, count: d)
    cblas_dgemv(CblasRowMajor, CblasTrans, Int32(n), Int32(d), -2, jacobian, Int32(d), w, 1, 0, &varianceGradient, 1)
    let variance = signal - quadratic
    if variance < 1e-18 { varianceGradient = Array(repeating: 0, count: d) }
    return Posterior(mean: mean, variance: Swift.max(variance, 1e-18), meanGradient: meanGradient, varianceGradient: varianceGradient)
  }

  /// k(X, x) and its Jacobian ∂kᵢ/∂xⱼ (n × d, zero along categorical dimensions).
  func kernelVector(at point: [Double]) -> (k: [Double], jacobian: [Double]) {
    let d = dimensions, n = count, s = signal
    var jacobian = [Double](repeating: 0, count: n * d)
    let k = [Double](unsafeUninitializedCapacity: n) { k, initialized in
      jacobian.withUnsafeMutableBufferPointer { jacobian in
        Matern52.withMetric(inverseSquared: inverseSquared, categorical: categorical) { w, c in
          inputs.withUnsafeBufferPointer { x in
            point.withUnsafeBufferPointer { p in
              for i in 0..<n {
                let xi = x.baseAddress! + i * d
                let (m, slope) = Matern52.shapeAndSlope(Matern52.squaredDistance(xi, p.baseAddress!, inverseSquared: w,
                                                                                 categorical: c, dimensions: d))
                k[i] = s * m
                let scale = s * slope * 2
                let row = jacobian.baseAddress! + i * d
                if let c {
                  for j in 0..<d where !c[j] { row[j] = scale * (p[j] - xi[j]) * w[j] }
                } else {
                  for j in 0..<d { row[j] = scale * (p[j] - xi[j]) * w[j] }
                }
              }
            }
          }
        }
      }
      initialized = n
    }
    return (k, jacobian)
  }

  /// The same model with extra observations at fixed hyperparameters (no refit): Kriging
  /// believer fantasies for points still being evaluated, and knowledge-gradient lookahead.
  public func conditioned(onInputs extra: [Double], outputs: [Double]) throws -> GaussianProcess {
    try GaussianProcess(inputs: inputs + extra, outputs: targets.map { $0 * outputScale + outputMean } + outputs.map { $0 * outputScale + outputMean },
                        dimensions: dimensions, categorical: categorical, initial: hyperparameters, fit: false,
                        standardization: (outputMean, outputScale))
  }
}
