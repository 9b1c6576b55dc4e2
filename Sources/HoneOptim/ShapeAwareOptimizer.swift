/// An optimizer whose step depends on the shape of the parameter it updates, not only on its
/// elements (a non-diagonal preconditioner such as `Shampoo`). Whoever binds an optimizer to
/// a model's parameters (HoneNN's `ParameterOptimizer`) asks it for one optimizer per
/// parameter with that parameter's shape; used on a flat buffer without a shape, it treats
/// the buffer as a vector.
public protocol ShapeAwareOptimizer<Scalar>: Optimizer {
  /// The optimizer for one parameter of `shape` (row-major, outermost dimension first).
  func forParameter(shape: [Int]) throws -> any Optimizer<Scalar>
}

/// An optimizer whose step needs the gradient at a second point (sharpness-aware
/// minimization, Foret et al. 2021): a catalog row such as `sam-sgd` builds one, and
/// `ParameterOptimizer`/`fit` take its two-gradient step. Its plain `step`, which has only one
/// gradient, throws rather than silently dropping the perturbation.
public struct SharpnessAwareOptimizer<Scalar: OptimizerScalar>: Optimizer {
  /// The optimizer that takes the step with the perturbed gradient.
  public let base: any Optimizer<Scalar>
  /// The neighbourhood radius ρ.
  public let rho: Double
  /// ASAM's scale-invariant perturbation (Kwon et al. 2021).
  public let adaptive: Bool

  /// SAM (ρ = 0.05, Foret et al. 2021) or ASAM (`adaptive`, Kwon et al. 2021) around `base`.
  public init(base: any Optimizer<Scalar>, rho: Double = 0.05, adaptive: Bool = false) throws {
    try _Check.nonNegative(rho, "rho")
    self.base = base
    self.rho = rho
    self.adaptive = adaptive
  }

  /// Implements `Optimizer.initialState`: the base optimizer's.
  public func initialState(count: Int) -> OptimizerState<Scalar> { base.initialState(count: count) }

  /// One SAM step on arrays (see `SAM.step(params:grads:state:gradient:)`): `gradient` returns
  /// ∇f at the parameters it is given.
  public func step(params: inout [Scalar], grads: [Scalar], state: inout OptimizerState<Scalar>,
                   gradient: ([Scalar]) throws -> [Scalar]) throws {
    func open<Base: Optimizer<Scalar>>(_ base: Base) throws {
      try SAM(base: base, rho: rho, adaptive: adaptive).step(params: &params, grads: grads, state: &state, gradient: gradient)
    }
    try open(base)
  }

  /// Implements `Optimizer._step`: refused, since one gradient cannot make a SAM step; use
  /// `SAM.step(params:grads:state:gradient:)` or `ParameterOptimizer.sharpnessAwareStep`.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    throw OptimError.unsupported(
      "sharpness-aware minimization needs the gradient at a perturbed point: train through fit or ParameterOptimizer, which take its two-gradient step")
  }
}
