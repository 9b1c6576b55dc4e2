import HoneNN
import HoneOptim

/// How a network is trained (FBNetV3's "recipe", Dai et al. 2020): SGD with Nesterov-free
/// momentum 0.9 whose learning rate is cosine-annealed to 0 over the run, L2 weight decay,
/// cross-entropy with label smoothing, mini-batches of `batchSize`.
public struct TrainingRecipe: Hashable, Sendable, CustomStringConvertible {
  /// The initial learning rate.
  public var learningRate: Double
  /// L2 weight decay.
  public var weightDecay: Double
  /// Passes over the training data.
  public var epochs: Int
  /// Label smoothing ε of the cross-entropy.
  public var labelSmoothing: Double
  /// Examples per step.
  public var batchSize: Int

  /// A recipe; the default trains the cells of the digits benchmark.
  public init(learningRate: Double = 0.05, weightDecay: Double = 5e-4, epochs: Int = 20, labelSmoothing: Double = 0, batchSize: Int = 64) {
    (self.learningRate, self.weightDecay, self.epochs, self.labelSmoothing, self.batchSize) =
      (learningRate, weightDecay, epochs, labelSmoothing, batchSize)
  }

  /// `lr=…,wd=…,epochs=…,ls=…`.
  public var description: String { "lr=\(learningRate),wd=\(weightDecay),epochs=\(epochs),ls=\(labelSmoothing)" }

  /// Throws unless the recipe can train.
  func validate() throws {
    guard learningRate > 0, weightDecay >= 0, epochs >= 1, labelSmoothing >= 0, labelSmoothing < 1, batchSize >= 2 else {
      throw NASError("recipe \(self) (batch \(batchSize)): need lr > 0, weight decay ≥ 0, epochs ≥ 1, label smoothing in [0, 1), batch ≥ 2")
    }
  }

  /// `fit`'s options for `examples` training examples, batch order from `seed`.
  public func trainingOptions(examples: Int, seed: UInt64) throws -> TrainingOptions {
    try validate()
    let steps = epochs * ((examples + batchSize - 1) / batchSize)
    let optimizer = OptimizerSpec("sgd", learningRate: .cosine(learningRate, decaySteps: max(steps, 1)), weightDecay: weightDecay, momentum: 0.9)
    return TrainingOptions(epochs: epochs, batchSize: batchSize, optimizer: optimizer,
                           loss: .crossEntropy(labelSmoothing: Float(labelSmoothing)), restoreBest: true, seed: seed)
  }
}
