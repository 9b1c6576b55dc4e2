import Foundation

/// EXAdam (Adly 2024, "EXAdam: The Power of Adaptive Cross-Moments", arXiv:2412.20302).
/// Adam with new debiasing terms that couple the two moments, a gradient acceleration term,
/// and — as the paper's first version describes, on by default — a step size that grows
/// with the step count, α_t = lr·ln(√2·√(t+1)):
///
///     p ← p·(1 − lr·λ);  m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
///     d1 = 1 + v/(v + ε)·β2^t;  d2 = 1 + m²/(m² + ε)·β1^t
///     m̃ = m/(1 − β1^t)·d1;  ṽ = v/(1 − β2^t)·d2;  g̃ = g/(1 − β1^t)·d1
///     p ← p − α_t·(m̃ + g̃)/(√ṽ + ε)
///
/// With `dynamicStepSize: false`, α_t = lr (the authors' later code). t counts from 1.
public struct EXAdam<Scalar: OptimizerScalar>: Optimizer {
  /// The learning rate per step.
  public let learningRate: Schedule
  /// β1, β2.
  public let beta1: Double, beta2: Double
  /// ε.
  public let eps: Double
  /// λ (decoupled, with the base learning rate).
  public let weightDecay: Double
  /// Whether α_t = lr·ln(√2·√(t+1)).
  public let dynamicStepSize: Bool
  /// Ascend instead of descend.
  public let maximize: Bool

  /// EXAdam with the paper's defaults (lr 1e-3, betas (0.9, 0.999), ε 1e-8).
  public init(learningRate: Schedule = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
              weightDecay: Double = 0, dynamicStepSize: Bool = true, maximize: Bool = false) throws {
    try _Check.betas(betas.0, betas.1)
    try _Check.nonNegative(eps, "eps")
    try _Check.nonNegative(weightDecay, "weight decay")
    _ = try _LearningRate.at(0, learningRate)
    self.learningRate = learningRate
    self.beta1 = betas.0
    self.beta2 = betas.1
    self.eps = eps
    self.weightDecay = weightDecay
    self.dynamicStepSize = dynamicStepSize
    self.maximize = maximize
  }

  /// The same optimizer as a chain: (−1), `ScaleByEXAdam`, decoupled decay, −lr.
  public var chained: Chain<Scalar> {
    var parts: [any GradientTransformation<Scalar>] = []
    if maximize { parts.append(Scale<Scalar>(-1)) }
    parts.append(try! ScaleByEXAdam<Scalar>(beta1: beta1, beta2: beta2, eps: eps, dynamicStepSize: dynamicStepSize))
    parts.append(try! AddDecayedWeights<Scalar>(weightDecay))
    parts.append(ScaleByLearningRate<Scalar>(learningRate))
    return Chain(parts)
  }

  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { .zeros(2, length: count) }

  /// Implements `Optimizer._step`.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    let lr = try _LearningRate.at(state.step, learningRate)
    let t = state.step + 1
    let terms = _EXAdamTerms(beta1: beta1, beta2: beta2, t: t, dynamic: dynamicStepSize)
    if !params.isEmpty {
      state.withBuffers(0, 1) { m, v in
        Scalar._exadam(params.baseAddress!, grads.baseAddress!, m.baseAddress!, v.baseAddress!, params.count,
                       EXAdamKernelStep(beta1: Scalar(beta1), w1: Scalar(1 - beta1), beta2: Scalar(beta2), w2: Scalar(1 - beta2), eps: Scalar(eps),
                                        b1t: Scalar(terms.b1t), b2t: Scalar(terms.b2t), bc1: Scalar(terms.bc1), bc2: Scalar(terms.bc2),
                                        negAlpha: Scalar(-lr * terms.stepFactor), negLrWd: Scalar(-lr * weightDecay), maximize: maximize))
      }
    }
    state.step += 1
  }
}

/// The per-step scalars of EXAdam, in double precision.
struct _EXAdamTerms {
  let b1t: Double, b2t: Double, bc1: Double, bc2: Double, stepFactor: Double
  init(beta1: Double, beta2: Double, t: Int, dynamic: Bool) {
    b1t = pow(beta1, Double(t))
    b2t = pow(beta2, Double(t))
    bc1 = 1 - b1t
    bc2 = 1 - b2t
    stepFactor = dynamic ? log(Double(t + 1).squareRoot() * 2.0.squareRoot()) : 1
  }
}

/// EXAdam's direction (see `EXAdam`): u ← α_t/lr · (m̃ + g̃)/(√ṽ + ε).
public struct ScaleByEXAdam<Scalar: OptimizerScalar>: GradientTransformation {
  /// β1, β2.
  public let beta1: Double, beta2: Double
  /// ε.
  public let eps: Double
  /// Whether the direction carries the factor ln(√2·√(t+1)).
  public let dynamicStepSize: Bool
  /// EXAdam's scaling; β ∈ [0, 1), ε ≥ 0.
  public init(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, dynamicStepSize: Bool = true) throws {
    try _Check.betas(beta1, beta2)
    try _Check.nonNegative(eps, "eps")
    self.beta1 = beta1
    self.beta2 = beta2
    self.eps = eps
    self.dynamicStepSize = dynamicStepSize
  }
  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { .zeros(2, length: count) }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let terms = _EXAdamTerms(beta1: beta1, beta2: beta2, t: state.step + 1, dynamic: dynamicStepSize)
    let b1 = Scalar(beta1), b2 = Scalar(beta2), w1 = Scalar(1 - beta1), w2 = Scalar(1 - beta2), e = Scalar(eps)
    let b1t = Scalar(terms.b1t), b2t = Scalar(terms.b2t), bc1 = Scalar(terms.bc1), bc2 = Scalar(terms.bc2)
    let factor = Scalar(terms.stepFactor)
    state.withBuffers(0, 1) { m, v in
      for i in updates.indices {
        let g = updates[i]
        let mi = b1 * m[i] + w1 * g
        let vi = b2 * v[i] + (w2 * g) * g
        m[i] = mi
        v[i] = vi
        let d1 = 1 + (vi / (vi + e)) * b2t
        let d2 = 1 + ((mi * mi) / (mi * mi + e)) * b1t
        let mt = (mi / bc1) * d1, vt = (vi / bc2) * d2, gt = (g / bc1) * d1
        updates[i] = factor * (mt + gt) / (Scalar._sqrt(vt) + e)
      }
    }
    state.step += 1
  }
}
