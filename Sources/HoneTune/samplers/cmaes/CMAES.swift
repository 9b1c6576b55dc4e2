import Foundation
import HoneMath

/// The covariance matrix adaptation evolution strategy, as in Hansen's tutorial (2016,
/// "The CMA evolution strategy: a tutorial", arXiv:1604.00772), with active covariance
/// updates (negative weights) and, for grid dimensions, the margin of Hamano, Saito,
/// Nomura & Shirakawa (2022, "CMA-ES with margin: lower-bounding marginal probability for
/// mixed-integer black-box optimization", GECCO). One run; `CMAESSearch` adds restarts.
///
/// Each generation samples λ points x = m + σ·B·D·z, z ~ N(0, I), where C = B·D²·Bᵀ, and
/// `tell` updates, with the λ points sorted by value and yᵢ = (xᵢ − m)/σ:
///
///     m  ← m + σ·Σ_{i≤μ} wᵢ yᵢ                                   (c_m = 1)
///     p_σ ← (1 − c_σ) p_σ + √(c_σ(2 − c_σ) μ_eff) · C^(−½) y_w
///     σ  ← σ · exp((c_σ/d_σ)(‖p_σ‖/E‖N(0, I)‖ − 1))
///     p_c ← (1 − c_c) p_c + h_σ √(c_c(2 − c_c) μ_eff) · y_w
///     C  ← (1 + c₁δ(h_σ) − c₁ − c_μ Σwⱼ) C + c₁ p_c p_cᵀ + c_μ Σᵢ wᵢ° yᵢ yᵢᵀ
///
/// with the tutorial's defaults: λ = 4 + ⌊3 ln n⌋, μ = ⌊λ/2⌋, w′ᵢ = ln((λ+1)/2) − ln i,
/// positive weights summing to 1, negative ones scaled by α_min, c₁ = 2/((n+1.3)² + μ_eff),
/// c_μ = min(1 − c₁, 2(μ_eff − 2 + 1/μ_eff)/((n+2)² + μ_eff)), c_σ = (μ_eff+2)/(n+μ_eff+5),
/// d_σ = 1 + 2 max(0, √((μ_eff−1)/(n+1)) − 1) + c_σ, c_c = (4 + μ_eff/n)/(n + 4 + 2μ_eff/n),
/// wᵢ° = wᵢ·n/‖C^(−½)yᵢ‖² for negative weights.
///
/// Margin: for a dimension on a grid, after each update the mean and a per-dimension
/// scale Aⱼ are moved so that the probability of sampling another grid value than the
/// mean's stays at least α = 1/(n·λ); such dimensions are encoded as the grid value
/// nearest to m + A·(x − m).
public struct CMAES: Sendable, Equatable, Codable {
  /// The number of dimensions n.
  public let dimension: Int
  /// λ, the points per generation.
  public let populationSize: Int
  /// μ, the points that move the mean.
  public let parentCount: Int
  /// The recombination weights w₁ ≥ … ≥ w_λ (the last λ − μ negative).
  public let weights: [Double]
  let mueff, cSigma, dSigma, cc, c1, cmu, chiN: Double
  /// The box each coordinate must stay in (points outside are resampled, then clipped).
  public let bounds: [ClosedRange<Double>]?
  /// The grid step of each dimension that takes grid values (nil: continuous).
  public let steps: [Double?]
  /// The mean m.
  public private(set) var mean: [Double]
  /// The step size σ.
  public private(set) var sigma: Double
  /// The covariance matrix C.
  public private(set) var covariance: Matrix
  /// Completed generations.
  public private(set) var generation = 0
  /// The margin scale Aⱼ of each dimension (1 for continuous ones).
  public private(set) var marginScale: [Double]
  var pSigma: [Double], pc: [Double]
  var eigenvectors: Matrix, eigenRoots: [Double]
  let initialSigma: Double
  var recentValues: [Double] = []
  var lastValues: [Double] = []

