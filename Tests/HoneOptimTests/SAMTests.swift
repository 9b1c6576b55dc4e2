import Foundation
import HoneMath
import Testing
@testable import HoneOptim

/// SAM/ASAM (Foret et al. 2021; Kwon et al. 2021): the perturbation's arithmetic, and SAM
/// around a fused optimizer against SAM around the same optimizer as a chain.
@Suite struct SAMTests {
  static func randomVector(_ n: Int, _ rng: inout SeededRNG, scale: Double = 1) -> [Float] {
    (0..<n).map { _ in Float(rng.nextNormal() * scale) }
  }

  /// The float32 norm is torch's reduction: for fewer values than `lanes`, one fused
  /// multiply-add per value from 0, in order; and for any length it is within
  /// (n/lanes + lanes + 1) float32 rounding errors of the exact norm.
  @Test func normRoundsLikeTorchAndStaysAccurate() {
    var rng = SeededRNG(seed: 3)
    #expect(SharpnessAwarePerturbation.lanes(Float.self) == 8 && SharpnessAwarePerturbation.lanes(Double.self) == 4)
    for n in [0, 1, 2, 7, 8, 9, 15, 16, 17, 100, 1000, 4099] {
      let g = Self.randomVector(n, &rng), w = Self.randomVector(n, &rng)
      for adaptive in [false, true] {
        let norm = g.withUnsafeBufferPointer { gp in
          w.withUnsafeBufferPointer { wp in SharpnessAwarePerturbation.norm(params: wp, grads: gp, adaptive: adaptive) }
        }
        let s = (0..<n).map { adaptive ? abs(w[$0]) * g[$0] : g[$0] }
        if n < 8 {
          var total: Float = 0
          for x in s { total = total.addingProduct(x, x) }
          #expect(norm == total.squareRoot(), "n = \(n)")
        }
        let exact = s.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let allowed = Double(n / 8 + 9) * 0x1p-24 * exact
        #expect(abs(Double(norm) - exact) <= allowed, "n = \(n), adaptive \(adaptive): \(norm) vs \(exact)")
      }
    }
  }

  /// Several tensors: the norm of their norms (one tensor: itself); the scale is
  /// (1/(n + 10⁻¹²))·ρ rounded step by step in the parameters' precision.
  @Test func normOfNormsAndScale() {
    #expect(SharpnessAwarePerturbation.norm(ofNorms: [Float(1.2345)]) == 1.2345)
    #expect(SharpnessAwarePerturbation.norm(ofNorms: [Float(3), 4]) == 5)
    #expect(SharpnessAwarePerturbation.norm(ofNorms: [Double(3), 4, 12]) == 13)
    for n: Float in [0, 1e-13, 0.37, 1, 12.5, 3e5] {
      let expected = (1 / (n + Float(1e-12))) * Float(0.05)
      #expect(SharpnessAwarePerturbation.scale(rho: 0.05, norm: n) == expected)
    }
    #expect(SharpnessAwarePerturbation.scale(rho: 2.0, norm: 0.5) == 2.0 / (0.5 + 1e-12))
  }

  /// The perturbation has length ρ (SAM) and leaves parameters without gradient where they are.
  @Test func perturbationHasLengthRho() {
    var rng = SeededRNG(seed: 4)
    let n = 1000
    let w = Self.randomVector(n, &rng)
    var g = Self.randomVector(n, &rng)
    for i in stride(from: 0, to: n, by: 7) { g[i] = 0 }
    var perturbed = w
    let norm = g.withUnsafeBufferPointer { gp in w.withUnsafeBufferPointer { SharpnessAwarePerturbation.norm(params: $0, grads: gp, adaptive: false) } }
    let scale = SharpnessAwarePerturbation.scale(rho: 0.05, norm: norm)
    perturbed.withUnsafeMutableBufferPointer { p in
      g.withUnsafeBufferPointer { SharpnessAwarePerturbation.perturb(p, grads: $0, scale: scale, adaptive: false) }
    }
    let e = zip(perturbed, w).map { Double($0) - Double($1) }
    #expect(abs(e.reduce(0) { $0 + $1 * $1 }.squareRoot() - 0.05) <= 1e-6)
    for i in stride(from: 0, to: n, by: 7) { #expect(perturbed[i] == w[i]) }
  }

  /// SAM and ASAM around each SGD as fused kernel and as chain, on random quadratics
  /// f(w) = ½·Σ aᵢ·wᵢ² + Σ bᵢ·wᵢ (7 parameters as in the reference, and 1000), 20 steps, in
  /// float32 and float64: every parameter within 2 ulps of its own magnitude (they agree
  /// bit for bit: both round the SGD step as torch does, and the perturbation is shared).
  @Test(arguments: [
    ("momentum", 0.9, 0.0, false, 0.0), ("plain", 0.0, 0.0, false, 0.0), ("Nesterov", 0.9, 0.0, true, 0.0),
    ("dampening", 0.9, 0.1, false, 0.0), ("weight decay", 0.9, 0.0, false, 1e-2),
  ])
  func chainedAndFusedAgree(name: String, momentum: Double, dampening: Double, nesterov: Bool, weightDecay: Double) throws {
    func worstUlps<S: OptimizerScalar>(_: S.Type) throws -> S {
      let sgd = try SGD<S>(learningRate: 0.1, momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov)
      var worst: S = 0
      for seed: UInt64 in 1...4 {
        for n in [7, 1000] {
          var rng = SeededRNG(seed: seed, stream: UInt64(n))
          let a = (0..<n).map { _ in S(rng.nextDouble(in: 0.5...3)) }, b = (0..<n).map { _ in S(rng.nextNormal()) }
          let p0 = (0..<n).map { _ in S(rng.nextNormal()) }
          func gradient(_ w: [S]) -> [S] { (0..<w.count).map { a[$0] * w[$0] + b[$0] } }
          for (adaptive, rho) in [(false, 0.05), (true, 2.0)] {
            let fused = try SAM(base: sgd, rho: rho, adaptive: adaptive)
            let chained = try SAM(base: sgd.chained, rho: rho, adaptive: adaptive)
            var x = p0, y = p0
            var sx = fused.initialState(count: n), sy = chained.initialState(count: n)
            for _ in 0..<20 {
              try fused.step(params: &x, grads: gradient(x), state: &sx, gradient: gradient)
              try chained.step(params: &y, grads: gradient(y), state: &sy, gradient: gradient)
              for (u, v) in zip(x, y) where u != v { worst = max(worst, abs(u - v) / max(abs(v), S.leastNormalMagnitude).ulp) }
            }
          }
        }
      }
      return worst
    }
    let f32 = try worstUlps(Float.self), f64 = try worstUlps(Double.self)
    #expect(f32 <= 2, "\(name): float32 chained and fused SAM \(f32) ulps apart")
    #expect(f64 <= 2, "\(name): float64 chained and fused SAM \(f64) ulps apart")
  }
}
