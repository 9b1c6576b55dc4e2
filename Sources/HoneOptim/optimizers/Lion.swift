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
  /// Implements `Optimizer.stateBuffers`: the momentum m.
  public var stateBuffers: [StateBuffer] { [.expAvg] }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let b1 = Scalar(beta1), b2 = Scalar(beta2), w1 = Scalar(1 - beta1), w2 = Scalar(1 - beta2)
    state.withBuffer(.expAvg) { m in
      for i in updates.indices {
        let g = updates[i]
        let c = m[i] * b1 + w1 * g
        updates[i] = c > 0 ? 1 : (c < 0 ? -1 : 0)
        m[i] = m[i] * b2 + w2 * g
      }
    }
    state.step += 1
  }

  /// The fused kernel's scalars with rate `lr` and decoupled decay λ.
  func kernelStep(lr: Double, weightDecay: Double, maximize: Bool) -> LionKernelStep<Scalar> {
    LionKernelStep(lr: Scalar(lr), beta1: Scalar(beta1), w1: Scalar(1 - beta1), beta2: Scalar(beta2), w2: Scalar(1 - beta2),
                   decayFactor: Scalar(1 - lr * weightDecay), maximize: maximize)
  }
}

/// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms") exactly as
/// lion-pytorch:
///
///     p ← p·(1 − lr·λ);  p ← p − lr·sign(β1·m + (1 − β1)·g);  m ← β2·m + (1 − β2)·g
///
/// Defaults lr 1e-4, betas (0.9, 0.99). The chain (−1), `ScaleByLion`, decoupled decay, −lr;
/// one fused pass reads p, g, m and writes p, m.
public struct Lion<Scalar: OptimizerScalar>: NamedOptimizer {
  /// The learning rate per step.
  public let learningRate: Schedule
  /// The direction (β1, β2).
  public let direction: ScaleByLion<Scalar>
  /// The decoupled weight decay λ.
  public let decay: AddDecayedWeights<Scalar>
  /// Ascend instead of descend.
  public let maximize: Bool

  /// β1.
  public var beta1: Double { direction.beta1 }
  /// β2.
  public var beta2: Double { direction.beta2 }
  /// λ.
  public var weightDecay: Double { decay.weightDecay }

  /// Lion with the paper's defaults.
  public init(learningRate: Schedule = 1e-4, betas: (Double, Double) = (0.9, 0.99), weightDecay: Double = 0,
              maximize: Bool = false) throws {
    direction = try ScaleByLion(beta1: betas.0, beta2: betas.1)
    decay = try AddDecayedWeights(weightDecay)
    _ = try _LearningRate.at(0, learningRate)
    self.learningRate = learningRate
    self.maximize = maximize
  }

  /// Implements `NamedOptimizer.chained`: (−1), `ScaleByLion`, decoupled decay, −lr.
  public var chained: Chain<Scalar> {
    let parts: [any GradientTransformation<Scalar>] = (maximize ? [Scale(-1)] : []) + [direction, decay]
    return Chain(parts + [ScaleByLearningRate(learningRate)])
  }

  /// Implements `Optimizer.stateBuffers`: the direction's.
  public var stateBuffers: [StateBuffer] { direction.stateBuffers }
  /// Implements `Optimizer.initialState`: the fused kernel's flat buffers.
  public func initialState(count: Int) -> OptimizerState<Scalar> { .zeros(stateBuffers, length: count) }

  /// Implements `Optimizer._step`: the fused kernel.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    let step = direction.kernelStep(lr: try _LearningRate.at(state.step, learningRate), weightDecay: weightDecay, maximize: maximize)
    if !params.isEmpty {
      state.withBuffer(.expAvg) { m in Scalar._lion(params.baseAddress!, grads.baseAddress!, m.baseAddress!, params.count, step) }
    }
    state.step += 1
  }
}
