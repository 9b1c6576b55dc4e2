import CHoneKernels

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

extension SGDKernelStep where Scalar == Float {
  /// The C parameter struct of the kernel.
  var c: hone_sgd_step_f32 { hone_sgd_step_f32(lr: lr, momentum: momentum, dampening: dampening, weight_decay: weightDecay, nesterov: nesterov ? 1 : 0,
                                maximize: maximize ? 1 : 0, first_step: firstStep ? 1 : 0) }
}

extension SGDKernelStep where Scalar == Double {
  /// The C parameter struct of the kernel.
  var c: hone_sgd_step_f64 { hone_sgd_step_f64(lr: lr, momentum: momentum, dampening: dampening, weight_decay: weightDecay, nesterov: nesterov ? 1 : 0,
                                maximize: maximize ? 1 : 0, first_step: firstStep ? 1 : 0) }
}

extension AdamKernelStep where Scalar == Float {
  /// The C parameter struct of the kernel.
  var c: hone_adam_step_f32 { hone_adam_step_f32(w1: w1, beta2: beta2, w2: w2, eps: eps, coupled_decay: coupledDecay, decay_factor: decayFactor,
                                 step_size: stepSize, bc2_sqrt: bc2Sqrt, maximize: maximize ? 1 : 0) }
}

extension AdamKernelStep where Scalar == Double {
  /// The C parameter struct of the kernel.
  var c: hone_adam_step_f64 { hone_adam_step_f64(w1: w1, beta2: beta2, w2: w2, eps: eps, coupled_decay: coupledDecay, decay_factor: decayFactor,
                                 step_size: stepSize, bc2_sqrt: bc2Sqrt, maximize: maximize ? 1 : 0) }
}

extension LionKernelStep where Scalar == Float {
  /// The C parameter struct of the kernel.
  var c: hone_lion_step_f32 { hone_lion_step_f32(lr: lr, beta1: beta1, w1: w1, beta2: beta2, w2: w2, decay_factor: decayFactor, maximize: maximize ? 1 : 0) }
}

extension LionKernelStep where Scalar == Double {
  /// The C parameter struct of the kernel.
  var c: hone_lion_step_f64 { hone_lion_step_f64(lr: lr, beta1: beta1, w1: w1, beta2: beta2, w2: w2, decay_factor: decayFactor, maximize: maximize ? 1 : 0) }
}

extension EXAdamKernelStep where Scalar == Float {
  /// The C parameter struct of the kernel.
  var c: hone_exadam_step_f32 { hone_exadam_step_f32(beta1: beta1, w1: w1, beta2: beta2, w2: w2, eps: eps, b1t: b1t, b2t: b2t, bc1: bc1, bc2: bc2,
                                   neg_alpha: negAlpha, neg_lr_wd: negLrWd, maximize: maximize ? 1 : 0) }
}

extension EXAdamKernelStep where Scalar == Double {
  /// The C parameter struct of the kernel.
  var c: hone_exadam_step_f64 { hone_exadam_step_f64(beta1: beta1, w1: w1, beta2: beta2, w2: w2, eps: eps, b1t: b1t, b2t: b2t, bc1: bc1, bc2: bc2,
                                   neg_alpha: negAlpha, neg_lr_wd: negLrWd, maximize: maximize ? 1 : 0) }
}
