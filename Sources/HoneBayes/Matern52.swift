#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HoneMath

/// The Matérn-5/2 kernel with one length scale per dimension (ARD; Rasmussen & Williams
/// 2006, "Gaussian Processes for Machine Learning", §4.2):
///
///     k(x, x′) = s · (1 + √5·r + 5r²/3) · exp(−√5·r),   r² = Σⱼ dⱼ(x, x′)/ℓⱼ²
///
/// with dⱼ = (xⱼ − x′ⱼ)² for numeric dimensions and, for categorical ones (values are
/// category indices), the Hamming term dⱼ = 1[xⱼ ≠ x′ⱼ] (as Optuna's GPSampler does).
/// Its derivative in r² is dk/d(r²) = −(5/6)·s·(1 + √5·r)·exp(−√5·r), finite at r = 0.
/// The exponential is HoneMath's `expNonPositive`, which inlines into the kernel loops.
public enum Matern52 {
  /// The kernel's shape m(r²) = (1 + √5 r + 5r²/3)·e^(−√5 r) (k = s·m).
  @inline(__always) public static func shape(_ r2: Double) -> Double {
    let r = Swift.max(r2, 0).squareRoot()
    let a = 5.0.squareRoot() * r
    return (1 + a + a * a / 3) * expNonPositive(-a)
  }

  /// m and dm/d(r²) = −(5/6)(1 + √5 r)e^(−√5 r).
  @inline(__always) public static func shapeAndSlope(_ r2: Double) -> (value: Double, slope: Double) {
    let r = Swift.max(r2, 0).squareRoot()
    let a = 5.0.squareRoot() * r
    let e = expNonPositive(-a)
    return ((1 + a + a * a / 3) * e, -5.0 / 6 * (1 + a) * e)
  }

  /// r² between two points of `dimensions` coordinates with inverse squared length scales
  /// `inverseSquared`; `categorical` flags the Hamming dimensions (nil: none).
  @inline(__always)
  public static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, inverseSquared: UnsafePointer<Double>,
                                     categorical: UnsafePointer<Bool>?, dimensions: Int) -> Double {
    var r2 = 0.0
    if let categorical {
      for j in 0..<dimensions {
        let d = categorical[j] ? (a[j] == b[j] ? 0 : 1) : (a[j] - b[j]) * (a[j] - b[j])
        r2 += d * inverseSquared[j]
      }
    } else {
      for j in 0..<dimensions {
        let d = a[j] - b[j]
        r2 += d * d * inverseSquared[j]
      }
    }
    return r2
  }

  /// Runs `body` with pointers to the inverse squared length scales and to the categorical
  /// flags (nil when no dimension is categorical), as `squaredDistance` takes them.
  @inline(__always)
  public static func withMetric<R>(inverseSquared: [Double], categorical: [Bool],
                                   _ body: (UnsafePointer<Double>, UnsafePointer<Bool>?) -> R) -> R {
    inverseSquared.withUnsafeBufferPointer { w in
      categorical.withUnsafeBufferPointer { c in body(w.baseAddress!, categorical.contains(true) ? c.baseAddress! : nil) }
    }
  }
}
