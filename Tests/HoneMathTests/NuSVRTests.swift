import Foundation
import Testing
@testable import HoneMath

/// ν-SVR against scikit-learn 1.9.1's `NuSVR(kernel="rbf", tol=1e-10)` on a fixed problem,
/// and against the exact double-precision solution of the same KKT system (computed from
/// sklearn's split into bound and free coefficients): sklearn keeps kernel values in float,
/// so its own numbers are within ~1e-7 of the exact ones.
@Suite struct NuSVRTests {
  static let x = (0..<20).map { [Double($0) / 10, Double($0 % 3) / 2] }
  static let y = x.map { sin(3 * $0[0]) + 0.5 * $0[1] }
  static let tests: [[Double]] = [[0.05, 0.25], [0.55, 0.75], [1.23, 0.1], [1.9, 1.0]]

  @Test(arguments: [
    (0.5, 1.0, 0.5, [0.647518394899, 0.957929060836, -0.194190081444, -0.419231861379], 0.069166191137),
    (0.2, 10.0, 2.0, [0.240012984404, 1.42561623014, -0.502419036462, -0.155160809088], 0.126180496233),
    (0.8, 0.2, 1.0, [0.616578172928, 0.743596772391, -0.113656353246, -0.281120007754], 0.149083682591),
  ])
  func matchesTheExactSolution(nu: Double, c: Double, gamma: Double, predictions: [Double], intercept: Double) throws {
    var model = try NuSVR(nu: nu, c: c, gamma: gamma)
    try model.fit(Self.x, Self.y, tolerance: 1e-10)
    for (point, expected) in zip(Self.tests, predictions) { #expect(abs(model.predict(point) - expected) < 1e-7) }
    #expect(abs(-model.rho - intercept) < 1e-7)
    // libsvm's ν-SVR scaling: Σ|α − α*| = C·ν·l exactly.
    #expect(abs(model.coefficients.map(abs).reduce(0, +) - c * nu * Double(Self.x.count)) < 1e-9)
  }

  @Test func badInputIsRejected() throws {
    #expect(throws: MathError.self) { try NuSVR(nu: 0) }
    #expect(throws: MathError.self) { try NuSVR(c: -1) }
    var model = try NuSVR()
    #expect(throws: MathError.self) { try model.fit([[1]], [1]) }
    #expect(throws: MathError.self) { try model.fit([[1], [2, 3]], [1, 2]) }
    #expect(throws: MathError.self) { try model.fit([[1], [.nan]], [1, 2]) }
  }
}

@Suite struct StatisticsTests {
  @Test func meanAndPopulationStandardDeviation() {
    let (m, s) = meanAndStandardDeviation([2, 4, 4, 4, 5, 5, 7, 9])
    #expect(m == 5 && s == 2)
    #expect(meanAndStandardDeviation([]) == (0, 0))
  }
}
