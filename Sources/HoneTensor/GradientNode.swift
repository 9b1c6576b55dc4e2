/// A vertex of the graph that reverse-mode differentiation records while a tracked tensor
/// flows through operations: the tracked inputs of the operation that made a tensor, and its
/// pullback (the vector–Jacobian product: the gradient of the output ↦ the gradients of the
/// inputs). Leaves (the tensors differentiated against) have no pullback and keep their
/// gradient; the graph lives as long as the tensors that hold it, so nothing is kept after
/// `valueWithGradient` returns.
final class _GradientNode<Scalar: TensorScalar> {
  /// The nodes of the operation's operands (nil for an operand that is not tracked), in the
  /// order the pullback returns their gradients.
  let inputs: [_GradientNode<Scalar>?]
  /// The pullback; nil for leaves and after it ran.
  var pullback: ((Tensor<Scalar>) -> [Tensor<Scalar>?])?
  /// The gradient accumulated so far (summed over every use of the tensor).
  var gradient: Tensor<Scalar>?
  /// True for the tensors differentiated against.
  let isLeaf: Bool

  init(inputs: [_GradientNode<Scalar>?], pullback: ((Tensor<Scalar>) -> [Tensor<Scalar>?])?) {
    self.inputs = inputs
    self.pullback = pullback
    isLeaf = pullback == nil
  }

  /// Adds `g` to the accumulated gradient.
  func accumulate(_ g: Tensor<Scalar>) {
    if let existing = gradient { gradient = existing._adding(g) } else { gradient = g }
  }

  /// Reverse accumulation from `self` (a scalar's node) seeded with `seed`: the nodes in
  /// reverse topological order (a depth-first post-order, reversed), each pullback run once
  /// with the sum of the gradients flowing into its node. Pullbacks and the gradients of
  /// inner nodes are released as soon as they are used.
  func backpropagate(seed: Tensor<Scalar>) {
    var order: [_GradientNode<Scalar>] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(node: _GradientNode<Scalar>, expanded: Bool)] = [(self, false)]
    while let (node, expanded) = stack.popLast() {
      if expanded { order.append(node); continue }
      guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
      stack.append((node, true))
      for case let input? in node.inputs where !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
    }
    accumulate(seed)
    for node in order.reversed() {
      guard let pullback = node.pullback, let g = node.gradient else { continue }
      node.pullback = nil
      node.gradient = nil
      let grads = pullback(g)
      for (input, grad) in zip(node.inputs, grads) { if let input, let grad { input.accumulate(grad) } }
    }
  }
}
