import Foundation
import HoneNN
import HoneTune

/// A cell trained in its network and measured.
public struct CellTrainingResult: Sendable {
  /// Accuracy on the test data.
  public var testAccuracy: Double
  /// The best validation accuracy (the epoch whose weights were kept).
  public var validationAccuracy: Double
  /// The network's parameters and multiply–accumulates per example.
  public var cost: ArchitectureCost
  /// Compute spent training: multiply–accumulates per example × training examples × epochs.
  public var multiplyAccumulates: Double
  /// The trained network's latency on this machine, one example per pass.
  public var latency: LatencyMeasurement
  /// Wall-clock seconds.
  public var seconds: Double
}

/// Trains the network of a cell from scratch, keeping the weights of the epoch with the best
/// validation accuracy, and measures it on test data (and its latency): how DARTS' discovered cell and the
/// random cells it is compared with are evaluated alike.
public enum CellTraining {
  /// Trains `cell` in the network of `shape` with `recipe`, initialized and shuffled from `seed`.
  public static func run(_ cell: [CellOperation], shape: CellNetworkShape, recipe: TrainingRecipe = TrainingRecipe(),
                         train: Dataset, validation: Dataset, test: Dataset, seed: UInt64 = 0) async throws -> CellTrainingResult {
    let network = try CellNetwork(cell, shape: shape, seed: seed)
    let start = ContinuousClock.now
    let result = try await fit(network, on: train, validation: validation, options: recipe.trainingOptions(examples: train.count, seed: seed))
    let cost = shape.cost(of: cell)
    let seconds = (ContinuousClock.now - start).seconds
    return CellTrainingResult(
      testAccuracy: evaluate(network, on: test).accuracy,
      validationAccuracy: result.history.compactMap { $0.validation?.accuracy }.max() ?? 0, cost: cost,
      multiplyAccumulates: Double(cost.multiplyAccumulates) * Double(train.count) * Double(result.history.count),
      latency: try Latency.measure(network, inputShape: [shape.inputFeatures]), seconds: seconds)
  }
}
