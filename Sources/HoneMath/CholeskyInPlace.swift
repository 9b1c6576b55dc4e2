import CLAPACK

extension Cholesky {
  /// Factors the symmetric n × n matrix in `a` (row-major; its lower triangle is read) in place
  /// into the lower factor L of A + δ·I = L·Lᵀ (row-major, upper triangle zeroed) and returns
  /// the jitter δ. δ = 0 first; after each failure δ becomes `initialJitter`, then ×10, for at
  /// most `maxAttempts` attempts in all (Rasmussen & Williams 2006, §3.4.3: the standard remedy
  /// for kernel matrices that are singular in floating point).
  ///
  /// LAPACK `dpotrf` runs column-major on the same memory (the upper factor U = Lᵀ there),
  /// which spares LAPACKE's transposed copies. A failed attempt leaves the strict upper
  /// triangle (row-major) untouched, so the next one restores the lower triangle from it and
  /// the diagonal from a saved copy. Throws `MathError.notPositiveDefinite` when every attempt
  /// fails.
  public static func factorInPlace(_ a: inout [Double], count n: Int, initialJitter: Double, maxAttempts: Int) throws -> Double {
    precondition(a.count == n * n, "Cholesky.factorInPlace: \(a.count) entries for a \(n)×\(n) matrix")
    guard n > 0 else { return 0 }
    let diagonal = (0..<n).map { a[$0 * n + $0] }
    var jitter = 0.0
    for attempt in 0..<maxAttempts {
      let status = a.withUnsafeMutableBufferPointer { l in
        if attempt > 0 {
          for i in 0..<n {
            for j in 0..<i { l[i * n + j] = l[j * n + i] }
            l[i * n + i] = diagonal[i] + jitter
          }
        }
        return LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), l.baseAddress!, Int32(n))
      }
      if status == 0 {
        a.withUnsafeMutableBufferPointer { l in for i in 0..<n { for j in (i + 1)..<n { l[i * n + j] = 0 } } }
        return jitter
      }
      jitter = jitter == 0 ? initialJitter : jitter * 10
    }
    throw MathError.notPositiveDefinite("the \(n)×\(n) matrix is not positive definite even with jitter \(jitter / 10)")
  }
}
