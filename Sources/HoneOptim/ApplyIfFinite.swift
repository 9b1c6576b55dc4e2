/// Skips steps whose gradient has a NaN or an infinity, leaving parameters and state as they
/// were and counting the skip in `state.skippedSteps` (optax `apply_if_finite`). Without it,
/// a non-finite gradient propagates into the parameters, as in torch. One extra read of the
/// gradient per step.
public struct ApplyIfFinite<Base: Optimizer>: Optimizer {
  /// The wrapped optimizer.
  public let base: Base
  /// Wraps `base`.
  public init(_ base: Base) { self.base = base }

  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Base.Scalar> { base.initialState(count: count) }

  /// Implements `Optimizer._step`.
  public func _step(params: UnsafeMutableBufferPointer<Base.Scalar>, grads: UnsafeMutableBufferPointer<Base.Scalar>,
                    state: inout OptimizerState<Base.Scalar>) throws {
    var finite = true
    for g in grads where !g.isFinite {
      finite = false
      break
    }
    guard finite else {
      state.skippedSteps += 1
      return
    }
    try base._step(params: params, grads: grads, state: &state)
  }
}
