import CLAPACK

/// The Cholesky factorization A + δ·I = L·Lᵀ of a symmetric positive (semi-)definite
/// matrix, with jitter escalation for matrices that are singular in floating point.
///
/// LAPACK `dpotrf` is tried on A; if it fails, δ = 10⁻¹⁰·mean(diag A) is added to the
/// diagonal and multiplied by 10 on each further failure, up to 10⁻¹·mean(diag A) — the
/// standard remedy for Gaussian-process kernel matrices with duplicate inputs (Rasmussen &
/// Williams 2006, "Gaussian Processes for Machine Learning", §3.4.3). Factoring is O(n³/3);
/// each solve is O(n²).
public struct Cholesky: Sendable {
  /// The lower-triangular factor L (upper triangle zero).
  public let lower: Matrix
  /// The jitter δ that was added to the diagonal (0 when A factored as given).
  public let jitter: Double

  /// Factors `matrix` (its lower triangle is read), escalating the jitter as described.
  /// Throws `MathError.notPositiveDefinite` when even the largest jitter fails, and
  /// `MathError.invalidArgument` for a non-square or non-finite matrix.
  public init(_ matrix: Matrix, initialJitter: Double? = nil, maxAttempts: Int = 10) throws {
    guard matrix.rows == matrix.columns else {
      throw MathError.invalidArgument("Cholesky needs a square matrix, got \(matrix.rows)×\(matrix.columns)")
    }
    guard matrix.elements.allSatisfy(\.isFinite) else {
      throw MathError.invalidArgument("Cholesky: the matrix has NaN or infinite entries")
    }
    let n = matrix.rows
    let meanDiagonal = n == 0 ? 1 : max(matrix.diagonal.reduce(0) { $0 + abs($1) } / Double(n), .leastNormalMagnitude)
    var elements = matrix.elements
    do {
      jitter = try Cholesky.factorInPlace(&elements, count: n, initialJitter: initialJitter ?? 1e-10 * meanDiagonal,
                                          maxAttempts: maxAttempts + 1)
    } catch MathError.notPositiveDefinite(let message) {
      throw MathError.notPositiveDefinite("Cholesky: " + message)
    }
    lower = Matrix(rows: n, columns: n, elements: elements)
  }

  /// The dimension n.
  public var size: Int { lower.rows }

  /// log det(A + δI) = 2·Σ log Lᵢᵢ.
  public var logDeterminant: Double {
    2 * lower.diagonal.reduce(0) { $0 + _log($1) }
  }

  /// Solves L·x = b (forward substitution, BLAS `dtrsv`).
  public func solveLower(_ b: [Double]) -> [Double] { triangularSolve(b, transpose: false) }

  /// Solves Lᵀ·x = b (back substitution, BLAS `dtrsv`).
  public func solveUpper(_ b: [Double]) -> [Double] { triangularSolve(b, transpose: true) }

  /// Solves (A + δI)·x = b as Lᵀ·x = L⁻¹·b.
  public func solve(_ b: [Double]) -> [Double] { solveUpper(solveLower(b)) }

  /// Solves (A + δI)·X = B for a matrix of right-hand sides (BLAS `dtrsm`, twice).
  public func solve(_ b: Matrix) -> Matrix {
    precondition(b.rows == size, "Cholesky.solve: right-hand side has \(b.rows) rows, needs \(size)")
    var x = b
    if size == 0 || b.columns == 0 { return x }
    lower.elements.withUnsafeBufferPointer { pl in
      x.elements.withUnsafeMutableBufferPointer { px in
        for transpose in [false, true] {
          cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, transpose ? CblasTrans : CblasNoTrans,
                      CblasNonUnit, Int32(size), Int32(b.columns), 1, pl.baseAddress, Int32(size),
                      px.baseAddress, Int32(b.columns))
        }
      }
    }
    return x
  }

  private func triangularSolve(_ b: [Double], transpose: Bool) -> [Double] {
    precondition(b.count == size, "Cholesky solve: vector has \(b.count) entries, needs \(size)")
    var x = b
    if size == 0 { return x }
    lower.elements.withUnsafeBufferPointer { pl in
      x.withUnsafeMutableBufferPointer { px in
        cblas_dtrsv(CblasRowMajor, CblasLower, transpose ? CblasTrans : CblasNoTrans, CblasNonUnit,
                    Int32(size), pl.baseAddress, Int32(size), px.baseAddress, 1)
      }
    }
    return x
  }
}
