import ArgumentParser
import Foundation
import Hone

/// `hone train`: trains a classifier on a bundled dataset or a CSV file and reports validation
/// and test metrics (the split is 60/20/20 train/validation/test; standardization is fitted on
/// the training part only; the model is chosen by validation accuracy, the test part only read
/// at the end).
struct TrainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train", abstract: "Train a classifier and report validation and test accuracy.")

  @OptionGroup var data: DataOptions
  @OptionGroup var model: ModelOptions
  @Option(help: ArgumentHelp("\(OptimizerSpec.catalog.nameList) (default adamw).")) var optimizer = "adamw"
  @Option(parsing: .unconditional, help: "Learning rate (peak rate with a schedule).") var lr = 1e-3
  @Option(parsing: .unconditional, help: "Weight decay (default: the optimizer's own, 1e-2 for AdamW, else 0).") var weightDecay: Double?
  @Option(parsing: .unconditional, help: "Momentum of sgd and sgd8bit (default 0.9).") var momentum: Double?
  @Option(help: ArgumentHelp("\(Catalogs.schedules.entries.map { "\($0.name) (\($0.summary.prefix { $0 != "(" }.trimmingCharacters(in: .whitespaces).lowercased()))" }.joined(separator: ", ")); default constant.")) var schedule = "constant"
  @Option(help: "Loss: cross-entropy, or for two classes anyloss-accuracy, anyloss-f1, anyloss-balanced-accuracy, anyloss-gmean.")
  var loss = "cross-entropy"
  @Option(parsing: .unconditional, help: "Label smoothing of the cross-entropy.") var labelSmoothing = 0.0
  @Option(parsing: .unconditional, help: "Sharpness-aware minimization radius ρ (0: off).") var sam = 0.0
  @Option(parsing: .unconditional, help: "Epochs.") var epochs = 30
  @Option(parsing: .unconditional, help: "Examples per step.") var batchSize = 64
  @Option(parsing: .unconditional, help: "Stop after this many epochs without a better validation accuracy.") var patience: Int?
  @Option(parsing: .unconditional, help: ArgumentHelp(
    "USEFUL: train this many epochs, upsample each class's late-learned cluster once, retrain from the start.",
    valueName: "epoch")) var useful: Int?
  @Option(parsing: .unconditional, help: "Seed of the split, the initial weights and the batch order.") var seed: UInt64 = 0
  @Option(help: "Save the trained parameters to this file (safetensors).") var save: String?
  @Flag(help: "End with one JSON line of the results.") var json = false

  func validate() throws {
    guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
    guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
    guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be a positive number, got \(lr)") }
    guard labelSmoothing >= 0, labelSmoothing <= 1 else { throw ValidationError("--label-smoothing must be in [0, 1], got \(labelSmoothing)") }
    guard sam >= 0, sam.isFinite else { throw ValidationError("--sam must be a radius ≥ 0, got \(sam)") }
    if let weightDecay, !(weightDecay >= 0 && weightDecay.isFinite) { throw ValidationError("--weight-decay must be ≥ 0, got \(weightDecay)") }
    if let patience, patience < 1 { throw ValidationError("--patience must be at least 1, got \(patience)") }
    if let useful, useful < 1 { throw ValidationError("--useful must be an epoch ≥ 1, got \(useful)") }
  }

  func run() async throws {
    let started = ContinuousClock.now
    let (dataset, _, train, validation, test) = try data.split(seed: seed)
    let spec = try model.spec()
    let classes = Swift.max(dataset.classCount, 2)
    let network = try spec.make(inputs: dataset.featureCount, classes: classes, seed: seed)
    let stepsPerEpoch = (train.count + batchSize - 1) / batchSize
    let options = try TrainingOptions(
      epochs: epochs, batchSize: batchSize,
      optimizer: optimizerSpec(stepsPerEpoch: stepsPerEpoch), loss: trainingLoss(classes: classes),
      earlyStoppingPatience: patience, sharpnessAware: sam > 0 ? (sam, false) : nil, seed: seed,
      upsampling: useful.map { .useful(epoch: $0) })
    print("\(dataset.count) examples (\(train.count) train, \(validation.count) validation, \(test.count) test), "
      + "\(dataset.featureCount) features, \(classes) classes; model \(spec), \(network.parameterCount) parameters")
    let progress = ProgressBar(enabled: isatty(2) != 0)
    let result = try await fit(network, on: train, validation: validation, options: options, onEpoch: { report in
      progress.clear()
      let v = report.validation!
      print(String(format: "epoch %3d  train loss %.4f  val loss %.4f  val accuracy %.4f  val f1 %.4f  (%.2f s)",
                   report.epoch, report.trainLoss, v.loss, v.accuracy, v.f1, report.seconds))
      return .continue
    }, onBatch: { done, total in progress.update(done: done, total: total) })
    if useful != nil { print("USEFUL upsampled \(result.upsampled.count) of \(train.count) training examples") }
    let validationResult = evaluate(network, on: validation, loss: options.loss)
    let testResult = evaluate(network, on: test, loss: options.loss)
    let seconds = (ContinuousClock.now - started).seconds
    print(String(format: "best epoch %d: validation accuracy %.4f, test accuracy %.4f, test f1 %.4f (%.1f s)",
                 result.bestEpoch, validationResult.accuracy, testResult.accuracy, testResult.f1, seconds))
    if let save {
      try network.save(to: URL(fileURLWithPath: save))
      print("saved the parameters to \(save)")
    }
    if json {
      printJSON(.object(["val_accuracy": .double(validationResult.accuracy), "test_accuracy": .double(testResult.accuracy),
                         "test_f1": .double(testResult.f1), "epochs": .int(result.history.count), "seconds": .double(seconds)]))
    }
  }

  func optimizerSpec(stepsPerEpoch: Int) throws -> OptimizerSpec {
    let rate = try Catalogs.schedule(schedule, lr: lr, epochs: epochs, stepsPerEpoch: stepsPerEpoch)
    do {
      return try Catalogs.optimizer(OptimizerSpec(optimizer, learningRate: rate, weightDecay: weightDecay, momentum: momentum))
    } catch let error as OptimError {
      throw ValidationError("--optimizer \(optimizer): \(error)")
    }
  }

  func trainingLoss(classes: Int) throws -> TrainingLoss {
    let metric: AnyLoss.Metric
    switch loss {
    case "cross-entropy": return .crossEntropy(labelSmoothing: Float(labelSmoothing))
    case "anyloss-accuracy": metric = .accuracy
    case "anyloss-f1": metric = .fBeta(1)
    case "anyloss-balanced-accuracy": metric = .balancedAccuracy
    case "anyloss-gmean": metric = .geometricMean
    default:
      throw ValidationError("unknown loss \"\(loss)\": use cross-entropy, anyloss-accuracy, anyloss-f1, anyloss-balanced-accuracy or anyloss-gmean")
    }
    guard classes == 2 else { throw ValidationError("\(loss) is for two classes; the data has \(classes)") }
    return .anyLoss(AnyLoss(metric))
  }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
  let enabled: Bool
  init(enabled: Bool) { self.enabled = enabled }

  /// Redraws the bar for `done` of `total`.
  func update(done: Int, total: Int) {
    guard enabled, total > 0 else { return }
    let width = 30
    let filled = width * done / total
    let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
  }

  /// Erases the bar.
  func clear() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
  }
}
