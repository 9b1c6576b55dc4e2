/// 2-D convolution (cross-correlation, as PyTorch's `conv2d`) of x [N, C, H, W] with
/// weight [O, C/g, kh, kw] and optional bias [O], by im2col (transposed, [C·kh·kw, N·L]) and gemm:
/// out[n, o, y, x] = b[o] + Σ_{c,i,j} w[o, c, i, j] · x[n, G(o)·C/g + c, y·s − p + i·d, x·s − p + j·d],
/// where d is the dilation (atrous convolution, Yu & Koltun 2016) and the g groups each map
/// C/g input channels to O/g outputs (G(o) = o div O/g); g = C = O is the depthwise
/// convolution of depthwise-separable blocks (Chollet 2017). Pullbacks: ∂W = G·colsᵀ,
/// ∂cols = Wᵀ·G then col2im, ∂b = Σ G.
public func conv2d<Scalar>(_ x: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil,
                           stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) -> Tensor<Scalar> {
  precondition(groups >= 1 && x.rank == 4 && weight.rank == 4 && x.shape[1] == weight.shape[1] * groups
               && weight.shape[0] % groups == 0,
               "conv2d: input \(x.shape) does not match weight \(weight.shape) in \(groups) group(s) (expected [N, C, H, W] and [O, C/groups, kh, kw])")
  precondition(stride >= 1 && padding >= 0 && dilation >= 1,
               "conv2d: stride \(stride), padding \(padding) and dilation \(dilation) must be ≥ 1, ≥ 0 and ≥ 1")
  let window = _Window2D(batch: x.shape[0], channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                         kernelHeight: weight.shape[2], kernelWidth: weight.shape[3], stride: stride, padding: padding,
                         dilation: dilation)
  precondition(window.fits, "conv2d: kernel \(weight.shape) (dilation \(dilation)) is larger than the padded input \(x.shape)")
  let outputs = weight.shape[0]
  if let bias { precondition(bias.shape == [outputs], "conv2d: bias \(bias.shape) does not match weight \(weight.shape)") }
  // [O, N·L] = W [O, C·k²] · cols [C·k², N·L]; with g groups, group k's rows of the column
  // matrix are its k-th block: [g, O/g, C/g·k²] · [g, C/g·k², N·L].
  let cols = x._im2col(window)
  let columns = window.batch * window.positions
  var out = groups == 1
    ? matmul(weight.reshaped(to: [outputs, window.patch]), cols)
    : matmul(weight.reshaped(to: [groups, outputs / groups, window.patch / groups]),
             cols.reshaped(to: [groups, window.patch / groups, columns])).reshaped(to: [outputs, columns])
  if let bias { out = out + bias.reshaped(to: [outputs, 1]) }
  return out.reshaped(to: [outputs, window.batch, window.outHeight, window.outWidth]).permuted([1, 0, 2, 3])
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

  /// The transposed im2col matrix [C·kh·kw, N·L] of this [N, C, H, W] tensor; its pullback is col2im.
  func _im2col(_ window: _Window2D) -> Tensor {
    let cols = Tensor(shape: [window.patch, window.batch * window.positions]) { out in
      _im2colKernel(storage.base, out.baseAddress!, window)
    }
    let inputShape = shape
    return Tensor.differentiable(cols, operands: [self]) { g in
      [Tensor(shape: inputShape) { dx in _col2imKernel(g.storage.base, dx.baseAddress!, window) }]
    }
  }
}
