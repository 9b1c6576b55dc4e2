import Foundation

/// The classic test functions of the Bayesian-optimization benchmark (minimized), with their
/// domains and global minima, as Benchmarks/peers/optuna_bo.py defines them.
struct TestFunction: Sendable {
  let name: String
  let bounds: @Sendable (Int) -> [(low: Double, high: Double)]
  let minimum: @Sendable (Int) -> Double
  let f: @Sendable ([Double]) -> Double

  static func named(_ name: String) -> TestFunction? { all.first { $0.name == name } }

  static let all: [TestFunction] = [
    TestFunction(name: "branin", bounds: { _ in [(-5, 10), (0, 15)] }, minimum: { _ in 0.397887357729739 }) { x in
      let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
      let u = x[1] - b * x[0] * x[0] + c * x[0] - 6
      return u * u + 10 * (1 - t) * cos(x[0]) + 10
    },
    TestFunction(name: "hartmann6", bounds: { _ in Array(repeating: (0, 1), count: 6) }, minimum: { _ in -3.32236801141551 }) { x in
      let alpha = [1.0, 1.2, 3.0, 3.2]
      let a: [[Double]] = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
      let p: [[Double]] = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                           [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
      var total = 0.0
      for i in 0..<4 {
        var inner = 0.0
        for j in 0..<6 { inner += a[i][j] * (x[j] - 1e-4 * p[i][j]) * (x[j] - 1e-4 * p[i][j]) }
        total -= alpha[i] * exp(-inner)
      }
      return total
    },
    TestFunction(name: "ackley", bounds: { Array(repeating: (-32.768, 32.768), count: $0) }, minimum: { _ in 0 }) { x in
      let n = Double(x.count)
      let squares = x.reduce(0) { $0 + $1 * $1 } / n
      let cosines = x.reduce(0) { $0 + cos(2 * Double.pi * $1) } / n
      return -20 * exp(-0.2 * squares.squareRoot()) - exp(cosines) + 20 + M_E
    },
    TestFunction(name: "levy", bounds: { Array(repeating: (-10, 10), count: $0) }, minimum: { _ in 0 }) { x in
      let w = x.map { 1 + ($0 - 1) / 4 }
      var total = pow(sin(Double.pi * w[0]), 2)
      for i in 0..<(w.count - 1) { total += (w[i] - 1) * (w[i] - 1) * (1 + 10 * pow(sin(Double.pi * w[i] + 1), 2)) }
      let last = w[w.count - 1]
      return total + (last - 1) * (last - 1) * (1 + pow(sin(2 * Double.pi * last), 2))
    },
    TestFunction(name: "rosenbrock", bounds: { Array(repeating: (-5, 10), count: $0) }, minimum: { _ in 0 }) { x in
      var total = 0.0
      for i in 0..<(x.count - 1) { total += 100 * pow(x[i + 1] - x[i] * x[i], 2) + (1 - x[i]) * (1 - x[i]) }
      return total
    },
    TestFunction(name: "rastrigin", bounds: { Array(repeating: (-5.12, 5.12), count: $0) }, minimum: { _ in 0 }) { x in
      10 * Double(x.count) + x.reduce(0) { $0 + $1 * $1 - 10 * cos(2 * Double.pi * $1) }
    },
    TestFunction(name: "styblinski_tang", bounds: { Array(repeating: (-5, 5), count: $0) }, minimum: { -39.16616570377142 * Double($0) }) { x in
      0.5 * x.reduce(0) { $0 + $1 * $1 * $1 * $1 - 16 * $1 * $1 + 5 * $1 }
    },
  ]
}
