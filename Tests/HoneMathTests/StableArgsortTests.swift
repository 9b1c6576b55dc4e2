import Testing
@testable import HoneMath

@Suite struct StableArgsortTests {
  /// The reference: sort (value, index) pairs by comparison.
  private func reference(_ values: [Double]) -> [Int] {
    values.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }.map(\.offset)
  }

  @Test func matchesAComparisonSortOnRandomSortedReversedAndTiedInputs() {
    var rng = SeededRNG(seed: 7)
    for n in [0, 1, 2, 3, 16, 17, 18, 47, 48, 49, 100, 1000, 4000] {  // 48: the longest sorted by insertion alone
      let inputs: [[Double]] = [
        (0..<n).map { _ in rng.nextDouble(in: -5...5) },
        (0..<n).map { Double($0) },
        (0..<n).map { Double(n - $0) },
        (0..<n).map { Double($0 % 7) - 3 },
        (0..<n).map { $0 % 2 == 0 ? -0.0 : 0.0 },
        (0..<n).map { Double(($0 * 7919) % 13) * 1e-300 },
        [Double](repeating: 1, count: n),
        (0..<n).map { 1 + Double(($0 * 7919) % max(n, 1)) * 1.0.ulp },  // one long run of equal upper halves
      ]
      for values in inputs {
        #expect(stableArgsort(values) == reference(values), "n = \(n)")
        #expect(stableArgsort(values, depthLimit: 1) == reference(values), "n = \(n), fallback sort")
      }
    }
  }

  @Test func ordersInfinitiesAndExtremes() {
    let values = [Double.infinity, -1e308, 0, -.infinity, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude, .greatestFiniteMagnitude]
    #expect(stableArgsort(values) == [3, 1, 5, 2, 4, 6, 0])
  }
}
