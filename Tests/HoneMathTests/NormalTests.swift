import Testing
@testable import HoneMath

/// Expected values from scipy.stats.norm 1.17 and, beyond its range, mpmath at 40 digits.
@Suite struct NormalTests {
  static func close(_ a: Double, _ b: Double, rel: Double = 1e-13) -> Bool {
    a == b || abs(a - b) <= rel * max(abs(a), abs(b))
  }

  @Test(arguments: [
    (-30.0, 4.906713927147908e-198, -454.32124395634327, 1.4736461348785476e-196),
    (-20.5, 1.0764673258790346e-93, -214.06672896326387, 2.2119843802105707e-92),
    (-10.0, 7.61985302416047e-24, -53.23128515051248, 7.69459862670642e-23),
    (-5.0, 2.866515718791933e-07, -15.064998393988727, 1.4867195147342979e-06),
    (-1.0, 0.15865525393145707, -1.8410216450092634, 0.24197072451914337),
    (0.0, 0.5, -0.6931471805599453, 0.3989422804014327),
    (1.5, 0.9331927987311419, -0.06914345561223399, 0.12951759566589174),
    (5.0, 0.9999997133484281, -2.8665161296376294e-07, 1.4867195147342979e-06),
    (10.0, 1.0, -7.61985302416047e-24, 7.69459862670642e-23),
  ])
  func cdfLogCdfPdf(x: Double, cdf: Double, logCDF: Double, pdf: Double) {
    #expect(Self.close(Normal.cdf(x), cdf, rel: 1e-12))
    #expect(Self.close(Normal.logCDF(x), logCDF, rel: 1e-12))
    #expect(Self.close(Normal.pdf(x), pdf, rel: 1e-12))
  }

  @Test(arguments: [(-1000.0, -500007.82669481218431), (-100.0, -5005.5242086942050886),
                    (-38.0, -726.5572160188201301), (-21.0, -224.46571583141447131), (-40.0, -804.6084420137539)])
  func logCdfDeepTail(x: Double, expected: Double) {
    #expect(Self.close(Normal.logCDF(x), expected, rel: 1e-14))
  }

  @Test(arguments: [
    (1e-300, -37.0470962993612), (1e-100, -21.273453560965322), (1e-20, -9.262340089798409),
    (1e-10, -6.361340902404056), (1e-05, -4.264890793922825), (0.01, -2.3263478740408408),
    (0.02425, -1.972961051311885), (0.3, -0.5244005127080409), (0.5, 0.0), (0.75, 0.6744897501960817),
    (0.975, 1.959963984540054), (1 - 1e-10, 6.361340889697422),
  ])
  func inverseCDF(p: Double, expected: Double) {
    #expect(Self.close(Normal.inverseCDF(p), expected, rel: 1e-13) || abs(Normal.inverseCDF(p) - expected) < 1e-15)
  }

  @Test func inverseCDFEdges() {
    #expect(Normal.inverseCDF(0) == -.infinity)
    #expect(Normal.inverseCDF(1) == .infinity)
    #expect(Normal.inverseCDF(-0.1).isNaN)
    #expect(Normal.inverseCDF(.nan).isNaN)
    #expect(Normal.logCDF(-.infinity) == -.infinity)
    #expect(Normal.logCDF(.infinity) == 0)
  }

  @Test func inverseRoundTrips() {
    for p in stride(from: 0.001, to: 1.0, by: 0.0137) {
      #expect(Self.close(Normal.cdf(Normal.inverseCDF(p)), p, rel: 1e-14))
    }
  }
}
