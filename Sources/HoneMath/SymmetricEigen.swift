import CLAPACK

/// The eigendecomposition A = B·diag(λ)·Bᵀ of a symmetric matrix by LAPACK's divide and
/// conquer (`dsyevd`); only the lower triangle of A is read. CMA-ES samples its search
/// distribution through it (Hansen 2016, "The CMA evolution strategy: a tutorial", §2).
public struct SymmetricEigen: Sendable {
  /// The eigenvalues, ascending.
  public let values: [Double]
  /// The orthonormal eigenvectors, one per column, in the order of `values`.
  public let vectors: Matrix

  /// Decomposes `matrix`; throws `MathError` when it is not square or LAPACK does not converge.
  public init(_ matrix: Matrix) throws {
    guard matrix.rows == matrix.columns else {
      throw MathError.invalidArgument("eigendecomposition needs a square matrix, got \(matrix.rows)×\(matrix.columns)")
    }
    let n = Int32(matrix.rows)
    var a = matrix.elements
    var w = [Double](repeating: 0, count: matrix.rows)
    let info = a.withUnsafeMutableBufferPointer { ap in
      w.withUnsafeMutableBufferPointer { wp in
        LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")), n, ap.baseAddress, n, wp.baseAddress)
      }
    }
    guard info == 0 else { throw MathError.notConverged("dsyevd returned \(info)") }
    values = w
    vectors = Matrix(rows: matrix.rows, columns: matrix.columns, elements: a)
  }
}
