import Foundation
import HoneMath

/// Shampoo (Gupta, Koren & Singer 2018, "Shampoo: Preconditioned Stochastic Tensor
/// Optimization") with its step size grafted from Adam (Agarwal et al. 2020, "Disentangling
/// Adaptive Gradient Methods from Learning Rates"), for a parameter viewed as a matrix
/// G ∈ ℝ^{m×n} (m = the first dimension, n = the product of the others):
///
///     m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²                 (Adam's moments)
///     A = (m/(1 − β1^t)) / (√v/√(1 − β2^t) + ε)                      (Adam's direction)
///     L ← β2·L + (1 − β2)·G·Gᵀ;  R ← β2·R + (1 − β2)·Gᵀ·G             (Kronecker factors)
///     every k steps: L̃ = (L + δ·λmax(L)·I)^{−1/4}, R̃ likewise         (symmetric eigensolver)
///     D = L̃ · (m/(1 − β1^t)) · R̃;  D ← D · ‖A‖/‖D‖                    (grafting)
///     p ← p·(1 − lr·λ) − lr·D
///
/// A side longer than `maxPreconditionerDimension` is not preconditioned and the other side
/// then takes the root −1/2 (the one-sided Shampoo of a matrix seen as an order-1 tensor); a
/// vector, a scalar, or a matrix with both sides too long takes Adam's step A itself. Without
/// a shape (`forParameter(shape:)` not called) the parameter is a vector.
///
/// The state holds Adam's `exp_avg` and `exp_avg_sq` and the matrices [L, R, L̃, R̃] (empty
/// where a side is not preconditioned; of L and R only the lower triangle is kept, as BLAS
/// `syrk` writes it), so a saved state resumes exactly. The moments, the factors and the
/// preconditioned direction are computed in the parameters' precision (the matrix products by
/// BLAS), the roots in Double.
public struct Shampoo<Scalar: OptimizerScalar>: ShapeAwareOptimizer {
  /// The learning rate per step.
  public let learningRate: Schedule
  /// Adam's moments (β1, β2, ε): the momentum, the grafted step size, and β2 also decays the factors.
  public let scaling: ScaleByAdam<Scalar>
  /// The decoupled weight decay λ.
  public let weightDecay: Double
  /// The damping δ, relative to the factor's largest eigenvalue.
  public let matrixEpsilon: Double
  /// Steps between recomputations of the inverse roots (k).
  public let preconditionFrequency: Int
  /// Sides longer than this are not preconditioned.
  public let maxPreconditionerDimension: Int
  /// The parameter's shape (empty: a vector).
  public let shape: [Int]

  /// Shampoo with Adam's defaults for the moments, δ = 10⁻⁶, roots refreshed every 10 steps,
  /// sides up to 1,024.
  public init(learningRate: Schedule = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
              weightDecay: Double = 0, matrixEpsilon: Double = 1e-6, preconditionFrequency: Int = 10,
              maxPreconditionerDimension: Int = 1024, shape: [Int] = []) throws {
    scaling = try ScaleByAdam(beta1: betas.0, beta2: betas.1, eps: eps)
    try _Check.nonNegative(weightDecay, "weight-decay")
    try _Check.positive(matrixEpsilon, "matrix-eps")
    guard preconditionFrequency >= 1 else {
      throw OptimError.invalidHyperparameter("precondition-frequency must be >= 1, got \(preconditionFrequency)")
    }
    guard maxPreconditionerDimension >= 1 else {
      throw OptimError.invalidHyperparameter("max-preconditioner-dim must be >= 1, got \(maxPreconditionerDimension)")
    }
    guard shape.allSatisfy({ $0 >= 0 }) else { throw OptimError.invalidHyperparameter("a parameter shape has no negative sizes: \(shape)") }
    _ = try _LearningRate.at(0, learningRate)
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.matrixEpsilon = matrixEpsilon
    self.preconditionFrequency = preconditionFrequency
    self.maxPreconditionerDimension = maxPreconditionerDimension
    self.shape = shape
  }

  /// Implements `ShapeAwareOptimizer.forParameter`: the same settings for a parameter of `shape`.
  public func forParameter(shape: [Int]) throws -> any Optimizer<Scalar> {
    try Shampoo(learningRate: learningRate, betas: (scaling.beta1, scaling.beta2), eps: scaling.eps, weightDecay: weightDecay,
                matrixEpsilon: matrixEpsilon, preconditionFrequency: preconditionFrequency,
                maxPreconditionerDimension: maxPreconditionerDimension, shape: shape)
  }

  /// The matrix view (m, n) of the shape, or nil for a vector or scalar.
  var matrixView: (rows: Int, columns: Int)? {
    guard shape.count >= 2, let rows = shape.first, rows > 0 else { return nil }
    return (rows, shape.dropFirst().reduce(1, *))
  }

  /// Which sides are preconditioned, and the root each takes (4 with both, 2 with one).
  var sides: (left: Bool, right: Bool, root: Double) {
    guard let view = matrixView else { return (false, false, 0) }
    let left = view.rows <= maxPreconditionerDimension, right = view.columns <= maxPreconditionerDimension
    return (left, right, left && right ? 4 : 2)
  }

