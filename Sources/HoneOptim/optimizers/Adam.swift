import Foundation

/// Adam (Kingma & Ba 2015) and AMSGrad (Reddi et al. 2018) exactly as `torch.optim.Adam`,
/// with the L2 penalty added to the gradient:
///
///     g = ±g + λ·p;  m ← m + (1 − β1)(g − m);  v ← β2·v + (1 − β2)·g²;  (v̂ ← max(v̂, v))
///     p ← p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
///
/// One fused pass reads p, g, m, v and writes p, m, v (28 bytes per parameter in float32).
public struct Adam<Scalar: OptimizerScalar>: Optimizer {
  /// The learning rate per step.
  public let learningRate: Schedule
  /// β1, β2.
  public let beta1: Double, beta2: Double
  /// ε, outside the square root.
  public let eps: Double
  /// λ.
  public let weightDecay: Double
  /// Decay the weights directly (AdamW) instead of adding λ·p to the gradient.
  public let decoupledWeightDecay: Bool
  /// Use the running maximum of v.
  public let amsgrad: Bool
  /// Ascend instead of descend.
  public let maximize: Bool

  /// Adam with torch's defaults (lr 1e-3, betas (0.9, 0.999), ε 1e-8, no weight decay).
  public init(learningRate: Schedule = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
              weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false) throws {
    try self.init(learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: false,
                  amsgrad: amsgrad, maximize: maximize)
  }

  init(learningRate: Schedule, betas: (Double, Double), eps: Double, weightDecay: Double, decoupled: Bool,
       amsgrad: Bool, maximize: Bool) throws {
    try _Check.betas(betas.0, betas.1)
    try _Check.nonNegative(eps, "eps")
    try _Check.nonNegative(weightDecay, "weight decay")
    _ = try _LearningRate.at(0, learningRate)
    self.learningRate = learningRate
    self.beta1 = betas.0
    self.beta2 = betas.1
    self.eps = eps
    self.weightDecay = weightDecay
    self.decoupledWeightDecay = decoupled
    self.amsgrad = amsgrad
    self.maximize = maximize
  }

  /// The same optimizer as a chain: (−1), L2 or decoupled decay, `ScaleByAdam`, −lr.
  public var chained: Chain<Scalar> {
    var parts: [any GradientTransformation<Scalar>] = []
    if maximize { parts.append(Scale<Scalar>(-1)) }
    if !decoupledWeightDecay { parts.append(try! AddDecayedWeights<Scalar>(weightDecay)) }
    parts.append(try! ScaleByAdam<Scalar>(beta1: beta1, beta2: beta2, eps: eps, amsgrad: amsgrad))
    if decoupledWeightDecay { parts.append(try! AddDecayedWeights<Scalar>(weightDecay)) }
    parts.append(ScaleByLearningRate<Scalar>(learningRate))
    return Chain(parts)
  }

  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { .zeros(amsgrad ? 3 : 2, length: count) }

  /// Implements `Optimizer._step`.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    let lr = try _LearningRate.at(state.step, learningRate)
    let t = Double(state.step + 1)
    let stepSize = Scalar(lr / (1 - pow(beta1, t)))
    let bc2Sqrt = Scalar((1 - pow(beta2, t)).squareRoot())
    let coupled = Scalar(decoupledWeightDecay ? 0 : weightDecay)
    let factor = Scalar(decoupledWeightDecay ? 1 - lr * weightDecay : 1)
    if !params.isEmpty {
      let run = { (m: UnsafeMutableBufferPointer<Scalar>, v: UnsafeMutableBufferPointer<Scalar>, vmax: UnsafeMutablePointer<Scalar>?) in
        Scalar._adam(params.baseAddress!, grads.baseAddress!, m.baseAddress!, v.baseAddress!, vmax, params.count,
                     AdamKernelStep(w1: Scalar(1 - beta1), beta2: Scalar(beta2), w2: Scalar(1 - beta2), eps: Scalar(eps), coupledDecay: coupled,
                                    decayFactor: factor, stepSize: stepSize, bc2Sqrt: bc2Sqrt, maximize: maximize))
      }
      var vmax: [Scalar] = []
      if amsgrad { swap(&vmax, &state.buffers[2]) }
      state.withBuffers(0, 1) { m, v in
        vmax.withUnsafeMutableBufferPointer { run(m, v, amsgrad ? $0.baseAddress! : nil) }
      }
      if amsgrad { swap(&vmax, &state.buffers[2]) }
    }
    state.step += 1
  }
}

/// AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization") exactly as
/// `torch.optim.AdamW`: p ← p·(1 − lr·λ) before the Adam step; λ defaults to 1e-2.
public struct AdamW<Scalar: OptimizerScalar>: Optimizer {
  /// The Adam step with decoupled decay.
  public let adam: Adam<Scalar>

  /// AdamW with torch's defaults (lr 1e-3, betas (0.9, 0.999), ε 1e-8, λ 1e-2).
  public init(learningRate: Schedule = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
              weightDecay: Double = 1e-2, amsgrad: Bool = false, maximize: Bool = false) throws {
    adam = try Adam(learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: true,
                    amsgrad: amsgrad, maximize: maximize)
  }

  /// The same optimizer as a chain.
  public var chained: Chain<Scalar> { adam.chained }
  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { adam.initialState(count: count) }
  /// Implements `Optimizer._step`.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    try adam._step(params: params, grads: grads, state: &state)
  }
}
