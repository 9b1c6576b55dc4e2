import Foundation
import Hone

/// The study `hone demo` runs: an MLP classifier on the bundled digits data (Alpaydin &
/// Kaynak 1998, UCI), split 60/20/20 into train, validation and test with a fixed seed and
/// standardized on the training part.
///
/// Each trial trains for up to `epochs` epochs with the optimizer, learning rate, weight
/// decay, width, depth, dropout, batch size and schedule it suggests (cross-entropy with label
/// smoothing 0.1, Szegedy et al. 2016), reports the validation
/// accuracy after every epoch and stops when the pruner says so. Its value is the best
/// validation accuracy of its epochs (the parameters of that epoch are kept). The test part is
/// never read while searching: `testAccuracy(of:)` retrains the chosen trial (training is
/// deterministic for given parameters) and evaluates it once.
struct DigitsTuning: Sendable {
  let train: Dataset
  let validation: Dataset
  let test: Dataset
  /// Epochs of a trial that is not pruned.
  let epochs: Int

  /// The search space.
  static let space: [String: Distribution] = [
    "optimizer": .categorical(["sgd", "adamw", "lion", "exadam", "adamw8bit"].map(ParamValue.string)),
    "lr": .float(low: 1e-4, high: 0.3, log: true),
    "weight_decay": .float(low: 1e-6, high: 0.1, log: true),
    "width": .int(low: 64, high: 512, log: true),
    "depth": .int(low: 1, high: 3),
    "dropout": .float(low: 0, high: 0.5),
    "batch_size": .categorical([32, 64, 128].map(ParamValue.int)),
    "schedule": .categorical(["cosine", "cosine-power"].map(ParamValue.string)),
  ]

  init(epochs: Int) throws {
    let (train, validation, test) = try Dataset.digits().split(train: 0.6, validation: 0.2, seed: 0)
    let scaler = Standardizer(fitting: train)
    self.train = scaler.transform(train)
    self.validation = scaler.transform(validation)
    self.test = scaler.transform(test)
    self.epochs = epochs
  }

  /// The objective: trains with the trial's parameters, reporting validation accuracy per epoch.
  func objective(_ trial: Trial) async throws -> Double {
    let params = try trial.suggest(Self.space)
    let (_, result) = try await trainModel(params) { report in
      try trial.report(report.validation!.accuracy, step: report.epoch)
      return try trial.shouldPrune() ? .stop : .continue
    }
    if result.stoppedEarly { throw TrialPruned() }
    return result.history.map { $0.validation!.accuracy }.max()!
  }

  /// Retrains the model of `params` and returns its validation and test accuracy.
  func testAccuracy(of params: [String: ParamValue]) async throws -> (validation: Double, test: Double) {
    let (model, _) = try await trainModel(params) { _ in .continue }
    return (evaluate(model, on: validation).accuracy, evaluate(model, on: test).accuracy)
  }

  /// Builds and trains the model of `params`; the best validation epoch's parameters are kept.
  private func trainModel(_ params: [String: ParamValue],
                          onEpoch: (EpochReport) async throws -> TrainingDecision) async throws -> (Sequential, TrainingResult) {
    func value(_ name: String) throws -> ParamValue {
      guard let v = params[name] else { throw CLIError("the trial has no parameter \(name)") }
      return v
    }
    guard case .string(let optimizerName) = try value("optimizer"),
          let lr = try value("lr").doubleValue, let weightDecay = try value("weight_decay").doubleValue,
          case .int(let width) = try value("width"), case .int(let depth) = try value("depth"),
          let dropout = try value("dropout").doubleValue, case .int(let batchSize) = try value("batch_size"),
          case .string(let scheduleName) = try value("schedule")
    else { throw CLIError("the trial's parameters do not fit the digits search space: \(params)") }
    let stepsPerEpoch = (train.count + batchSize - 1) / batchSize
    let schedule = try Catalogs.schedule(scheduleName, lr: lr, epochs: epochs, stepsPerEpoch: stepsPerEpoch)
    let spec = ModelSpec(.mlp(Array(repeating: width, count: depth)), activation: .relu, dropout: dropout)
    let model = try spec.make(inputs: train.featureCount, classes: train.classCount, seed: 0)
    let options = TrainingOptions(epochs: epochs, batchSize: batchSize,
                                  optimizer: OptimizerSpec(optimizerName, learningRate: schedule, weightDecay: weightDecay),
                                  loss: .crossEntropy(labelSmoothing: 0.1), restoreBest: true, seed: 0)
    let result = try await fit(model, on: train, validation: validation, options: options, onEpoch: onEpoch)
    return (model, result)
  }
}
