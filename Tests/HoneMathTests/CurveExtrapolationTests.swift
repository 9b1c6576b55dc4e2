import Foundation
import Testing
@testable import HoneMath

@Suite struct CurveExtrapolationTests {
  let steps = (1...10).map(Double.init)

  /// An exact exp3 curve is recovered: the family takes the weight and predicts step 40.
  @Test func recoversAnExponentialCurve() throws {
    let curve = { (x: Double) in 0.9 - 0.5 * exp(-0.3 * x) }
    let fit = try #require(CurveExtrapolation(steps: steps, values: steps.map(curve)))
    let exp3 = try #require(fit.fits.first { $0.family == .exp3 })
    #expect(exp3.weight > 0.99)
    // In u = x/10 the curve is 0.9 − 0.5·e^(−3u).
    #expect(abs(exp3.c - 0.9) < 1e-6 && abs(exp3.a - 0.5) < 1e-6 && abs(exp(exp3.theta) - 3) < 1e-5)
    let (mean, deviation) = fit.predict(at: 40)
    #expect(abs(mean - curve(40)) < 1e-6)
    #expect(deviation < 1e-6)
  }

  /// An exact pow3 curve is recovered as well, and told apart from exp3.
  @Test func recoversAPowerLaw() throws {
    let curve = { (x: Double) in 0.8 - 0.4 * pow(x, -0.7) }
    let fit = try #require(CurveExtrapolation(steps: steps, values: steps.map(curve)))
    #expect(try #require(fit.fits.first { $0.family == .pow3 }).weight > 0.99)
    #expect(abs(fit.predict(at: 50).mean - curve(50)) < 1e-6)
  }

  /// On a noisy curve the interval widens with the horizon and covers the truth.
  @Test func uncertaintyGrowsWithTheHorizon() throws {
    var rng = SeededRNG(seed: 3)
    let curve = { (x: Double) in 0.85 - 0.6 * exp(-0.25 * x) }
    let values = steps.map { curve($0) + 0.01 * rng.nextNormal() }
    let fit = try #require(CurveExtrapolation(steps: steps, values: values))
    let near = fit.predict(at: 12), far = fit.predict(at: 40)
    #expect(near.standardDeviation > 0.005 && far.standardDeviation > near.standardDeviation)
    #expect(abs(far.mean - curve(40)) < 3 * far.standardDeviation)
    #expect(abs(fit.fits.map(\.weight).reduce(0, +) - 1) < 1e-12)
  }

  /// The θ derivative of each family agrees with a central difference.
  @Test func gradientsMatchFiniteDifferences() {
    for family in CurveExtrapolation.Family.allCases where family.thetaRange != nil {
      for (theta, u) in [(-1.0, 0.3), (0.5, 1.0), (1.5, 2.5)] {
        let a = 0.7, step = 1e-6
        let numeric = a * (family.h(u, theta + step) - family.h(u, theta - step)) / (2 * step)
        let analytic = family.gradient(a: a, theta: theta, u: u)
        #expect(abs(analytic[2] - numeric) < 1e-8 * max(1, abs(numeric)), "\(family) θ \(theta) u \(u)")
        #expect(analytic[1] == family.h(u, theta))
      }
    }
  }

  /// A flat curve predicts its value; too few values, NaN or unordered steps give nil.
  @Test func degenerateInputs() throws {
    let flat = try #require(CurveExtrapolation(steps: steps, values: Array(repeating: 0.5, count: 10)))
    #expect(abs(flat.predict(at: 30).mean - 0.5) < 1e-12)
    #expect(CurveExtrapolation(steps: Array(steps.prefix(5)), values: [0.1, 0.2, 0.3, 0.4, 0.5]) == nil)
    #expect(CurveExtrapolation(steps: steps, values: steps.map { $0 == 4 ? .nan : $0 }) == nil)
    #expect(CurveExtrapolation(steps: steps.reversed(), values: steps) == nil)
    #expect(CurveExtrapolation(steps: steps.map { $0 - 1 }, values: steps) == nil)
  }

  /// The golden-section search finds the maximum of a smooth unimodal function.
  @Test func goldenSection() {
    #expect(abs(goldenSectionMaximum(in: -2, 4) { -($0 - 1.234) * ($0 - 1.234) } - 1.234) < 1e-8)
  }
}
