/// 2-D convolution (cross-correlation, as PyTorch's `conv2d`) of x [N, C, H, W] with
/// weight [O, C, kh, kw] and optional bias [O], by im2col and one gemm:
/// out[n, o, y, x] = b[o] + Σ_{c,i,j} w[o, c, i, j] · x[n, c, y·s − p + i, x·s − p + j].
/// Pullbacks: ∂w = Gᵀ·cols, ∂cols = G·W then col2im, ∂b = Σ G.
public func conv2d<Scalar>(_ x: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil,
                           stride: Int = 1, padding: Int = 0) -> Tensor<Scalar> {
  precondition(x.rank == 4 && weight.rank == 4 && x.shape[1] == weight.shape[1],
               "conv2d: input \(x.shape) does not match weight \(weight.shape) (expected [N, C, H, W] and [O, C, kh, kw])")
  precondition(stride >= 1 && padding >= 0, "conv2d: stride \(stride) and padding \(padding) must be ≥ 1 and ≥ 0")
  let window = _Window2D(batch: x.shape[0], channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                         kernelHeight: weight.shape[2], kernelWidth: weight.shape[3], stride: stride, padding: padding)
  precondition(window.fits, "conv2d: kernel \(weight.shape) is larger than the padded input \(x.shape)")
  let outputs = weight.shape[0]
  if let bias { precondition(bias.shape == [outputs], "conv2d: bias \(bias.shape) does not match weight \(weight.shape)") }
  let cols = x._im2col(window)
  // [N·L, O] → [N, O, outH, outW]
  let rows = linear(cols, weight: weight.reshaped(to: [outputs, window.patch]), bias: bias)
  return rows.reshaped(to: [window.batch, window.positions, outputs]).permuted([0, 2, 1])
    .reshaped(to: [window.batch, outputs, window.outHeight, window.outWidth])
}

/// 2-D max pooling over [N, C, H, W] with a square window (stride defaults to the window,
/// as in PyTorch); the gradient goes to the maximal element of each window.
public func maxPool2d<Scalar>(_ x: Tensor<Scalar>, kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor<Scalar> {
  let window = x._poolWindow(kernelSize, stride ?? kernelSize, padding, "maxPool2d")
  var argmax = [Int](repeating: 0, count: window.batch * window.channels * window.positions)
  let outShape = [window.batch, window.channels, window.outHeight, window.outWidth]
  let value = Tensor<Scalar>(shape: outShape) { out in
    argmax.withUnsafeMutableBufferPointer { _maxPoolKernel(x.storage.base, out.baseAddress!, $0.baseAddress!, window) }
  }
  let inputShape = x.shape
  return Tensor.differentiable(value, operands: [x]) { g in
    [Tensor<Scalar>(shape: inputShape) { dx in
      argmax.withUnsafeBufferPointer { _scatterAddKernel(g.storage.base, $0.baseAddress!, $0.count, dx.baseAddress!, dx.count) }
    }]
  }
}

/// 2-D average pooling over [N, C, H, W]: the mean of each window (zero padding counted, as
/// PyTorch's default `count_include_pad`), as a convolution with a constant kernel per channel.
public func avgPool2d<Scalar>(_ x: Tensor<Scalar>, kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor<Scalar> {
  let window = x._poolWindow(kernelSize, stride ?? kernelSize, padding, "avgPool2d")
  let planes = x.reshaped(to: [window.batch * window.channels, 1, window.height, window.width])
  let kernel = Tensor<Scalar>(repeating: 1 / Scalar(kernelSize * kernelSize), shape: [1, 1, kernelSize, kernelSize])
  return conv2d(planes, weight: kernel, stride: window.stride, padding: padding)
    .reshaped(to: [window.batch, window.channels, window.outHeight, window.outWidth])
}

extension Tensor {
  /// The window of a square pooling over this [N, C, H, W] tensor, checked.
  func _poolWindow(_ kernel: Int, _ stride: Int, _ padding: Int, _ op: String) -> _Window2D {
    precondition(rank == 4, "\(op): input \(shape) is not [N, C, H, W]")
    precondition(kernel >= 1 && stride >= 1 && padding >= 0 && padding * 2 <= kernel,
                 "\(op): kernel \(kernel), stride \(stride), padding \(padding) are not valid")
    let window = _Window2D(batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
                           kernelHeight: kernel, kernelWidth: kernel, stride: stride, padding: padding)
    precondition(window.fits, "\(op): window \(kernel) is larger than the padded input \(shape)")
    return window
  }

  /// The im2col matrix of this [N, C, H, W] tensor; its pullback is col2im.
  func _im2col(_ window: _Window2D) -> Tensor {
    let cols = Tensor(shape: [window.batch * window.positions, window.patch]) { out in
      _im2colKernel(storage.base, out.baseAddress!, window)
    }
    let inputShape = shape
    return Tensor.differentiable(cols, operands: [self]) { g in
      [Tensor(shape: inputShape) { dx in _col2imKernel(g.storage.base, dx.baseAddress!, window) }]
    }
  }
}
