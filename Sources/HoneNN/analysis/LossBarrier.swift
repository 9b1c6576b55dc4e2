/// The loss along the straight line between two solutions w_a and w_b of the same network
/// (linear mode connectivity, Frankle et al. 2020, "Linear Mode Connectivity and the Lottery
/// Ticket Hypothesis"): L((1 − α)·w_a + α·w_b) at evenly spaced α, and the barrier
/// max_α [L(α) − ((1 − α)·L(0) + α·L(1))], the rise above the straight line between the ends
/// (0 when the path is convex; large when the two solutions lie in different basins).
public struct LossBarrier: Sendable {
  /// The α of each point, 0 … 1.
  public let alphas: [Double]
  /// The loss at each α.
  public let losses: [Double]

  /// Evaluates `loss` at `points` evenly spaced α (at least 2) between `a` and `b`.
  public init(from a: [Float], to b: [Float], points: Int = 11, loss: ([Float]) -> Double) {
    precondition(a.count == b.count, "LossBarrier: solutions of \(a.count) and \(b.count) parameters")
    let count = Swift.max(points, 2)
    alphas = (0..<count).map { Double($0) / Double(count - 1) }
    losses = alphas.map { alpha in loss(zip(a, b).map { Float((1 - alpha) * Double($0) + alpha * Double($1)) }) }
  }

  /// The barrier: the largest rise of the loss above the chord between the ends.
  public var height: Double {
    let (first, last) = (losses.first!, losses.last!)
    return zip(alphas, losses).map { alpha, value in value - ((1 - alpha) * first + alpha * last) }.max() ?? 0
  }
}
