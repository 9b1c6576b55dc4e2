/// Ridge regression (Hoerl & Kennard 1970): the linear model ŷ = ȳ + Σ wⱼ·(xⱼ − x̄ⱼ)/sⱼ on
/// standardized features, with w = (ZᵀZ + λI)⁻¹ Zᵀ(y − ȳ) solved by Cholesky. The intercept is
/// not penalized. O(n·d² + d³).
public struct RidgeRegression: Sendable {
  /// The penalty λ ≥ 0.
  public let lambda: Double
  /// The standardization of the features.
  public private(set) var scaling = ColumnScaling(fitting: [[]])
  /// The feature means.
  public var means: [Double] { scaling.means }
  /// The feature standard deviations (1 for a constant feature).
  public var scales: [Double] { scaling.scales }
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
    scaling = ColumnScaling(fitting: x)
    intercept = y.reduce(0, +) / Double(x.count)
    let z = x.map(scaling.standardize)
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

  /// The prediction for one row.
  public func predict(_ x: [Double]) -> Double {
    zip(scaling.standardize(x), weights).reduce(intercept) { $0 + $1.0 * $1.1 }
  }
}
