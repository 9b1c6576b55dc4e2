/// The maximizer of a unimodal function on [low, high] by golden-section search (Kiefer
/// 1953, "Sequential minimax search for a maximum"): two interior points at the golden ratio
/// φ = (√5 − 1)/2 of the bracket; the bracket keeps the side of the better point and shrinks
/// by φ per evaluation. Returns the midpoint of the last bracket, after `iterations`
/// evaluations beyond the first two (width (high − low)·φ^(iterations+1)). Ties keep the lower side.
public func goldenSectionMaximum(in low: Double, _ high: Double, iterations: Int = 48,
                                 _ f: (Double) -> Double) -> Double {
  let ratio = (5.0.squareRoot() - 1) / 2
  var (low, high) = (low, high)
  var (a, b) = (high - ratio * (high - low), low + ratio * (high - low))
  var (fa, fb) = (f(a), f(b))
  for _ in 0..<iterations {
    if fa >= fb {
      high = b; b = a; fb = fa
      a = high - ratio * (high - low); fa = f(a)
    } else {
      low = a; a = b; fa = fb
      b = low + ratio * (high - low); fb = f(b)
    }
  }
  return (low + high) / 2
}
