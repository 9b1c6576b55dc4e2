/// Ridge regression (Hoerl & Kennard 1970): the linear model ŷ = ȳ + Σ wⱼ·(xⱼ − x̄ⱼ)/sⱼ on
/// standardized features, with w = (ZᵀZ + λI)⁻¹ Zᵀ(y − ȳ) solved by Cholesky. The intercept is
/// not penalized. O(n·d² + d³).
public struct RidgeRegression: Sendable {
  /// The penalty λ ≥ 0.
  public let lambda: Double
  /// The feature means.
  public private(set) var means: [Double] = []
  /// The feature standard deviations (1 for a constant feature).
  public private(set) var scales: [Double] = []
  /// The weights on standardized features.
  public private(set) var weights: [Double] = []
  /// The intercept ȳ.
  public private(set) var intercept = 0.0

  /// An untrained model.
  public init(lambda: Double = 1) throws {
    guard lambda >= 0, lambda.isFinite else { throw MathError.invalidArgument("λ must be ≥ 0 and finite, got \(lambda)") }
    self.lambda = lambda
  }

  /// Fits rows `x` (n × d) to `y`.
  public mutating func fit(_ x: [[Double]], _ y: [Double]) throws {
    guard !x.isEmpty, x.count == y.count, let d = x.first?.count, x.allSatisfy({ $0.count == d }) else {
      throw MathError.invalidArgument("ridge regression needs as many rows as targets, all of one length")
    }
    let n = Double(x.count)
    means = (0..<d).map { j in x.reduce(0) { $0 + $1[j] } / n }
    scales = (0..<d).map { j in
      let s = (x.reduce(0) { $0 + ($1[j] - means[j]) * ($1[j] - means[j]) } / n).squareRoot()
      return s > 1e-12 ? s : 1
    }
    intercept = y.reduce(0, +) / n
    let z = x.map(standardize)
    var gram = Matrix(rows: d, columns: d)
    var rhs = [Double](repeating: 0, count: d)
    for (row, target) in zip(z, y) {
      for i in 0..<d {
        rhs[i] += row[i] * (target - intercept)
        for j in 0...i { gram[i, j] += row[i] * row[j] }
      }
    }
    for i in 0..<d {
      gram[i, i] += lambda
      for j in 0..<i { gram[j, i] = gram[i, j] }
    }
    weights = try Cholesky(gram).solve(rhs)
  }

  private func standardize(_ row: [Double]) -> [Double] { (0..<row.count).map { (row[$0] - means[$0]) / scales[$0] } }

  /// The prediction for one row.
  public func predict(_ x: [Double]) -> Double {
    zip(standardize(x), weights).reduce(intercept) { $0 + $1.0 * $1.1 }
  }
}
