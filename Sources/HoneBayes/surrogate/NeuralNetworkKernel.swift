#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLAPACK

/// The covariance of an infinitely wide, fully connected ReLU network with random weights
/// (the NNGP kernel: Neal 1996; Lee et al. 2018, "Deep Neural Networks as Gaussian
/// Processes", ICLR), by the arc-cosine recursion of Cho & Saul 2009:
///
///     K⁰(x, x′) = σ²_b + σ²_w·uᵀu′/d,   u = 2x − 1 ∈ [−1, 1]ᵈ
///     Kˡ(x, x′) = σ²_b + σ²_w/(2π)·√(qq′)·J(ρ),  q = Kˡ⁻¹(x, x), q′ = Kˡ⁻¹(x′, x′), ρ = Kˡ⁻¹(x, x′)/√(qq′)
///     J(ρ) = √(1 − ρ²) + (π − arccos ρ)·ρ,   J′(ρ) = π − arccos ρ
///     k(x, x′) = s·Kᴸ(x, x′)
///
/// with L hidden layers. Not stationary: it depends on the inputs' norms and angle, which is
/// why it resists the curse of dimensionality that a stationary kernel's length scales meet
/// (Li, Rudner & Wilson 2024). Category index i of k enters as (i + ½)/k; gradients along
/// categorical dimensions are zero. Every derivative is carried forward through the
/// recursion: ∂F/∂c = J′(ρ) and ∂F/∂q = (F − c·J′(ρ))/(2q) for F = √(qq′)·J(ρ).
public struct NeuralNetworkKernel: CovarianceFunction {
  /// L, the number of hidden ReLU layers (≥ 1).
  public let depth: Int
  /// σ²_w, the weight variance (times fan-in).
  public let weightVariance: Double
  /// σ²_b, the bias variance.
  public let biasVariance: Double
  /// s, the output scale.
  public let outputScale: Double
  /// The number of categories of each dimension, nil when numeric.
  public let choices: [Int?]
  /// Rows (the training inputs) whose encoding and squared norms are kept, since every
  /// posterior evaluation reads them.
  let known: [Double]
  let knownEncoded: [Double]
  let knownNorms: [Double]

  /// A kernel with the given hyperparameters; `known` rows (the training inputs) are encoded once.
  public init(depth: Int, weightVariance: Double, biasVariance: Double, outputScale: Double, choices: [Int?], known: [Double] = []) {
    precondition(depth >= 1, "NeuralNetworkKernel: depth ≥ 1")
    self.depth = depth
    self.weightVariance = weightVariance
    self.biasVariance = biasVariance
    self.outputScale = outputScale
    self.choices = choices
    self.known = known
    let u = SurrogateData.numeric(known, choices: choices).map { 2 * $0 - 1 }
    knownEncoded = u
    let d = choices.count
    knownNorms = (0..<(known.count / Swift.max(d, 1))).map { i in (0..<d).reduce(0) { $0 + u[i * d + $1] * u[i * d + $1] } / Double(d) }
  }

  var d: Int { choices.count }

  /// u = 2x − 1 of each row (categories mapped to (i + ½)/k first).
  func encoded(_ rows: [Double]) -> [Double] { SurrogateData.numeric(rows, choices: choices).map { 2 * $0 - 1 } }

