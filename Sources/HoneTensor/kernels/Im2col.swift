/// The geometry of a 2-D convolution or pooling window over [N, C, H, W] inputs.
struct _Window2D {
  let batch, channels, height, width: Int
  let kernelHeight, kernelWidth, stride, padding: Int
  var outHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
  var outWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
  /// True when the kernel fits inside the padded input.
  var fits: Bool { height + 2 * padding >= kernelHeight && width + 2 * padding >= kernelWidth }
  /// Output positions per image.
  var positions: Int { outHeight * outWidth }
  /// Values per window (a row of the column matrix).
  var patch: Int { channels * kernelHeight * kernelWidth }
}

/// Visits every entry of the im2col matrix in order: `body(column, pixel)` with the entry's
/// flat index in the column matrix and the flat index of its input pixel, or nil where the
/// window hangs over the zero padding. Row n·L + p holds the window of output position
/// p = y·outW + x of image n; column (c·kh + i)·kw + j its pixel x[n, c, y·s − pad + i, x·s − pad + j].
@inline(__always)
func _forEachWindowEntry(_ w: _Window2D, _ body: (Int, Int?) -> Void) {
  var column = 0
  for n in 0..<w.batch {
    for oy in 0..<w.outHeight {
      for ox in 0..<w.outWidth {
        for c in 0..<w.channels {
          let plane = (n * w.channels + c) * w.height * w.width
          for i in 0..<w.kernelHeight {
            let iy = oy * w.stride - w.padding + i
            for j in 0..<w.kernelWidth {
              let ix = ox * w.stride - w.padding + j
              body(column, (iy >= 0 && iy < w.height && ix >= 0 && ix < w.width) ? plane + iy * w.width + ix : nil)
              column += 1
            }
          }
        }
      }
    }
  }
}

/// im2col: the column matrix [N·L, C·kh·kw] of x (zeros over the padding).
@_specialize(where S == Float) @_specialize(where S == Double)
func _im2colKernel<S: TensorScalar>(_ x: UnsafePointer<S>, _ cols: UnsafeMutablePointer<S>, _ w: _Window2D) {
  _forEachWindowEntry(w) { column, pixel in cols[column] = pixel.map { x[$0] } ?? 0 }
}

/// col2im: the adjoint of im2col, adding every column entry back onto its input pixel.
@_specialize(where S == Float) @_specialize(where S == Double)
func _col2imKernel<S: TensorScalar>(_ cols: UnsafePointer<S>, _ x: UnsafeMutablePointer<S>, _ w: _Window2D) {
  x.initialize(repeating: 0, count: w.batch * w.channels * w.height * w.width)
  _forEachWindowEntry(w) { column, pixel in if let pixel { x[pixel] += cols[column] } }
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
