/// The scalars of one fused SGD step (`hone_sgd_*`): the learning rate, momentum μ, dampening
/// τ and L2 weight decay, Nesterov's variant, maximization, and whether the momentum buffer
/// starts now.
public struct SGDKernelStep<Scalar: OptimizerScalar>: Sendable {
  /// lr, μ, τ and the L2 decay.
  public var lr, momentum, dampening, weightDecay: Scalar
  /// Nesterov's variant, maximization, the first step of the momentum buffer.
  public var nesterov, maximize, firstStep: Bool
}

/// The scalars of one fused Adam step (`hone_adam_*`): w1 = 1 − β1, β2, w2 = 1 − β2, ε, the
/// coupled (L2) decay, the decoupled decay factor 1 − lr·λ, the step size lr/(1 − β1ᵗ) and
/// √(1 − β2ᵗ).
public struct AdamKernelStep<Scalar: OptimizerScalar>: Sendable {
  /// The step's scalars, as named above.
  public var w1, beta2, w2, eps, coupledDecay, decayFactor, stepSize, bc2Sqrt: Scalar
  /// Maximization (the gradient negated).
  public var maximize: Bool
}

/// The scalars of one fused Lion step (`hone_lion_*`): lr, β1, 1 − β1, β2, 1 − β2 and the
/// decay factor 1 − lr·λ.
public struct LionKernelStep<Scalar: OptimizerScalar>: Sendable {
  /// The step's scalars, as named above.
  public var lr, beta1, w1, beta2, w2, decayFactor: Scalar
  /// Maximization (the gradient negated).
  public var maximize: Bool
}

/// The scalars of one fused EXAdam step (`hone_exadam_*`): β1, 1 − β1, β2, 1 − β2, ε, β1ᵗ,
/// β2ᵗ, the bias corrections 1 − β1ᵗ and 1 − β2ᵗ, −α (lr times the dynamic step factor) and
/// −lr·λ.
public struct EXAdamKernelStep<Scalar: OptimizerScalar>: Sendable {
  /// The step's scalars, as named above.
  public var beta1, w1, beta2, w2, eps, b1t, b2t, bc1, bc2, negAlpha, negLrWd: Scalar
  /// Maximization (the gradient negated).
  public var maximize: Bool
}
