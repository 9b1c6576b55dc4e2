/// The reductions with a kernel of their own.
enum _ReduceOp { case sum, max, min }

/// Reduces the middle dimension of x viewed as [outer, n, inner]: out[o, i] = op over k of
/// x[o, k, i]. Adds pairwise along `inner`, so each output row is one vectorized pass.
@_specialize(where S == Float) @_specialize(where S == Double)
func _reduceKernel<S: TensorScalar>(_ op: _ReduceOp, _ x: UnsafePointer<S>, _ out: UnsafeMutablePointer<S>,
                                   outer: Int, n: Int, inner: Int) {
  for o in 0..<outer {
    let row = out + o * inner
    let block = x + o * n * inner
    if inner == 1 {
      var acc: S
      switch op {
      case .sum:
        acc = 0
        for k in 0..<n { acc += block[k] }
      case .max:
        acc = -S.infinity
        for k in 0..<n where block[k] > acc || block[k].isNaN { acc = block[k] }
      case .min:
        acc = S.infinity
        for k in 0..<n where block[k] < acc || block[k].isNaN { acc = block[k] }
      }
      row[0] = acc
      continue
    }
    switch op {
    case .sum: row.initialize(repeating: 0, count: inner)
    case .max: row.initialize(repeating: -S.infinity, count: inner)
    case .min: row.initialize(repeating: S.infinity, count: inner)
    }
    for k in 0..<n {
      let source = block + k * inner
      switch op {
      case .sum: for i in 0..<inner { row[i] += source[i] }
      case .max: for i in 0..<inner where source[i] > row[i] || source[i].isNaN { row[i] = source[i] }
      case .min: for i in 0..<inner where source[i] < row[i] || source[i].isNaN { row[i] = source[i] }
      }
    }
  }
}

/// log-softmax of x viewed as [outer, n, inner] along the middle dimension:
/// y = x − max − log Σ exp(x − max).
@_specialize(where S == Float) @_specialize(where S == Double)
func _logSoftmaxKernel<S: TensorScalar>(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, outer: Int, n: Int, inner: Int) {
  for o in 0..<outer {
    for i in 0..<inner {
      let base = o * n * inner + i
      var m = -S.infinity
      for k in 0..<n where x[base + k * inner] > m { m = x[base + k * inner] }
      if !m.isFinite { m = 0 }
      var total: S = 0
      for k in 0..<n { total += S._exp(x[base + k * inner] - m) }
      let shift = m + S._log(total)
      for k in 0..<n { y[base + k * inner] = x[base + k * inner] - shift }
    }
  }
}

/// Copies x (of `shape`) into out with its axes permuted: out's axis j is x's axis `axes[j]`.
@_specialize(where S == Float) @_specialize(where S == Double)
func _permuteKernel<S: TensorScalar>(_ x: UnsafePointer<S>, _ out: UnsafeMutablePointer<S>, shape: [Int], axes: [Int]) {
  let rank = shape.count
  var strides = [Int](repeating: 1, count: rank)
  for d in stride(from: rank - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
  let outShape = axes.map { shape[$0] }
  let sourceStrides = axes.map { strides[$0] }
  let count = shape.reduce(1, *)
  guard count > 0 else { return }
  let n = outShape[rank - 1]
  let s = sourceStrides[rank - 1]
  var index = [Int](repeating: 0, count: rank)
  var offset = 0
  var o = out
  for _ in 0..<(count / n) {
    if s == 1 { o.initialize(from: x + offset, count: n) } else { for i in 0..<n { o[i] = x[offset + i * s] } }
    o += n
    var d = rank - 2
    while d >= 0 {
      index[d] += 1
      offset += sourceStrides[d]
      if index[d] < outShape[d] { break }
      offset -= sourceStrides[d] * outShape[d]
      index[d] = 0
      d -= 1
    }
  }
}
