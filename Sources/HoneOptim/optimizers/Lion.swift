/// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms") exactly as
/// lion-pytorch:
///
///     p ← p·(1 − lr·λ);  p ← p − lr·sign(β1·m + (1 − β1)·g);  m ← β2·m + (1 − β2)·g
///
/// Defaults lr 1e-4, betas (0.9, 0.99). One fused pass reads p, g, m and writes p, m.
public struct Lion<Scalar: OptimizerScalar>: Optimizer {
  /// The learning rate per step.
  public let learningRate: Schedule
  /// β1, β2.
  public let beta1: Double, beta2: Double
  /// λ (decoupled).
  public let weightDecay: Double
  /// Ascend instead of descend.
  public let maximize: Bool

  /// Lion with the paper's defaults.
  public init(learningRate: Schedule = 1e-4, betas: (Double, Double) = (0.9, 0.99), weightDecay: Double = 0,
              maximize: Bool = false) throws {
    try _Check.betas(betas.0, betas.1)
    try _Check.nonNegative(weightDecay, "weight decay")
    _ = try _LearningRate.at(0, learningRate)
    self.learningRate = learningRate
    self.beta1 = betas.0
    self.beta2 = betas.1
    self.weightDecay = weightDecay
    self.maximize = maximize
  }

  /// The same optimizer as a chain: (−1), `ScaleByLion`, decoupled decay, −lr.
  public var chained: Chain<Scalar> {
    var parts: [any GradientTransformation<Scalar>] = []
    if maximize { parts.append(Scale<Scalar>(-1)) }
    parts.append(try! ScaleByLion<Scalar>(beta1: beta1, beta2: beta2))
    parts.append(try! AddDecayedWeights<Scalar>(weightDecay))
    parts.append(ScaleByLearningRate<Scalar>(learningRate))
    return Chain(parts)
  }

  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { .zeros(1, length: count) }

  /// Implements `Optimizer._step`.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    let lr = try _LearningRate.at(state.step, learningRate)
    if !params.isEmpty {
      state.withBuffer(0) { m in
        Scalar._lion(params.baseAddress!, grads.baseAddress!, m.baseAddress!, params.count,
                     LionKernelStep(lr: Scalar(lr), beta1: Scalar(beta1), w1: Scalar(1 - beta1), beta2: Scalar(beta2), w2: Scalar(1 - beta2),
                                    decayFactor: Scalar(1 - lr * weightDecay), maximize: maximize))
      }
    }
    state.step += 1
  }
}
