import HoneBayes
import HoneMath
import HoneTensor

/// A deep ensemble (Lakshminarayanan, Pritzel & Blundell 2017): `members` networks of the same
/// shape, each from its own initialization and trained by Adam on the mean squared error; the
/// predictive is their mixture (`SampledNetworkPosterior`). The fantasies' noise is the
/// ensemble mean's training error. Li, Rudner & Wilson 2024 found ensembles the weakest
/// surrogates: their spread shrinks wherever the members agree, data or not.
public struct DeepEnsembleSurrogate: SurrogateFitter {
  /// The number of networks.
  public let members: Int
  /// The hidden layers' widths.
  public let hidden: [Int]
  /// Adam steps per network.
  public let steps: Int

  /// An ensemble of `members` networks with `hidden` tanh layers, `steps` Adam steps each.
  public init(members: Int = 5, hidden: [Int] = [50, 50], steps: Int = 500) {
    precondition(members >= 2 && steps >= 1, "DeepEnsembleSurrogate: members ≥ 2, steps ≥ 1")
    self.members = members
    self.hidden = hidden
    self.steps = steps
  }

  /// Implements `SurrogateFitter.name`.
  public var name: String { "ensemble" }

  /// Implements `SurrogateFitter.fit`.
  public func fit(_ data: SurrogateData, initial: [Double]?, warmIterations: Int, seed: UInt64) throws -> any Surrogate {
    let x = data.numericInputs, y = data.standardizedOutputs
    let networks = try (0..<members).map { k -> DenseNetwork in
      var network = DenseNetwork(widths: [data.dimensions] + hidden + [1], seed: SplitMix64.mix(seed &+ UInt64(k)))
      try network.fitMeanSquaredError(inputs: x, targets: y, steps: steps)
      return network
    }
    let outputs = networks.map { $0.forward(x) }
    var residual = 0.0
    for i in y.indices {
      var prediction = 0.0
      for output in outputs { prediction += output[i] }
      prediction /= Double(members)
      residual += (prediction - y[i]) * (prediction - y[i]) / Double(y.count)
    }
    return SampledNetworkPosterior(members: networks, noise: Swift.max(residual, 1e-6), fitted: FittedData(data))
  }
}
