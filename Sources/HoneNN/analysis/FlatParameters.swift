import HoneTensor

/// A model's trainable parameters as one flat vector w (in traversal order), for the
/// measurements that treat the network as a function of w: the loss along a line between two
/// solutions, Hessian-vector products by differences of gradients.
public struct FlatParameters {
  /// The parameters, in traversal order.
  public let parameters: [(name: String, parameter: Parameter)]

  /// The trainable parameters of `model`.
  public init(_ model: some Module) { parameters = model.trainableParameters() }

  /// The number of scalars, dim w.
  public var count: Int { parameters.reduce(0) { $0 + $1.parameter.value.count } }

  /// The current w.
  public var values: [Float] {
    var out: [Float] = []
    out.reserveCapacity(count)
    for (_, p) in parameters { out += p.value.scalars }
    return out
  }

  /// Sets w (its length must be `count`).
  public func set(_ w: [Float]) {
    precondition(w.count == count, "FlatParameters.set: \(w.count) values for \(count) parameters")
    var offset = 0
    for (_, p) in parameters {
      let n = p.value.count
      p.value = Tensor(shape: p.value.shape, scalars: Array(w[offset..<offset + n]))
      offset += n
    }
  }

  /// ∇L(w) as a flat vector, L computed by `loss` at the current parameters.
  public func gradient(_ loss: () -> Tensor<Float>) -> (value: Float, gradient: [Float]) {
    let (value, gradients) = _valueWithGradient(parameters, loss)
    var out: [Float] = []
    out.reserveCapacity(count)
    for (name, _) in parameters { out += gradients[name]!.scalars }
    return (value, out)
  }

  /// ∇L as a function of w: sets w, takes the gradient, and puts the original w back.
  public func gradientFunction(_ loss: @escaping () -> Tensor<Float>) -> ([Float]) -> [Float] {
    { w in
      let saved = self.values
      self.set(w)
      defer { self.set(saved) }
      return self.gradient(loss).gradient
    }
  }
}
