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

  /// A kernel with the given hyperparameters.
  public init(depth: Int, weightVariance: Double, biasVariance: Double, outputScale: Double, choices: [Int?]) {
    precondition(depth >= 1, "NeuralNetworkKernel: depth ≥ 1")
    self.depth = depth
    self.weightVariance = weightVariance
    self.biasVariance = biasVariance
    self.outputScale = outputScale
    self.choices = choices
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

  /// F = √(qq′)·J(ρ) and its partials ∂F/∂c, ∂F/∂q, ∂F/∂q′.
  @inline(__always)
  static func arcCosine(_ c: Double, _ q: Double, _ q2: Double) -> (value: Double, dc: Double, dq: Double, dq2: Double) {
    let norm = (q * q2).squareRoot()
    let rho = Swift.min(Swift.max(c / norm, -1), 1)
    let slope = Double.pi - acos(rho)
    let value = norm * ((1 - rho * rho).squareRoot() + slope * rho)
    let shared = value - c * slope
    return (value, slope, shared / (2 * q), shared / (2 * q2))
  }

  /// Implements `CovarianceFunction.matrix`.
  public func matrix(_ a: [Double], _ b: [Double]) -> [Double] {
    let ua = encoded(a), ub = encoded(b)
    let n = a.count / d, m = b.count / d
    let qa = (0..<n).map { diagonals(squaredNorm(ua, $0)) }, qb = (0..<m).map { diagonals(squaredNorm(ub, $0)) }
    var k = innerProducts(ua, ub)
    let w = weightVariance / (2 * Double.pi)
    for i in 0..<n {
      for j in 0..<m {
        var c = biasVariance + weightVariance * k[i * m + j]
        for l in 0..<depth { c = biasVariance + w * Self.arcCosine(c, qa[i][l], qb[j][l]).value }
        k[i * m + j] = outputScale * c
      }
    }
    return k
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
    let ux = encoded(rows), u = encoded(point)
    let n = rows.count / d
    let qx = diagonals(squaredNorm(u, 0))
    let inner = innerProducts(ux, u)
    let w = weightVariance / (2 * Double.pi)
    var k = [Double](repeating: 0, count: n), jacobian = [Double](repeating: 0, count: n * d)
    for i in 0..<n {
      let qi = diagonals(squaredNorm(ux, i))
      var c = biasVariance + weightVariance * inner[i]
      var a = weightVariance / Double(d), b = 0.0, e = 2 * weightVariance / Double(d)
      for l in 0..<depth {
        let f = Self.arcCosine(c, qi[l], qx[l])
        c = biasVariance + w * f.value
        (a, b) = (w * f.dc * a, w * (f.dc * b + f.dq2 * e))
        e *= weightVariance / 2
      }
      k[i] = outputScale * c
      // du/dx = 2.
      for j in 0..<d where choices[j] == nil { jacobian[i * d + j] = 2 * outputScale * (a * ux[i * d + j] + b * u[j]) }
    }
    return (k, jacobian)
  }

  /// K(X, X) (n × n, without noise) and ∂K/∂log σ²_w, ∂K/∂log σ²_b (∂K/∂log s is K itself),
  /// carried forward through the recursion; what the marginal-likelihood fit needs.
  func matrixWithGradients(_ x: [Double]) -> (k: [Double], dWeight: [Double], dBias: [Double]) {
    let u = encoded(x)
    let n = x.count / d
    let inner = innerProducts(u, u)
    let sw = weightVariance, sb = biasVariance, w = sw / (2 * Double.pi)
    // Per row and layer: q, ∂q/∂log σ²_w, ∂q/∂log σ²_b.
    var q = [[Double]](), qw = [[Double]](), qb = [[Double]]()
    for i in 0..<n {
      let r = inner[i * n + i]
      var value = [sb + sw * r], dw = [sw * r], db = [sb]
      for l in 1..<depth {
        value.append(sb + sw / 2 * value[l - 1])
        dw.append(sw / 2 * value[l - 1] + sw / 2 * dw[l - 1])
        db.append(sb + sw / 2 * db[l - 1])
      }
      q.append(value); qw.append(dw); qb.append(db)
    }
    var k = [Double](repeating: 0, count: n * n), dWeight = k, dBias = k
    for i in 0..<n {
      for j in 0...i {
        let g = inner[i * n + j]
        var c = sb + sw * g, cw = sw * g, cb = sb
        for l in 0..<depth {
          let f = Self.arcCosine(c, q[i][l], q[j][l])
          let nextW = w * f.value + w * (f.dc * cw + f.dq * qw[i][l] + f.dq2 * qw[j][l])
          let nextB = sb + w * (f.dc * cb + f.dq * qb[i][l] + f.dq2 * qb[j][l])
          c = sb + w * f.value
          cw = nextW
          cb = nextB
        }
        k[i * n + j] = outputScale * c; k[j * n + i] = outputScale * c
        dWeight[i * n + j] = outputScale * cw; dWeight[j * n + i] = outputScale * cw
        dBias[i * n + j] = outputScale * cb; dBias[j * n + i] = outputScale * cb
      }
    }
    return (k, dWeight, dBias)
  }
}
