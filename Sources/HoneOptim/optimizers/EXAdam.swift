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
public struct EXAdam<Scalar: OptimizerScalar>: NamedOptimizer {
  /// The learning rate per step.
  public let learningRate: Schedule
  /// The direction (β1, β2, ε, dynamic step size).
  public let scaling: ScaleByEXAdam<Scalar>
  /// The decoupled weight decay λ (with the base learning rate).
  public let decay: AddDecayedWeights<Scalar>
  /// Ascend instead of descend.
  public let maximize: Bool

  /// β1.
  public var beta1: Double { scaling.beta1 }
  /// β2.
  public var beta2: Double { scaling.beta2 }
  /// ε.
  public var eps: Double { scaling.eps }
  /// Whether α_t = lr·ln(√2·√(t+1)).
  public var dynamicStepSize: Bool { scaling.dynamicStepSize }
  /// λ.
  public var weightDecay: Double { decay.weightDecay }

  /// EXAdam with the paper's defaults (lr 1e-3, betas (0.9, 0.999), ε 1e-8).
  public init(learningRate: Schedule = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
              weightDecay: Double = 0, dynamicStepSize: Bool = true, maximize: Bool = false) throws {
    scaling = try ScaleByEXAdam(beta1: betas.0, beta2: betas.1, eps: eps, dynamicStepSize: dynamicStepSize)
    decay = try AddDecayedWeights(weightDecay)
    _ = try _LearningRate.at(0, learningRate)
    self.learningRate = learningRate
    self.maximize = maximize
  }

  /// Implements `NamedOptimizer.chained`: (−1), `ScaleByEXAdam`, decoupled decay, −lr.
  public var chained: Chain<Scalar> {
    let parts: [any GradientTransformation<Scalar>] = (maximize ? [Scale(-1)] : []) + [scaling, decay]
    return Chain(parts + [ScaleByLearningRate(learningRate)])
  }

  /// Implements `Optimizer.stateBuffers`: the moments'.
  public var stateBuffers: [StateBuffer] { scaling.stateBuffers }
  /// Implements `Optimizer.initialState`: the fused kernel's flat buffers.
  public func initialState(count: Int) -> OptimizerState<Scalar> { .zeros(stateBuffers, length: count) }

  /// Implements `Optimizer._step`: the fused kernel.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    let lr = try _LearningRate.at(state.step, learningRate)
    let step = scaling.kernelStep(step: state.step, lr: lr, weightDecay: weightDecay, maximize: maximize)
    if !params.isEmpty {
      state.withBuffers(.expAvg, .expAvgSq) { m, v in
        Scalar._exadam(params.baseAddress!, grads.baseAddress!, m.baseAddress!, v.baseAddress!, params.count, step)
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
  /// Implements `Optimizer.stateBuffers`: m and v.
  public var stateBuffers: [StateBuffer] { [.expAvg, .expAvgSq] }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let terms = _EXAdamTerms(beta1: beta1, beta2: beta2, t: state.step + 1, dynamic: dynamicStepSize)
    let b1 = Scalar(beta1), b2 = Scalar(beta2), w1 = Scalar(1 - beta1), w2 = Scalar(1 - beta2), e = Scalar(eps)
    let b1t = Scalar(terms.b1t), b2t = Scalar(terms.b2t), bc1 = Scalar(terms.bc1), bc2 = Scalar(terms.bc2)
    let factor = Scalar(terms.stepFactor)
    state.withBuffers(.expAvg, .expAvgSq) { m, v in
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

  /// The fused kernel's scalars at step `step` with rate `lr` and decoupled decay λ.
  func kernelStep(step: Int, lr: Double, weightDecay: Double, maximize: Bool) -> EXAdamKernelStep<Scalar> {
    let t = _EXAdamTerms(beta1: beta1, beta2: beta2, t: step + 1, dynamic: dynamicStepSize)
    let negAlpha: Double = -lr * t.stepFactor, negLrWd: Double = -lr * weightDecay
    return EXAdamKernelStep(beta1: Scalar(beta1), w1: Scalar(1 - beta1), beta2: Scalar(beta2), w2: Scalar(1 - beta2), eps: Scalar(eps),
                            b1t: Scalar(t.b1t), b2t: Scalar(t.b2t), bc1: Scalar(t.bc1), bc2: Scalar(t.bc2),
                            negAlpha: Scalar(negAlpha), negLrWd: Scalar(negLrWd), maximize: maximize)
  }
}
