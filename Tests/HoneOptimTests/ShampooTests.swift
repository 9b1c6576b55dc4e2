import Foundation
import HoneMath
import Testing
@testable import HoneOptim

/// Shampoo against a computation in Double that shares none of its code: 2×2 matrix roots in
/// closed form (√A = (A + √det·I)/√(tr + 2√det)), and Adam's moments written out.
@Suite struct ShampooTests {
  typealias M2 = (Double, Double, Double, Double)  // row-major 2×2

  static func product(_ a: M2, _ b: M2) -> M2 {
    (a.0 * b.0 + a.1 * b.2, a.0 * b.1 + a.1 * b.3, a.2 * b.0 + a.3 * b.2, a.2 * b.1 + a.3 * b.3)
  }
  static func inverse(_ a: M2) -> M2 {
    let det = a.0 * a.3 - a.1 * a.2
    return (a.3 / det, -a.1 / det, -a.2 / det, a.0 / det)
  }
  static func squareRoot(_ a: M2) -> M2 {
    let s = (a.0 * a.3 - a.1 * a.2).squareRoot(), t = (a.0 + a.3 + 2 * s).squareRoot()
    return ((a.0 + s) / t, a.1 / t, a.2 / t, (a.3 + s) / t)
  }
  /// (A + δ·λmax·I)^(−1/root) for root 2 or 4.
  static func inverseRoot(_ a: M2, root: Int, damping: Double) -> M2 {
    let (tr, det) = (a.0 + a.3, a.0 * a.3 - a.1 * a.2)
    let largest = tr / 2 + (tr * tr / 4 - det).squareRoot()
    let damped = (a.0 + damping * largest, a.1, a.2, a.3 + damping * largest)
    let half = squareRoot(damped)
    return inverse(root == 2 ? half : squareRoot(half))
  }

  /// The reference step sequence: Adam's moments, the EMA factors of G·Gᵀ and Gᵀ·G, their
  /// inverse roots every step, the preconditioned momentum grafted to Adam's norm. `rightSide`
  /// false drops R (one-sided, root 2); the parameter is then 2×n.
  static func reference(params: [Double], gradients: [[Double]], columns: Int, rightSide: Bool, lr: Double,
                        betas: (Double, Double), eps: Double, damping: Double) -> [Double] {
    var p = params
    var m = [Double](repeating: 0, count: p.count), v = m
    var left: M2 = (0, 0, 0, 0), right: M2 = (0, 0, 0, 0)
    for (step, g) in gradients.enumerated() {
      let t = Double(step + 1)
      let (bc1, bc2) = (1 - pow(betas.0, t), 1 - pow(betas.1, t))
      for i in p.indices {
        m[i] = betas.0 * m[i] + (1 - betas.0) * g[i]
        v[i] = betas.1 * v[i] + (1 - betas.1) * g[i] * g[i]
      }
      let hat = m.map { $0 / bc1 }
      let adam = p.indices.map { hat[$0] / ((v[$0] / bc2).squareRoot() + eps) }
      func row(_ r: Int) -> ArraySlice<Double> { g[(r * columns)..<((r + 1) * columns)] }
      let ggT: M2 = (zip(row(0), row(0)).map(*).reduce(0, +), zip(row(0), row(1)).map(*).reduce(0, +),
                     zip(row(1), row(0)).map(*).reduce(0, +), zip(row(1), row(1)).map(*).reduce(0, +))
      left = (betas.1 * left.0 + (1 - betas.1) * ggT.0, betas.1 * left.1 + (1 - betas.1) * ggT.1,
              betas.1 * left.2 + (1 - betas.1) * ggT.2, betas.1 * left.3 + (1 - betas.1) * ggT.3)
      var direction: [Double]
      if rightSide {
        precondition(columns == 2)
        let gTg: M2 = (g[0] * g[0] + g[2] * g[2], g[0] * g[1] + g[2] * g[3], g[1] * g[0] + g[3] * g[2], g[1] * g[1] + g[3] * g[3])
        right = (betas.1 * right.0 + (1 - betas.1) * gTg.0, betas.1 * right.1 + (1 - betas.1) * gTg.1,
                 betas.1 * right.2 + (1 - betas.1) * gTg.2, betas.1 * right.3 + (1 - betas.1) * gTg.3)
        let d = product(product(inverseRoot(left, root: 4, damping: damping), (hat[0], hat[1], hat[2], hat[3])),
                        inverseRoot(right, root: 4, damping: damping))
        direction = [d.0, d.1, d.2, d.3]
      } else {
        let l = inverseRoot(left, root: 2, damping: damping)
        direction = (0..<(2 * columns)).map { k in
          let (r, c) = (k / columns, k % columns)
          return (r == 0 ? l.0 : l.2) * hat[c] + (r == 0 ? l.1 : l.3) * hat[columns + c]
        }
      }
      let graft = adam.map { $0 * $0 }.reduce(0, +).squareRoot() / direction.map { $0 * $0 }.reduce(0, +).squareRoot()
      for i in p.indices { p[i] -= lr * graft * direction[i] }
    }
    return p
  }