  /// A run from `mean` with step size `sigma`; `populationSize` defaults to 4 + ⌊3 ln n⌋.
  /// Throws on an empty or non-finite start, σ ≤ 0, λ < 2, or bounds/steps of another dimension.
  public init(mean: [Double], sigma: Double, bounds: [ClosedRange<Double>]? = nil, steps: [Double?]? = nil,
              populationSize: Int? = nil) throws {
    let n = mean.count
    guard n >= 1, mean.allSatisfy(\.isFinite) else { throw TuneError.invalidArgument("CMA-ES needs a finite start of at least one dimension") }
    guard sigma > 0, sigma.isFinite else { throw TuneError.invalidArgument("CMA-ES needs σ > 0, got \(sigma)") }
    if let bounds, bounds.count != n { throw TuneError.invalidArgument("CMA-ES: \(bounds.count) bounds for \(n) dimensions") }
    if let steps, steps.count != n { throw TuneError.invalidArgument("CMA-ES: \(steps.count) steps for \(n) dimensions") }
    let lambda = populationSize ?? 4 + Int(3 * Foundation.log(Double(n)))
    guard lambda >= 2 else { throw TuneError.invalidArgument("CMA-ES needs a population of at least 2, got \(lambda)") }
    dimension = n
    self.populationSize = lambda
    parentCount = lambda / 2
    let raw = (1...lambda).map { Foundation.log(Double(lambda + 1) / 2) - Foundation.log(Double($0)) }
    let positive = raw.prefix(parentCount), negative = raw.dropFirst(parentCount)
    let mueff = pow(positive.reduce(0, +), 2) / positive.reduce(0) { $0 + $1 * $1 }
    let mueffMinus = negative.isEmpty ? 0 : pow(negative.reduce(0, +), 2) / negative.reduce(0) { $0 + $1 * $1 }
    let nd = Double(n)
    let c1 = 2 / (pow(nd + 1.3, 2) + mueff)
    let cmu = min(1 - c1 - 1e-8, 2 * (mueff - 2 + 1 / mueff) / (pow(nd + 2, 2) + mueff))
    let alphaMin = min(1 + c1 / cmu, 1 + 2 * mueffMinus / (mueff + 2), (1 - c1 - cmu) / (nd * cmu))
    let positiveSum = raw.filter { $0 > 0 }.reduce(0, +), negativeSum = raw.filter { $0 < 0 }.reduce(0) { $0 - $1 }
    weights = raw.map { $0 >= 0 ? $0 / positiveSum : alphaMin * $0 / negativeSum }
    self.mueff = mueff
    self.c1 = c1
    self.cmu = cmu
    cSigma = (mueff + 2) / (nd + mueff + 5)
    dSigma = 1 + 2 * max(0, ((mueff - 1) / (nd + 1)).squareRoot() - 1) + (mueff + 2) / (nd + mueff + 5)
    cc = (4 + mueff / nd) / (nd + 4 + 2 * mueff / nd)
    chiN = nd.squareRoot() * (1 - 1 / (4 * nd) + 1 / (21 * nd * nd))
    self.bounds = bounds
    self.steps = steps ?? [Double?](repeating: nil, count: n)
    self.mean = mean
    self.sigma = sigma
    initialSigma = sigma
    covariance = .identity(n)
    marginScale = [Double](repeating: 1, count: n)
    pSigma = [Double](repeating: 0, count: n)
    pc = [Double](repeating: 0, count: n)
    eigenvectors = .identity(n)
    eigenRoots = [Double](repeating: 1, count: n)
  }

  /// A point of the current generation from standard normal draws, folded back into the
  /// bounds by reflection at the walls (the repaired point is the one to evaluate and tell).
  public func ask(rng: inout SeededRNG) -> [Double] {
    let x = point(z: (0..<dimension).map { _ in rng.nextNormal() })
    guard let bounds else { return x }
    return zip(x, bounds).map { value, box in
      let width = box.upperBound - box.lowerBound
      guard width > 0 else { return box.lowerBound }
      // Reflect with period 2·width: …, [low, high] as is, then mirrored, then as is, …
      var t = (value - box.lowerBound).truncatingRemainder(dividingBy: 2 * width)
      if t < 0 { t += 2 * width }
      return box.lowerBound + (t <= width ? t : 2 * width - t)
    }
  }

  /// m + σ·B·(D ⊙ z).
  public func point(z: [Double]) -> [Double] {
    let y = eigenvectors.multiply(zip(eigenRoots, z).map(*))
    return zip(mean, y).map { $0 + sigma * $1 }
  }

