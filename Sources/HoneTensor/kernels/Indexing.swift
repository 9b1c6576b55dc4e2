/// out[i] = value for i < count.
@_specialize(where S == Float) @_specialize(where S == Double)
func _fillKernel<S: TensorScalar>(_ out: UnsafeMutablePointer<S>, _ count: Int, _ value: S) {
  for i in 0..<count { out[i] = value }
}

/// out[o] = x[indices[o]].
@_specialize(where S == Float) @_specialize(where S == Double)
func _gatherKernel<S: TensorScalar>(_ x: UnsafePointer<S>, _ indices: UnsafePointer<Int>, _ count: Int, _ out: UnsafeMutablePointer<S>) {
  for o in 0..<count { out[o] = x[indices[o]] }
}

/// out ← 0 (`outCount` elements), then out[indices[o]] += values[o] (repeated indices add up).
@_specialize(where S == Float) @_specialize(where S == Double)
func _scatterAddKernel<S: TensorScalar>(_ values: UnsafePointer<S>, _ indices: UnsafePointer<Int>, _ count: Int,
                                       _ out: UnsafeMutablePointer<S>, _ outCount: Int) {
  for i in 0..<outCount { out[i] = 0 }
  for o in 0..<count { out[indices[o]] += values[o] }
}

/// Copies blocks of `inner` elements of x viewed as [outer, n, inner]: out[o, j, :] = x[o, indices[j], :].
@_specialize(where S == Float) @_specialize(where S == Double)
func _gatherBlocksKernel<S: TensorScalar>(_ x: UnsafePointer<S>, _ out: UnsafeMutablePointer<S>, outer: Int, n: Int, inner: Int,
                                         _ indices: UnsafePointer<Int>, _ count: Int) {
  var p = out
  for o in 0..<outer {
    for j in 0..<count {
      p.update(from: x + (o * n + indices[j]) * inner, count: inner)
      p += inner
    }
  }
}

/// The adjoint of `_gatherBlocksKernel`: dx ← 0, then dx[o, indices[j], :] += g[o, j, :].
@_specialize(where S == Float) @_specialize(where S == Double)
func _scatterBlocksAddKernel<S: TensorScalar>(_ g: UnsafePointer<S>, _ dx: UnsafeMutablePointer<S>, outer: Int, n: Int, inner: Int,
                                             _ indices: UnsafePointer<Int>, _ count: Int) {
  for i in 0..<(outer * n * inner) { dx[i] = 0 }
  var p = g
  for o in 0..<outer {
    for j in 0..<count {
      let target = dx + (o * n + indices[j]) * inner
      for k in 0..<inner { target[k] += p[k] }
      p += inner
    }
  }
}
