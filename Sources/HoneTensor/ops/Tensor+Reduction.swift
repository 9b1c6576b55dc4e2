extension Tensor {
  /// The [outer, n, inner] view of the tensor around `axis`.
  func _around(_ axis: Int) -> (outer: Int, n: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
  }

  /// `axis` made non-negative (negative axes count from the end) and checked.
  func _axis(_ axis: Int, _ op: String) -> Int {
    let a = axis < 0 ? axis + rank : axis
    precondition(a >= 0 && a < rank, "\(op): axis \(axis) is out of range for shape \(shape)")
    return a
  }

  /// The shape after reducing `axis`.
  func _reducedShape(_ axis: Int, keepDims: Bool) -> [Int] {
    var s = shape
    if keepDims { s[axis] = 1 } else { s.remove(at: axis) }
    return s
  }

  func _reduce(_ op: _ReduceOp, axis: Int) -> Tensor {
    let (outer, n, inner) = _around(axis)
    return Tensor(shape: _reducedShape(axis, keepDims: true)) { out in
      _reduceKernel(op, storage.base, out.baseAddress!, outer: outer, n: n, inner: inner)
    }
  }

  /// The sum of all elements (a scalar).
  public func sum() -> Tensor { reshaped(to: [count]).sum(alongAxes: [0]) }

  /// The sum over the given axes (negative axes count from the end).
  public func sum(alongAxes axes: [Int], keepDims: Bool = false) -> Tensor {
    let normalized = Set(axes.map { _axis($0, "sum") })
    var value = detached
    for axis in normalized.sorted() { value = value._reduce(.sum, axis: axis) }
    let kept = value.shape
    if !keepDims { value = value.reshaped(to: shape.indices.filter { !normalized.contains($0) }.map { shape[$0] }) }
    let inputShape = shape
    return Tensor.differentiable(value, operands: [self]) { g in
      [g.reshaped(to: kept)._broadcast(.add, Tensor(repeating: 0, shape: inputShape), name: "sum")]
    }
  }

  /// The sum over one axis.
  public func sum(alongAxis axis: Int, keepDims: Bool = false) -> Tensor { sum(alongAxes: [axis], keepDims: keepDims) }

  /// The mean of all elements.
  public func mean() -> Tensor { sum() / Scalar(Swift.max(count, 1)) }

  /// The mean over the given axes.
  public func mean(alongAxes axes: [Int], keepDims: Bool = false) -> Tensor {
    let n = Set(axes.map { _axis($0, "mean") }).reduce(1) { $0 * shape[$1] }
    return sum(alongAxes: axes, keepDims: keepDims) / Scalar(Swift.max(n, 1))
  }

  /// The mean over one axis.
  public func mean(alongAxis axis: Int, keepDims: Bool = false) -> Tensor { mean(alongAxes: [axis], keepDims: keepDims) }

  /// The maximum over one axis; the gradient goes to the maximal elements (shared equally
  /// between ties).
  public func max(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
    let a = _axis(axis, "max")
    let kept = detached._reduce(.max, axis: a)
    let value = keepDims ? kept : kept.reshaped(to: _reducedShape(a, keepDims: false))
    let x = detached
    return Tensor.differentiable(value, operands: [self]) { g in
      let mask = x._broadcast(.equal, kept, name: "max")
      let ties = mask._reduce(.sum, axis: a)
      return [mask * (g.reshaped(to: kept.shape) / ties)]
    }
  }

  /// The maximum of all elements.
  public func max() -> Tensor { reshaped(to: [count]).max(alongAxis: 0) }

  /// The minimum over one axis.
  public func min(alongAxis axis: Int, keepDims: Bool = false) -> Tensor { -(-self).max(alongAxis: axis, keepDims: keepDims) }

  /// The index of the largest element along `axis` (the first one on ties), for every
  /// position of the other axes in row-major order. Not differentiable.
  public func argmax(alongAxis axis: Int) -> [Int] {
    let a = _axis(axis, "argmax")
    let (outer, n, inner) = _around(a)
    var result = [Int](repeating: 0, count: outer * inner)
    let x = storage.base
    for o in 0..<outer {
      for i in 0..<inner {
        var best = 0
        for k in 1..<Swift.max(n, 1) where x[(o * n + k) * inner + i] > x[(o * n + best) * inner + i] { best = k }
        result[o * inner + i] = best
      }
    }
    return result
  }

  /// log Σ exp(x) along `axis`, computed as m + log Σ exp(x − m) with m the maximum.
  public func logSumExp(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
    let a = _axis(axis, "logSumExp")
    let m = detached._reduce(.max, axis: a)
    let finite = Tensor.where(m.abs().less(Tensor(Scalar.infinity)), m, Tensor(0))
    let shifted = (self - finite).exp().sum(alongAxes: [a], keepDims: true).log() + finite
    return keepDims ? shifted : shifted.reshaped(to: _reducedShape(a, keepDims: false))
  }

  /// The softmax along `axis`: exp(x − logΣexp x).
  public func softmax(alongAxis axis: Int = -1) -> Tensor { logSoftmax(alongAxis: axis).exp() }

  /// log-softmax along `axis`: x − log Σ exp(x), one fused kernel; its pullback is
  /// g − softmax·Σg.
  public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
    let a = _axis(axis, "logSoftmax")
    let (outer, n, inner) = _around(a)
    let y = Tensor(shape: shape) { out in _logSoftmaxKernel(storage.base, out.baseAddress!, outer: outer, n: n, inner: inner) }
    return Tensor.differentiable(y, operands: [self]) { g in
      [g - y.detached.exp() * g._reduce(.sum, axis: a)]
    }
  }
}
