import Foundation
import HoneMath
@testable import HoneOptim

/// A plain-Swift model of the block-wise 8-bit Adam and Lion steps (Dettmers et al. 2022,
/// "8-bit Optimizers via Block-wise Quantization"), written with the same float32 operations
/// in the same order as the C kernels, with a choice of quantization rule; along a run it
/// carries a worst-case bound on how far a run whose quantizer is only approximate can be
/// from this one.
///
/// The bound. Let c_0 < … < c_255 be a codebook's values and G = max_k (c_{k+1} − c_k) its
/// largest gap between neighbouring codes (`largestGap`, from `Codebook.values`: 0.0140625
/// signed, 0.0070313 unsigned). A block whose float32 states u have absolute maximum A stores
/// Q(u) = c_code·A. The nearest code is at most half a gap away: |Q(u) − u| ≤ ½·G·A. An
/// approximate lookup (bitsandbytes' CPU path) takes at most one code step from the nearest
/// code, so its value is at most one gap from u: |Q′(u) − u| ≤ G·A′, A′ its own run's
/// absolute maximum. Starting from the same state, one requantization therefore separates
/// the two runs' dequantized states by at most G·(½A + A′). Across steps the differences
/// carry over, scaled by the state's β, and A′ ≤ A + max over the block of that carried
/// difference; with Δ_t a per-element bound on |state − state′| after step t:
///
///     Δ_t = β·Δ_{t−1} + G·(3/2·A_t + β·max_block Δ_{t−1})
///
/// Adam's step is p_t = κ·p_{t−1} − s_t·r(m_t, v_t), r(m, v) = m/(√v/√(1 − β2^t) + ε),
/// s_t = lr/(1 − β1^t), κ = 1 − lr·λ, where m_t = β1·m̃ + (1 − β1)·g_t and v_t = β2·ṽ +
/// (1 − β2)·g_t² are built from the stored states; the other run's m′_t lies within
/// β1·Δ¹_{t−1} of m_t and its v′_t within β2·Δ²_{t−1} of v_t and above (1 − β2)·g_t² (ṽ ≥ 0).
/// r is linear in m and monotone in v, so its largest change over that box is at a corner:
///
///     E_t = κ·E_{t−1} + s_t·max_corners |r(m, v) − r(m_t, v_t)|
///
/// bounds |p_t − p′_t|. Lion's step p_t = κ·p_{t−1} − lr·sign(β1·m̃ + (1 − β1)·g_t) moves
/// by the same amount in both runs unless the sign can differ, which needs |c_t| ≤ β1·Δ_{t−1}:
///
///     E_t = κ·E_{t−1} + 2·lr·[|c_t| ≤ β1·Δ_{t−1}]
///
/// Every term also carries a float32 rounding allowance (`rounding` relative to the
/// magnitudes involved, and 2 ulps of the parameter per step), since the other run rounds
/// its own, different, operations.
struct Blockwise8bitModel {
  /// How a normalized state value z ∈ [−1, 1] becomes a code.
  enum Rule {
    /// The nearest code, ties to the lower (Hone's kernels).
    case nearest
    /// With probability `rate` the other code of the pair that brackets z (so never more
    /// than one code gap from z), else the nearest: an approximate lookup at its worst
    /// (`rate` 1) or at about the rate bitsandbytes' CPU table errs.
    case secondNearest(rate: Double, seed: UInt64)
  }

  /// One run: the parameters after each step, the final codes and absolute maxima of each
  /// state, and (for `trackBound`) the bounds above: on the parameters after each step, on
  /// each final dequantized state and on each final absolute maximum.
  struct Run {
    var params: [[Float]] = []
    var codes: [[UInt8]] = []
    var absmax: [[Float]] = []
    var paramBound: [[Double]] = []
    var stateBound: [[Double]] = []
    var absmaxBound: [[Double]] = []
  }

  /// Relative float32 rounding allowance per bounded quantity (8 ulps of float32).
  static let rounding = 0x1p-21

  /// The largest gap between neighbouring values of a codebook, G.
  static func largestGap(_ codebook: Codebook) -> Double {
    zip(codebook.values, codebook.values.dropFirst()).map { Double($1) - Double($0) }.max()!
  }

