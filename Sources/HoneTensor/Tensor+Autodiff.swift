extension Tensor {
  /// A copy of the tensor that is a leaf of a new graph: operations on it are recorded, and
  /// `backward` on a scalar computed from it fills its gradient (read with `gradient`).
  public func tracked() -> Tensor {
    Tensor(shape: shape, storage: storage, node: _GradientNode(inputs: [], pullback: nil))
  }

  /// The gradient accumulated at this leaf by the last `backward` (nil before, or when the
  /// result did not depend on it).
  public var gradient: Tensor? { node?.gradient }

  /// Reverse-mode differentiation of this scalar: runs every pullback of its graph once, in
  /// reverse topological order, and leaves the gradients at the leaves. The graph's inner
  /// vertices are released as it goes.
  public func backward() {
    precondition(count == 1, "backward: the tensor has shape \(shape); differentiate a scalar")
    guard let node else { return }
    node.backpropagate(seed: Tensor(repeating: 1, shape: shape))
  }

  /// Records an operation: `value` was computed from `operands`; `pullback` maps the gradient
  /// of `value` to the gradients of the operands (nil where none is needed). Returns `value`
  /// untouched when no operand is tracked. This is how new differentiable operations are
  /// defined outside the engine.
  public static func differentiable(_ value: Tensor, operands: [Tensor],
                                    pullback: @escaping (Tensor) -> [Tensor?]) -> Tensor {
    var anyTracked = false
    for operand in operands where operand.node != nil { anyTracked = true; break }
    guard anyTracked else { return value }
    return Tensor(shape: value.shape, storage: value.storage,
                  node: _GradientNode(inputs: operands.map(\.node), pullback: pullback))
  }
}

/// The value of `f` at `x` and its gradient ∇f(x) (reverse mode). `f` must return a scalar
/// (one element). The graph is freed before this returns.
public func valueWithGradient<Scalar>(at x: Tensor<Scalar>, in f: (Tensor<Scalar>) throws -> Tensor<Scalar>)
  rethrows -> (value: Scalar, gradient: Tensor<Scalar>) {
  let (value, gradients) = try valueWithGradient(at: [x]) { try f($0[0]) }
  return (value, gradients[0])
}

/// The value of `f` at several tensors and its gradient with respect to each (zeros where
/// `f` does not depend on one).
public func valueWithGradient<Scalar>(at xs: [Tensor<Scalar>], in f: ([Tensor<Scalar>]) throws -> Tensor<Scalar>)
  rethrows -> (value: Scalar, gradients: [Tensor<Scalar>]) {
  let leaves = xs.map { $0.detached.tracked() }
  let y = try f(leaves)
  precondition(y.count == 1, "valueWithGradient: the function returned shape \(y.shape); it must return a scalar")
  y.backward()
  return (y.scalar, leaves.map { $0.gradient ?? Tensor(repeating: 0, shape: $0.shape) })
}

/// The gradient of `f` at `x`.
public func gradient<Scalar>(at x: Tensor<Scalar>, in f: (Tensor<Scalar>) throws -> Tensor<Scalar>) rethrows -> Tensor<Scalar> {
  try valueWithGradient(at: x, in: f).gradient
}
