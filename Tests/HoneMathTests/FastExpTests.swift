import Foundation
import Testing
import HoneMath

@Suite struct FastExpTests {
  /// Against libm over the whole range, densely near 0, at the ends and at multiples of ln 2.
  @Test func matchesLibmWithinFourTenthsOfAFemto() {
    var rng = SeededRNG(seed: 11)
    var arguments = (0..<200_000).map { _ in -708 * rng.nextDouble() } + (0..<200_000).map { _ in -2 * rng.nextDouble() }
    arguments += [0, -0.0, -1e-300, -708, -707.9] + (0...1000).map { -Double($0) * log(2.0) }
    var worst = 0.0
    for x in arguments {
      let exact = exp(x)
      worst = max(worst, abs(expNonPositive(x) - exact) / exact)
    }
    #expect(worst < 4e-16, "largest relative error \(worst)")
  }

  /// Positive arguments count as 0; arguments below −708 as −708; NaN does not crash.
  @Test func clampsOutsideItsDomain() {
    #expect(expNonPositive(3) == 1)
    #expect(expNonPositive(-1e6) == expNonPositive(-708))
    #expect(expNonPositive(-1e6) < 1e-307)
    _ = expNonPositive(.nan)
  }
}
