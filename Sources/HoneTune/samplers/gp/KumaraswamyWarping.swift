import Foundation
import HoneBayes
import HoneMath

/// Input warping: each numeric unit-cube coordinate x goes through the Kumaraswamy CDF
/// w(x) = 1 − (1 − xᵃ)ᵇ before the GP sees it (Snoek, Swersky, Zemel & Adams 2014, "Input
/// Warping for Bayesian Optimization of Non-Stationary Functions", ICML; one of HEBO's
/// ingredients, Cowen-Rivers et al. 2022, "HEBO: Pushing the Limits of Sample-Efficient
/// Hyperparameter Optimisation", JAIR). A stationary kernel on w(x) is a non-stationary one on
/// x: a learning rate whose good values crowd one end of its log range gets more resolution
/// there. w is a bijection of [0, 1], w⁻¹(z) = (1 − (1 − z)^(1/b))^(1/a), so the acquisition
/// is maximized over z and the result mapped back.
///
/// (a, b) per dimension are chosen by the GP's log marginal likelihood at the current
/// hyperparameters, one coordinate pass over the grid {½, 1, 2}² (nine shapes, the identity
/// among them); a categorical dimension is not warped.
struct KumaraswamyWarping: Sendable {
  /// (a, b) per dimension; nil for a dimension that is not warped.
  let shapes: [(a: Double, b: Double)?]

  /// The shapes tried for each dimension.
  static let grid: [(a: Double, b: Double)] = [0.5, 1, 2].flatMap { a in [0.5, 1, 2].map { (a, $0) } }

  /// w(x) for one coordinate.
  static func warp(_ x: Double, _ shape: (a: Double, b: Double)) -> Double {
    let clamped = Swift.min(Swift.max(x, 0), 1)
    return 1 - pow(1 - pow(clamped, shape.a), shape.b)
  }

  /// w⁻¹(z) for one coordinate.
  static func unwarp(_ z: Double, _ shape: (a: Double, b: Double)) -> Double {
    let clamped = Swift.min(Swift.max(z, 0), 1)
    return pow(1 - pow(1 - clamped, 1 / shape.b), 1 / shape.a)
  }

  /// A point (d coordinates) warped.
  func warp(_ x: [Double]) -> [Double] {
    x.indices.map { j in shapes[j].map { Self.warp(x[j], $0) } ?? x[j] }
  }

  /// A warped point mapped back.
  func unwarp(_ z: [Double]) -> [Double] {
    z.indices.map { j in shapes[j].map { Self.unwarp(z[j], $0) } ?? z[j] }
  }

  /// Rows of `inputs` (n × d) warped.
  func warpRows(_ inputs: [Double]) -> [Double] {
    let d = shapes.count
    var out = inputs
    for i in 0..<(inputs.count / d) {
      for j in 0..<d { if let shape = shapes[j] { out[i * d + j] = Self.warp(inputs[i * d + j], shape) } }
    }
    return out
  }

  /// The shapes that maximize the log marginal likelihood of a GP with `hyperparameters` (the
  /// prior modes when nil) on `inputs` (n × d) and `scores`, one dimension at a time.
  static func fit(inputs: [Double], scores: [Double], dimensions d: Int, categorical: [Bool],
                  hyperparameters: GPHyperparameters?, standardization: (mean: Double, scale: Double)?) -> KumaraswamyWarping {
    var shapes: [(a: Double, b: Double)?] = categorical.map { $0 ? nil : (1, 1) }
    func likelihood(_ candidate: [(a: Double, b: Double)?]) -> Double {
      let warped = KumaraswamyWarping(shapes: candidate).warpRows(inputs)
      guard let model = try? GaussianProcess(inputs: warped, outputs: scores, dimensions: d, categorical: categorical,
                                             initial: hyperparameters, fit: false, standardization: standardization) else { return -.infinity }
      return model.logMarginalLikelihood()
    }
    var best = likelihood(shapes)
    for j in 0..<d where !categorical[j] {
      for shape in grid where !(shape.a == 1 && shape.b == 1) {
        var candidate = shapes
        candidate[j] = shape
        let value = likelihood(candidate)
        if value > best + 1e-9 {
          best = value
          shapes = candidate
        }
      }
    }
    return KumaraswamyWarping(shapes: shapes)
  }
}
