import Testing
@testable import HoneMath

/// Expected values from numpy.linalg (cholesky, slogdet, solve).
@Suite struct LinearAlgebraTests {
  let a = Matrix([[4, 2, 0.6], [2, 5, 1.5], [0.6, 1.5, 3]])

  @Test func choleskyMatchesNumpy() throws {
    let c = try Cholesky(a)
    let expected = [2.0, 0, 0, 1, 2, 0, 0.3, 0.6, 1.5968719422671311]
    for (x, y) in zip(c.lower.elements, expected) { #expect(abs(x - y) < 1e-14) }
    #expect(c.jitter == 0)
    #expect(abs(c.logDeterminant - 3.708682081410116) < 1e-13)
    let x = c.solve([1, 2, 3])
    for (u, v) in zip(x, [0.0625, 0.09264705882352936, 0.9411764705882355]) { #expect(abs(u - v) < 1e-14) }
  }

  @Test func solveMatrixRightHandSide() throws {
    let c = try Cholesky(a)
    let x = c.solve(Matrix.identity(3))
    let product = a * x
    for i in 0..<3 { for j in 0..<3 { #expect(abs(product[i, j] - (i == j ? 1 : 0)) < 1e-13) } }
  }

  @Test func jitterRescuesSingularMatrix() throws {
    // Two identical rows (duplicate GP inputs): singular, factorable with a small jitter.
    let k = Matrix([[1, 1, 0.5], [1, 1, 0.5], [0.5, 0.5, 1]])
    let c = try Cholesky(k)
    #expect(c.jitter > 0 && c.jitter < 1e-3)
    let reconstructed = Matrix.product(c.lower, c.lower, transposeB: true)
    for i in 0..<3 { for j in 0..<3 { #expect(abs(reconstructed[i, j] - k[i, j] - (i == j ? c.jitter : 0)) < 1e-12) } }
  }

  @Test func indefiniteAndNonFiniteAreErrors() {
    #expect(throws: MathError.self) { try Cholesky(Matrix([[1, 0], [0, -5]])) }
    #expect(throws: MathError.self) { try Cholesky(Matrix([[1, .nan], [.nan, 1]])) }
    #expect(throws: MathError.self) { try Cholesky(Matrix(rows: 2, columns: 3)) }
  }

  @Test func gemmAndGemvAgreeWithNaiveLoops() {
    var rng = SeededRNG(seed: 5)
    let x = Matrix(rows: 7, columns: 4, elements: (0..<28).map { _ in rng.nextNormal() })
    let y = Matrix(rows: 7, columns: 5, elements: (0..<35).map { _ in rng.nextNormal() })
    let xtY = Matrix.product(x, y, transposeA: true)
    for i in 0..<4 {
      for j in 0..<5 {
        let naive = (0..<7).reduce(0.0) { $0 + x[$1, i] * y[$1, j] }
        #expect(abs(xtY[i, j] - naive) < 1e-12)
      }
    }
    let v = (0..<4).map { Double($0) - 1.5 }
    let xv = x.multiply(v)
    for i in 0..<7 { #expect(abs(xv[i] - (0..<4).reduce(0.0) { $0 + x[i, $1] * v[$1] }) < 1e-12) }
    let w = (0..<7).map { Double($0) }
    #expect(abs(dot(x.multiply(w, transposed: true), v) - dot(w, xv)) < 1e-10)
  }

  @Test func paretoFront() {
    let points: [[Double]] = [[1, 5], [2, 2], [5, 1], [3, 3], [2, 2], [6, 6]]
    #expect(paretoFrontIndices(points) == [0, 1, 2, 4])
    #expect(dominates([1, 1], [1, 2]))
    #expect(!dominates([1, 1], [1, 1]))
  }

  /// The filter finds exactly the first front of the full non-dominated sort, ties included.
  @Test(arguments: [1, 2, 3, 4])
  func paretoFrontMatchesTheFirstFront(objectives m: Int) {
    var rng = SeededRNG(seed: UInt64(m))
    for _ in 0..<20 {
      // Values on a coarse grid, so that ties and duplicates occur.
      let points = (0..<200).map { _ in (0..<m).map { _ in Double(rng.nextInt(below: 12)) } }
      #expect(paretoFrontIndices(points) == nondominatedFronts(points)[0])
    }
  }
}
