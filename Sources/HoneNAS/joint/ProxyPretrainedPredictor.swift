import HoneMath
import HoneNN
import HoneTensor

/// FBNetV3's predictor (Dai et al. 2020, "FBNetV3: Joint Architecture-Recipe Search using
/// Predictor Pretraining"): a multilayer perceptron whose encoder is first trained to predict
/// free proxies of each candidate (log parameters, log multiply–accumulates, log latency) from
/// many unevaluated candidates, then fine-tuned, with a new one-output head, on the few
/// evaluated (candidate, accuracy) pairs.
///
/// Encoder: features (standardized) → 64 → ReLU → 64 → ReLU; heads: linear. Both stages
/// minimize the mean squared error of standardized targets with AdamW (10⁻³ then 3·10⁻⁴ and
/// weight decay 10⁻⁴), in mini-batches of 32.
public struct ProxyPretrainedPredictor {
  /// The encoder's parameter values after pretraining.
  private let encoder: [Tensor<Float>]
  private let scaling: ColumnScaling
  private let width: Int
  private let seed: UInt64
  /// The fine-tuned network and its targets' mean and scale (nil before `fineTune`).
  private var tuned: (network: Sequential, mean: Double, scale: Double)?

  /// Pretrains on `features` rows and their `proxies` rows (the same count, at least 2).
  public init(features: [[Double]], proxies: [[Double]], epochs: Int = 60, seed: UInt64 = 0) throws {
    guard features.count >= 2, features.count == proxies.count, let d = features.first?.count, d > 0 else {
      throw NASError("pretraining needs at least 2 candidates with one proxy row each")
    }
    scaling = ColumnScaling(fitting: features)
    (width, self.seed) = (d, seed)
    let network = Self.network(inputs: d, outputs: proxies[0].count, seed: seed)
    let targets = ColumnScaling(fitting: proxies)
    try Self.train(network, features.map(scaling.standardize), proxies.map(targets.standardize), epochs: epochs, learningRate: 1e-3, seed: seed)
    encoder = Self.encoderLayers(network).flatMap { $0.trainableParameters().map(\.parameter.value) }
  }

  /// Fine-tunes a copy of the pretrained encoder with a new head on evaluated candidates.
  public mutating func fineTune(features: [[Double]], targets: [Double], epochs: Int = 100) throws {
    guard features.count >= 2, features.count == targets.count else { throw NASError("fine-tuning needs at least 2 evaluated candidates") }
    let network = Self.network(inputs: width, outputs: 1, seed: seed &+ 1)
    for ((_, parameter), value) in zip(Self.encoderLayers(network).flatMap { $0.trainableParameters() }, encoder) { parameter.value = value }
    let (mean, scale) = meanAndStandardDeviation(targets)
    let s = scale > 0 ? scale : 1
    try Self.train(network, features.map(scaling.standardize), targets.map { [($0 - mean) / s] }, epochs: epochs, learningRate: 3e-4,
                   seed: seed &+ 2)
    tuned = (network, mean, s)
  }

  /// The predicted target of each row (after `fineTune`).
  public func predict(_ rows: [[Double]]) -> [Double] {
    guard let tuned, !rows.isEmpty else { return rows.map { _ in 0 } }
    let x = Tensor<Float>(rows.map { scaling.standardize($0).map(Float.init) })
    tuned.network.eval()
    return tuned.network(x).scalars.map { tuned.mean + tuned.scale * Double($0) }
  }

  /// features → 64 → ReLU → 64 → ReLU → outputs.
  private static func network(inputs: Int, outputs: Int, seed: UInt64) -> Sequential {
    .mlp(inputs: inputs, hidden: [64, 64], outputs: outputs, seed: seed)
  }

  /// The encoder's layers (every layer but the head).
  private static func encoderLayers(_ network: Sequential) -> [any Layer] { Array(network.layers.dropLast()) }

  /// Minimizes the mean squared error of `network` on rows `x` and targets `y`.
  private static func train(_ network: Sequential, _ x: [[Double]], _ y: [[Double]], epochs: Int, learningRate: Double, seed: UInt64) throws {
    let features = Tensor<Float>(x.map { $0.map(Float.init) })
    let targets = Tensor<Float>(y.map { $0.map(Float.init) })
    var optimizer = try ParameterOptimizer(OptimizerSpec("adamw", learningRate: .constant(learningRate), weightDecay: 1e-4), model: network)
    var rng = SeededRNG(seed: seed)
    network.train()
    for _ in 0..<epochs {
      let order = rng.permutation(x.count)
      for start in stride(from: 0, to: order.count, by: 32) {
        let batch = Array(order[start..<min(start + 32, order.count)])
        let xb = features.gathering(batch, alongAxis: 0)
        let yb = targets.gathering(batch, alongAxis: 0)
        let (_, gradients) = optimizer.valueWithGradient { (network(xb) - yb).squared().mean() }
        try optimizer.step(gradients)
      }
    }
  }
}
