/// ν-support vector regression with an RBF kernel (Schölkopf et al. 2000, "New Support
/// Vector Algorithms"), trained by sequential minimal optimization with second-order working
/// set selection, as LIBSVM's ν-SVR solver (Chang & Lin 2002, "Training ν-support vector
/// regression: theory and algorithms"; Fan, Chen & Lin 2005, "Working set selection using
/// second order information").
///
/// The dual over 2l variables β = (α, α*) ∈ [0, C]^{2l}:
///
///     min ½ (α − α*)ᵀ K (α − α*) − zᵀ(α − α*)   s.t.  Σα = Σα* = C·ν·l/2
///
/// with K_ij = exp(−γ‖x_i − x_j‖²). The prediction is f(x) = Σ (α_i − α*_i) K(x_i, x) − ρ.
/// Training is O(l²) memory for the kernel matrix and O(l) per SMO iteration.
public struct NuSVR: Sendable {
  /// ν ∈ (0, 1]: an upper bound on the fraction of errors and a lower bound on the fraction
  /// of support vectors.
  public let nu: Double
  /// The box constraint C > 0.
  public let c: Double
  /// The RBF width γ > 0.
  public let gamma: Double
  /// The training inputs kept as support vectors.
  public private(set) var supportVectors: [[Double]] = []
  /// Their coefficients α_i − α*_i.
  public private(set) var coefficients: [Double] = []
  /// The offset ρ (the intercept is −ρ).
  public private(set) var rho = 0.0

  /// An untrained model.
  public init(nu: Double = 0.5, c: Double = 1, gamma: Double = 1) throws {
    guard nu > 0, nu <= 1 else { throw MathError.invalidArgument("ν must be in (0, 1], got \(nu)") }
    guard c > 0, c.isFinite, gamma > 0, gamma.isFinite else {
      throw MathError.invalidArgument("C and γ must be positive and finite (C \(c), γ \(gamma))")
    }
    self.nu = nu
    self.c = c
    self.gamma = gamma
  }

  /// The RBF kernel exp(−γ‖a − b‖²).
  public static func rbf(_ a: [Double], _ b: [Double], gamma: Double) -> Double {
    var d = 0.0
    for k in a.indices {
      let t = a[k] - b[k]
      d += t * t
    }
    return _exp(-gamma * d)
  }

  /// Fits the model to inputs `x` (rows of equal length) and targets `z`, to the KKT
  /// tolerance `tolerance` (LIBSVM's ε; its default is 1e-3).
  public mutating func fit(_ x: [[Double]], _ z: [Double], tolerance: Double = 1e-6, maxIterations: Int = 1_000_000) throws {
    let l = x.count
    guard l >= 2, z.count == l else { throw MathError.invalidArgument("ν-SVR needs at least 2 samples and one target per sample") }
    guard let width = x.first?.count, x.allSatisfy({ $0.count == width }) else {
      throw MathError.invalidArgument("ν-SVR inputs must all have the same length")
    }
    guard z.allSatisfy(\.isFinite), x.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
      throw MathError.invalidArgument("ν-SVR inputs and targets must be finite")
    }
    var kernel = [Double](repeating: 0, count: l * l)
    for i in 0..<l {
      kernel[i * l + i] = 1
      for j in (i + 1)..<l {
        let v = NuSVR.rbf(x[i], x[j], gamma: gamma)
        kernel[i * l + j] = v
        kernel[j * l + i] = v
      }
    }
    let solution = _NuSolver(kernel: kernel, l: l, z: z, c: c, nu: nu).solve(tolerance: tolerance, maxIterations: maxIterations)
    supportVectors = []
    coefficients = []
    for i in 0..<l where solution.coefficients[i] != 0 {
      supportVectors.append(x[i])
      coefficients.append(solution.coefficients[i])
    }
    rho = solution.rho
  }

  /// The prediction f(x) = Σ coef_i K(sv_i, x) − ρ.
  public func predict(_ x: [Double]) -> Double {
    var sum = -rho
    for (sv, coef) in zip(supportVectors, coefficients) { sum += coef * NuSVR.rbf(sv, x, gamma: gamma) }
    return sum
  }
}

/// LIBSVM's Solver_NU specialized to ν-SVR: variables t < l are α (sign +1), t ≥ l are α*
/// (sign −1); Q_st = sign_s·sign_t·K(s mod l, t mod l); the sums of each sign stay fixed.
struct _NuSolver {
  let kernel: [Double]
  let l: Int
  let z: [Double]
  let c: Double
  let nu: Double

