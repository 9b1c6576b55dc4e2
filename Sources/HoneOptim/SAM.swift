/// Sharpness-aware minimization (Foret et al. 2021, "Sharpness-Aware Minimization for
/// Efficiently Improving Generalization") and its adaptive form ASAM (Kwon et al. 2021,
/// "ASAM: Adaptive Sharpness-Aware Minimization"), wrapping any base optimizer.
///
/// Each step: with g = ∇f(w), perturb to w + e where e = ρ·g/(‖g‖ + 10⁻¹²) (SAM) or
/// e = ρ·w²·g/(‖|w|·g‖ + 10⁻¹²) (ASAM); evaluate the gradient there with the caller's
/// closure; restore w; step the base optimizer with that gradient. Two gradient evaluations
/// per step.
///
/// The perturbation is computed by `SharpnessAwarePerturbation` in the parameters' own
/// precision, rounding as torch does on CPU (see there), so a float32 step matches torch's
/// float32 step bit for bit and a float64 step its float64 step.
public struct SAM<Base: Optimizer>: Sendable {
  /// The optimizer that takes the step.
  public let base: Base
  /// The neighbourhood radius ρ.
  public let rho: Double
  /// ASAM's scale-invariant perturbation.
  public let adaptive: Bool

  /// SAM (ρ = 0.05) or, with `adaptive`, ASAM (use ρ = 2.0, the paper's default: see `asam`).
  public init(base: Base, rho: Double = 0.05, adaptive: Bool = false) throws {
    try _Check.nonNegative(rho, "rho")
    self.base = base
    self.rho = rho
    self.adaptive = adaptive
  }

  /// ASAM with its default ρ = 2.0.
  public static func asam(base: Base, rho: Double = 2.0) throws -> SAM { try SAM(base: base, rho: rho, adaptive: true) }

  /// The base optimizer's state.
  public func initialState(count: Int) -> OptimizerState<Base.Scalar> { base.initialState(count: count) }

  /// One SAM step. `grads` holds ∇f(w) on entry (and is used as scratch); `gradient` must
  /// write ∇f at the given (perturbed) parameters into its second argument.
  public func step(params: UnsafeMutableBufferPointer<Base.Scalar>, grads: UnsafeMutableBufferPointer<Base.Scalar>,
                   state: inout OptimizerState<Base.Scalar>,
                   gradient: (UnsafeBufferPointer<Base.Scalar>, UnsafeMutableBufferPointer<Base.Scalar>) throws -> Void) throws {
    guard params.count == grads.count else { throw OptimError.sizeMismatch("\(params.count) parameters but \(grads.count) gradients") }
    let g = UnsafeBufferPointer(grads)
    let norm = SharpnessAwarePerturbation.norm(params: UnsafeBufferPointer(params), grads: g, adaptive: adaptive)
    let scale = SharpnessAwarePerturbation.scale(rho: rho, norm: norm)
    let saved = Array(params)
    SharpnessAwarePerturbation.perturb(params, grads: g, scale: scale, adaptive: adaptive)
    try gradient(UnsafeBufferPointer(params), grads)
    for i in params.indices { params[i] = saved[i] }
    try base.step(params: params, grads: grads, state: &state)
  }

  /// One SAM step on arrays; `gradient` returns ∇f at the parameters it is given.
  public func step(params: inout [Base.Scalar], grads: [Base.Scalar], state: inout OptimizerState<Base.Scalar>,
                   gradient: ([Base.Scalar]) throws -> [Base.Scalar]) throws {
    var scratch = grads
    try params.withUnsafeMutableBufferPointer { p in
      try scratch.withUnsafeMutableBufferPointer { g in
        try step(params: p, grads: g, state: &state) { at, out in
          let value = try gradient(Array(at))
          guard value.count == out.count else {
            throw OptimError.sizeMismatch("the gradient closure returned \(value.count) values for \(out.count) parameters")
          }
          for i in out.indices { out[i] = value[i] }
        }
      }
    }
  }
}

