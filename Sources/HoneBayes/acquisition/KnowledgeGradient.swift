#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HoneMath

import CLAPACK

extension Acquisition {
  /// KG's discretization: the grid plus the 20 candidates (evaluated points, `means` their
  /// posterior means) of highest posterior mean, their means, and W = (L⁻¹k(X, A))ᵀ.
  static func lookahead(model: GaussianProcess, grid: [Double], candidates: [Double], means candidateMeans: [Double])
    -> (points: [Double], means: [Double], projected: [Double]) {
    let d = model.dimensions, n = model.count
    let top = candidateMeans.indices.sorted { candidateMeans[$0] > candidateMeans[$1] }.prefix(20)
    let points = grid + top.flatMap { candidates[($0 * d)..<(($0 + 1) * d)] }
    let m = points.count / Swift.max(d, 1)
    let means = model.posterior(at: points).mean
    // k(X, A): n × m, then L⁻¹ of it, stored transposed (m × n).
    var kxa = [Double](repeating: 0, count: n * m)
    for i in 0..<n {
      for a in 0..<m {
        kxa[i * m + a] = model.kernel(model.inputs, i, points, a)
      }
    }
    if n > 0 && m > 0 {
      cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, Int32(n), Int32(m), 1, model.factor,
                  Int32(n), &kxa, Int32(m))
    }
    var projected = [Double](repeating: 0, count: m * n)
    for i in 0..<n { for a in 0..<m { projected[a * n + i] = kxa[i * m + a] } }
    return (points, means, projected)
  }

  /// The knowledge gradient on A ∪ {x} (Frazier, Powell & Dayanik 2009, "The
  /// Knowledge-Gradient Policy for Correlated Normal Beliefs", Algorithm 1). After one noisy
  /// observation at x, μₙ₊₁(a) = μₙ(a) + bₐ·Z with bₐ = Σₙ(a, x)/√(σ²ₙ(x) + σ²ₙₒᵢₛₑ), where
  /// Σₙ(a, x) = k(a, x) − (L⁻¹k(X, a))ᵀ(L⁻¹k(X, x)) and Σₙ(x, x) = σ²ₙ(x). With the lines
  /// sorted by slope and reduced to their upper envelope (breakpoints cᵢ),
  /// KG = Σᵢ (bᵢ₊₁ − bᵢ)·f(−|cᵢ|), f(z) = zΦ(z) + φ(z); its gradient follows from
  /// ∂/∂aᵢ = ∓sign(c)Φ(−|c|) and ∂/∂bᵢ = ∓φ(c) per envelope segment.
  func knowledgeGradient(at x: [Double], posterior p: Posterior) -> (value: Double, gradient: [Double]) {
    let model = process!
    let n = model.count, d = x.count
    let m = lookahead.means.count
    let noise = exp(model.hyperparameters.logNoise)
    let (k, jacobian) = model.kernelVector(at: x)
    // v = L⁻¹k(X, x) and its Jacobian L⁻¹J (n × d).
    var v = k, vJacobian = jacobian
    if n > 0 {
      cblas_dtrsv(CblasRowMajor, CblasLower, CblasNoTrans, CblasNonUnit, Int32(n), model.factor, Int32(n), &v, 1)
      cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, Int32(n), Int32(d), 1, model.factor,
                  Int32(n), &vJacobian, Int32(d))
    }
    let scale = (p.variance + noise).squareRoot()
    let scaleGradient = p.varianceGradient.map { $0 / (2 * scale) }
    // Σₙ(a, x) for every a ∈ A, with its gradient.
    var covariance = [Double](repeating: 0, count: m)
    var covarianceGradient = [Double](repeating: 0, count: m * d)
    for a in 0..<m {
      let (kax, kaxGradient) = model.kernelWithGradient(lookahead.points, a, x)
      var c = kax
      for i in 0..<n { c -= lookahead.projected[a * n + i] * v[i] }
      covariance[a] = c
      for j in 0..<d {
        var g = kaxGradient[j]
        for i in 0..<n { g -= lookahead.projected[a * n + i] * vJacobian[i * d + j] }
        covarianceGradient[a * d + j] = g
      }
    }
    var aa = lookahead.means + [p.mean]
    var bb = covariance.map { $0 / scale } + [p.variance / scale]
    let (value, da, db) = Self.expectedMaximumGain(a: &aa, b: &bb)
    var gradient = [Double](repeating: 0, count: d)
    for j in 0..<d {
      var g = da[m] * p.meanGradient[j]
      g += db[m] * (p.varianceGradient[j] * scale - p.variance * scaleGradient[j]) / (scale * scale)
      for a in 0..<m where db[a] != 0 {
        g += db[a] * (covarianceGradient[a * d + j] * scale - covariance[a] * scaleGradient[j]) / (scale * scale)
      }
      gradient[j] = g
    }
    return (value, gradient)
  }

  /// E[maxᵢ (aᵢ + bᵢZ)] − maxᵢ aᵢ for Z ~ N(0, 1), with its partial derivatives in every aᵢ and bᵢ.
  static func expectedMaximumGain(a: inout [Double], b: inout [Double]) -> (value: Double, da: [Double], db: [Double]) {
    let m = a.count
    // Sort by slope, then intercept; among equal slopes only the highest intercept matters.
    let order = (0..<m).sorted { b[$0] != b[$1] ? b[$0] < b[$1] : a[$0] < a[$1] }
    var lines: [Int] = []
    for i in order {
      if let last = lines.last, b[last] == b[i] { lines.removeLast() }
      // Drop lines that the new one makes irrelevant (their segment on the envelope is empty).
      while lines.count >= 1 {
        let last = lines[lines.count - 1]
        let cut = (a[last] - a[i]) / (b[i] - b[last])                   // where i overtakes last
        if lines.count >= 2 {
          let before = lines[lines.count - 2]
          let previousCut = (a[before] - a[last]) / (b[last] - b[before])
          if cut <= previousCut { lines.removeLast(); continue }
        }
        break
      }
      lines.append(i)
    }
    var value = 0.0
    var da = [Double](repeating: 0, count: m)
    var db = [Double](repeating: 0, count: m)
    for k in 0..<(lines.count - 1) {
      let i = lines[k], j = lines[k + 1]
      let width = b[j] - b[i]
      let c = (a[i] - a[j]) / width
      let f = -Swift.abs(c) * Normal.cdf(-Swift.abs(c)) + Normal.pdf(c)
      value += width * f
      let sign: Double = c >= 0 ? 1 : -1
      let tail = Normal.cdf(-Swift.abs(c))
      da[i] += -sign * tail
      da[j] += sign * tail
      db[j] += Normal.pdf(c)
      db[i] -= Normal.pdf(c)
    }
    return (value, da, db)
  }
}
