import HoneMath
import HoneTensor

/// Dropout (Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural Networks from
/// Overfitting"): while training, each element is zeroed with probability p and the rest
/// scaled by 1/(1 − p); the identity in evaluation mode.
public final class Dropout: Layer, ModeDependent {
  /// The drop probability p.
  public let probability: Double
  /// Training mode (the default) drops; evaluation mode passes through.
  public var isTraining = true
  private var rng: SeededRNG

  /// Dropout with probability `probability` ∈ [0, 1), masks drawn from `seed`.
  public init(probability: Double = 0.5, seed: UInt64 = 0) {
    precondition(probability >= 0 && probability < 1, "Dropout: probability \(probability) is not in [0, 1)")
    self.probability = probability
    rng = SeededRNG(seed: seed)
  }

  /// x·mask/(1 − p) while training, x otherwise.
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    guard isTraining, probability > 0 else { return input }
    let keep = Float(1 / (1 - probability))
    let threshold = probability
    let mask = Tensor<Float>(shape: input.shape) { out in
      for i in 0..<out.count { out[i] = rng.nextDouble() < threshold ? 0 : keep }
    }
    return input * mask
  }
}
