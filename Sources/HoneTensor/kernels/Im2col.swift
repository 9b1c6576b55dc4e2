/// The geometry of a 2-D convolution or pooling window over [N, C, H, W] inputs.
struct _Window2D {
  let batch, channels, height, width: Int
  let kernelHeight, kernelWidth, stride, padding: Int
  /// The spacing of a kernel's taps (1: adjacent pixels; d: the atrous kernel of Yu & Koltun 2016).
  var dilation = 1
  /// The extent of the dilated kernel, d·(k − 1) + 1.
  var spanHeight: Int { dilation * (kernelHeight - 1) + 1 }
  var spanWidth: Int { dilation * (kernelWidth - 1) + 1 }
  var outHeight: Int { (height + 2 * padding - spanHeight) / stride + 1 }
  var outWidth: Int { (width + 2 * padding - spanWidth) / stride + 1 }
  /// True when the kernel fits inside the padded input.
  var fits: Bool { height + 2 * padding >= spanHeight && width + 2 * padding >= spanWidth }
  /// Output positions per image.
  var positions: Int { outHeight * outWidth }
  /// Values per window (a row of the column matrix).
  var patch: Int { channels * kernelHeight * kernelWidth }
}

/// Visits every row segment of the (transposed) column matrix [C·kh·kw, N·L]: row
/// r = (c·kh + i)·kw + j holds, for every image n and output position p = y·outW + x (column
/// n·L + p), the pixel x[n, c, y·s − pad + i·d, x·s − pad + j·d], or 0 over the padding. For each
/// (r, n, y) `body(segment, source, low, high)` gets the segment's offset in the column matrix,
/// the offset of its input row at x = 0 (nil when the row lies in the padding) and the range
/// low..<high of x whose pixels are inside the image; pixel x of the segment is then
/// source + x·s + j·d − pad.
@inline(__always)
func _forEachColumnSegment(_ w: _Window2D, _ body: (_ segment: Int, _ source: Int?, _ low: Int, _ high: Int, _ shift: Int) -> Void) {
  let (positions, columns) = (w.positions, w.batch * w.positions)
  for c in 0..<w.channels {
    for i in 0..<w.kernelHeight {
      for j in 0..<w.kernelWidth {
        let row = ((c * w.kernelHeight + i) * w.kernelWidth + j) * columns
        let shift = j * w.dilation - w.padding  // input x = output x·s + shift
        let low = shift >= 0 ? 0 : (-shift + w.stride - 1) / w.stride
        let high = w.width - 1 - shift >= 0 ? Swift.min(w.outWidth, (w.width - 1 - shift) / w.stride + 1) : 0
        for n in 0..<w.batch {
          let plane = (n * w.channels + c) * w.height * w.width
          for oy in 0..<w.outHeight {
            let iy = oy * w.stride - w.padding + i * w.dilation
            body(row + n * positions + oy * w.outWidth, iy >= 0 && iy < w.height ? plane + iy * w.width : nil,
                 Swift.min(low, high), high, shift)
          }
        }
      }
    }
  }
}

/// im2col: the transposed column matrix [C·kh·kw, N·L] of x (zeros over the padding), so that
/// a convolution is W [O, C·kh·kw] times it and each row segment is a strided copy of an input row.
@_specialize(where S == Float) @_specialize(where S == Double)
func _im2colKernel<S: TensorScalar>(_ x: UnsafePointer<S>, _ cols: UnsafeMutablePointer<S>, _ w: _Window2D) {
  let (width, stride) = (w.outWidth, w.stride)
  _forEachColumnSegment(w) { segment, source, low, high, shift in
    let out = cols + segment
    guard let source else { out.update(repeating: 0, count: width); return }
    out.update(repeating: 0, count: low)
    (out + high).update(repeating: 0, count: width - high)
    let input = x + source + shift
    if stride == 1 {
      (out + low).update(from: input + low, count: high - low)
    } else {
      for ox in low..<high { out[ox] = input[ox * stride] }
    }
  }
}

/// col2im: the adjoint of im2col, adding every column entry back onto its input pixel.
@_specialize(where S == Float) @_specialize(where S == Double)
func _col2imKernel<S: TensorScalar>(_ cols: UnsafePointer<S>, _ x: UnsafeMutablePointer<S>, _ w: _Window2D) {
  x.initialize(repeating: 0, count: w.batch * w.channels * w.height * w.width)
  let stride = w.stride
  _forEachColumnSegment(w) { segment, source, low, high, shift in
    guard let source else { return }
    let (column, pixels) = (cols + segment, x + source + shift)
    for ox in low..<high { pixels[ox * stride] += column[ox] }
  }
}

/// Max pooling: out[n, c, p] = the largest value in the window of p; `argmax` gets its flat
/// input index (for the pullback).
@_specialize(where S == Float) @_specialize(where S == Double)
func _maxPoolKernel<S: TensorScalar>(_ x: UnsafePointer<S>, _ out: UnsafeMutablePointer<S>,
                                    _ argmax: UnsafeMutablePointer<Int>, _ w: _Window2D) {
  var o = 0
  for plane in 0..<(w.batch * w.channels) {
    let base = plane * w.height * w.width
    for oy in 0..<w.outHeight {
      for ox in 0..<w.outWidth {
        var best = -S.infinity
        var bestIndex = -1
        for i in 0..<w.kernelHeight {
          let iy = oy * w.stride - w.padding + i
          guard iy >= 0 && iy < w.height else { continue }
          for j in 0..<w.kernelWidth {
            let ix = ox * w.stride - w.padding + j
            guard ix >= 0 && ix < w.width else { continue }
            let index = base + iy * w.width + ix
            let v = x[index]
            if bestIndex < 0 || !(v <= best) { best = v; bestIndex = index }
          }
        }
        out[o] = best
        argmax[o] = bestIndex
        o += 1
      }
    }
  }
}
