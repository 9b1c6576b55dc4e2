/// Transformations applied one after another, each to the previous one's updates (optax
/// `chain`). The state holds one child state per part.
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
}

/// Chains transformations: `chain(scaleByAdam(), scaleByLearningRate(1e-3))` is Adam.
public func chain<Scalar>(_ parts: any GradientTransformation<Scalar>...) -> Chain<Scalar> { Chain(parts) }
