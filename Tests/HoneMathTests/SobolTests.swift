import Testing
@testable import HoneMath

@Suite struct SobolTests {
  /// scipy.stats.qmc.Sobol(5, scramble=False).random(8), the same Joe–Kuo numbers.
  @Test func unscrambledMatchesScipy() throws {
    let expected: [[Double]] = [
      [0.0, 0.0, 0.0, 0.0, 0.0], [0.5, 0.5, 0.5, 0.5, 0.5], [0.75, 0.25, 0.25, 0.25, 0.75],
      [0.25, 0.75, 0.75, 0.75, 0.25], [0.375, 0.375, 0.625, 0.875, 0.375], [0.875, 0.875, 0.125, 0.375, 0.875],
      [0.625, 0.125, 0.875, 0.625, 0.625], [0.125, 0.625, 0.375, 0.125, 0.125],
    ]
    let sobol = try SobolSequence(dimension: 5, scramble: false)
    for (i, row) in expected.enumerated() { #expect(sobol.point(at: i) == row) }
  }

  /// scipy.stats.qmc.Sobol(64, scramble=False).random(16)[13, 60:64]: the recurrence in high dimensions.
  @Test func highDimensionMatchesScipy() throws {
    let sobol = try SobolSequence(dimension: 64, scramble: false)
    #expect(Array(sobol.point(at: 13)[60..<64]) == [0.1875, 0.9375, 0.0625, 0.0625])
  }

  /// Any scrambled 2^m first points are a (t, m, s)-net: each coordinate puts exactly one
  /// point in each of the 2^m equal intervals.
  @Test(arguments: [1 as UInt64, 2, 99])
  func scrambledKeepsStratification(seed: UInt64) throws {
    let sobol = try SobolSequence(dimension: 64, scramble: true, seed: seed)
    let n = 256
    let points = (0..<n).map { sobol.point(at: $0) }
    for d in 0..<64 {
      let cells = Set(points.map { Int($0[d] * Double(n)) })
      #expect(cells.count == n)
    }
    #expect(points.allSatisfy { $0.allSatisfy { $0 >= 0 && $0 < 1 } })
  }

  @Test func seedsGiveDifferentScrambles() throws {
    let a = try SobolSequence(dimension: 3, seed: 1).point(at: 5)
    let b = try SobolSequence(dimension: 3, seed: 2).point(at: 5)
    #expect(a != b)
    #expect(a == (try SobolSequence(dimension: 3, seed: 1)).point(at: 5))
  }

  @Test func rejectsBadDimension() {
    #expect(throws: MathError.self) { try SobolSequence(dimension: 0) }
    #expect(throws: MathError.self) { try SobolSequence(dimension: SobolSequence.maxDimension + 1) }
  }
}
