import HoneMath

/// Two groups of training examples whose losses move in opposite directions at the same
/// steps (Rosenfeld & Risteski 2024, "Outliers with Opposing Signals Have an Outsized Effect
/// on Neural Network Optimization").
public struct OpposingSignalPair: Sendable, Equatable {
  /// The examples of one group (indices into the training set), strongest first.
  public var first: [Int]
  /// The examples of the other group, strongest first.
  public var second: [Int]
  /// −corr(Δ̄_first, Δ̄_second) of the groups' mean loss changes per step, in [−1, 1]: 1 when
  /// one group's loss rises exactly when the other's falls.
  public var opposition: Double
  /// The share of the candidates' loss-change energy along this pair's direction (its
  /// eigenvalue over the sum).
  public var strength: Double
}

/// Finds opposing signals in a record of per-example training losses ℓₜ,ᵢ (t: record points,
/// i: examples):
///
/// 1. Δₜ,ᵢ = ℓₜ₊₁,ᵢ − ℓₜ,ᵢ; the swing of example i is Σₜ |Δₜ,ᵢ|; the `candidates` examples
///    with the largest swings are kept (the outliers the paper singles out).
/// 2. D (candidates × steps) holds their changes. The leading eigenvectors u of D·Dᵀ are the
///    patterns of co-movement; an eigenvector whose entries take both signs splits the
///    candidates into the two groups with uₖ > τ·max|u| and uₖ < −τ·max|u|.
/// 3. Each such split with both groups non-empty is a pair, in eigenvalue order.
public enum OpposingSignals {
  /// The pairs (at most `pairs`) in `losses`, a list of record points each holding one loss
  /// per example. Throws when the rows differ in length or there are fewer than 3 points.
  public static func find(losses: [[Float]], candidates: Int = 50, pairs: Int = 3, threshold: Double = 0.3) throws -> [OpposingSignalPair] {
    guard losses.count >= 3, let n = losses.first?.count, n >= 2 else {
      throw NNError.invalidArgument("opposing signals need at least 3 record points of 2 or more examples, got \(losses.count)")
    }
    guard losses.allSatisfy({ $0.count == n }) else { throw NNError.invalidArgument("every record point needs one loss per example (\(n))") }
    let steps = losses.count - 1
    func change(_ t: Int, _ i: Int) -> Double { Double(losses[t + 1][i]) - Double(losses[t][i]) }
    let swings = (0..<n).map { i in (0..<steps).reduce(0.0) { $0 + abs(change($1, i)) } }
    let kept = Array(stableArgsort(swings.map { -$0 }).prefix(Swift.min(candidates, n)))
    var d = Matrix(rows: kept.count, columns: steps)
    for (k, i) in kept.enumerated() { for t in 0..<steps { d[k, t] = change(t, i) } }
    let eigen = try SymmetricEigen(Matrix.product(d, d, transposeB: true))
    let energy = eigen.values.reduce(0) { $0 + Swift.max($1, 0) }
    guard energy > 0 else { return [] }
    var found: [OpposingSignalPair] = []
    for column in stride(from: kept.count - 1, through: 0, by: -1) where found.count < pairs && eigen.values[column] > 0 {
      let u = (0..<kept.count).map { eigen.vectors[$0, column] }
      let cut = threshold * (u.map(abs).max() ?? 0)
      let positive = (0..<kept.count).filter { u[$0] > cut }.sorted { u[$0] > u[$1] }
      let negative = (0..<kept.count).filter { u[$0] < -cut }.sorted { u[$0] < u[$1] }
      guard !positive.isEmpty, !negative.isEmpty else { continue }
      func meanChange(_ group: [Int]) -> [Double] {
        (0..<steps).map { t in group.reduce(0.0) { $0 + d[$1, t] } / Double(group.count) }
      }
      found.append(OpposingSignalPair(first: positive.map { kept[$0] }, second: negative.map { kept[$0] },
                                      opposition: -pearsonCorrelation(meanChange(positive), meanChange(negative)),
                                      strength: eigen.values[column] / energy))
    }
    return found
  }

  /// The share of the total loss held by `examples` at each record point: Σᵢ∈S ℓₜ,ᵢ / Σᵢ ℓₜ,ᵢ.
  public static func lossShare(losses: [[Float]], examples: [Int]) -> [Double] {
    losses.map { row in
      let total = row.reduce(0.0) { $0 + Double($1) }
      return total > 0 ? examples.reduce(0.0) { $0 + Double(row[$1]) } / total : 0
    }
  }
}
