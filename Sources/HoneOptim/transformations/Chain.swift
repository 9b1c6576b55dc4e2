/// Transformations applied one after another, each to the previous one's updates (optax
/// `chain`). The state holds one child state per part.
///
/// As an optimizer, a chain adds its final update to the parameters; when its last part is
/// `ScaleByLearningRate`, that part and the addition round once, p ← p − lr·u (torch's
/// `p.add_(u, alpha=-lr)`), so a chain rounds its step like the fused kernel it mirrors.
public struct Chain<Scalar: OptimizerScalar>: GradientTransformation {
  /// The parts, in order.
  public let parts: [any GradientTransformation<Scalar>]

  /// A chain of `parts`.
  public init(_ parts: [any GradientTransformation<Scalar>]) { self.parts = parts }

  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Scalar> {
    OptimizerState(children: parts.map { $0.initialState(count: count) })
  }

  /// Implements `GradientTransformation.update`.
  public func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
                     params: UnsafeBufferPointer<Scalar>) throws {
    guard state.children.count == parts.count else {
      throw OptimError.invalidState("the state has \(state.children.count) parts, the chain \(parts.count)")
    }
    for (i, part) in parts.enumerated() { try part.update(updates, state: &state.children[i], params: params) }
    state.step += 1
  }

  /// Implements `Optimizer._step`: the parts' updates, then p ← p + u (with a last
  /// `ScaleByLearningRate`: p ← p − lr·u, one rounding).
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    guard let rate = parts.last as? ScaleByLearningRate<Scalar> else {
      try update(grads, state: &state, params: UnsafeBufferPointer(params))
      for i in 0..<params.count { params[i] += grads[i] }
      return
    }
    guard state.children.count == parts.count else {
      throw OptimError.invalidState("the state has \(state.children.count) parts, the chain \(parts.count)")
    }
    let last = parts.count - 1
    for i in 0..<last { try parts[i].update(grads, state: &state.children[i], params: UnsafeBufferPointer(params)) }
    try rate.apply(grads, to: params, state: &state.children[last])
    state.step += 1
  }
}

/// Chains transformations: `chain(scaleByAdam(), scaleByLearningRate(1e-3))` is Adam.
public func chain<Scalar>(_ parts: any GradientTransformation<Scalar>...) -> Chain<Scalar> { Chain(parts) }
