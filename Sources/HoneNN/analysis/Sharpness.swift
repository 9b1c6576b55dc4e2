import HoneMath

/// The curvature of a loss at a solution, from its gradient alone (Hessian-free):
/// Hessian-vector products by central differences of the gradient, the top eigenvalue by
/// power iteration on them, and the trace by Hutchinson's estimator — as PyHessian (Yao et
/// al. 2020, "PyHessian: Neural Networks Through the Lens of the Hessian") measures them, with
/// finite differences in place of double back-propagation.
///
/// On a smooth loss the two agree. On a ReLU network they differ: the gradient jumps where a
/// unit switches, and a difference of gradients counts those jumps, which double
/// back-propagation (ReLU'' = 0) does not. The top eigenvalue hardly changes (its direction is
/// smooth); the trace, whose random directions switch many units, comes out larger.
public enum Sharpness {
  /// H·v ≈ (∇L(w + ε·v̂) − ∇L(w − ε·v̂))·‖v‖/(2ε), v̂ = v/‖v‖: exact for a quadratic, with an
  /// O(ε²) error otherwise.
  public static func hessianVectorProduct(gradient: ([Float]) -> [Float], at w: [Float], vector v: [Float],
                                          epsilon: Double = 1e-3) -> [Double] {
    precondition(w.count == v.count, "hessianVectorProduct: \(w.count) parameters but a vector of \(v.count)")
    let norm = Self.norm(v)
    guard norm > 0 else { return [Double](repeating: 0, count: w.count) }
    let step = epsilon / norm
    let plus = gradient(zip(w, v).map { Float(Double($0) + step * Double($1)) })
    let minus = gradient(zip(w, v).map { Float(Double($0) - step * Double($1)) })
    return zip(plus, minus).map { (Double($0) - Double($1)) / (2 * step) }
  }

  /// The eigenvalue of H of largest magnitude (the "sharpness", λmax at a minimum) by power
  /// iteration from a seeded Gaussian start (or `start`): v ← Hv/‖Hv‖, λ = vᵀHv, until λ
  /// changes by less than `tolerance`·|λ| or after `iterations`. Returns λ and its unit vector
  /// (a warm start for the next call).
  public static func topEigenvalue(gradient: ([Float]) -> [Float], at w: [Float], iterations: Int = 20, tolerance: Double = 1e-3,
                                   seed: UInt64 = 0, start: [Float]? = nil, epsilon: Double = 1e-3) -> (value: Double, vector: [Float]) {
    var rng = SeededRNG(seed: seed)
    var v = start ?? (0..<w.count).map { _ in Float(rng.nextNormal()) }
    normalize(&v)
    var value = 0.0
    for iteration in 0..<Swift.max(iterations, 1) {
      let hv = hessianVectorProduct(gradient: gradient, at: w, vector: v, epsilon: epsilon)
      let next = zip(v, hv).reduce(0) { $0 + Double($1.0) * $1.1 }
      let norm = hv.reduce(0) { $0 + $1 * $1 }.squareRoot()
      guard norm > 0, norm.isFinite else { return (next, v) }
      v = hv.map { Float($0 / norm) }
      let converged = iteration > 0 && abs(next - value) <= tolerance * abs(next)
      value = next
      if converged { break }
    }
    return (value, v)
  }

  /// tr(H) ≈ (1/S)·Σ_s zₛᵀ·H·zₛ over S Rademacher vectors z ∈ {−1, 1}ⁿ (Hutchinson 1990,
  /// "A stochastic estimator of the trace of the influence matrix"); unbiased, with the mean's
  /// standard error.
  public static func trace(gradient: ([Float]) -> [Float], at w: [Float], samples: Int = 20, seed: UInt64 = 0,
                           epsilon: Double = 1e-3) -> (value: Double, standardError: Double) {
    var rng = SeededRNG(seed: seed)
    var estimates: [Double] = []
    for _ in 0..<Swift.max(samples, 1) {
      let z: [Float] = (0..<w.count).map { _ in rng.nextInt(below: 2) == 0 ? -1 : 1 }
      let hz = hessianVectorProduct(gradient: gradient, at: w, vector: z, epsilon: epsilon)
      estimates.append(zip(z, hz).reduce(0) { $0 + Double($1.0) * $1.1 })
    }
    let mean = estimates.reduce(0, +) / Double(estimates.count)
    guard estimates.count > 1 else { return (mean, .nan) }
    let variance = estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(estimates.count - 1)
    return (mean, (variance / Double(estimates.count)).squareRoot())
  }

  private static func normalize(_ v: inout [Float]) {
    let norm = Self.norm(v)
    if norm > 0 { v = v.map { Float(Double($0) / norm) } }
  }

  /// ‖v‖₂, summed in Double.
  private static func norm(_ v: [Float]) -> Double { v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
}
