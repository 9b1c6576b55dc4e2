/// e^x for x ≤ 0 without a call into libm, so that loops over many arguments (kernel matrices)
/// inline and vectorize it.
///
/// Cody & Waite range reduction (Cody & Waite 1980, "Software Manual for the Elementary
/// Functions"): k = round(x/ln 2), r = x − k·ln 2 with ln 2 split in a high part exact in
/// floating point and a low part (the fdlibm constants), so |r| ≤ ln 2/2 with an error below
/// an ulp; then e^r by its Taylor polynomial of degree 12 in Horner form (the first omitted
/// term, r¹³/13!, is below 1.7·10⁻¹⁶ on that interval), and e^x = 2^k·e^r with 2^k built
/// from its exponent bits. Measured within 4·10⁻¹⁶ relative error of libm's `exp`;
/// arguments below −708 are treated as −708 (e^x < 3·10⁻³⁰⁸ there) and positive ones as 0,
/// which keeps 2^k a normal number and the loop free of branches.
@inlinable @inline(__always)
public func expNonPositive(_ x: Double) -> Double {
  let clamped = Swift.min(Swift.max(x, -708), 0)
  // Adding and subtracting 1.5·2⁵² rounds to the nearest integer (ties to even) without a
  // call, and leaves k in the low bits of the sum.
  let shifted = clamped * 1.4426950408889634 + 6_755_399_441_055_744
  let k = shifted - 6_755_399_441_055_744
  let r = (clamped - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10
  var p = 1.0 / 479_001_600
  p = p * r + 1.0 / 39_916_800
  p = p * r + 1.0 / 3_628_800
  p = p * r + 1.0 / 362_880
  p = p * r + 1.0 / 40_320
  p = p * r + 1.0 / 5_040
  p = p * r + 1.0 / 720
  p = p * r + 1.0 / 120
  p = p * r + 1.0 / 24
  p = p * r + 1.0 / 6
  p = p * r + 0.5
  p = p * r + 1
  p = p * r + 1
  let scale = Double(bitPattern: (shifted.bitPattern &+ 1023) << 52)
  return p * scale
}
