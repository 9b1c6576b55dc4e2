/// A named optimizer (SGD, Adam, Lion, EXAdam, …): the chain of gradient transformations that
/// defines it, and optionally a fused kernel that computes the same step in one pass over
/// memory. The transformations own the hyperparameters, their validation and the named state;
/// the optimizer only composes them.
///
/// Without a kernel, `initialState` and `_step` are the chain's. With one, the optimizer
/// implements both itself (its state is then the flat buffers of its transformations), and
/// the table test of the optimizer tests checks the kernel against the chain within a few ulps.
public protocol NamedOptimizer<Scalar>: Optimizer {
  /// The same optimizer as a chain of transformations (optax's `chain`).
  var chained: Chain<Scalar> { get }
}

extension NamedOptimizer {
  /// Implements `Optimizer.initialState` for an optimizer without a fused kernel: the chain's.
  public func initialState(count: Int) -> OptimizerState<Scalar> { chained.initialState(count: count) }

  /// Implements `Optimizer._step` for an optimizer without a fused kernel: the chain's step.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    try chained._step(params: params, grads: grads, state: &state)
  }
}
