import CLAPACK

/// K⁻¹ from the Cholesky factor that `GaussianProcess.factorize` returns (row-major lower L,
/// which is the column-major upper U = Lᵀ with K = UᵀU): K⁻¹ = U⁻¹U⁻ᵀ, both triangles filled
/// by LAPACK `dlauum` in the valid one (row-major lower).
///
/// U⁻¹ by recursive blocking (the inverse of [[A, B], [0, C]] is [[A⁻¹, −A⁻¹BC⁻¹], [0, C⁻¹]]):
/// the two halves are inverted in place, then B ← −A⁻¹·B·C⁻¹ by two `dtrmm`, down to blocks
/// of 32 that LAPACK `dtrtri` inverts. The flop count is dtrtri's (n³/6 multiply-adds), but
/// almost all of it runs in level-3 kernels: for the few hundred rows of a GP, OpenBLAS's own
/// dtrtri runs unblocked on matrix-vector products.
func inverseFromCholesky(_ factor: [Double], count n: Int) -> [Double] {
  guard n > 0 else { return [] }
  var inverse = inverseOfFactor(factor, count: n)
  LAPACKE_dlauum_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), &inverse, Int32(n))
  return inverse
}

/// L⁻¹ (row-major lower, upper triangle zero) from the row-major lower factor L: the
/// column-major upper U = Lᵀ inverted in place is U⁻¹ = L⁻ᵀ column-major, which is L⁻¹ read
/// row-major.
func inverseOfFactor(_ factor: [Double], count n: Int) -> [Double] {
  guard n > 0 else { return [] }
  var inverse = factor
  inverse.withUnsafeMutableBufferPointer { invertUpperTriangular($0.baseAddress!, order: n, leadingDimension: n) }
  return inverse
}

/// Inverts the column-major upper triangle of `a` (order × order, leading dimension `lda`)
/// in place.
private func invertUpperTriangular(_ a: UnsafeMutablePointer<Double>, order n: Int, leadingDimension lda: Int) {
  guard n > 32 else {
    LAPACKE_dtrtri_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")), Int32(n), a, Int32(lda))
    return
  }
  let half = n / 2, rest = n - half
  let topRight = a + half * lda, bottomRight = a + half * lda + half
  invertUpperTriangular(a, order: half, leadingDimension: lda)
  cblas_dtrmm(CblasColMajor, CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(half), Int32(rest), 1,
              a, Int32(lda), topRight, Int32(lda))
  invertUpperTriangular(bottomRight, order: rest, leadingDimension: lda)
  cblas_dtrmm(CblasColMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(half), Int32(rest), -1,
              bottomRight, Int32(lda), topRight, Int32(lda))
}
