/// Minimization of a smooth function within box bounds by limited-memory BFGS with
/// projection (the bound-constrained quasi-Newton method in the family of L-BFGS-B, Byrd, Lu,
/// Nocedal & Zhu 1995, "A Limited Memory Algorithm for Bound Constrained Optimization"; this
/// is the simpler active-set form of Kelley 1999, "Iterative Methods for Optimization", §5.5):
///
/// - variables at a bound whose gradient points outward are held (the active set);
/// - on the free variables the step is −H·g from the two-loop recursion over the last `memory`
///   pairs (s, y) = (Δx, Δg) with sᵀy > 0 (Nocedal 1980);
/// - the trial point is projected onto the box, x⁺ = P(x + α·d), with backtracking from α = 1
///   until the Armijo condition f(x⁺) ≤ f(x) + 10⁻⁴·gᵀ(x⁺ − x) holds.
///
/// Stops when the projected gradient's largest entry, ‖P(x − g) − x‖∞, is below
/// `gradientTolerance`, when f decreases by less than `relativeTolerance`·max(1, |f|), or after
/// `maxIterations`. Each iteration costs O(memory · dimension) besides the function evaluations.
public struct BoundedLBFGS: Sendable {
  /// The number of (s, y) pairs kept.
  public var memory: Int
  /// The most iterations.
  public var maxIterations: Int
  /// Stop when ‖P(x − g) − x‖∞ falls below this.
  public var gradientTolerance: Double
  /// Stop when an iteration improves f by less than this relative amount.
  public var relativeTolerance: Double
  /// The largest coordinate change of the first (steepest-descent) step, before any curvature
  /// is known.
  public var initialStep: Double

  /// The result of a minimization.
  public struct Result: Sendable {
    /// The best point found.
    public var x: [Double]
    /// f there.
    public var value: Double
    /// Iterations run.
    public var iterations: Int
    /// Function evaluations (with gradient).
    public var evaluations: Int
  }

  /// A minimizer with scipy's L-BFGS-B defaults for the memory (10) and similar tolerances.
  public init(memory: Int = 10, maxIterations: Int = 200, gradientTolerance: Double = 1e-5, relativeTolerance: Double = 1e-10,
              initialStep: Double = 0.1) {
    self.memory = memory
    self.maxIterations = maxIterations
    self.gradientTolerance = gradientTolerance
    self.relativeTolerance = relativeTolerance
    self.initialStep = initialStep
  }

  /// Minimizes `f` (returning the value and writing the gradient into its second argument)
  /// from `start` within [lower, upper] (use ±infinity for unbounded coordinates). Non-finite
  /// values are treated as +infinity (the line search backs away from them).
  public func minimize(start: [Double], lower: [Double], upper: [Double],
                       _ f: ([Double], inout [Double]) -> Double) -> Result {
    let n = start.count
    precondition(lower.count == n && upper.count == n, "BoundedLBFGS: \(n) variables but \(lower.count)/\(upper.count) bounds")
    precondition(memory >= 1, "BoundedLBFGS: memory must be at least 1")
    precondition(zip(lower, upper).allSatisfy { $0 <= $1 }, "BoundedLBFGS: a lower bound exceeds its upper bound")
    func project(_ v: inout [Double]) {
      for i in 0..<n { v[i] = v[i].isNaN ? lower[i].isFinite ? lower[i] : 0 : Swift.min(Swift.max(v[i], lower[i]), upper[i]) }
    }
    var x = start
    project(&x)
    var g = [Double](repeating: 0, count: n)
    var fx = f(x, &g)
    var evaluations = 1
    if !fx.isFinite { fx = .infinity }
    var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
    var iterations = 0
    var gNew = g
    while iterations < maxIterations, fx.isFinite {
      // Projected-gradient test and active set.
      var largest = 0.0
      var free = [Bool](repeating: true, count: n)
      for i in 0..<n {
        let moved = Swift.min(Swift.max(x[i] - g[i], lower[i]), upper[i]) - x[i]
        largest = Swift.max(largest, Swift.abs(moved))
        if (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0) { free[i] = false }
      }
      if largest < gradientTolerance { break }
      iterations += 1
      // Two-loop recursion on the free variables.
      var q = (0..<n).map { free[$0] ? g[$0] : 0 }
      var alphas = [Double](repeating: 0, count: s.count)
      for k in stride(from: s.count - 1, through: 0, by: -1) {
        var dot = 0.0
        for i in 0..<n where free[i] { dot += s[k][i] * q[i] }
        alphas[k] = rho[k] * dot
        for i in 0..<n where free[i] { q[i] -= alphas[k] * y[k][i] }
      }
      if let last = s.indices.last {
        var sy = 0.0, yy = 0.0
        for i in 0..<n where free[i] { sy += s[last][i] * y[last][i]; yy += y[last][i] * y[last][i] }
        let gamma = sy > 0 && yy > 0 ? sy / yy : 1
        for i in 0..<n { q[i] *= gamma }
      } else {
        // First step: the longest move is `initialStep`.
        let norm = q.reduce(0) { Swift.max($0, Swift.abs($1)) }
        if norm > 0 { for i in 0..<n { q[i] *= initialStep / norm } }
      }
      for k in 0..<s.count {
        var dot = 0.0
        for i in 0..<n where free[i] { dot += y[k][i] * q[i] }
        let beta = rho[k] * dot
        for i in 0..<n where free[i] { q[i] += (alphas[k] - beta) * s[k][i] }
      }
      var d = (0..<n).map { free[$0] ? -q[$0] : 0 }
      var slope = 0.0
      for i in 0..<n { slope += g[i] * d[i] }
      if slope >= 0 {
        // Not a descent direction: restart from steepest descent.
        s.removeAll(); y.removeAll(); rho.removeAll()
        let norm = g.reduce(0) { Swift.max($0, Swift.abs($1)) }
        d = (0..<n).map { free[$0] && norm > 0 ? -g[$0] * initialStep / norm : 0 }
      }
      // Projected backtracking line search.
      var alpha = 1.0
      var xNew = x
      var fNew = Double.infinity
      var accepted = false
      for _ in 0..<40 {
        for i in 0..<n { xNew[i] = x[i] + alpha * d[i] }
        project(&xNew)
        var decrease = 0.0
        for i in 0..<n { decrease += g[i] * (xNew[i] - x[i]) }
        // A projected step that does not descend to first order is shortened like a failed one.
        guard decrease < 0 else { alpha *= 0.5; continue }
        fNew = f(xNew, &gNew)
        evaluations += 1
        if fNew.isFinite && fNew <= fx + 1e-4 * decrease { accepted = true; break }
        alpha *= 0.5
      }
      guard accepted else { break }
      // Curvature pairs on the free coordinates only (the two-loop recursion uses no others).
      var sy = 0.0, ss = 0.0, yy = 0.0
      let sk = (0..<n).map { free[$0] ? xNew[$0] - x[$0] : 0 }
      let yk = (0..<n).map { free[$0] ? gNew[$0] - g[$0] : 0 }
      for i in 0..<n { sy += sk[i] * yk[i]; ss += sk[i] * sk[i]; yy += yk[i] * yk[i] }
      if sy > 1e-12 * (ss * yy).squareRoot() && sy > 0 {
        if s.count == memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
        s.append(sk); y.append(yk); rho.append(1 / sy)
      }
      let improvement = fx - fNew
      x = xNew
      g = gNew
      fx = fNew
      if improvement <= relativeTolerance * Swift.max(1, Swift.abs(fx)) { break }
    }
    return Result(x: x, value: fx, iterations: iterations, evaluations: evaluations)
  }
}
