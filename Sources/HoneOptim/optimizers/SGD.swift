/// Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and
/// maximize, exactly as `torch.optim.SGD` (Sutskever et al. 2013, "On the importance of
/// initialization and momentum in deep learning"):
///
///     d = ±g + λ·p;  b = d (first step) or μ·b + (1 − τ)·d;  d = d + μ·b (Nesterov) or b;  p ← p − lr·d
///
/// One fused pass reads p, g, b and writes p, b (16 bytes per parameter in float32).
public struct SGD<Scalar: OptimizerScalar>: Optimizer {
  /// The learning rate per step.
  public let learningRate: Schedule
  /// μ (0 disables momentum and its buffer).
  public let momentum: Double
  /// τ.
  public let dampening: Double
  /// λ, added to the gradient (L2 penalty).
  public let weightDecay: Double
  /// Nesterov momentum (needs μ > 0 and τ = 0, as in torch).
  public let nesterov: Bool
  /// Ascend instead of descend.
  public let maximize: Bool

  /// SGD with torch's defaults.
  public init(learningRate: Schedule = 1e-3, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
              nesterov: Bool = false, maximize: Bool = false) throws {
    try _Check.beta(momentum, "momentum")
    try _Check.nonNegative(weightDecay, "weight decay")
    guard dampening >= 0, dampening <= 1 else { throw OptimError.invalidHyperparameter("dampening must be in [0, 1], got \(dampening)") }
    if nesterov, momentum <= 0 || dampening != 0 {
      throw OptimError.invalidHyperparameter("Nesterov momentum requires a momentum and zero dampening")
    }
    _ = try _LearningRate.at(0, learningRate)
    self.learningRate = learningRate
    self.momentum = momentum
    self.dampening = dampening
    self.weightDecay = weightDecay
    self.nesterov = nesterov
    self.maximize = maximize
  }

  /// The same optimizer as a chain of transformations.
  public var chained: Chain<Scalar> {
    var parts: [any GradientTransformation<Scalar>] = []
    if maximize { parts.append(Scale<Scalar>(-1)) }
    parts.append(try! AddDecayedWeights<Scalar>(weightDecay))
    if momentum > 0 { parts.append(try! Trace<Scalar>(momentum: momentum, dampening: dampening, nesterov: nesterov)) }
    parts.append(ScaleByLearningRate<Scalar>(learningRate))
    return Chain(parts)
  }

  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { .zeros(momentum > 0 ? 1 : 0, length: count) }

  /// Implements `Optimizer._step`.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    let lr = Scalar(try _LearningRate.at(state.step, learningRate))
    let first = state.step == 0
    let run = { (buf: UnsafeMutablePointer<Scalar>?) in
      Scalar._sgd(params.baseAddress!, grads.baseAddress!, buf, params.count,
                  SGDKernelStep(lr: lr, momentum: Scalar(momentum), dampening: Scalar(dampening), weightDecay: Scalar(weightDecay),
                                nesterov: nesterov, maximize: maximize, firstStep: first))
    }
    if params.isEmpty {
    } else if momentum > 0 {
      state.withBuffer(0) { run($0.baseAddress!) }
    } else {
      run(nil)
    }
    state.step += 1
  }
}
