/// Sharpness-aware minimization (Foret et al. 2021, "Sharpness-Aware Minimization for
/// Efficiently Improving Generalization") and its adaptive form ASAM (Kwon et al. 2021,
/// "ASAM: Adaptive Sharpness-Aware Minimization"), wrapping any base optimizer.
///
/// Each step: with g = ∇f(w), perturb to w + e where e = ρ·g/(‖g‖ + 10⁻¹²) (SAM) or
/// e = ρ·w²·g/(‖|w|·g‖ + 10⁻¹²) (ASAM); evaluate the gradient there with the caller's
/// closure; restore w; step the base optimizer with that gradient. Two gradient evaluations
/// per step.
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
    typealias S = Base.Scalar
    guard params.count == grads.count else { throw OptimError.sizeMismatch("\(params.count) parameters but \(grads.count) gradients") }
    var sum = 0.0
    for i in params.indices {
      let s = adaptive ? Double(abs(params[i]) * grads[i]) : Double(grads[i])
      sum += s * s
    }
    let scale = S(rho / (sum.squareRoot() + 1e-12))
    let saved = Array(params)
    for i in params.indices {
      let e = (adaptive ? params[i] * params[i] * grads[i] : grads[i]) * scale
      params[i] = params[i] + e
    }
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
