/// The elementwise binary operations with a kernel of their own. Comparisons give 1 or 0.
enum _BinaryOp {
  case add, subtract, multiply, divide, maximum, minimum, greater, greaterOrEqual, less, lessOrEqual, equal

  @inline(__always) func apply<S: TensorScalar>(_ a: S, _ b: S) -> S {
    switch self {
    case .add: a + b
    case .subtract: a - b
    case .multiply: a * b
    case .divide: a / b
    case .maximum: a.isNaN || a >= b ? a : b
    case .minimum: a.isNaN || a <= b ? a : b
    case .greater: a > b ? 1 : 0
    case .greaterOrEqual: a >= b ? 1 : 0
    case .less: a < b ? 1 : 0
    case .lessOrEqual: a <= b ? 1 : 0
    case .equal: a == b ? 1 : 0
    }
  }
}

/// The layout of a broadcast binary operation after merging dimensions that are contiguous
/// for both operands: the output shape and each operand's strides (0 along broadcast axes).
struct _BroadcastLayout {
  var shape: [Int]
  var aStrides: [Int]
  var bStrides: [Int]

  /// NumPy broadcasting: shapes aligned at the right; each pair of sizes equal or one of them 1.
  static func outputShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
    let rank = Swift.max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
      let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
      let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
      precondition(da == db || da == 1 || db == 1, "\(op): shapes \(a) and \(b) cannot be broadcast together")
      out[i] = da == 1 ? db : da
    }
    return out
  }

  /// Row-major strides of `shape` seen in `output` (0 where broadcast).
  static func strides(of shape: [Int], in output: [Int]) -> [Int] {
    var strides = [Int](repeating: 0, count: output.count)
    var step = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      let j = i + output.count - shape.count
      strides[j] = shape[i] == 1 ? 0 : step
      step *= shape[i]
    }
    return strides
  }

  init(_ a: [Int], _ b: [Int], output: [Int]) {
    var shape: [Int] = []
    var sa: [Int] = []
    var sb: [Int] = []
    let fullA = Self.strides(of: a, in: output)
    let fullB = Self.strides(of: b, in: output)
    for i in output.indices where output[i] != 1 {
      if let last = shape.indices.last,
         sa[last] == fullA[i] * output[i], sb[last] == fullB[i] * output[i] {
        shape[last] *= output[i]
        sa[last] = fullA[i]
        sb[last] = fullB[i]
      } else {
        shape.append(output[i]); sa.append(fullA[i]); sb.append(fullB[i])
      }
    }
    if shape.isEmpty { shape = [1]; sa = [0]; sb = [0] }
    self.shape = shape
    aStrides = sa
    bStrides = sb
  }
}

/// out = a ∘ b with broadcasting (`layout` from `_BroadcastLayout`).
@_specialize(where S == Float) @_specialize(where S == Double)
func _binaryKernel<S: TensorScalar>(_ op: _BinaryOp, _ a: UnsafePointer<S>, _ b: UnsafePointer<S>,
                                   _ out: UnsafeMutablePointer<S>, _ layout: _BroadcastLayout) {
  let rank = layout.shape.count
  let n = layout.shape[rank - 1]
  let sa = layout.aStrides[rank - 1]
  let sb = layout.bStrides[rank - 1]
  var index = [Int](repeating: 0, count: rank)
  var offsetA = 0
  var offsetB = 0
  var o = out
  let rows = layout.shape.dropLast().reduce(1, *)
  for _ in 0..<rows {
    let pa = a + offsetA
    let pb = b + offsetB
    switch (op, sa, sb) {
    case (.add, 1, 1): for i in 0..<n { o[i] = pa[i] + pb[i] }
    case (.add, 1, 0): let v = pb[0]; for i in 0..<n { o[i] = pa[i] + v }
    case (.multiply, 1, 1): for i in 0..<n { o[i] = pa[i] * pb[i] }
    case (.multiply, 1, 0): let v = pb[0]; for i in 0..<n { o[i] = pa[i] * v }
    case (.subtract, 1, 1): for i in 0..<n { o[i] = pa[i] - pb[i] }
    case (.subtract, 1, 0): let v = pb[0]; for i in 0..<n { o[i] = pa[i] - v }
    case (.divide, 1, 1): for i in 0..<n { o[i] = pa[i] / pb[i] }
    case (.divide, 1, 0): let v = pb[0]; for i in 0..<n { o[i] = pa[i] / v }
    default: for i in 0..<n { o[i] = op.apply(pa[i * sa], pb[i * sb]) }
    }
    o += n
    // Advance the outer index (odometer over all but the last dimension).
    var d = rank - 2
    while d >= 0 {
      index[d] += 1
      offsetA += layout.aStrides[d]
      offsetB += layout.bStrides[d]
      if index[d] < layout.shape[d] { break }
      offsetA -= layout.aStrides[d] * layout.shape[d]
      offsetB -= layout.bStrides[d] * layout.shape[d]
      index[d] = 0
      d -= 1
    }
  }
}
