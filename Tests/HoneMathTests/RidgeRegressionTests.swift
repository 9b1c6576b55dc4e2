import Testing
@testable import HoneMath

@Suite struct RidgeRegressionTests {
  @Test func recoversALinearFunctionWithASmallPenalty() throws {
    var rng = SeededRNG(seed: 4)
    let x = (0..<200).map { _ in (0..<3).map { _ in rng.nextDouble(in: -2...2) } }
    let y = x.map { 1.5 + 2 * $0[0] - 0.5 * $0[1] }
    var model = try RidgeRegression(lambda: 1e-9)
    try model.fit(x, y)
    for row in x.prefix(20) { #expect(abs(model.predict(row) - (1.5 + 2 * row[0] - 0.5 * row[1])) < 1e-6) }
  }

  @Test func aLargePenaltyShrinksTowardsTheMean() throws {
    let x: [[Double]] = [[0], [1], [2], [3]]
    let y: [Double] = [0, 1, 2, 3]
    var model = try RidgeRegression(lambda: 1e6)
    try model.fit(x, y)
    #expect(abs(model.predict([3]) - 1.5) < 1e-3)
    // Closed form on one standardized feature: w = Σzy / (Σz² + λ) with Σz² = n.
    var exact = try RidgeRegression(lambda: 4)
    try exact.fit(x, y)
    let z = [-1.5, -0.5, 0.5, 1.5].map { $0 / 1.25.squareRoot() }
    let w = zip(z, [-1.5, -0.5, 0.5, 1.5]).reduce(0) { $0 + $1.0 * $1.1 } / (4 + 4)
    #expect(abs(exact.predict([3]) - (1.5 + w * z[3])) < 1e-12)
  }

  @Test func constantFeaturesAndBadInputs() throws {
    var model = try RidgeRegression(lambda: 1)
    try model.fit([[1, 0], [1, 1], [1, 2]], [1, 2, 3])
    #expect(model.predict([1, 1]).isFinite)
    #expect(throws: MathError.self) { try RidgeRegression(lambda: -1) }
    #expect(throws: MathError.self) { try model.fit([[1], [2]], [1]) }
  }
}
