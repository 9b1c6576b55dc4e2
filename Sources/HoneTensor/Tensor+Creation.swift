import Foundation
import HoneMath

extension Tensor {
  /// Zeros of the given shape.
  public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
  /// Ones of the given shape.
  public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

  /// start, start + step, … below `end` (PyTorch's `arange`).
  public static func arange(_ start: Scalar = 0, _ end: Scalar, step: Scalar = 1) -> Tensor {
    precondition(step != 0, "arange: step is zero")
    let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
    return Tensor(shape: [n]) { out in for i in 0..<n { out[i] = start + Scalar(i) * step } }
  }

  /// Independent normal draws N(mean, std²) (Box–Muller on `rng`).
  public static func randomNormal(_ shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1,
                                  using rng: inout some RandomNumberGenerator) -> Tensor {
    Tensor(shape: shape) { out in
      var i = 0
      while i < out.count {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng)
        let u2 = Double.random(in: 0..<1, using: &rng)
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        out[i] = mean + standardDeviation * Scalar(radius * Foundation.cos(2 * .pi * u2))
        if i + 1 < out.count { out[i + 1] = mean + standardDeviation * Scalar(radius * Foundation.sin(2 * .pi * u2)) }
        i += 2
      }
    }
  }

  /// Normal draws from a seeded generator: the same seed gives the same tensor.
  public static func randomNormal(_ shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1, seed: UInt64) -> Tensor {
    var rng = SeededRNG(seed: seed)
    return randomNormal(shape, mean: mean, standardDeviation: standardDeviation, using: &rng)
  }

  /// Independent uniform draws on [low, high).
  public static func randomUniform(_ shape: [Int], low: Scalar = 0, high: Scalar = 1,
                                   using rng: inout some RandomNumberGenerator) -> Tensor {
    Tensor(shape: shape) { out in
      // Rounding to Float can reach `high`; the result stays in [low, high).
      let top = high > low ? high.nextDown : low
      for i in 0..<out.count { out[i] = Swift.min(low + (high - low) * Scalar(Double.random(in: 0..<1, using: &rng)), top) }
    }
  }

  /// Uniform draws from a seeded generator.
  public static func randomUniform(_ shape: [Int], low: Scalar = 0, high: Scalar = 1, seed: UInt64) -> Tensor {
    var rng = SeededRNG(seed: seed)
    return randomUniform(shape, low: low, high: high, using: &rng)
  }

  /// The elements converted to another scalar type (not recorded).
  public init<Other: TensorScalar>(_ other: Tensor<Other>) {
    self.init(shape: other.shape) { out in
      other.withUnsafeBufferPointer { source in for i in 0..<source.count { out[i] = Scalar(source[i]) } }
    }
  }
}
