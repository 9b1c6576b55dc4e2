import ArgumentParser
import Foundation
import Hone

/// The data a training command reads: a bundled dataset by name or a CSV file.
struct DataOptions: ParsableArguments {
  @Option(help: "digits, breast-cancer, or a CSV file (header row, numeric columns).") var data: String
  @Option(help: "The label column of a CSV file (default: \"label\", else the last column).") var label: String?

  /// The dataset; an unknown name or missing file is a usage error.
  func load() throws -> Dataset {
    switch data {
    case "digits", "breast-cancer":
      if label != nil { throw ValidationError("--label is only for CSV files; \(data) has its own label") }
      return try data == "digits" ? Dataset.digits() : Dataset.breastCancer()
    default:
      guard FileManager.default.fileExists(atPath: data) else {
        throw ValidationError("--data \(data): no such file (use digits, breast-cancer or a CSV file)")
      }
      return try Dataset.csv(contentsOf: URL(fileURLWithPath: data), label: label)
    }
  }

  /// The 60/20/20 split of `load()` by `seed`, standardized on the training part; also the
  /// unstandardized training part (for drawing examples).
  func split(seed: UInt64) throws -> (dataset: Dataset, rawTrain: Dataset, train: Dataset, validation: Dataset, test: Dataset) {
    let dataset = try load()
    let (train, validation, test) = try dataset.split(train: 0.6, validation: 0.2, seed: seed)
    let scaler = Standardizer(fitting: train)
    return (dataset, train, scaler.transform(train), scaler.transform(validation), scaler.transform(test))
  }
}

/// The architecture a training command builds.
struct ModelOptions: ParsableArguments {
  @Option(help: "mlp:W1,W2,… (e.g. mlp:256,256), mlp, linear or cnn (8×8 images).") var model = "mlp:256,256"
  @Option(help: "Activation: relu, leaky_relu, tanh, sigmoid, gelu, silu.") var activation = "relu"
  @Option(parsing: .unconditional, help: "Dropout after each hidden layer.") var dropout = 0.0

  /// The parsed architecture; a bad one is a usage error.
  func spec() throws -> ModelSpec {
    guard let function = ActivationFunction(rawValue: activation) else {
      throw ValidationError("unknown activation \"\(activation)\": use \(ActivationFunction.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    do { return try ModelSpec(parsing: model, activation: function, dropout: dropout) } catch let error as NNError {
      throw ValidationError("\(error)")
    }
  }
}
