import HoneMath
import HoneTensor

/// How `fit` changes the training distribution before the run that counts.
public enum Upsampling: Sendable, Equatable {
  /// USEFUL (Nguyen et al. 2024, "Changing the Training Data Distribution to Reduce Simplicity
  /// Bias Improves In-distribution Generalization"): train `epoch` epochs, split each class's
  /// examples into two clusters by the network's outputs (k-means, k = 2), add a second copy
  /// of the cluster with the higher mean loss (the examples learned late), and train again
  /// from the initial parameters on the upsampled set.
  case useful(epoch: Int)
}

/// The example selection of USEFUL (Nguyen et al. 2024).
public enum UsefulUpsampling {
  /// The training examples to upsample: for each class c with two or more examples, the
  /// outputs zᵢ (rows of `outputs`, [n, C]) of its examples are clustered by k-means with
  /// k = 2 (k-means++ seeding from `seed`, then Lloyd's iterations), and the cluster with the
  /// higher mean of `losses` is chosen. Indices ascending.
  public static func slowExamples(outputs: Tensor<Float>, labels: [Int], losses: [Float], seed: UInt64 = 0) -> [Int] {
    precondition(outputs.rank == 2 && outputs.shape[0] == labels.count && losses.count == labels.count,
                 "slowExamples: outputs \(outputs.shape), \(labels.count) labels and \(losses.count) losses must match")
    let width = outputs.shape[1]
    let rows = outputs.scalars
    var rng = SeededRNG(seed: seed)
    var chosen: [Int] = []
    for c in Set(labels).sorted() {
      let members = labels.indices.filter { labels[$0] == c }
      guard members.count >= 2 else { continue }
      let points = members.map { i in (0..<width).map { Double(rows[i * width + $0]) } }
      let cluster = kMeansTwo(points, rng: &rng)
      func meanLoss(_ k: Int) -> Double {
        let group = members.indices.filter { cluster[$0] == k }
        return group.isEmpty ? -.infinity : group.reduce(0.0) { $0 + Double(losses[members[$1]]) } / Double(group.count)
      }
      let slow = meanLoss(1) > meanLoss(0) ? 1 : 0
      chosen += members.indices.filter { cluster[$0] == slow }.map { members[$0] }
    }
    return chosen.sorted()
  }

  /// k-means with k = 2 (Lloyd 1982) from a k-means++ start (Arthur & Vassilvitskii 2007):
  /// the cluster (0 or 1) of each point.
  static func kMeansTwo(_ points: [[Double]], rng: inout SeededRNG, iterations: Int = 100) -> [Int] {
    func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
    let first = points[rng.nextInt(below: points.count)]
    let weights = points.map { distance($0, first) }
    let total = weights.reduce(0, +)
    guard total > 0 else { return [Int](repeating: 0, count: points.count) }
    var target = rng.nextDouble() * total
    var second = points.count - 1
    for (i, w) in weights.enumerated() {
      target -= w
      if target <= 0 && w > 0 { second = i; break }
    }
    var centers = [first, points[second]]
    var assignment = [Int](repeating: -1, count: points.count)
    for _ in 0..<iterations {
      let next = points.map { distance($0, centers[0]) <= distance($0, centers[1]) ? 0 : 1 }
      if next == assignment { break }
      assignment = next
      for k in 0..<2 {
        let group = points.indices.filter { assignment[$0] == k }
        guard !group.isEmpty else { continue }
        centers[k] = (0..<points[0].count).map { j in group.reduce(0.0) { $0 + points[$1][j] } / Double(group.count) }
      }
    }
    return assignment
  }
}

/// The cross-entropy loss of each example (row of `logits`) against its label: −log softmax(z)_y.
public func perExampleCrossEntropy(logits: Tensor<Float>, labels: [Int]) -> [Float] {
  let classes = logits.shape[1]
  let logp = logits.detached.logSoftmax(alongAxis: 1).scalars
  return labels.enumerated().map { i, y in -logp[i * classes + y] }
}
