import HoneMath
import HoneTensor

extension Dataset {
  /// A seeded random split into train, validation and test parts of the given fractions
  /// (the rest goes to test): the rows are shuffled (Fisher–Yates on `SeededRNG(seed)`) and cut.
  public func split(train: Double = 0.6, validation: Double = 0.2, seed: UInt64 = 0) throws
    -> (train: Dataset, validation: Dataset, test: Dataset) {
    guard train > 0, validation >= 0, train + validation <= 1 else {
      throw NNError.invalidArgument("split fractions train \(train) and validation \(validation) must be positive and sum to at most 1")
    }
    var rng = SeededRNG(seed: seed)
    let order = rng.permutation(count)
    let trainEnd = Int((Double(count) * train).rounded())
    let validationEnd = Swift.min(count, trainEnd + Int((Double(count) * validation).rounded()))
    guard trainEnd > 0 else { throw NNError.invalidArgument("the training part of \(count) rows would be empty") }
    return (subset(Array(order[..<trainEnd])), subset(Array(order[trainEnd..<validationEnd])), subset(Array(order[validationEnd...])))
  }

  /// Mini-batches of at most `size` rows in an order shuffled by `rng` (every row once; the
  /// last batch may be smaller), as row index lists.
  public func batchIndices(size: Int, shuffle rng: inout SeededRNG) -> [[Int]] {
    precondition(size > 0, "batchIndices: batch size \(size) must be positive")
    let order = rng.permutation(count)
    return stride(from: 0, to: count, by: size).map { Array(order[$0..<Swift.min($0 + size, count)]) }
  }
}

/// Standardization z = (x − mean)/std per feature, fitted on training data only (features
/// with zero spread keep std 1, so constant columns become 0).
public struct Standardizer: Sendable {
  /// The per-feature means.
  public let mean: Tensor<Float>
  /// The per-feature (population) standard deviations.
  public let standardDeviation: Tensor<Float>

  /// Fits the statistics of `data`'s features.
  public init(fitting data: Dataset) {
    let x = data.features
    mean = x.mean(alongAxis: 0)
    let std = (x - mean).squared().mean(alongAxis: 0).sqrt()
    standardDeviation = Tensor.where(std.greater(Tensor(1e-12)), std, Tensor(1))
  }

  /// `data` with standardized features.
  public func transform(_ data: Dataset) -> Dataset {
    var out = data
    out.features = (data.features - mean) / standardDeviation
    return out
  }
}