  func solve(tolerance: Double, maxIterations: Int) -> (coefficients: [Double], rho: Double) {
    let n = 2 * l
    @inline(__always) func sign(_ t: Int) -> Double { t < l ? 1 : -1 }
    @inline(__always) func q(_ s: Int, _ t: Int) -> Double { sign(s) * sign(t) * kernel[(s % l) * l + (t % l)] }
    // Initial point: each half gets C·ν·l/2 spread from the first variable on.
    var alpha = [Double](repeating: 0, count: n)
    var sum = c * nu * Double(l) / 2
    for i in 0..<l {
      let a = min(sum, c)
      alpha[i] = a
      alpha[i + l] = a
      sum -= a
    }
    // Gradient G = p + Qβ with p = (−z, z).
    var gradient = (0..<n).map { t in t < l ? -z[t] : z[t - l] }
    for s in 0..<n where alpha[s] != 0 {
      for t in 0..<n { gradient[t] += q(t, s) * alpha[s] }
    }
    let tau = 1e-12
    func upper(_ t: Int) -> Bool { alpha[t] >= c }
    func lower(_ t: Int) -> Bool { alpha[t] <= 0 }
    for _ in 0..<maxIterations {
      // Working set: the maximal violating variable of each sign, then the second-order best partner.
      var gmaxp = -Double.infinity, gmaxp2 = -Double.infinity, ip = -1
      var gmaxn = -Double.infinity, gmaxn2 = -Double.infinity, iN = -1
      for t in 0..<n {
        if t < l {
          if !upper(t), -gradient[t] >= gmaxp { gmaxp = -gradient[t]; ip = t }
        } else {
          if !lower(t), gradient[t] >= gmaxn { gmaxn = gradient[t]; iN = t }
        }
      }
      var best = -1
      var bestObjective = Double.infinity
      for t in 0..<n {
        if t < l {
          guard !lower(t) else { continue }
          let diff = gmaxp + gradient[t]
          if gradient[t] >= gmaxp2 { gmaxp2 = gradient[t] }
          if diff > 0, ip >= 0 {
            let quad = q(ip, ip) + q(t, t) - 2 * q(ip, t)
            let objective = -(diff * diff) / (quad > 0 ? quad : tau)
            if objective <= bestObjective { best = t; bestObjective = objective }
          }
        } else {
          guard !upper(t) else { continue }
          let diff = gmaxn - gradient[t]
          if -gradient[t] >= gmaxn2 { gmaxn2 = -gradient[t] }
          if diff > 0, iN >= 0 {
            let quad = q(iN, iN) + q(t, t) - 2 * q(iN, t)
            let objective = -(diff * diff) / (quad > 0 ? quad : tau)
            if objective <= bestObjective { best = t; bestObjective = objective }
          }
        }
      }
      if max(gmaxp + gmaxp2, gmaxn + gmaxn2) < tolerance || best < 0 { break }
      let i = best < l ? ip : iN
      let j = best
      // Both in the same sign class: move along α_i + α_j = const within [0, C].
      var quad = q(i, i) + q(j, j) - 2 * q(i, j)
      if quad <= 0 { quad = tau }
      let delta = (gradient[i] - gradient[j]) / quad
      let (oldI, oldJ) = (alpha[i], alpha[j])
      let total = oldI + oldJ
      var ai = oldI - delta, aj = oldJ + delta
      if total > c {
        if ai > c { ai = c; aj = total - c }
      } else if aj < 0 {
        aj = 0; ai = total
      }
      if total > c {
        if aj > c { aj = c; ai = total - c }
      } else if ai < 0 {
        ai = 0; aj = total
      }
      alpha[i] = ai
      alpha[j] = aj
      let di = ai - oldI, dj = aj - oldJ
      for t in 0..<n { gradient[t] += q(t, i) * di + q(t, j) * dj }
    }
    // ρ from the free variables of each sign (or the middle of their bounds).
    func offset(_ range: Range<Int>) -> Double {
      var free = 0, sumFree = 0.0, ub = Double.infinity, lb = -Double.infinity
      for t in range {
        if upper(t) { lb = max(lb, gradient[t]) } else if lower(t) { ub = min(ub, gradient[t]) } else { free += 1; sumFree += gradient[t] }
      }
      return free > 0 ? sumFree / Double(free) : (ub + lb) / 2
    }
    let r1 = offset(0..<l), r2 = offset(l..<n)
    let coefficients = (0..<l).map { alpha[$0] - alpha[$0 + l] }
    return (coefficients, (r1 - r2) / 2)
  }
}