  /// The point as the search space sees it: on grid dimensions, the grid value nearest to
  /// m + A·(x − m) (grid values are low + (k + ½)·step from the lower bound); continuous
  /// dimensions unchanged.
  public func encode(_ x: [Double]) -> [Double] {
    (0..<dimension).map { j in
      guard let step = steps[j] else { return x[j] }
      let low = bounds?[j].lowerBound ?? 0
      let shifted = mean[j] + marginScale[j] * (x[j] - mean[j])
      let count = bounds.map { Int((($0[j].upperBound - low) / step).rounded()) } ?? Int.max
      let k = min(max(((shifted - low) / step - 0.5).rounded(), 0), Double(count - 1))
      return low + (k + 0.5) * step
    }
  }

  /// Updates the distribution from exactly λ evaluated points (values to minimize).
  public mutating func tell(_ solutions: [(x: [Double], value: Double)]) throws {
    guard solutions.count == populationSize else {
      throw TuneError.invalidArgument("CMA-ES: tell needs exactly λ = \(populationSize) solutions, got \(solutions.count)")
    }
    guard solutions.allSatisfy({ $0.x.count == dimension && $0.value.isFinite }) else {
      throw TuneError.invalidArgument("CMA-ES: every solution needs \(dimension) coordinates and a finite value")
    }
    generation += 1
    let sorted = solutions.sorted { $0.value < $1.value }
    lastValues = sorted.map(\.value)
    recentValues += [sorted.first!.value, sorted.last!.value]
    let historyLength = 2 * (10 + Int((30 * Double(dimension) / Double(populationSize)).rounded(.up)))
    if recentValues.count > historyLength { recentValues.removeFirst(recentValues.count - historyLength) }

    let n = dimension
    let ys = sorted.map { s in zip(s.x, mean).map { ($0 - $1) / sigma } }
    var yw = [Double](repeating: 0, count: n)
    for i in 0..<parentCount { for j in 0..<n { yw[j] += weights[i] * ys[i][j] } }
    for j in 0..<n { mean[j] += sigma * yw[j] }

    let whitenedYw = inverseSquareRoot(yw)
    let sigmaRate = (cSigma * (2 - cSigma) * mueff).squareRoot()
    for j in 0..<n { pSigma[j] = (1 - cSigma) * pSigma[j] + sigmaRate * whitenedYw[j] }
    let normPSigma = dot(pSigma, pSigma).squareRoot()
    sigma = min(sigma * Foundation.exp(cSigma / dSigma * (normPSigma / chiN - 1)), 1e32)

    let hSigma: Double = normPSigma / (1 - pow(1 - cSigma, Double(2 * (generation + 1)))).squareRoot()
      < (1.4 + 2 / Double(n + 1)) * chiN ? 1 : 0
    let ccRate = (cc * (2 - cc) * mueff).squareRoot()
    for j in 0..<n { pc[j] = (1 - cc) * pc[j] + hSigma * ccRate * yw[j] }

    let adjusted = weights.enumerated().map { i, w -> Double in
      guard w < 0 else { return w }
      let white = inverseSquareRoot(ys[i])
      return w * Double(n) / (dot(white, white) + 1e-8)
    }
    let decay = 1 + c1 * (1 - hSigma) * cc * (2 - cc) - c1 - cmu * weights.reduce(0, +)
    var c = covariance.elements
    for a in 0..<n {
      for b in 0...a {
        var rankMu = 0.0
        for i in 0..<populationSize { rankMu += adjusted[i] * ys[i][a] * ys[i][b] }
        let value = decay * c[a * n + b] + c1 * pc[a] * pc[b] + cmu * rankMu
        c[a * n + b] = value
        c[b * n + a] = value
      }
    }
    covariance = Matrix(rows: n, columns: n, elements: c)
    try decompose()
    applyMargin()
  }

  /// C^(−½)·v = B·D⁻¹·Bᵀ·v.
  private func inverseSquareRoot(_ v: [Double]) -> [Double] {
    let projected = eigenvectors.multiply(v, transposed: true)
    return eigenvectors.multiply(zip(projected, eigenRoots).map { $0 / $1 })
  }

