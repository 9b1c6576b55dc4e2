/// How many marks a plot draws at most, and which ones: past the budget a plot draws an
/// evenly spaced sample (every k-th item, k = ⌈n / budget⌉) plus the items it must keep (the
/// best trials, the improvements of the best-so-far line), so that a plot of 100,000 trials
/// stays legible and small. The choice is deterministic: the same trials give the same plot.
struct PlotSample {
  /// Marks per plot: dots of the history and Pareto plots.
  static let dots = 2000
  /// Dots of each slice plot (a study has one per parameter).
  static let sliceDots = 1000
  /// Lines of the parallel-coordinates plot.
  static let lines = 500
  /// Curves of the intermediate-values plot.
  static let curves = 300
  /// Bars of the timeline.
  static let bars = 600

  /// The indices of `count` items to draw: all of them within `budget`, else every k-th one
  /// and every index in `keep`, in increasing order.
  static func indices(count: Int, budget: Int, keep: Set<Int> = []) -> [Int] {
    guard count > budget else { return Array(0..<count) }
    let stride = (count + budget - 1) / budget
    var chosen = Set(Swift.stride(from: 0, to: count, by: stride))
    chosen.formUnion(keep.filter { $0 >= 0 && $0 < count })
    return chosen.sorted()
  }

  /// The items chosen by `indices`.
  static func items<T>(_ items: [T], budget: Int, keep: Set<Int> = []) -> [T] {
    items.count <= budget ? items : indices(count: items.count, budget: budget, keep: keep).map { items[$0] }
  }

  /// The corner note of a sampled plot ("2,000 of 100,000 trials shown"), nil when all are.
  static func note(shown: Int, of total: Int, what: String = "trials") -> String? {
    shown < total ? "\(shown) of \(total) \(what) shown" : nil
  }
}
