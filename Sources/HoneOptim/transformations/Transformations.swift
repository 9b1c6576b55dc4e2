import Foundation

/// u ← factor · u.
public struct Scale<Scalar: OptimizerScalar>: GradientTransformation {
  /// The factor.
  public let factor: Double
  /// Scales by `factor`.
  public init(_ factor: Double) { self.factor = factor }
  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { OptimizerState() }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let f = Scalar(factor)
    for i in updates.indices { updates[i] = f * updates[i] }
    state.step += 1
  }
}

/// u ← −lr(t) · u: the last part of every optimizer chain (optax `scale_by_learning_rate`).
/// A negative or non-finite rate at a step is an error, never a silent wrong step.
///
/// Applied to parameters (alone, or as the last part of a `Chain`), the scaling and the
/// addition round once: p ← p − lr(t)·u as one fused multiply-add, as torch's
/// `p.add_(u, alpha=-lr)` computes on CPU and as the fused kernels do.
public struct ScaleByLearningRate<Scalar: OptimizerScalar>: GradientTransformation {
  /// The rate per step.
  public let learningRate: Schedule
  /// Scales by minus the schedule's rate.
  public init(_ learningRate: Schedule) { self.learningRate = learningRate }
  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { OptimizerState() }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let lr = try _LearningRate.at(state.step, learningRate)
    let f = Scalar(-lr)
    for i in updates.indices { updates[i] = f * updates[i] }
    state.step += 1
  }
  /// Implements `Optimizer._step`: p ← p − lr(t)·g with one rounding.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    try apply(grads, to: params, state: &state)
  }
  /// p ← p − lr(t)·u, each element as one fused multiply-add; advances the state like `update`.
  func apply(_ updates: UnsafeMutableBufferPointer<Scalar>, to params: UnsafeMutableBufferPointer<Scalar>,
             state: inout OptimizerState<Scalar>) throws {
    let lr = try _LearningRate.at(state.step, learningRate)
    let f = Scalar(-lr)
    for i in 0..<params.count { params[i] = params[i].addingProduct(f, updates[i]) }
    state.step += 1
  }
}

enum _LearningRate {
  /// The schedule's rate at `step`, checked.
  static func at(_ step: Int, _ schedule: Schedule) throws -> Double {
    let lr = schedule(step)
    guard lr >= 0, lr.isFinite else {
      throw OptimError.invalidHyperparameter("the learning rate at step \(step) is \(lr); it must be >= 0 and finite")
    }
    return lr
  }
}

/// u ← u + λ·p (L2 penalty before the moments, or decoupled weight decay after them), with
/// one rounding, as torch's `u.add(p, alpha=λ)` and the fused SGD kernel compute it.
public struct AddDecayedWeights<Scalar: OptimizerScalar>: GradientTransformation {
  /// λ.
  public let weightDecay: Double
  /// Adds λ·p; λ must be >= 0.
  public init(_ weightDecay: Double) throws {
    try _Check.nonNegative(weightDecay, "weight decay")
    self.weightDecay = weightDecay
  }
  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { OptimizerState() }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let wd = Scalar(weightDecay)
    if wd != 0 { for i in updates.indices { updates[i] = updates[i].addingProduct(wd, params[i]) } }
    state.step += 1
  }
}

/// Momentum as torch's SGD keeps it: b ← u on the first step, else μ·b + (1 − τ)·u; then
/// u ← u + μ·b (Nesterov) or u ← b. Rounded as torch's `b.mul_(μ).add_(u, alpha=1-τ)` and
/// `u.add(b, alpha=μ)`: μ·b rounded, then each addition of a product as one fused multiply-add.
public struct Trace<Scalar: OptimizerScalar>: GradientTransformation {
  /// μ.
  public let momentum: Double
  /// τ.
  public let dampening: Double
  /// Nesterov's variant.
  public let nesterov: Bool
  /// Momentum μ ∈ [0, 1), dampening τ ∈ [0, 1].
  public init(momentum: Double, dampening: Double = 0, nesterov: Bool = false) throws {
    try _Check.beta(momentum, "momentum")
    guard dampening >= 0, dampening <= 1 else { throw OptimError.invalidHyperparameter("dampening must be in [0, 1], got \(dampening)") }
    self.momentum = momentum
    self.dampening = dampening
    self.nesterov = nesterov
  }
  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { .zeros(1, length: count) }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let mu = Scalar(momentum), keep = Scalar(1 - dampening)
    let first = state.step == 0
    state.withBuffer(0) { b in
      for i in updates.indices {
        let bi = first ? updates[i] : (mu * b[i]).addingProduct(keep, updates[i])
        b[i] = bi
        updates[i] = nesterov ? updates[i].addingProduct(mu, bi) : bi
      }
    }
    state.step += 1
  }
}

