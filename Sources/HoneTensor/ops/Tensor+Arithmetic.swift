extension Tensor {
  /// Applies a binary kernel with broadcasting (no recording).
  func _broadcast(_ op: _BinaryOp, _ other: Tensor, name: String) -> Tensor {
    let outShape = shape == other.shape ? shape : _BroadcastLayout.outputShape(shape, other.shape, op: name)
    let layout = _BroadcastLayout(shape, other.shape, output: outShape)
    return Tensor(shape: outShape) { out in
      guard out.count > 0 else { return }
      _binaryKernel(op, storage.base, other.storage.base, out.baseAddress!, layout)
    }
  }

  /// The sum of the tensor over the axes that broadcasting added or stretched, so that the
  /// result has `target` shape (the gradient of a broadcast operand).
  public func sumToShape(_ target: [Int]) -> Tensor {
    if shape == target { return self }
    var result = self
    let extra = rank - target.count
    precondition(extra >= 0, "sumToShape: \(shape) cannot be reduced to \(target)")
    for axis in 0..<rank where axis < extra || target[axis - extra] == 1 && shape[axis] != 1 {
      result = result.sum(alongAxes: [axis], keepDims: true)
    }
    return result.reshaped(to: target)
  }

  /// a + b elementwise, with NumPy broadcasting.
  public static func + (a: Tensor, b: Tensor) -> Tensor {
    let value = a._broadcast(.add, b, name: "+")
    return differentiable(value, operands: [a, b]) { g in [g.sumToShape(a.shape), g.sumToShape(b.shape)] }
  }

  /// a − b elementwise, with broadcasting.
  public static func - (a: Tensor, b: Tensor) -> Tensor {
    let value = a._broadcast(.subtract, b, name: "-")
    return differentiable(value, operands: [a, b]) { g in [g.sumToShape(a.shape), (-g).sumToShape(b.shape)] }
  }

  /// a · b elementwise, with broadcasting.
  public static func * (a: Tensor, b: Tensor) -> Tensor {
    let value = a._broadcast(.multiply, b, name: "*")
    return differentiable(value, operands: [a, b]) { g in
      [a.isTracked ? (g * b.detached).sumToShape(a.shape) : nil,
       b.isTracked ? (g * a.detached).sumToShape(b.shape) : nil]
    }
  }

  /// a / b elementwise, with broadcasting.
  public static func / (a: Tensor, b: Tensor) -> Tensor {
    let value = a._broadcast(.divide, b, name: "/")
    return differentiable(value, operands: [a, b]) { g in
      [a.isTracked ? (g / b.detached).sumToShape(a.shape) : nil,
       b.isTracked ? (-(g * value.detached) / b.detached).sumToShape(b.shape) : nil]
    }
  }

  /// The elementwise maximum (the gradient goes to `a` where a ≥ b).
  public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    let value = a._broadcast(.maximum, b, name: "maximum")
    let mask = a._broadcast(.greaterOrEqual, b, name: "maximum")
    return differentiable(value, operands: [a, b]) { g in
      [(g * mask).sumToShape(a.shape), (g * (1 - mask)).sumToShape(b.shape)]
    }
  }

  /// The elementwise minimum (the gradient goes to `a` where a ≤ b).
  public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
    let value = a._broadcast(.minimum, b, name: "minimum")
    let mask = a._broadcast(.lessOrEqual, b, name: "minimum")
    return differentiable(value, operands: [a, b]) { g in
      [(g * mask).sumToShape(a.shape), (g * (1 - mask)).sumToShape(b.shape)]
    }
  }

  /// −a.
  public static prefix func - (a: Tensor) -> Tensor { a._map(.negate) }

  /// a + s.
  public static func + (a: Tensor, s: Scalar) -> Tensor { a + Tensor(s) }
  /// s + a.
  public static func + (s: Scalar, a: Tensor) -> Tensor { Tensor(s) + a }
  /// a − s.
  public static func - (a: Tensor, s: Scalar) -> Tensor { a - Tensor(s) }
  /// s − a.
  public static func - (s: Scalar, a: Tensor) -> Tensor { Tensor(s) - a }
  /// a · s.
  public static func * (a: Tensor, s: Scalar) -> Tensor { a * Tensor(s) }
  /// s · a.
  public static func * (s: Scalar, a: Tensor) -> Tensor { Tensor(s) * a }
  /// a / s.
  public static func / (a: Tensor, s: Scalar) -> Tensor { a / Tensor(s) }
  /// s / a.
  public static func / (s: Scalar, a: Tensor) -> Tensor { Tensor(s) / a }

  /// a += b.
  public static func += (a: inout Tensor, b: Tensor) { a = a + b }
  /// a −= b.
  public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
  /// a ·= b.
  public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
  /// a /= b.
  public static func /= (a: inout Tensor, b: Tensor) { a = a / b }

  /// Unrecorded sum (used to accumulate gradients).
  func _adding(_ other: Tensor) -> Tensor { _broadcast(.add, other, name: "+") }
}

extension Tensor {
  /// 1 where a > b, else 0 (broadcasting; not differentiable).
  public func greater(_ b: Tensor) -> Tensor { detached._broadcast(.greater, b.detached, name: "greater") }
  /// 1 where a ≥ b, else 0.
  public func greaterOrEqual(_ b: Tensor) -> Tensor { detached._broadcast(.greaterOrEqual, b.detached, name: "greaterOrEqual") }
  /// 1 where a < b, else 0.
  public func less(_ b: Tensor) -> Tensor { detached._broadcast(.less, b.detached, name: "less") }
  /// 1 where a ≤ b, else 0.
  public func lessOrEqual(_ b: Tensor) -> Tensor { detached._broadcast(.lessOrEqual, b.detached, name: "lessOrEqual") }
  /// 1 where a = b, else 0.
  public func equal(_ b: Tensor) -> Tensor { detached._broadcast(.equal, b.detached, name: "equal") }

  /// Picks `a` where `condition` is non-zero and `b` elsewhere (broadcasting all three).
  /// Differentiable in `a` and `b`: the gradient goes to the operand that was picked.
  public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    let outShape = _BroadcastLayout.outputShape(_BroadcastLayout.outputShape(condition.shape, a.shape, op: "where"), b.shape, op: "where")
    let zeros = Tensor(repeating: 0, shape: outShape)
    let mask = condition.detached._broadcast(.equal, Tensor(0), name: "where")._broadcast(.add, zeros, name: "where")
    let x = a.detached._broadcast(.add, zeros, name: "where")
    let y = b.detached._broadcast(.add, zeros, name: "where")
    let value = Tensor(shape: outShape) { out in
      _selectKernel(mask.storage.base, x.storage.base, y.storage.base, out.baseAddress!, out.count)
    }
    return differentiable(value, operands: [a, b]) { g in
      [Tensor.where(condition, g, zeros).sumToShape(a.shape), Tensor.where(condition, zeros, g).sumToShape(b.shape)]
    }
  }
}

/// out = (isZero == 0 ? a : b) elementwise; `isZero` holds 1 where the condition was zero.
@_specialize(where S == Float) @_specialize(where S == Double)
func _selectKernel<S: TensorScalar>(_ isZero: UnsafePointer<S>, _ a: UnsafePointer<S>, _ b: UnsafePointer<S>,
                                   _ out: UnsafeMutablePointer<S>, _ count: Int) {
  for i in 0..<count { out[i] = isZero[i] == 0 ? a[i] : b[i] }
}
