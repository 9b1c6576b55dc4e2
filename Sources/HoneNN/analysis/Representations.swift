import Foundation
import HoneMath
import HoneTensor

/// Measures of what a network computes, comparable across optimizers.
public enum Representations {
  /// The singular values of an m×n matrix (row-major), descending: √λ of its smaller Gram
  /// matrix's eigenvalues (LAPACK `dsyevd`), clipped at zero.
  public static func singularValues(_ elements: [Float], rows: Int, columns: Int) throws -> [Double] {
    precondition(elements.count == rows * columns, "singularValues: \(elements.count) values for \(rows)×\(columns)")
    guard rows > 0, columns > 0 else { return [] }
    let a = Matrix(rows: rows, columns: columns, elements: elements.map(Double.init))
    let gram = rows >= columns ? Matrix.product(a, a, transposeA: true) : Matrix.product(a, a, transposeB: true)
    return try SymmetricEigen(gram).values.reversed().map { Swift.max($0, 0).squareRoot() }
  }

  /// The effective rank exp(H(p)), H(p) = −Σ pₖ·log pₖ, pₖ = σₖ/Σσ (Roy & Vetterli 2007,
  /// "The effective rank: a measure of effective dimensionality"): 1 for a rank-one matrix, n
  /// when all n singular values are equal; 0 for a zero matrix.
  public static func effectiveRank(singularValues sigma: [Double]) -> Double {
    let total = sigma.reduce(0, +)
    guard total > 0 else { return 0 }
    let entropy = sigma.reduce(0.0) { sum, s in
      let p = s / total
      return p > 0 ? sum - p * log(p) : sum
    }
    return exp(entropy)
  }

  /// The effective rank of an m×n matrix (see `effectiveRank(singularValues:)`).
  public static func effectiveRank(_ elements: [Float], rows: Int, columns: Int) throws -> Double {
    effectiveRank(singularValues: try singularValues(elements, rows: rows, columns: columns))
  }

  /// Linear centered kernel alignment of two representations of the same n examples, X
  /// (n×p) and Y (n×q), columns centered (Kornblith et al. 2019, "Similarity of Neural Network
  /// Representations Revisited"): ‖YᵀX‖²_F / (‖XᵀX‖_F·‖YᵀY‖_F), in [0, 1], 1 for X = Y·Q·c
  /// with Q orthogonal and c > 0; 0 when either is constant.
  public static func linearCKA(_ x: Tensor<Float>, _ y: Tensor<Float>) -> Double {
    precondition(x.rank == 2 && y.rank == 2 && x.shape[0] == y.shape[0],
                 "linearCKA: representations \(x.shape) and \(y.shape) must be two matrices with the same rows")
    let cx = centered(x), cy = centered(y)
    let cross = frobeniusSquared(Matrix.product(cy, cx, transposeA: true))
    let xx = frobeniusSquared(Matrix.product(cx, cx, transposeA: true)).squareRoot()
    let yy = frobeniusSquared(Matrix.product(cy, cy, transposeA: true)).squareRoot()
    guard xx > 0, yy > 0 else { return 0 }
    return cross / (xx * yy)
  }

  /// The fraction of entries with |a| ≤ `threshold` (exact zeros of a ReLU by default).
  public static func sparsity(_ activations: Tensor<Float>, threshold: Float = 0) -> Double {
    guard activations.count > 0 else { return 0 }
    let zeros = activations.withUnsafeBufferPointer { a in a.reduce(0) { $0 + (abs($1) <= threshold ? 1 : 0) } }
    return Double(zeros) / Double(activations.count)
  }

  /// The outputs of every `Activation` layer of `model` and its penultimate representation
  /// (the input of its last layer) on `features`, in evaluation mode.
  public static func layerOutputs(_ model: Sequential, features: Tensor<Float>) -> (hidden: [Tensor<Float>], penultimate: Tensor<Float>) {
    model.eval()
    var x = features
    var hidden: [Tensor<Float>] = []
    for layer in model.layers.dropLast() {
      x = layer(x)
      if layer is Activation { hidden.append(x) }
    }
    return (hidden, x.rank == 2 ? x : x.reshaped(to: [x.shape[0], -1]))
  }

  private static func centered(_ x: Tensor<Float>) -> Matrix {
    let (n, p) = (x.shape[0], x.shape[1])
    var m = Matrix(rows: n, columns: p, elements: x.scalars.map(Double.init))
    for j in 0..<p {
      var mean = 0.0
      for i in 0..<n { mean += m[i, j] }
      mean /= Double(Swift.max(n, 1))
      for i in 0..<n { m[i, j] -= mean }
    }
    return m
  }

  private static func frobeniusSquared(_ m: Matrix) -> Double { m.elements.reduce(0) { $0 + $1 * $1 } }
}