/// Adam's moments (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization"):
/// m ← m + (1 − β1)(u − m), v ← β2·v + (1 − β2)·u², then
/// u ← (m / (1 − β1^t)) / (√v / √(1 − β2^t) + ε), with v replaced by its running maximum
/// for AMSGrad (Reddi et al. 2018). ε is outside the square root, as in torch.
public struct ScaleByAdam<Scalar: OptimizerScalar>: GradientTransformation {
  /// β1, β2.
  public let beta1: Double, beta2: Double
  /// ε.
  public let eps: Double
  /// Whether the maximum of v is used.
  public let amsgrad: Bool
  /// Adam's scaling; β ∈ [0, 1), ε ≥ 0.
  public init(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, amsgrad: Bool = false) throws {
    try _Check.betas(beta1, beta2)
    try _Check.nonNegative(eps, "eps")
    self.beta1 = beta1
    self.beta2 = beta2
    self.eps = eps
    self.amsgrad = amsgrad
  }
  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { .zeros(amsgrad ? 3 : 2, length: count) }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let t = Double(state.step + 1)
    let bc1 = Scalar(1 - Foundation.pow(beta1, t)), bc2Sqrt = Scalar((1 - Foundation.pow(beta2, t)).squareRoot())
    let b2 = Scalar(beta2), w1 = Scalar(1 - beta1), w2 = Scalar(1 - beta2), e = Scalar(eps)
    let amsgrad = self.amsgrad
    state.withBuffers(0, 1) { m, v in
      for i in updates.indices {
        let u = updates[i]
        m[i] = m[i] + w1 * (u - m[i])
        v[i] = v[i] * b2 + w2 * (u * u)
      }
    }
    if amsgrad {
      state.withBuffers(1, 2) { v, vmax in for i in v.indices { vmax[i] = Swift.max(vmax[i], v[i]) } }
    }
    state.withBuffers(0, amsgrad ? 2 : 1) { m, v in
      for i in updates.indices { updates[i] = (m[i] / bc1) / (Scalar._sqrt(v[i]) / bc2Sqrt + e) }
    }
    state.step += 1
  }
}

/// Lion's update direction (Chen et al. 2023, "Symbolic Discovery of Optimization
/// Algorithms"): u ← sign(β1·m + (1 − β1)·u), then m ← β2·m + (1 − β2)·g (momentum updated
/// after use).
public struct ScaleByLion<Scalar: OptimizerScalar>: GradientTransformation {
  /// β1, β2.
  public let beta1: Double, beta2: Double
  /// Lion's direction; β ∈ [0, 1).
  public init(beta1: Double = 0.9, beta2: Double = 0.99) throws {
    try _Check.betas(beta1, beta2)
    self.beta1 = beta1
    self.beta2 = beta2
  }
  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { .zeros(1, length: count) }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let b1 = Scalar(beta1), b2 = Scalar(beta2), w1 = Scalar(1 - beta1), w2 = Scalar(1 - beta2)
    state.withBuffer(0) { m in
      for i in updates.indices {
        let g = updates[i]
        let c = m[i] * b1 + w1 * g
        updates[i] = c > 0 ? 1 : (c < 0 ? -1 : 0)
        m[i] = m[i] * b2 + w2 * g
      }
    }
    state.step += 1
  }
}

/// Clips the whole update to a global L2 norm: u ← u · min(1, c / ‖u‖) (Pascanu et al.
/// 2013, "On the difficulty of training recurrent neural networks"; optax `clip_by_global_norm`).
public struct ClipByGlobalNorm<Scalar: OptimizerScalar>: GradientTransformation {
  /// The largest norm c.
  public let maxNorm: Double
  /// Clips to `maxNorm` > 0.
  public init(_ maxNorm: Double) throws {
    try _Check.positive(maxNorm, "maxNorm")
    self.maxNorm = maxNorm
  }
  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { OptimizerState() }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    var sum = 0.0
    for u in updates { sum += Double(u) * Double(u) }
    let norm = sum.squareRoot()
    if norm > maxNorm {
      let f = Scalar(maxNorm / norm)
      for i in updates.indices { updates[i] = f * updates[i] }
    }
    state.step += 1
  }
}

/// Clips each element to [−c, c] (optax `clip`).
public struct ClipByValue<Scalar: OptimizerScalar>: GradientTransformation {
  /// The bound c.
  public let maxAbs: Double
  /// Clips to `maxAbs` > 0.
  public init(_ maxAbs: Double) throws {
    try _Check.positive(maxAbs, "maxAbs")
    self.maxAbs = maxAbs
  }
  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { OptimizerState() }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let c = Scalar(maxAbs)
    for i in updates.indices { updates[i] = Swift.min(Swift.max(updates[i], -c), c) }
    state.step += 1
  }
}