  /// B and D from the new C (eigenvalues that rounding made zero or negative become 1e-8,
  /// as in the `cmaes` package; small positive ones are kept, or the search could not
  /// resolve its optimum below σ·1e-4).
  private mutating func decompose() throws {
    let eigen = try SymmetricEigen(covariance)
    eigenvectors = eigen.vectors
    eigenRoots = eigen.values.map { ($0 > 0 ? $0 : 1e-8).squareRoot() }
  }

  /// Hamano et al.'s margin: keeps the probability of leaving the mean's grid cell, on each
  /// side that has a neighbour, at least α/2 (α in the edge cells).
  private mutating func applyMargin() {
    let alpha = 1 / Double(dimension * populationSize)
    for j in 0..<dimension {
      guard let step = steps[j], let box = bounds?[j] else { continue }
      let count = Int(((box.upperBound - box.lowerBound) / step).rounded())
      guard count >= 2 else { continue }
      let scale = sigma * covariance[j, j].squareRoot()
      // Thresholds between neighbouring grid values: low + k·step, k = 1 … count − 1.
      let cell = min(max(Int((mean[j] - box.lowerBound) / step), 0), count - 1)
      let lower = box.lowerBound + Double(min(max(cell, 1), count - 1)) * step
      let upper = box.lowerBound + Double(min(max(cell + 1, 1), count - 1)) * step
      let spread = marginScale[j] * scale
      let pLower = Normal.cdf((lower - mean[j]) / spread)
      let pUpper = Normal.survival((upper - mean[j]) / spread)
      if cell == 0 || cell == count - 1 {
        let threshold = cell == 0 ? upper : lower
        let pOut = cell == 0 ? pUpper : pLower
        if pOut < alpha {
          let sign: Double = mean[j] >= threshold ? 1 : -1
          mean[j] = threshold + sign * spread * Normal.inverseCDF(1 - alpha)
        }
        continue
      }
      var low = max(pLower, alpha / 2), up = max(pUpper, alpha / 2)
      let middle = 1 - pLower - pUpper
      let excess = 1 - low - up - middle
      let denominator = low + middle + up - 3 * alpha / 2
      low += excess * (low - alpha / 2) / denominator
      up += excess * (up - alpha / 2) / denominator
      low = min(max(low, 1e-10), 0.5 - 1e-10)
      up = min(max(up, 1e-10), 0.5 - 1e-10)
      let chiLow = Normal.inverseCDF(1 - low), chiUp = Normal.inverseCDF(1 - up)
      marginScale[j] = (upper - lower) / ((chiLow + chiUp) * scale)
      mean[j] = (lower * chiUp + upper * chiLow) / (chiLow + chiUp)
    }
  }

  /// Hansen's stopping criteria for a restart: the best and worst values of the last
  /// 10 + ⌈30n/λ⌉ generations within 1e-12 (tolfun); σ·C_ii and σ·p_c below 1e-12·σ₀
  /// (tolx); σ·max D > 1e4 (tolxup); a step of 0.1σ along an axis, or of 0.2σ√C_ii in a
  /// coordinate, that leaves m unchanged; max D / min D > 1e14 (tolconditioncov).
  public var shouldStop: Bool {
    let n = dimension
    let historyLength = 2 * (10 + Int((30 * Double(n) / Double(populationSize)).rounded(.up)))
    if recentValues.count >= historyLength, (recentValues.max()! - recentValues.min()!) < 1e-11,
       let low = lastValues.min(), let high = lastValues.max(), high - low < 1e-11 { return true }
    let tolx = 1e-12 * initialSigma
    if (0..<n).allSatisfy({ sigma * covariance[$0, $0] < tolx }) && pc.allSatisfy({ sigma * abs($0) < tolx }) { return true }
    if sigma * eigenRoots.max()! > 1e4 { return true }
    let axis = generation % n
    if (0..<n).allSatisfy({ mean[$0] == mean[$0] + 0.1 * sigma * eigenRoots[axis] * eigenvectors[$0, axis] }) { return true }
    if (0..<n).contains(where: { mean[$0] == mean[$0] + 0.2 * sigma * covariance[$0, $0].squareRoot() }) { return true }
    if eigenRoots.max()! / eigenRoots.min()! > 1e14 { return true }
    return false
  }
}