  /// The nearest code by counting the midpoints below z (binary search; equality keeps the lower code).
  static func nearestCode(_ z: Float, _ codebook: Codebook) -> Int {
    var low = 0, high = codebook.midpoints.count
    while low < high {
      let mid = (low + high) / 2
      if codebook.midpoints[mid] < z { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// A block's absolute maximum and codes under `rule` (the kernels' normalization: z = u·(1/A)).
  static func requantize(_ s: ArraySlice<Float>, _ codebook: Codebook, _ rule: Rule, _ rng: inout SeededRNG) -> (codes: [UInt8], absmax: Float) {
    var top: Float = 0
    for x in s { top = max(top, abs(x)) }
    let inv: Float = top > 0 ? 1 / top : 0
    let codes = s.map { x -> UInt8 in
      let z = x * inv
      let k = nearestCode(z, codebook)
      guard case .secondNearest(let rate, _) = rule, rng.nextDouble() < rate else { return UInt8(k) }
      return UInt8(z >= codebook.values[k] ? min(k + 1, 255) : max(k - 1, 0))
    }
    return (codes, top)
  }

  static func seed(_ rule: Rule) -> UInt64 {
    if case .secondNearest(_, let seed) = rule { return seed }
    return 0
  }

  /// `Adam8bit` (λ = `weightDecay`, decoupled) over `grads` from `p0`.
  static func adam(p0: [Float], grads: [[Float]], lr: Double, weightDecay: Double = 0, betas: (Double, Double) = (0.9, 0.999),
                   eps: Double = 1e-8, blockSize: Int = 256, rule: Rule = .nearest, trackBound: Bool = false) -> Run {
    let (b1, b2) = betas
    let n = p0.count, blocks = (n + blockSize - 1) / blockSize
    let signed = Codebook.signed, unsigned = Codebook.unsigned
    let g1 = largestGap(signed), g2 = largestGap(unsigned), rho = rounding
    var rng = SeededRNG(seed: seed(rule))
    var p = p0
    var q1 = [UInt8](repeating: 0, count: n), q2 = q1
    var a1 = [Float](repeating: 0, count: blocks), a2 = a1
    var d1 = [Double](repeating: 0, count: n), d2 = d1, e = d1
    var run = Run()
    var absmaxBound1 = [Double](repeating: 0, count: blocks), absmaxBound2 = absmaxBound1
    let beta1 = Float(b1), w1 = Float(1 - b1), beta2 = Float(b2), w2 = Float(1 - b2), epsilon = Float(eps)
    let factor = Float(1 - lr * weightDecay), kappa = 1 - lr * weightDecay
    for (index, g) in grads.enumerated() {
      let t = Double(index + 1)
      let negStep = Float(-lr / (1 - pow(b1, t))), bc2Sqrt = Float((1 - pow(b2, t)).squareRoot())
      let c = (1 - pow(b2, t)).squareRoot(), s = lr / (1 - pow(b1, t))
      var m = [Float](repeating: 0, count: n), v = m
      var dm = [Double](repeating: 0, count: n), dv = dm
      for b in 0..<blocks {
        let range = (b * blockSize)..<min(n, (b + 1) * blockSize)
        for i in range {
          let d = g[i]
          let mOld = signed.values[Int(q1[i])] * a1[b], vOld = unsigned.values[Int(q2[i])] * a2[b]
          m[i] = mOld * beta1 + w1 * d
          v[i] = vOld * beta2 + (w2 * d) * d
          let denom = v[i].squareRoot() / bc2Sqrt + epsilon
          p[i] = p[i] * factor + (negStep * m[i]) / denom
          guard trackBound else { continue }
          let mh = Double(m[i]), vh = Double(v[i]), gd = Double(d)
          dm[i] = b1 * d1[i] * (1 + rho) + rho * (abs(Double(mOld)) * b1 + abs(gd) * (1 - b1))
          dv[i] = b2 * d2[i] * (1 + rho) + rho * (Double(vOld) * b2 + gd * gd * (1 - b2))
          func r(_ m: Double, _ v: Double) -> Double { m / (v.squareRoot() / c + eps) }
          let r0 = r(mh, vh)
          let vLow = max(vh - dv[i], (1 - b2) * gd * gd * (1 - rho)), vHigh = vh + dv[i]
          var change = 0.0
          for mc in [mh - dm[i], mh + dm[i]] { for vc in [vLow, vHigh] { change = max(change, abs(r(mc, vc) - r0)) } }
          e[i] = kappa * e[i] + s * (change + rho * abs(r0)) + 2 * Double(p[i].ulp)
        }
        let (codes1, top1) = requantize(m[range], signed, rule, &rng)
        let (codes2, top2) = requantize(v[range], unsigned, rule, &rng)
        q1.replaceSubrange(range, with: codes1)
        q2.replaceSubrange(range, with: codes2)
        a1[b] = top1
        a2[b] = top2
        guard trackBound else { continue }
        let carried1 = dm[range].max()!, carried2 = dv[range].max()!
        for i in range {
          d1[i] = dm[i] + g1 * (1.5 * Double(top1) + carried1) + rho * Double(top1)
          d2[i] = dv[i] + g2 * (1.5 * Double(top2) + carried2) + rho * Double(top2)
        }
        absmaxBound1[b] = carried1 + rho * Double(top1)
        absmaxBound2[b] = carried2 + rho * Double(top2)
      }
      run.params.append(p)
      if trackBound { run.paramBound.append(e) }
    }
    run.codes = [q1, q2]
    run.absmax = [a1, a2]
    run.stateBound = [d1, d2]
    run.absmaxBound = [absmaxBound1, absmaxBound2]
    return run
  }

  /// `Lion8bit` (λ = `weightDecay`, decoupled) over `grads` from `p0`.
  static func lion(p0: [Float], grads: [[Float]], lr: Double, weightDecay: Double = 0, betas: (Double, Double) = (0.9, 0.99),
                   blockSize: Int = 256, rule: Rule = .nearest, trackBound: Bool = false) -> Run {
    let (b1, b2) = betas
    let n = p0.count, blocks = (n + blockSize - 1) / blockSize
    let signed = Codebook.signed, gap = largestGap(signed), rho = rounding
    var rng = SeededRNG(seed: seed(rule))
    var p = p0
    var q = [UInt8](repeating: 0, count: n)
    var a = [Float](repeating: 0, count: blocks)
    var delta = [Double](repeating: 0, count: n), e = delta
    var run = Run()
    var absmaxBound = [Double](repeating: 0, count: blocks)
    let beta1 = Float(b1), w1 = Float(1 - b1), beta2 = Float(b2), w2 = Float(1 - b2), rate = Float(lr)
    let factor = Float(1 - lr * weightDecay), kappa = 1 - lr * weightDecay
    for g in grads {
      var state = [Float](repeating: 0, count: n)
      var ds = [Double](repeating: 0, count: n)
      for b in 0..<blocks {
        let range = (b * blockSize)..<min(n, (b + 1) * blockSize)
        for i in range {
          let d = g[i]
          let m = signed.values[Int(q[i])] * a[b]
          let c = m * beta1 + d * w1
          let u: Float = c > 0 ? 1 : (c < 0 ? -1 : 0)
          p[i] = p[i] * factor - rate * u
          state[i] = m * beta2 + d * w2
          guard trackBound else { continue }
          let md = abs(Double(m)), gd = abs(Double(d))
          let reach = b1 * delta[i] * (1 + rho) + rho * (md * b1 + gd * (1 - b1))
          let flips = abs(Double(c)) <= reach
          e[i] = kappa * e[i] + (flips ? 2 * lr : 0) + 2 * Double(p[i].ulp)
          ds[i] = b2 * delta[i] * (1 + rho) + rho * (md * b2 + gd * (1 - b2))
        }
        let (codes, top) = requantize(state[range], signed, rule, &rng)
        q.replaceSubrange(range, with: codes)
        a[b] = top
        guard trackBound else { continue }
        let carried = ds[range].max()!
        for i in range { delta[i] = ds[i] + gap * (1.5 * Double(top) + carried) + rho * Double(top) }
        absmaxBound[b] = carried + rho * Double(top)
      }
      run.params.append(p)
      if trackBound { run.paramBound.append(e) }
    }
    run.codes = [q]
    run.absmax = [a]
    run.stateBound = [delta]
    run.absmaxBound = [absmaxBound]
    return run
  }
}
