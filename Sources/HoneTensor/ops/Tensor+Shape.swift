extension Tensor {
  /// The same elements in a new shape; one dimension may be −1 (inferred). Shares storage.
  public func reshaped(to newShape: [Int]) -> Tensor {
    var target = newShape
    if let hole = target.firstIndex(of: -1) {
      let known = target.enumerated().filter { $0.offset != hole }.reduce(1) { $0 * $1.element }
      precondition(known > 0 && count % known == 0, "reshape: cannot reshape \(shape) to \(newShape)")
      target[hole] = count / known
    }
    precondition(_elementCount(target) == count, "reshape: cannot reshape \(shape) (\(count) elements) to \(newShape)")
    if target == shape { return self }
    let original = shape
    let value = Tensor(shape: target, storage: storage)
    return Tensor.differentiable(value, operands: [self]) { g in [g.reshaped(to: original)] }
  }

  /// The tensor flattened to [first dimension, rest].
  public func flattened(startAxis: Int = 1) -> Tensor {
    reshaped(to: Array(shape[..<startAxis]) + [shape[startAxis...].reduce(1, *)])
  }

  /// The axes reordered: the result's axis j is this tensor's axis `axes[j]`.
  public func permuted(_ axes: [Int]) -> Tensor {
    precondition(axes.sorted() == Array(0..<rank), "permute: \(axes) is not a permutation of the axes of shape \(shape)")
    if axes == Array(0..<rank) { return self }
    let value = Tensor(shape: axes.map { shape[$0] }) { out in
      _permuteKernel(storage.base, out.baseAddress!, shape: shape, axes: axes)
    }
    var inverse = [Int](repeating: 0, count: rank)
    for (j, a) in axes.enumerated() { inverse[a] = j }
    return Tensor.differentiable(value, operands: [self]) { g in [g.permuted(inverse)] }
  }

  /// The matrix transpose (the last two axes swapped).
  public func transposed() -> Tensor {
    precondition(rank >= 2, "transposed: shape \(shape) has fewer than two axes")
    var axes = Array(0..<rank)
    axes.swapAt(rank - 1, rank - 2)
    return permuted(axes)
  }

  /// The elements with index in `range` along `axis`.
  public func slice(alongAxis axis: Int, _ range: Range<Int>) -> Tensor {
    let a = _axis(axis, "slice")
    precondition(range.lowerBound >= 0 && range.upperBound <= shape[a],
                 "slice: range \(range) out of bounds for axis \(a) of shape \(shape)")
    let (outer, n, inner) = _around(a)
    var outShape = shape
    outShape[a] = range.count
    let value = Tensor(shape: outShape) { out in
      for o in 0..<outer {
        (out.baseAddress! + o * range.count * inner).initialize(
          from: storage.base + (o * n + range.lowerBound) * inner, count: range.count * inner)
      }
    }
    let fullShape = shape
    return Tensor.differentiable(value, operands: [self]) { g in
      var before = fullShape, after = fullShape
      before[a] = range.lowerBound
      after[a] = n - range.upperBound
      return [Tensor.concatenate([Tensor(repeating: 0, shape: before), g, Tensor(repeating: 0, shape: after)], alongAxis: a)]
    }
  }

  /// The tensors joined along an existing axis (their other dimensions must agree).
  public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "concatenate: no tensors")
    let a = tensors[0]._axis(axis, "concatenate")
    for t in tensors {
      var s0 = tensors[0].shape, s1 = t.shape
      precondition(s0.count == s1.count, "concatenate: shapes \(tensors[0].shape) and \(t.shape) have different ranks")
      s0[a] = 0; s1[a] = 0
      precondition(s0 == s1, "concatenate: shapes \(tensors[0].shape) and \(t.shape) differ outside axis \(a)")
    }
    var outShape = tensors[0].shape
    outShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
    let outer = outShape[..<a].reduce(1, *)
    let inner = outShape[(a + 1)...].reduce(1, *)
    let value = Tensor(shape: outShape) { out in
      var offset = 0
      for o in 0..<outer {
        for t in tensors {
          let block = t.shape[a] * inner
          (out.baseAddress! + offset).initialize(from: t.storage.base + o * block, count: block)
          offset += block
        }
      }
    }
    let sizes = tensors.map { $0.shape[a] }
    return differentiable(value, operands: tensors) { g in
      var start = 0
      return sizes.map { size in
        defer { start += size }
        return g.slice(alongAxis: a, start..<(start + size))
      }
    }
  }

  /// The tensors (all of one shape) stacked along a new axis.
  public static func stack(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "stack: no tensors")
    let shape = tensors[0].shape
    let a = axis < 0 ? axis + shape.count + 1 : axis
    precondition(a >= 0 && a <= shape.count, "stack: axis \(axis) out of range for shape \(shape)")
    for t in tensors { precondition(t.shape == shape, "stack: shapes \(shape) and \(t.shape) differ") }
    var expanded = shape
    expanded.insert(1, at: a)
    return concatenate(tensors.map { $0.reshaped(to: expanded) }, alongAxis: a)
  }

  /// The slices at `indices` along `axis` (PyTorch's `index_select`); an index may repeat,
  /// and the gradient then adds up.
  public func gathering(_ indices: [Int], alongAxis axis: Int = 0) -> Tensor {
    let a = _axis(axis, "gather")
    let (outer, n, inner) = _around(a)
    for i in indices { precondition(i >= 0 && i < n, "gather: index \(i) out of range for axis \(a) of shape \(shape)") }
    var outShape = shape
    outShape[a] = indices.count
    let value = Tensor(shape: outShape) { out in
      indices.withUnsafeBufferPointer {
        _gatherBlocksKernel(storage.base, out.baseAddress!, outer: outer, n: n, inner: inner, $0.baseAddress!, $0.count)
      }
    }
    let fullShape = shape
    return Tensor.differentiable(value, operands: [self]) { g in
      [Tensor(shape: fullShape) { dx in
        indices.withUnsafeBufferPointer {
          _scatterBlocksAddKernel(g.storage.base, dx.baseAddress!, outer: outer, n: n, inner: inner, $0.baseAddress!, $0.count)
        }
      }]
    }
  }

  /// Picks one element per row of a matrix: result[r] = self[r, columns[r]]. The pullback
  /// scatters the gradient back (used by the likelihood losses).
  public func picking(columns: [Int]) -> Tensor {
    precondition(rank == 2 && columns.count == shape[0], "picking: \(columns.count) columns for shape \(shape)")
    let n = shape[1]
    for c in columns { precondition(c >= 0 && c < n, "picking: column \(c) out of range for shape \(shape)") }
    let flat = columns.enumerated().map { $0.offset * n + $0.element }
    let value = Tensor(shape: [columns.count]) { out in
      flat.withUnsafeBufferPointer { _gatherKernel(storage.base, $0.baseAddress!, $0.count, out.baseAddress!) }
    }
    let fullShape = shape
    return Tensor.differentiable(value, operands: [self]) { g in
      [Tensor(shape: fullShape) { dx in
        flat.withUnsafeBufferPointer { _scatterAddKernel(g.storage.base, $0.baseAddress!, $0.count, dx.baseAddress!, dx.count) }
      }]
    }
  }

  /// One-hot rows: result[i, labels[i]] = 1, zeros elsewhere.
  public static func oneHot(_ labels: [Int], classes: Int) -> Tensor {
    Tensor(shape: [labels.count, classes]) { out in
      _fillKernel(out.baseAddress!, out.count, 0)
      for (i, label) in labels.enumerated() {
        precondition(label >= 0 && label < classes, "oneHot: label \(label) outside 0..<\(classes)")
        out[i * classes + label] = 1
      }
    }
  }
}
