/// The 2-D non-dominated front of a growing set of points, under minimization, with the
/// area it dominates up to a reference point — the search tree of the 3-D hypervolume
/// sweep (Beume et al. 2009). The front is kept sorted by x (so y decreases) in a treap
/// (Seidel & Aragon 1996, "Randomized search trees"), so inserting a point, which removes
/// the points it dominates, costs O(log n) amortized.
struct Staircase {
  private struct Node {
    var x: Double, y: Double
    var priority: UInt64
    var left = -1, right = -1
  }

  private var nodes: [Node] = []
  private var root = -1
  private var state: UInt64 = 0x9E37_79B9_7F4A_7C15
  private let referenceX: Double, referenceY: Double
  /// The area of [front] × [reference] that the front dominates.
  private(set) var area = 0.0

  init(referenceX: Double, referenceY: Double, capacity: Int = 0) {
    self.referenceX = referenceX
    self.referenceY = referenceY
    nodes.reserveCapacity(capacity)
  }

  /// Adds (x, y): nothing changes when a front point weakly dominates it; otherwise the
  /// points it dominates leave and the area grows by what only it covers.
  mutating func insert(x: Double, y: Double) {
    let (below, atOrAbove) = split(root) { $0.x < x }
    let left = rightmost(below)
    let next = leftmost(atOrAbove)
    if let left, nodes[left].y <= y { root = merge(below, atOrAbove); return }
    if let next, nodes[next].x == x, nodes[next].y <= y { root = merge(below, atOrAbove); return }
    let (dominated, rest) = split(atOrAbove) { $0.y >= y }
    var height = left.map { nodes[$0].y } ?? referenceY
    var start = x
    for d in inOrder(dominated) {
      area += (nodes[d].x - start) * (height - y)
      height = nodes[d].y
      start = nodes[d].x
    }
    let end = leftmost(rest).map { nodes[$0].x } ?? referenceX
    area += (end - start) * (height - y)
    nodes.append(Node(x: x, y: y, priority: nextPriority()))
    root = merge(merge(below, nodes.count - 1), rest)
  }

  private mutating func nextPriority() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Splits `tree` into the in-order prefix where `goesLeft` holds and the rest
  /// (`goesLeft` must be monotone along the order).
  private mutating func split(_ tree: Int, _ goesLeft: (Node) -> Bool) -> (Int, Int) {
    guard tree >= 0 else { return (-1, -1) }
    if goesLeft(nodes[tree]) {
      let (a, b) = split(nodes[tree].right, goesLeft)
      nodes[tree].right = a
      return (tree, b)
    }
    let (a, b) = split(nodes[tree].left, goesLeft)
    nodes[tree].left = b
    return (a, tree)
  }

  /// Joins two trees whose keys are in order (every key of `a` before every key of `b`).
  private mutating func merge(_ a: Int, _ b: Int) -> Int {
    guard a >= 0 else { return b }
    guard b >= 0 else { return a }
    if nodes[a].priority > nodes[b].priority {
      nodes[a].right = merge(nodes[a].right, b)
      return a
    }
    nodes[b].left = merge(a, nodes[b].left)
    return b
  }

  private func leftmost(_ tree: Int) -> Int? {
    guard tree >= 0 else { return nil }
    var t = tree
    while nodes[t].left >= 0 { t = nodes[t].left }
    return t
  }

  private func rightmost(_ tree: Int) -> Int? {
    guard tree >= 0 else { return nil }
    var t = tree
    while nodes[t].right >= 0 { t = nodes[t].right }
    return t
  }

  private func inOrder(_ tree: Int) -> [Int] {
    var result: [Int] = [], stack: [Int] = [], t = tree
    while t >= 0 || !stack.isEmpty {
      while t >= 0 { stack.append(t); t = nodes[t].left }
      t = stack.removeLast()
      result.append(t)
      t = nodes[t].right
    }
    return result
  }
}
