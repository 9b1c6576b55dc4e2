#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Matérn-5/2 kernel with one length scale per dimension (ARD; Rasmussen & Williams
/// 2006, "Gaussian Processes for Machine Learning", §4.2):
///
///     k(x, x′) = s · (1 + √5·r + 5r²/3) · exp(−√5·r),   r² = Σⱼ dⱼ(x, x′)/ℓⱼ²
///
/// with dⱼ = (xⱼ − x′ⱼ)² for numeric dimensions and, for categorical ones (values are
/// category indices), the Hamming term dⱼ = 1[xⱼ ≠ x′ⱼ] (as Optuna's GPSampler does).
/// Its derivative in r² is dk/d(r²) = −(5/6)·s·(1 + √5·r)·exp(−√5·r), finite at r = 0.
public enum Matern52 {
  /// The kernel's shape m(r²) = (1 + √5 r + 5r²/3)·e^(−√5 r) (k = s·m).
  @inline(__always) public static func shape(_ r2: Double) -> Double {
    let r = Swift.max(r2, 0).squareRoot()
    let a = 5.0.squareRoot() * r
    return (1 + a + a * a / 3) * exp(-a)
  }

  /// m and dm/d(r²) = −(5/6)(1 + √5 r)e^(−√5 r).
  @inline(__always) public static func shapeAndSlope(_ r2: Double) -> (value: Double, slope: Double) {
    let r = Swift.max(r2, 0).squareRoot()
    let a = 5.0.squareRoot() * r
    let e = exp(-a)
    return ((1 + a + a * a / 3) * e, -5.0 / 6 * (1 + a) * e)
  }

  /// r² between two points with inverse squared length scales `inverseSquared`.
  @inline(__always)
  public static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, inverseSquared: [Double],
                                     categorical: [Bool]) -> Double {
    var r2 = 0.0
    for j in 0..<inverseSquared.count {
      let d = categorical[j] ? (a[j] == b[j] ? 0 : 1) : (a[j] - b[j]) * (a[j] - b[j])
      r2 += d * inverseSquared[j]
    }
    return r2
  }
}