  /// Implements `Optimizer.initialState`: Adam's moments, zero factors and identity roots.
  public func initialState(count: Int) -> OptimizerState<Scalar> {
    var state = OptimizerState<Scalar>.zeros([.expAvg, .expAvgSq], length: count)
    let (left, right, _) = sides
    func square(_ n: Int, _ on: Bool, identity: Bool) -> [Scalar] {
      guard on else { return [] }
      return (0..<n * n).map { identity && $0 % (n + 1) == 0 ? 1 : 0 }
    }
    if let view = matrixView, view.rows * view.columns == count {
      state.matrices = [square(view.rows, left, identity: false), square(view.columns, right, identity: false),
                        square(view.rows, left, identity: true), square(view.columns, right, identity: true)]
    }
    return state
  }

  /// Implements `Optimizer._step` (specialized for Float: behind `any Optimizer` the generic
  /// body would otherwise run with a witness call per element).
  @_specialize(where Scalar == Float)
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    let lr = try _LearningRate.at(state.step, learningRate)
    let t = Double(state.step + 1)
    let bc1 = 1 - pow(scaling.beta1, t), bc2Sqrt = (1 - pow(scaling.beta2, t)).squareRoot()
    let n = params.count
    let (b1, b2, eps) = (Scalar(scaling.beta1), Scalar(scaling.beta2), Scalar(scaling.eps))
    let (w1, w2, c1, c2) = (Scalar(1 - scaling.beta1), Scalar(1 - scaling.beta2), Scalar(bc1), Scalar(bc2Sqrt))
    var momentum = [Scalar](repeating: 0, count: n), adam = [Scalar](repeating: 0, count: n)
    state.withBuffers(.expAvg, .expAvgSq) { m, v in
      for i in 0..<n {
        let g = grads[i]
        m[i] = b1 * m[i] + w1 * g
        v[i] = b2 * v[i] + w2 * (g * g)
        momentum[i] = m[i] / c1
        adam[i] = momentum[i] / (Scalar._sqrt(v[i]) / c2 + eps)
      }
    }
    var direction = adam
    let (left, right, root) = sides
    if let (rows, columns) = matrixView, left || right {
      guard state.matrices.count == 4, rows * columns == n else {
        throw OptimError.sizeMismatch("the Shampoo state was made for another shape than \(shape)")
      }
      let g = UnsafePointer(grads.baseAddress!)
      let (decay, weight) = (Scalar(scaling.beta2), Scalar(1 - scaling.beta2))
      if left { state.matrices[0].withUnsafeMutableBufferPointer { Scalar._syrk(transpose: false, rows, columns, alpha: weight, g, beta: decay, $0.baseAddress!) } }
      if right { state.matrices[1].withUnsafeMutableBufferPointer { Scalar._syrk(transpose: true, columns, rows, alpha: weight, g, beta: decay, $0.baseAddress!) } }
      if state.step % preconditionFrequency == 0 {
        for (side, size) in [(0, rows), (1, columns)] where side == 0 ? left : right {
          let factor = Matrix(rows: size, columns: size, elements: state.matrices[side].map { Double($0) })
          state.matrices[side + 2] = try Self.inverseRoot(factor, root: root, damping: matrixEpsilon).elements.map { Scalar($0) }
        }
      }
      var current = momentum
      for (side, inner) in [(0, rows), (1, columns)] where side == 0 ? left : right {
        var next = [Scalar](repeating: 0, count: n)
        state.matrices[side + 2].withUnsafeBufferPointer { r in
          current.withUnsafeBufferPointer { m in
            next.withUnsafeMutableBufferPointer { out in
              let (a, b) = side == 0 ? (r.baseAddress!, m.baseAddress!) : (m.baseAddress!, r.baseAddress!)
              Scalar._gemm(transposeA: false, transposeB: false, rows, columns, inner, alpha: 1, a, b, beta: 0, out.baseAddress!)
            }
          }
        }
        current = next
      }
      let norm = Self.norm(current)
      if norm > 0 && norm.isFinite {
        let graft = Scalar(Self.norm(adam) / norm)
        for i in 0..<n { current[i] *= graft }
        direction = current
      }
    }
    let (decay, rate) = (Scalar(1 - lr * weightDecay), Scalar(lr))
    for i in 0..<n { params[i] = params[i] * decay - rate * direction[i] }
    state.step += 1
  }

  /// (A + δ·λmax·I)^{−1/r} of a symmetric positive semi-definite A by its eigendecomposition
  /// (negative eigenvalues from rounding are clipped to 0); the identity when A is zero.
  static func inverseRoot(_ a: Matrix, root: Double, damping: Double) throws -> Matrix {
    let eigen = try SymmetricEigen(a)
    let largest = eigen.values.last ?? 0
    guard largest > 0, largest.isFinite else { return .identity(a.rows) }
    let scaled = eigen.values.map { pow(Swift.max($0, 0) + damping * largest, -1 / root) }
    // Q·diag(s)·Qᵀ = (Q·diag(√s))·(Q·diag(√s))ᵀ: one symmetric rank-k product (lower
    // triangle), mirrored.
    let n = a.rows
    var q = eigen.vectors
    for i in 0..<n { for j in 0..<n { q[i, j] *= scaled[j].squareRoot() } }
    var result = Matrix(rows: n, columns: n)
    q.elements.withUnsafeBufferPointer { qp in
      result.elements.withUnsafeMutableBufferPointer { Double._syrk(transpose: false, n, n, alpha: 1, qp.baseAddress!, beta: 0, $0.baseAddress!) }
    }
    for i in 0..<n { for j in (i + 1)..<n { result[i, j] = result[j, i] } }
    return result
  }

  /// ‖x‖₂, summed in Double.
  static func norm(_ x: [Scalar]) -> Double { x.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }


}