/// The perturbation of SAM (Foret et al. 2021) and ASAM (Kwon et al. 2021) in three parts,
/// shared by `SAM.step` and by callers whose parameters live in several tensors:
///
///     n_k = ‖s_k‖₂ per tensor k, s = g (SAM) or |w|·g (ASAM)      `norm(params:grads:adaptive:)`
///     n = ‖(n_1, …, n_K)‖₂                                       `norm(ofNorms:)`
///     σ = ρ/(n + 10⁻¹²)                                           `scale(rho:norm:)`
///     w ← w + e,  e = g·σ (SAM) or ((w·w)·g)·σ (ASAM)             `perturb(_:grads:scale:adaptive:)`
///
/// Every operation runs in the parameters' own precision (float32 for `Float`, float64 for
/// `Double`) and rounds where torch's CPU kernels round, so the perturbed point is the one
/// the usual torch implementation of SAM computes: each product rounded once, the squares
/// summed with one rounding per term (a·a + acc fused, as torch's compiled reduction does),
/// in `lanes` interleaved partial sums over the whole vectors, the partial sums added in
/// order, the remaining elements added one by one; ρ/(n + 10⁻¹²) as a reciprocal times ρ
/// (a Python number divided by a tensor is `reciprocal() * ρ` in torch).
public enum SharpnessAwarePerturbation {
  /// The partial sums of the norm: one 256-bit vector register's worth (8 float32, 4
  /// float64 values), as torch's AVX2 reduction keeps them. (Its AVX-512 build keeps twice
  /// as many, which changes the last bits of norms over more than 8 float32 values.)
  @inlinable public static func lanes<S: OptimizerScalar>(_: S.Type) -> Int { 32 / MemoryLayout<S>.size }

  /// ‖s‖₂ of one tensor, s_i = g_i (SAM, Foret et al. 2021) or s_i = |w_i|·g_i rounded once
  /// (ASAM, Kwon et al. 2021): √(Σ s_i²) with the summation order and rounding described on the type.
  @inlinable public static func norm<S: OptimizerScalar>(params: UnsafeBufferPointer<S>, grads: UnsafeBufferPointer<S>,
                                              adaptive: Bool) -> S {
    precondition(params.count == grads.count, "\(params.count) parameters but \(grads.count) gradients")
    return adaptive ? l2Norm(params.count) { abs(params[$0]) * grads[$0] } : l2Norm(grads.count) { grads[$0] }
  }

  /// The norm over several tensors from their norms, n = ‖(n_1, …, n_K)‖₂ (the global norm of
  /// SAM, Foret et al. 2021, and ASAM, Kwon et al. 2021; torch's `torch.norm(torch.stack(norms))`):
  /// |n_1| for one tensor, else the same reduction as `norm`.
  @inlinable public static func norm<S: OptimizerScalar>(ofNorms norms: [S]) -> S {
    norms.count == 1 ? abs(norms[0]) : l2Norm(norms.count) { norms[$0] }
  }

  /// The scale σ = ρ/(n + 10⁻¹²) of SAM and ASAM (Foret et al. 2021; Kwon et al. 2021),
  /// rounded as torch computes it: (1/(n + 10⁻¹²))·ρ, each operation rounded once, 10⁻¹² and
  /// ρ first rounded to the parameters' precision.
  @inlinable public static func scale<S: OptimizerScalar>(rho: Double, norm: S) -> S {
    let denominator = norm + S(1e-12)
    return (1 / denominator) * S(rho)
  }

  /// w ← w + e with e = g·σ (SAM, Foret et al. 2021) or e = ((w·w)·g)·σ (ASAM, Kwon et al.
  /// 2021), each product rounded once.
  @inlinable public static func perturb<S: OptimizerScalar>(_ params: UnsafeMutableBufferPointer<S>, grads: UnsafeBufferPointer<S>,
                                                 scale: S, adaptive: Bool) {
    precondition(params.count == grads.count, "\(params.count) parameters but \(grads.count) gradients")
    for i in params.indices {
      let w = params[i]
      let e = (adaptive ? (w * w) * grads[i] : grads[i]) * scale
      params[i] = w + e
    }
  }

  /// √(Σ x_k²) for x_k = element(k), k < n (inlinable, like the functions above, so that a
  /// caller in another module gets it specialized to its scalar type): `lanes` partial sums a_j ← x·x + a_j (one
  /// rounding) over the first n − n mod lanes values (value k to lane k mod lanes), then
  /// a_0 + a_1 + … in order, then the remaining values the same way, then the square root.
  @inlinable static func l2Norm<S: OptimizerScalar>(_ n: Int, _ element: (Int) -> S) -> S {
    let width = lanes(S.self)
    let body = n - n % width
    var partial = [S](repeating: 0, count: width)
    var start = 0
    while start < body {
      for j in 0..<width {
        let x = element(start + j)
        partial[j] = partial[j].addingProduct(x, x)
      }
      start += width
    }
    var total = partial[0]
    for j in 1..<width { total = total + partial[j] }
    for k in body..<n {
      let x = element(k)
      total = total.addingProduct(x, x)
    }
    return total.squareRoot()
  }
}
