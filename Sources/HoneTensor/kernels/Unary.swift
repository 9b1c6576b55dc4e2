/// The elementwise functions with a kernel of their own.
enum _UnaryOp {
  case negate, exp, log, sqrt, tanh, sigmoid, relu, leakyRelu, gelu, silu, abs, square, power, sign
}

/// y = f(x) elementwise; `parameter` is the slope of leaky ReLU and the exponent of `power`.
@_specialize(where S == Float) @_specialize(where S == Double)
func _mapKernel<S: TensorScalar>(_ op: _UnaryOp, _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ count: Int, _ parameter: S) {
  switch op {
  case .negate: for i in 0..<count { y[i] = -x[i] }
  case .exp: for i in 0..<count { y[i] = S._exp(x[i]) }
  case .log: for i in 0..<count { y[i] = S._log(x[i]) }
  case .sqrt: for i in 0..<count { y[i] = x[i].squareRoot() }
  case .tanh: for i in 0..<count { y[i] = S._tanh(x[i]) }
  case .sigmoid:
    for i in 0..<count {
      let v = x[i]
      if v >= 0 { y[i] = 1 / (1 + S._exp(-v)) } else { let e = S._exp(v); y[i] = e / (1 + e) }
    }
  case .relu: S._reluSelect(x, x, y, count)
  case .leakyRelu: for i in 0..<count { y[i] = x[i] > 0 ? x[i] : parameter * x[i] }
  case .gelu:
    let invSqrt2 = 1 / S(2).squareRoot()
    for i in 0..<count { y[i] = x[i] / 2 * (1 + S._erf(x[i] * invSqrt2)) }
  case .silu:
    for i in 0..<count {
      let v = x[i]
      let s: S = v >= 0 ? 1 / (1 + S._exp(-v)) : S._exp(v) / (1 + S._exp(v))
      y[i] = v * s
    }
  case .abs: for i in 0..<count { y[i] = Swift.abs(x[i]) }
  case .square: for i in 0..<count { y[i] = x[i] * x[i] }
  case .power: for i in 0..<count { y[i] = S._pow(x[i], parameter) }
  case .sign: for i in 0..<count { y[i] = x[i] > 0 ? 1 : (x[i] < 0 ? -1 : 0) }
  }
}

/// dx = dy · f′(x) elementwise, given x and y = f(x).
@_specialize(where S == Float) @_specialize(where S == Double)
func _mapBackwardKernel<S: TensorScalar>(_ op: _UnaryOp, _ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ dy: UnsafePointer<S>,
                                        _ dx: UnsafeMutablePointer<S>, _ count: Int, _ parameter: S) {
  switch op {
  case .negate: for i in 0..<count { dx[i] = -dy[i] }
  case .exp: for i in 0..<count { dx[i] = dy[i] * y[i] }
  case .log: for i in 0..<count { dx[i] = dy[i] / x[i] }
  case .sqrt: for i in 0..<count { dx[i] = dy[i] / (2 * y[i]) }
  case .tanh: for i in 0..<count { dx[i] = dy[i] * (1 - y[i] * y[i]) }
  case .sigmoid: for i in 0..<count { dx[i] = dy[i] * y[i] * (1 - y[i]) }
  case .relu: S._reluSelect(x, dy, dx, count)
  case .leakyRelu: for i in 0..<count { dx[i] = x[i] > 0 ? dy[i] : parameter * dy[i] }
  case .gelu:
    // d/dx [x·Φ(x)] = Φ(x) + x·φ(x)
    let invSqrt2 = 1 / S(2).squareRoot()
    let invSqrt2Pi = 1 / (2 * S.pi).squareRoot()
    for i in 0..<count {
      let v = x[i]
      let cdf = (1 + S._erf(v * invSqrt2)) / 2
      dx[i] = dy[i] * (cdf + v * invSqrt2Pi * S._exp(-v * v / 2))
    }
  case .silu:
    // d/dx [x·σ(x)] = σ(x)·(1 + x·(1 − σ(x)))
    for i in 0..<count {
      let v = x[i]
      let s: S = v >= 0 ? 1 / (1 + S._exp(-v)) : S._exp(v) / (1 + S._exp(v))
      dx[i] = dy[i] * s * (1 + v * (1 - s))
    }
  case .abs: for i in 0..<count { dx[i] = x[i] > 0 ? dy[i] : (x[i] < 0 ? -dy[i] : 0) }
  case .square: for i in 0..<count { dx[i] = 2 * x[i] * dy[i] }
  case .power: for i in 0..<count { dx[i] = dy[i] * parameter * S._pow(x[i], parameter - 1) }
  case .sign: for i in 0..<count { dx[i] = 0 }
  }
}

