#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CHoneKernels
import CLAPACK

/// The element types a `Tensor` can hold: `Float` (training) and `Double` (reference
/// computations and finite-difference gradient checks).
///
/// The requirements are the scalar functions and the matrix product. Every kernel of the
/// engine is written once, generically, and pre-specialized for `Float` and `Double`, so its
/// loops run compiled for the type (no generic dispatch per element).
public protocol TensorScalar: BinaryFloatingPoint, Sendable, Codable, LosslessStringConvertible
where RawSignificand: FixedWidthInteger {
  /// eˣ.
  static func _exp(_ x: Self) -> Self
  /// ln x.
  static func _log(_ x: Self) -> Self
  /// tanh x.
  static func _tanh(_ x: Self) -> Self
  /// The error function erf x.
  static func _erf(_ x: Self) -> Self
  /// xʸ.
  static func _pow(_ x: Self, _ y: Self) -> Self
  /// C ← α·op(A)·op(B) + β·C on row-major matrices (BLAS gemm): op(A) is m×k, op(B) k×n.
  static func _gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                    a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
  /// out[i] = x[i] > 0 ? v[i] : 0 (ReLU with v = x, its pullback with v = the upstream
  /// gradient), in a C loop the compiler vectorizes (a Swift loop kept a branch per element).
  static func _reluSelect(_ x: UnsafePointer<Self>, _ v: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ count: Int)
}

@inline(__always) private func _cblasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: TensorScalar {
  /// Implements `TensorScalar._exp`.
  @inline(__always) public static func _exp(_ x: Float) -> Float { expf(x) }
  /// Implements `TensorScalar._log`.
  @inline(__always) public static func _log(_ x: Float) -> Float { logf(x) }
  /// Implements `TensorScalar._tanh`.
  @inline(__always) public static func _tanh(_ x: Float) -> Float { tanhf(x) }
  /// Implements `TensorScalar._erf`.
  @inline(__always) public static func _erf(_ x: Float) -> Float { erff(x) }
  /// Implements `TensorScalar._pow`.
  @inline(__always) public static func _pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
  /// Implements `TensorScalar._reluSelect`.
  public static func _reluSelect(_ x: UnsafePointer<Float>, _ v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int) {
    hone_relu_select_f32(x, v, out, count)
  }
  /// Implements `TensorScalar._gemm`.
  public static func _gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    cblas_sgemm(CblasRowMajor, _cblasTranspose(transposeA), _cblasTranspose(transposeB), Int32(m), Int32(n),
                Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }
}

extension Double: TensorScalar {
  /// Implements `TensorScalar._exp`.
  @inline(__always) public static func _exp(_ x: Double) -> Double { exp(x) }
  /// Implements `TensorScalar._log`.
  @inline(__always) public static func _log(_ x: Double) -> Double { log(x) }
  /// Implements `TensorScalar._tanh`.
  @inline(__always) public static func _tanh(_ x: Double) -> Double { tanh(x) }
  /// Implements `TensorScalar._erf`.
  @inline(__always) public static func _erf(_ x: Double) -> Double { erf(x) }
  /// Implements `TensorScalar._pow`.
  @inline(__always) public static func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
  /// Implements `TensorScalar._reluSelect`.
  public static func _reluSelect(_ x: UnsafePointer<Double>, _ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ count: Int) {
    hone_relu_select_f64(x, v, out, count)
  }
  /// Implements `TensorScalar._gemm`.
  public static func _gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                           a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                           beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
    cblas_dgemm(CblasRowMajor, _cblasTranspose(transposeA), _cblasTranspose(transposeB), Int32(m), Int32(n),
                Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }
}