  /// uᵀu′/d for every pair of rows of `a` (n × d) and `b` (m × d): n × m.
  func innerProducts(_ a: [Double], _ b: [Double]) -> [Double] {
    let n = a.count / d, m = b.count / d
    var out = [Double](repeating: 0, count: n * m)
    if n > 0 && m > 0 {
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(m), Int32(d), 1 / Double(d), a, Int32(d), b, Int32(d), 0,
                  &out, Int32(m))
    }
    return out
  }

  /// q⁰ … qᴸ⁻¹ of one row, from r = uᵀu/d: the diagonal that layer l + 1 reads.
  func diagonals(_ r: Double) -> [Double] {
    var q = [biasVariance + weightVariance * r]
    for _ in 1..<depth { q.append(biasVariance + weightVariance / 2 * q[q.count - 1]) }
    return q
  }

  /// arccos x to within 2·10⁻⁸ (Abramowitz & Stegun 4.4.46: √(1 − x) times a degree-7
  /// polynomial on [0, 1], and π − arccos(−x) below 0): libm's acos took a quarter of a fit.
  @inline(__always)
  static func arcCosine(_ x: Double) -> Double {
    let t = Swift.abs(x)
    var p = -0.0012624911
    p = p * t + 0.0066700901
    p = p * t - 0.0170881256
    p = p * t + 0.0308918810
    p = p * t - 0.0501743046
    p = p * t + 0.0889789874
    p = p * t - 0.2145988016
    p = p * t + 1.5707963050
    let value = (1 - t).squareRoot() * p
    return x < 0 ? Double.pi - value : value
  }

  /// F = √(qq′)·J(ρ) and its partials ∂F/∂c, ∂F/∂q, ∂F/∂q′.
  @inline(__always)
  static func arcCosine(_ c: Double, _ q: Double, _ q2: Double) -> (value: Double, dc: Double, dq: Double, dq2: Double) {
    let norm = (q * q2).squareRoot()
    let rho = Swift.min(Swift.max(c / norm, -1), 1)
    let slope = Double.pi - arcCosine(rho)
    let value = norm * ((1 - rho * rho).squareRoot() + slope * rho)
    let shared = value - c * slope
    return (value, slope, shared / (2 * q), shared / (2 * q2))
  }

  /// Implements `CovarianceFunction.matrix`.
  public func matrix(_ a: [Double], _ b: [Double]) -> [Double] {
    let ua = encoded(a), ub = encoded(b)
    let n = a.count / d, m = b.count / d
    // qˡ of every row (layer-major L × n), then one pass over all pairs per layer: the pairs are
    // independent, so the loop pipelines instead of waiting on each pair's chain of layers.
    let qa = layerDiagonals(ua, count: n), qb = layerDiagonals(ub, count: m)
    var k = innerProducts(ua, ub)
    let w = weightVariance / (2 * Double.pi)
    for t in k.indices { k[t] = biasVariance + weightVariance * k[t] }
    for l in 0..<depth {
      let rootB = (0..<m).map { 1 / qb[l * m + $0].squareRoot() }, normB = rootB.map { 1 / $0 }
      for i in 0..<n {
        let normA = qa[l * n + i].squareRoot(), rootA = 1 / normA
        for j in 0..<m {
          let rho = Swift.min(Swift.max(k[i * m + j] * (rootA * rootB[j]), -1), 1)
          k[i * m + j] = biasVariance + w * ((1 - rho * rho).squareRoot() + (Double.pi - Self.arcCosine(rho)) * rho) * (normA * normB[j])
        }
      }
    }
    for t in k.indices { k[t] *= outputScale }
    return k
  }

  /// qˡ of each of the `count` rows of `u`, layer-major (L × count).
  func layerDiagonals(_ u: [Double], count: Int) -> [Double] {
    var q = [Double](repeating: 0, count: depth * count)
    for i in 0..<count {
      q[i] = biasVariance + weightVariance * squaredNorm(u, i)
      for l in 1..<depth { q[l * count + i] = biasVariance + weightVariance / 2 * q[(l - 1) * count + i] }
    }
    return q
  }

  /// uᵀu/d of row i of `u`.
  func squaredNorm(_ u: [Double], _ i: Int) -> Double {
    var sum = 0.0
    for j in 0..<d { sum += u[i * d + j] * u[i * d + j] }
    return sum / Double(d)
  }

  /// Implements `CovarianceFunction.diagonal`: s·qᴸ, qˡ = σ²_b + σ²_w/2·qˡ⁻¹ (J(1) = π).
  public func diagonal(_ points: [Double]) -> [Double] {
    let u = encoded(points)
    return (0..<(points.count / d)).map { i in
      outputScale * (biasVariance + weightVariance / 2 * diagonals(squaredNorm(u, i)).last!)
    }
  }

  /// Implements `CovarianceFunction.diagonalGradient`: s·(σ²_w/2)ᴸ·(2σ²_w/d)·u·2.
  public func diagonalGradient(at point: [Double]) -> [Double] {
    let u = encoded(point)
    let factor = outputScale * pow(weightVariance / 2, Double(depth)) * 4 * weightVariance / Double(d)
    return (0..<d).map { choices[$0] == nil ? factor * u[$0] : 0 }
  }

  /// Implements `CovarianceFunction.vectorWithJacobian`. The gradient of every layer's
  /// covariance in u is a combination a·uᵢ + b·u of the two inputs (and of the diagonal's,
  /// e·u), so two numbers per pair carry it through the recursion.
  public func vectorWithJacobian(_ rows: [Double], at point: [Double]) -> (k: [Double], jacobian: [Double]) {
    let isKnown = rows == known
    let ux = isKnown ? knownEncoded : encoded(rows), u = encoded(point)
    let n = rows.count / d
    let qx = diagonals(squaredNorm(u, 0))
    let inner = innerProducts(ux, u)
    let w = weightVariance / (2 * Double.pi)
    var k = [Double](repeating: 0, count: n), jacobian = [Double](repeating: 0, count: n * d)
    for i in 0..<n {
      var qi = biasVariance + weightVariance * (isKnown ? knownNorms[i] : squaredNorm(ux, i))
      var c = biasVariance + weightVariance * inner[i]
      var a = weightVariance / Double(d), b = 0.0, e = 2 * weightVariance / Double(d)
      for l in 0..<depth {
        let f = Self.arcCosine(c, qi, qx[l])
        c = biasVariance + w * f.value
        (a, b) = (w * f.dc * a, w * (f.dc * b + f.dq2 * e))
        e *= weightVariance / 2
        qi = biasVariance + weightVariance / 2 * qi
      }
      k[i] = outputScale * c
      // du/dx = 2.
      for j in 0..<d where choices[j] == nil { jacobian[i * d + j] = 2 * outputScale * (a * ux[i * d + j] + b * u[j]) }
    }
    return (k, jacobian)
  }

  /// K(X, X) (n × n, without noise) and ∂K/∂log σ²_w, ∂K/∂log σ²_b (∂K/∂log s is K itself),
  /// carried forward through the recursion; what the marginal-likelihood fit needs. With
  /// `gradients: false` only K (the two derivative matrices come back empty).
  func matrixWithGradients(_ x: [Double], gradients: Bool = true) -> (k: [Double], dWeight: [Double], dBias: [Double]) {
    let u = encoded(x)
    let n = x.count / d, depth = self.depth
    let inner = innerProducts(u, u)
    let sw = weightVariance, sb = biasVariance, w = sw / (2 * Double.pi)
    // Per row and layer (row-major n × L): q, 1/√q, √q, 1/q, ∂q/∂log σ²_w, ∂q/∂log σ²_b.
    var q = [Double](repeating: 0, count: n * depth), root = q, norm = q, inverse = q, qw = q, qb = q
    for i in 0..<n {
      let r = inner[i * n + i]
      q[i * depth] = sb + sw * r; qw[i * depth] = sw * r; qb[i * depth] = sb
      for l in 1..<depth {
        let t = i * depth + l
        q[t] = sb + sw / 2 * q[t - 1]
        qw[t] = sw / 2 * q[t - 1] + sw / 2 * qw[t - 1]
        qb[t] = sb + sw / 2 * qb[t - 1]
      }
      for l in 0..<depth {
        let t = i * depth + l
        norm[t] = q[t].squareRoot(); root[t] = 1 / norm[t]; inverse[t] = 1 / q[t]
      }
    }
    // The lower triangle's pairs, packed; one pass over them per layer (they are independent).
    let pairs = n * (n + 1) / 2
    var first = [Int](repeating: 0, count: pairs), second = first
    var c = [Double](repeating: 0, count: pairs), cw = c, cb = c
    var p = 0
    for i in 0..<n {
      for j in 0...i {
        first[p] = i; second[p] = j
        let g = inner[i * n + j]
        c[p] = sb + sw * g; cw[p] = sw * g; cb[p] = sb
        p += 1
      }
    }
    for l in 0..<depth {
      for p in 0..<pairs {
        let a = first[p] * depth + l, b = second[p] * depth + l
        // F = √(qq′)·J(ρ), ∂F/∂c = J′(ρ), ∂F/∂q = (F − cJ′)/(2q).
        let inverseNorm = root[a] * root[b]
        let rho = Swift.min(Swift.max(c[p] * inverseNorm, -1), 1)
        let slope = Double.pi - Self.arcCosine(rho)
        let f = ((1 - rho * rho).squareRoot() + slope * rho) * (norm[a] * norm[b])
        if gradients {
          let shared = (f - c[p] * slope) / 2
          let dqa = shared * inverse[a], dqb = shared * inverse[b]
          let nextW = w * f + w * (slope * cw[p] + dqa * qw[a] + dqb * qw[b])
          cb[p] = sb + w * (slope * cb[p] + dqa * qb[a] + dqb * qb[b])
          cw[p] = nextW
        }
        c[p] = sb + w * f
      }
    }
    var k = [Double](repeating: 0, count: n * n)
    var dWeight = gradients ? k : [], dBias = gradients ? k : []
    for p in 0..<pairs {
      let i = first[p], j = second[p]
      k[i * n + j] = outputScale * c[p]; k[j * n + i] = outputScale * c[p]
      if gradients {
        dWeight[i * n + j] = outputScale * cw[p]; dWeight[j * n + i] = outputScale * cw[p]
        dBias[i * n + j] = outputScale * cb[p]; dBias[j * n + i] = outputScale * cb[p]
      }
    }
    return (k, dWeight, dBias)
  }
}
