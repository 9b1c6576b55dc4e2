import Foundation

/// u ← factor · u.
public struct Scale<Scalar: OptimizerScalar>: GradientTransformation {
  /// The factor.
  public let factor: Double
  /// Scales by `factor`.
  public init(_ factor: Double) { self.factor = factor }
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
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let wd = Scalar(weightDecay)
    if wd != 0 { for i in updates.indices { updates[i] = updates[i].addingProduct(wd, params[i]) } }
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
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let c = Scalar(maxAbs)
    for i in updates.indices { updates[i] = Swift.min(Swift.max(updates[i], -c), c) }
    state.step += 1
  }
}
