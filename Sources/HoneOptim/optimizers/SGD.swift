extension StateBuffer {
  /// The momentum b of SGD (torch `momentum_buffer`).
  public static let momentumBuffer = StateBuffer(0, "momentum_buffer")
}

/// Momentum as torch's SGD keeps it: b ← u on the first step, else μ·b + (1 − τ)·u; then
/// u ← u + μ·b (Nesterov) or u ← b. Rounded as torch's `b.mul_(μ).add_(u, alpha=1-τ)` and
/// `u.add(b, alpha=μ)`: μ·b rounded, then each addition of a product as one fused multiply-add.
/// With μ = 0 it keeps no buffer and passes the updates through.
public struct Trace<Scalar: OptimizerScalar>: GradientTransformation {
  /// μ.
  public let momentum: Double
  /// τ.
  public let dampening: Double
  /// Nesterov's variant.
  public let nesterov: Bool
  /// Momentum μ ∈ [0, 1), dampening τ ∈ [0, 1]; Nesterov needs μ > 0 and τ = 0 (as in torch).
  public init(momentum: Double, dampening: Double = 0, nesterov: Bool = false) throws {
    try _Check.beta(momentum, "momentum")
    guard dampening >= 0, dampening <= 1 else { throw OptimError.invalidHyperparameter("dampening must be in [0, 1], got \(dampening)") }
    if nesterov, momentum <= 0 || dampening != 0 {
      throw OptimError.invalidHyperparameter("Nesterov momentum requires a momentum and zero dampening")
    }
    self.momentum = momentum
    self.dampening = dampening
    self.nesterov = nesterov
  }
  /// Implements `Optimizer.stateBuffers`: b when μ > 0.
  public var stateBuffers: [StateBuffer] { momentum > 0 ? [.momentumBuffer] : [] }
  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    defer { state.step += 1 }
    guard momentum > 0 else { return }
    let mu = Scalar(momentum), keep = Scalar(1 - dampening)
    let first = state.step == 0
    state.withBuffer(.momentumBuffer) { b in
      for i in updates.indices {
        let bi = first ? updates[i] : (mu * b[i]).addingProduct(keep, updates[i])
        b[i] = bi
        updates[i] = nesterov ? updates[i].addingProduct(mu, bi) : bi
      }
    }
  }

  /// The fused kernel's scalars at step `step` with rate `lr`.
  func kernelStep(step: Int, lr: Double, weightDecay: Double, maximize: Bool) -> SGDKernelStep<Scalar> {
    SGDKernelStep(lr: Scalar(lr), momentum: Scalar(momentum), dampening: Scalar(dampening), weightDecay: Scalar(weightDecay),
                  nesterov: nesterov, maximize: maximize, firstStep: step == 0)
  }
}

/// Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and
/// maximize, exactly as `torch.optim.SGD` (Sutskever et al. 2013, "On the importance of
/// initialization and momentum in deep learning"):
///
///     d = ±g + λ·p;  b = d (first step) or μ·b + (1 − τ)·d;  d = d + μ·b (Nesterov) or b;  p ← p − lr·d
///
/// The chain (−1), L2 decay, `Trace`, −lr; one fused pass reads p, g, b and writes p, b
/// (16 bytes per parameter in float32).
public struct SGD<Scalar: OptimizerScalar>: NamedOptimizer {
  /// The learning rate per step.
  public let learningRate: Schedule
  /// The momentum (μ, τ, Nesterov); μ = 0 disables momentum and its buffer.
  public let trace: Trace<Scalar>
  /// The weight decay λ, added to the gradient (L2 penalty).
  public let decay: AddDecayedWeights<Scalar>
  /// Ascend instead of descend.
  public let maximize: Bool

  /// μ.
  public var momentum: Double { trace.momentum }
  /// τ.
  public var dampening: Double { trace.dampening }
  /// Nesterov momentum.
  public var nesterov: Bool { trace.nesterov }
  /// λ.
  public var weightDecay: Double { decay.weightDecay }

  /// SGD with torch's defaults.
  public init(learningRate: Schedule = 1e-3, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
              nesterov: Bool = false, maximize: Bool = false) throws {
    trace = try Trace(momentum: momentum, dampening: dampening, nesterov: nesterov)
    decay = try AddDecayedWeights(weightDecay)
    _ = try _LearningRate.at(0, learningRate)
    self.learningRate = learningRate
    self.maximize = maximize
  }

  /// Implements `NamedOptimizer.chained`: (−1), L2 decay, momentum, −lr.
  public var chained: Chain<Scalar> {
    let parts: [any GradientTransformation<Scalar>] = (maximize ? [Scale(-1)] : []) + [decay] + (momentum > 0 ? [trace] : [])
    return Chain(parts + [ScaleByLearningRate(learningRate)])
  }

  /// Implements `Optimizer.stateBuffers`: the momentum's.
  public var stateBuffers: [StateBuffer] { trace.stateBuffers }
  /// Implements `Optimizer.initialState`: the fused kernel's flat buffers.
  public func initialState(count: Int) -> OptimizerState<Scalar> { .zeros(stateBuffers, length: count) }

  /// Implements `Optimizer._step`: the fused kernel.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    let step = trace.kernelStep(step: state.step, lr: try _LearningRate.at(state.step, learningRate), weightDecay: weightDecay,
                                maximize: maximize)
    if params.isEmpty {
    } else if momentum > 0 {
      state.withBuffer(.momentumBuffer) { Scalar._sgd(params.baseAddress!, grads.baseAddress!, $0.baseAddress!, params.count, step) }
    } else {
      Scalar._sgd(params.baseAddress!, grads.baseAddress!, nil, params.count, step)
    }
    state.step += 1
  }
}
