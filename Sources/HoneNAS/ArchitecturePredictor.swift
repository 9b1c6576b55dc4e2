import HoneMath

/// A performance predictor for architectures: ridge regressions and ν-SVRs (RBF) with a few
/// settings each, scored by k-fold cross-validation; the prediction averages the models whose
/// cross-validated error is within 10% of the best one's (an ensemble chosen by CV, as in the
/// predictor of FBNetV3, Dai et al. 2020). Features are standardized, targets replaced by the
/// normal scores of their ranks. O(m·k·n³)
/// for m settings and n evaluated architectures (n is a few hundred at most here).
struct ArchitecturePredictor {
  private enum Model {
    case ridge(RidgeRegression)
    case svr(NuSVR)

    func predict(_ x: [Double]) -> Double {
      switch self {
      case .ridge(let r): return r.predict(x)
      case .svr(let s): return s.predict(x)
      }
    }
  }

  private let models: [Model]
  private let scaling: ColumnScaling
  /// The training targets' mean and standard deviation.
  private let targetMean: Double, targetScale: Double

  /// Fits on rows `x` and targets `y` (at least 3 rows).
  init(x: [[Double]], y: [Double], folds: Int = 4) throws {
    let n = Double(x.count), d = x[0].count
    let scaling = ColumnScaling(fitting: x)
    self.scaling = scaling
    let z = x.map(scaling.standardize)
    // Targets by normal scores of their ranks, t = Φ⁻¹((rank + ½)/n): a few failed
    // architectures (10% accuracy among 90%s) would otherwise dominate the squared errors.
    (targetMean, targetScale) = meanAndStandardDeviation(y)
    let order = y.indices.sorted { y[$0] < y[$1] }
    var t = [Double](repeating: 0, count: y.count)
    for (rank, i) in order.enumerated() { t[i] = Normal.inverseCDF((Double(rank) + 0.5) / n) }
    let settings: [() throws -> Model] = [1, 10, 100].map { lambda in { .ridge(try RidgeRegression(lambda: lambda)) } }
      + [(0.5, 1.0), (0.5, 10.0), (2.0, 10.0)].map { g, c in { .svr(try NuSVR(nu: 0.5, c: c, gamma: g / Double(d))) } }
    func train(_ make: () throws -> Model, rows: [Int]) throws -> Model {
      switch try make() {
      case .ridge(var r): try r.fit(rows.map { z[$0] }, rows.map { t[$0] }); return .ridge(r)
      case .svr(var s): try s.fit(rows.map { z[$0] }, rows.map { t[$0] }); return .svr(s)
      }
    }
    let k = min(folds, x.count)
    let errors = try settings.map { make -> Double in
      var sum = 0.0
      for fold in 0..<k {
        let test = z.indices.filter { $0 % k == fold }
        let model = try train(make, rows: z.indices.filter { $0 % k != fold })
        sum += test.reduce(0) { total, i in
          let error = model.predict(z[i]) - t[i]
          return total + error * error
        }
      }
      return sum
    }
    let best = errors.min()!
    models = try settings.indices.filter { errors[$0] <= best * 1.1 }.map { try train(settings[$0], rows: Array(z.indices)) }
  }

  /// The predicted target of one row: the models' mean normal score s, as ȳ + s·σ_y (monotone
  /// in s and unbounded, so candidates beyond the best seen stay ordered).
  func predict(_ x: [Double]) -> Double {
    let z = scaling.standardize(x)
    return targetMean + targetScale * models.reduce(0) { $0 + $1.predict(z) } / Double(models.count)
  }
}
