import Testing
@testable import HoneMath

/// Hypervolume by inclusion–exclusion over every non-empty subset T of the points:
/// HV = Σ_T (−1)^{|T|+1} Π_j (r_j − max_{p∈T} p_j)⁺ — exact, and exponential, so only for small sets.
private func bruteForceHypervolume(_ points: [[Double]], reference: [Double]) -> Double {
  var total = 0.0
  for mask in 1..<(1 << points.count) {
    var corner = [Double](repeating: -.infinity, count: reference.count)
    var size = 0
    for (i, p) in points.enumerated() where mask & (1 << i) != 0 {
      size += 1
      for j in corner.indices { corner[j] = max(corner[j], p[j]) }
    }
    let volume = zip(reference, corner).reduce(1.0) { $0 * max($1.0 - $1.1, 0) }
    total += size % 2 == 1 ? volume : -volume
  }
  return total
}

@Suite struct MultiObjectiveTests {
  @Test func hypervolumeOfKnownFronts() {
    // Unit corners of the 3-D simplex against (2, 2, 2): 3·4 − 3·2 + 1 = 7.
    #expect(hypervolume([[1, 0, 0], [0, 1, 0], [0, 0, 1]], reference: [2, 2, 2]) == 7)
    // The 2-D staircase (k/4, 1 − k/4), k = 0…4, against (1, 1): the ends touch the reference, the
    // three inner points add 0.75·0.25 + 0.5·0.25 + 0.25·0.25 = 0.375.
    let staircase = (0...4).map { [Double($0) / 4, 1 - Double($0) / 4] }
    #expect(abs(hypervolume(staircase, reference: [1, 1]) - 0.375) < 1e-15)
    // One point: the box to the reference; points outside the reference add nothing.
    #expect(hypervolume([[1, 2, 3, 4]], reference: [2, 4, 6, 8]) == 1 * 2 * 3 * 4)
    #expect(hypervolume([[3, 0], [0, 5]], reference: [2, 4]) == 0)
    #expect(hypervolume([], reference: [1, 1]) == 0)
    #expect(hypervolume([[0.5]], reference: [2]) == 1.5)
  }

  /// Random fronts of 2 to 5 objectives, with dominated points, duplicates and points
  /// beyond the reference, against inclusion–exclusion.
  @Test(arguments: [2, 3, 4, 5])
  func hypervolumeMatchesBruteForce(objectives m: Int) {
    var rng = SeededRNG(seed: UInt64(m))
    for _ in 0..<40 {
      let n = 1 + Int(rng.nextDouble() * 10)
      var points = (0..<n).map { _ in (0..<m).map { _ in (rng.nextDouble() * 12).rounded() / 10 } }
      points.append(points[0])
      let reference = [Double](repeating: 1, count: m)
      let expected = bruteForceHypervolume(points.filter { $0.allSatisfy { $0 < 1 } }, reference: reference)
      #expect(abs(hypervolume(points, reference: reference) - expected) <= 1e-12)
    }
  }

  @Test func contributionsAreExclusiveVolumes() {
    let points: [[Double]] = [[1, 3], [2, 2], [3, 1], [2.5, 2.5], [2, 2]]
    // Duplicates and dominated points contribute nothing.
    #expect(hypervolumeContributions(points, reference: [4, 4]) == [1, 0, 1, 0, 0])
    let single = hypervolumeContributions([[1, 3], [2, 2], [3, 1]], reference: [4, 4])
    #expect(single == [1, 1, 1])
  }

  @Test func nondominatedSortOnHandMadeCase() {
    let points: [[Double]] = [[1, 5], [2, 3], [3, 1], [2, 4], [4, 4], [5, 5], [2, 3]]
    #expect(nondominatedFronts(points) == [[0, 1, 2, 6], [3], [4], [5]])
    #expect(nondominatedRanks(points) == [0, 0, 0, 1, 2, 3, 0])
    #expect(nondominatedFronts([]) == [])
  }

  @Test func crowdingDistanceOnHandMadeCase() {
    let d = crowdingDistances([[1, 5], [2, 3], [3, 1], [2.5, 2]])
    #expect(d[0] == .infinity && d[2] == .infinity)
    #expect(abs(d[1] - ((2.5 - 1) / 2 + (5 - 2) / 4)) < 1e-15)
    #expect(abs(d[3] - ((3 - 2) / 2 + (3 - 1) / 4)) < 1e-15)
    #expect(crowdingDistances([[1, 1], [2, 2]]) == [.infinity, .infinity])
  }

  @Test func r2OfKnownSets() {
    let weights = simplexLatticeWeights(objectives: 2, divisions: 2)
    #expect(weights == [[0, 1], [0.5, 0.5], [1, 0]])
    #expect(simplexLatticeWeights(objectives: 3, divisions: 4).count == 15)
    // The ideal point itself has R2 = 0; a point at (1, 1) has max(w₁, w₂) averaged: (1 + 0.5 + 1)/3.
    #expect(r2Indicator([[0, 0]], weights: weights, ideal: [0, 0]) == 0)
    #expect(abs(r2Indicator([[1, 1]], weights: weights, ideal: [0, 0]) - 2.5 / 3) < 1e-15)
    // Adding a point never makes R2 worse.
    #expect(r2Indicator([[1, 1], [0, 2]], weights: weights, ideal: [0, 0]) <= r2Indicator([[1, 1]], weights: weights, ideal: [0, 0]))
  }
}
