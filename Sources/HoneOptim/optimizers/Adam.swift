import Foundation

extension StateBuffer {
  /// Adam's first moment m (torch `exp_avg`); also Lion's and EXAdam's momentum.
  public static let expAvg = StateBuffer(0, "exp_avg")
  /// Adam's second moment v (torch `exp_avg_sq`).
  public static let expAvgSq = StateBuffer(1, "exp_avg_sq")
  /// AMSGrad's running maximum of v (torch `max_exp_avg_sq`).
  public static let maxExpAvgSq = StateBuffer(2, "max_exp_avg_sq")
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
  /// Implements `Optimizer.stateBuffers`: m, v and (AMSGrad) max v.
  public var stateBuffers: [StateBuffer] { amsgrad ? [.expAvg, .expAvgSq, .maxExpAvgSq] : [.expAvg, .expAvgSq] }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    let t = Double(state.step + 1)
    let bc1 = Scalar(1 - Foundation.pow(beta1, t)), bc2Sqrt = Scalar((1 - Foundation.pow(beta2, t)).squareRoot())
    let b2 = Scalar(beta2), w1 = Scalar(1 - beta1), w2 = Scalar(1 - beta2), e = Scalar(eps)
    state.withBuffers(.expAvg, .expAvgSq) { m, v in
      for i in updates.indices {
        let u = updates[i]
        m[i] = m[i] + w1 * (u - m[i])
        v[i] = v[i] * b2 + w2 * (u * u)
      }
    }
    if amsgrad {
      state.withBuffers(.expAvgSq, .maxExpAvgSq) { v, vmax in for i in v.indices { vmax[i] = Swift.max(vmax[i], v[i]) } }
    }
    state.withBuffers(.expAvg, amsgrad ? .maxExpAvgSq : .expAvgSq) { m, v in
      for i in updates.indices { updates[i] = (m[i] / bc1) / (Scalar._sqrt(v[i]) / bc2Sqrt + e) }
    }
    state.step += 1
  }

  /// The fused kernel's scalars at step `step` with rate `lr` and weight decay `decay`
  /// (coupled: λ added to the gradient; decoupled: p·(1 − lr·λ) first).
  func kernelStep(step: Int, lr: Double, decay: Double, decoupled: Bool, maximize: Bool) -> AdamKernelStep<Scalar> {
    let t = Double(step + 1)
    return AdamKernelStep(w1: Scalar(1 - beta1), beta2: Scalar(beta2), w2: Scalar(1 - beta2), eps: Scalar(eps),
                          coupledDecay: Scalar(decoupled ? 0 : decay), decayFactor: Scalar(decoupled ? 1 - lr * decay : 1),
                          stepSize: Scalar(lr / (1 - pow(beta1, t))), bc2Sqrt: Scalar((1 - pow(beta2, t)).squareRoot()),
                          maximize: maximize)
  }
}

/// Adam (Kingma & Ba 2015) and AMSGrad (Reddi et al. 2018) exactly as `torch.optim.Adam`,
/// with the L2 penalty added to the gradient:
///
///     g = ±g + λ·p;  m ← m + (1 − β1)(g − m);  v ← β2·v + (1 − β2)·g²;  (v̂ ← max(v̂, v))
///     p ← p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
///
/// The chain (−1), L2 or decoupled decay, `ScaleByAdam`, −lr; one fused pass reads p, g, m, v
/// and writes p, m, v (28 bytes per parameter in float32).
public struct Adam<Scalar: OptimizerScalar>: NamedOptimizer {
  /// The learning rate per step.
  public let learningRate: Schedule
  /// The moments (β1, β2, ε, AMSGrad).
  public let scaling: ScaleByAdam<Scalar>
  /// The weight decay λ.
  public let decay: AddDecayedWeights<Scalar>
  /// Decay the weights directly (AdamW) instead of adding λ·p to the gradient.
  public let decoupledWeightDecay: Bool
  /// Ascend instead of descend.
  public let maximize: Bool

  /// β1.
  public var beta1: Double { scaling.beta1 }
  /// β2.
  public var beta2: Double { scaling.beta2 }
  /// ε, outside the square root.
  public var eps: Double { scaling.eps }
  /// Whether the running maximum of v is used.
  public var amsgrad: Bool { scaling.amsgrad }
  /// λ.
  public var weightDecay: Double { decay.weightDecay }

  /// Adam with torch's defaults (lr 1e-3, betas (0.9, 0.999), ε 1e-8, no weight decay).
  public init(learningRate: Schedule = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
              weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false) throws {
    try self.init(learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: false,
                  amsgrad: amsgrad, maximize: maximize)
  }

  init(learningRate: Schedule, betas: (Double, Double), eps: Double, weightDecay: Double, decoupled: Bool,
       amsgrad: Bool, maximize: Bool) throws {
    scaling = try ScaleByAdam(beta1: betas.0, beta2: betas.1, eps: eps, amsgrad: amsgrad)
    decay = try AddDecayedWeights(weightDecay)
    _ = try _LearningRate.at(0, learningRate)
    self.learningRate = learningRate
    self.decoupledWeightDecay = decoupled
    self.maximize = maximize
  }

  /// Implements `NamedOptimizer.chained`: (−1), L2 or decoupled decay, `ScaleByAdam`, −lr.
  public var chained: Chain<Scalar> {
    var parts: [any GradientTransformation<Scalar>] = maximize ? [Scale(-1)] : []
    parts += decoupledWeightDecay ? [scaling, decay] : [decay, scaling]
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
    let step = scaling.kernelStep(step: state.step, lr: lr, decay: weightDecay, decoupled: decoupledWeightDecay, maximize: maximize)
    if !params.isEmpty {
      var vmax: [Scalar] = []
      if amsgrad { swap(&vmax, &state[.maxExpAvgSq]) }
      state.withBuffers(.expAvg, .expAvgSq) { m, v in
        vmax.withUnsafeMutableBufferPointer { vmax in
          Scalar._adam(params.baseAddress!, grads.baseAddress!, m.baseAddress!, v.baseAddress!, amsgrad ? vmax.baseAddress! : nil,
                       params.count, step)
        }
      }
      if amsgrad { swap(&vmax, &state[.maxExpAvgSq]) }
    }
    state.step += 1
  }
}

/// AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization") exactly as
/// `torch.optim.AdamW`: p ← p·(1 − lr·λ) before the Adam step; λ defaults to 1e-2.
public struct AdamW<Scalar: OptimizerScalar>: NamedOptimizer {
  /// The Adam step with decoupled decay.
  public let adam: Adam<Scalar>

  /// AdamW with torch's defaults (lr 1e-3, betas (0.9, 0.999), ε 1e-8, λ 1e-2).
  public init(learningRate: Schedule = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
              weightDecay: Double = 1e-2, amsgrad: Bool = false, maximize: Bool = false) throws {
    adam = try Adam(learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: true,
                    amsgrad: amsgrad, maximize: maximize)
  }

  /// Implements `NamedOptimizer.chained`.
  public var chained: Chain<Scalar> { adam.chained }
  /// Implements `Optimizer.stateBuffers`.
  public var stateBuffers: [StateBuffer] { adam.stateBuffers }
  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { adam.initialState(count: count) }
  /// Implements `Optimizer._step`.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    try adam._step(params: params, grads: grads, state: &state)
  }
}
