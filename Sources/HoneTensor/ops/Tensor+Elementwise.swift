extension Tensor {
  /// Applies an elementwise kernel and records its derivative.
  func _map(_ op: _UnaryOp, _ parameter: Scalar = 0) -> Tensor {
    let x = detached
    let y = Tensor(shape: shape) { out in _mapKernel(op, x.storage.base, out.baseAddress!, count, parameter) }
    return Tensor.differentiable(y, operands: [self]) { g in
      [Tensor(shape: x.shape) { dx in
        _mapBackwardKernel(op, x.storage.base, y.storage.base, g.storage.base, dx.baseAddress!, x.count, parameter)
      }]
    }
  }

  /// eˣ elementwise.
  public func exp() -> Tensor { _map(.exp) }
  /// ln x elementwise.
  public func log() -> Tensor { _map(.log) }
  /// √x elementwise.
  public func sqrt() -> Tensor { _map(.sqrt) }
  /// tanh x elementwise.
  public func tanh() -> Tensor { _map(.tanh) }
  /// The logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ), computed without overflow.
  public func sigmoid() -> Tensor { _map(.sigmoid) }
  /// max(x, 0) (Nair & Hinton 2010); its derivative at 0 is taken as 0, as PyTorch does.
  public func relu() -> Tensor { _map(.relu) }
  /// x for x > 0, slope·x otherwise (Maas et al. 2013); PyTorch's default slope 0.01.
  public func leakyRelu(slope: Scalar = 0.01) -> Tensor { _map(.leakyRelu, slope) }
  /// GELU, x·Φ(x) with the exact normal CDF Φ(x) = (1 + erf(x/√2))/2 (Hendrycks & Gimpel 2016).
  public func gelu() -> Tensor { _map(.gelu) }
  /// SiLU (swish), x·σ(x) (Elfwing et al. 2018; Ramachandran et al. 2017).
  public func silu() -> Tensor { _map(.silu) }
  /// |x| elementwise (derivative 0 at 0).
  public func abs() -> Tensor { _map(.abs) }
  /// x² elementwise.
  public func squared() -> Tensor { _map(.square) }
  /// xᵖ elementwise for a constant exponent p.
  public func pow(_ p: Scalar) -> Tensor { _map(.power, p) }
  /// The sign (−1, 0 or 1) elementwise; its derivative is zero.
  public func sign() -> Tensor { _map(.sign) }
}