  static let gradients: [[Double]] = [[0.3, -1.2, 0.7, 0.2, 0.5, -0.4], [1.1, 0.4, -0.6, 0.9, -0.2, 0.3],
                                      [-0.5, 0.8, 0.25, -1.4, 0.6, 0.1], [0.2, 0.2, 1.3, -0.7, -0.9, 0.4]]

  /// Both sides on a 2×2 parameter, roots refreshed every step: the Double optimizer equals
  /// the closed-form computation to rounding, the Float one to float precision.
  @Test func twoSidedStepsMatchTheClosedForm() throws {
    let start = [0.5, -0.25, 1.0, 0.75]
    let grads = Self.gradients.map { Array($0.prefix(4)) }
    let expected = Self.reference(params: start, gradients: grads, columns: 2, rightSide: true, lr: 0.1, betas: (0.9, 0.99),
                                  eps: 1e-8, damping: 1e-6)
    let double = try Shampoo<Double>(learningRate: 0.1, betas: (0.9, 0.99), preconditionFrequency: 1, shape: [2, 2])
    var p = start
    var state = double.initialState(count: 4)
    for g in grads { try double.step(params: &p, grads: g, state: &state) }
    for (x, y) in zip(p, expected) { #expect(abs(x - y) <= 1e-12, "\(p) vs \(expected)") }
    let float = try Shampoo<Float>(learningRate: 0.1, betas: (0.9, 0.99), preconditionFrequency: 1, shape: [2, 2])
    var q = start.map(Float.init)
    var floatState = float.initialState(count: 4)
    for g in grads { try float.step(params: &q, grads: g.map(Float.init), state: &floatState) }
    for (x, y) in zip(q, expected) { #expect(abs(Double(x) - y) <= 1e-5, "\(q) vs \(expected)") }
  }

  /// A side over the size limit is dropped and the other takes the root −1/2.
  @Test func aLongSideIsDroppedAndTheOtherTakesTheSquareRoot() throws {
    let start = [0.5, -0.25, 1.0, 0.75, 0.1, -0.3]
    let expected = Self.reference(params: start, gradients: Self.gradients, columns: 3, rightSide: false, lr: 0.05,
                                  betas: (0.9, 0.999), eps: 1e-8, damping: 1e-6)
    let shampoo = try Shampoo<Double>(learningRate: 0.05, preconditionFrequency: 1, maxPreconditionerDimension: 2, shape: [2, 3])
    var p = start
    var state = shampoo.initialState(count: 6)
    for g in Self.gradients { try shampoo.step(params: &p, grads: g, state: &state) }
    for (x, y) in zip(p, expected) { #expect(abs(x - y) <= 1e-12, "\(p) vs \(expected)") }
    #expect(state.matrices.map(\.count) == [4, 0, 4, 0])
  }

  /// A vector (or a shapeless buffer) takes Adam's step.
  @Test func aVectorTakesAdamsStep() throws {
    let shampoo = try Shampoo<Double>(learningRate: 0.01, weightDecay: 0.1, shape: [6])
    let adam = try AdamW<Double>(learningRate: 0.01, weightDecay: 0.1)
    var (p, q) = ([0.5, -0.25, 1.0, 0.75, 0.1, -0.3], [0.5, -0.25, 1.0, 0.75, 0.1, -0.3])
    var (s, t) = (shampoo.initialState(count: 6), adam.initialState(count: 6))
    for g in Self.gradients {
      try shampoo.step(params: &p, grads: g, state: &s)
      try adam.step(params: &q, grads: g, state: &t)
    }
    for (x, y) in zip(p, q) { #expect(abs(x - y) <= 1e-12) }
  }

  /// The roots are recomputed every k steps: with k = 3, steps 2 and 3 use the roots of step 1.
  @Test func rootsAreRefreshedEveryKSteps() throws {
    let shampoo = try Shampoo<Double>(preconditionFrequency: 3, shape: [2, 3])
    var p = [Double](repeating: 0, count: 6)
    var state = shampoo.initialState(count: 6)
    try shampoo.step(params: &p, grads: Self.gradients[0], state: &state)
    let roots = Array(state.matrices[2...])
    try shampoo.step(params: &p, grads: Self.gradients[1], state: &state)
    try shampoo.step(params: &p, grads: Self.gradients[2], state: &state)
    #expect(Array(state.matrices[2...]) == roots)
    try shampoo.step(params: &p, grads: Self.gradients[3], state: &state)
    #expect(Array(state.matrices[2...]) != roots)
  }

  /// A saved state resumes exactly (the matrices are part of it), and bad settings are refused.
  @Test func stateRoundTripsAndSettingsAreChecked() throws {
    let shampoo = try Shampoo<Float>(preconditionFrequency: 2, shape: [2, 3])
    var p: [Float] = [0.5, -0.25, 1.0, 0.75, 0.1, -0.3]
    var state = shampoo.initialState(count: 6)
    for g in Self.gradients.prefix(3) { try shampoo.step(params: &p, grads: g.map(Float.init), state: &state) }
    var restored = try OptimizerState<Float>(serialized: state.serialized())
    #expect(restored == state)
    var q = p
    try shampoo.step(params: &p, grads: Self.gradients[3].map(Float.init), state: &state)
    try shampoo.step(params: &q, grads: Self.gradients[3].map(Float.init), state: &restored)
    #expect(p == q)
    #expect(throws: OptimError.self) { try Shampoo<Float>(preconditionFrequency: 0) }
    #expect(throws: OptimError.self) { try Shampoo<Float>(matrixEpsilon: 0) }
    #expect(throws: OptimError.sizeMismatch("the optimizer state was made for 6 parameters, not 4")) {
      var r: [Float] = [0, 0, 0, 0]
      try shampoo.step(params: &r, grads: [1, 1, 1, 1], state: &state)
    }
  }

  /// On a least-squares problem ½‖A·W·B − C‖² whose conditioning is in rotated (non-diagonal)
  /// directions, Shampoo's Kronecker preconditioner reaches a far lower loss than Adam's
  /// diagonal one in the same steps, each at its best learning rate of a small grid.
  @Test func kroneckerPreconditioningBeatsDiagonalOnRotatedIllConditioning() throws {
    var rng = SeededRNG(seed: 3)
    func rotated(_ n: Int, condition: Double) throws -> Matrix {
      let g = Matrix(rows: n, columns: n, elements: (0..<(n * n)).map { _ in rng.nextNormal() })
      let q = try SymmetricEigen(Matrix.product(g, g, transposeB: true)).vectors
      var d = Matrix(rows: n, columns: n)
      for i in 0..<n { d[i, i] = pow(condition, Double(i) / Double(n - 1)) }
      return Matrix.product(Matrix.product(q, d), q, transposeB: true)
    }
    let (a, b) = (try rotated(8, condition: 30), try rotated(6, condition: 30))
    let c = Matrix(rows: 8, columns: 6, elements: (0..<48).map { _ in rng.nextNormal() })
    func lossAndGradient(_ w: [Float]) -> (Double, [Float]) {
      let r = Matrix.product(Matrix.product(a, Matrix(rows: 8, columns: 6, elements: w.map(Double.init))), b)
      var residual = r
      for i in residual.elements.indices { residual.elements[i] -= c.elements[i] }
      let g = Matrix.product(Matrix.product(a, residual, transposeA: true), b, transposeB: true)
      return (0.5 * residual.elements.reduce(0) { $0 + $1 * $1 }, g.elements.map { Float($0) })
    }
    func bestLoss(_ make: (Double) throws -> any Optimizer<Float>) throws -> Double {
      try [1e-3, 3e-3, 1e-2, 3e-2, 1e-1].map { lr in
        let optimizer = try make(lr)
        var w = [Float](repeating: 0, count: 48)
        var state = optimizer.initialState(count: 48)
        for _ in 0..<150 { try optimizer.step(params: &w, grads: lossAndGradient(w).1, state: &state) }
        let loss = lossAndGradient(w).0
        return loss.isFinite ? loss : .infinity
      }.min()!
    }
    let shampoo = try bestLoss { try Shampoo<Float>(learningRate: .constant($0), preconditionFrequency: 5, shape: [8, 6]) }
    let adam = try bestLoss { try Adam<Float>(learningRate: .constant($0)) }
    #expect(shampoo < adam / 2, "Shampoo \(shampoo), Adam \(adam)")
  }
}
