import CLAPACK

extension Matrix {
  /// C = α·op(A)·op(B) + β·C by BLAS `dgemm`; op transposes when asked. O(m·n·k).
  public static func gemm(_ a: Matrix, _ b: Matrix, transposeA: Bool = false,
                          transposeB: Bool = false, alpha: Double = 1, beta: Double = 0,
                          into c: inout Matrix) {
    let m = transposeA ? a.columns : a.rows
    let k = transposeA ? a.rows : a.columns
    let kB = transposeB ? b.columns : b.rows
    let n = transposeB ? b.rows : b.columns
    precondition(k == kB, "gemm: inner dimensions differ (\(a.rows)×\(a.columns) and \(b.rows)×\(b.columns))")
    precondition(c.rows == m && c.columns == n, "gemm: output is \(c.rows)×\(c.columns), needs \(m)×\(n)")
    if m == 0 || n == 0 { return }
    if k == 0 {
      for i in c.elements.indices { c.elements[i] *= beta }
      return
    }
    a.elements.withUnsafeBufferPointer { pa in
      b.elements.withUnsafeBufferPointer { pb in
        c.elements.withUnsafeMutableBufferPointer { pc in
          cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                      transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k),
                      alpha, pa.baseAddress, Int32(max(1, a.columns)), pb.baseAddress,
                      Int32(max(1, b.columns)), beta, pc.baseAddress, Int32(max(1, n)))
        }
      }
    }
  }

  /// The product op(A)·op(B).
  public static func product(_ a: Matrix, _ b: Matrix, transposeA: Bool = false,
                             transposeB: Bool = false) -> Matrix {
    var c = Matrix(rows: transposeA ? a.columns : a.rows, columns: transposeB ? b.rows : b.columns)
    gemm(a, b, transposeA: transposeA, transposeB: transposeB, into: &c)
    return c
  }

  /// The matrix product A·B.
  public static func * (a: Matrix, b: Matrix) -> Matrix { product(a, b) }

  /// y = op(A)·x by BLAS `dgemv`. O(m·n).
  public func multiply(_ x: [Double], transposed: Bool = false) -> [Double] {
    let inputCount = transposed ? rows : columns
    let outputCount = transposed ? columns : rows
    precondition(x.count == inputCount, "gemv: a \(rows)×\(columns) matrix\(transposed ? " (transposed)" : "") needs a vector of \(inputCount), got \(x.count)")
    var y = [Double](repeating: 0, count: outputCount)
    if outputCount == 0 || inputCount == 0 { return y }
    elements.withUnsafeBufferPointer { pa in
      x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
          cblas_dgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, Int32(rows),
                      Int32(columns), 1, pa.baseAddress, Int32(max(1, columns)), px.baseAddress, 1,
                      0, py.baseAddress, 1)
        }
      }
    }
    return y
  }
}

/// The dot product Σ xᵢ·yᵢ by BLAS `ddot`. O(n).
public func dot(_ x: [Double], _ y: [Double]) -> Double {
  precondition(x.count == y.count, "dot: lengths differ (\(x.count) and \(y.count))")
  if x.isEmpty { return 0 }
  return x.withUnsafeBufferPointer { px in
    y.withUnsafeBufferPointer { py in cblas_ddot(Int32(x.count), px.baseAddress, 1, py.baseAddress, 1) }
  }
}
