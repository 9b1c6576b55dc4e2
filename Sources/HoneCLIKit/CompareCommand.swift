import ArgumentParser
import Foundation
import Hone

/// `hone compare`: trains one model from the same initial weights and batches with several
/// optimizers and measures what each does to the solution (accuracy, sharpness, ranks,
/// sparsity, loss barriers, CKA), optionally with opposing signals and USEFUL; prints a
/// table, a JSON document, or writes an HTML report.
struct CompareCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Train one model with several optimizers and compare the solutions they reach.",
    discussion: """
      Every optimizer starts from the same weights and sees the same batches. Measured per solution: test accuracy and \
      loss, weight norms, the top Hessian eigenvalue and trace of the training loss, effective ranks of the weights and \
      of the penultimate representation, activation sparsity; per pair: the loss barrier on the straight line between \
      them and the linear CKA of their representations.
      """)

  @OptionGroup var data: DataOptions
  @OptionGroup var model: ModelOptions
  @Option(help: ArgumentHelp("Comma-separated optimizers: \(OptimizerSpec.catalog.nameList).")) var optimizers = "sgd,adamw,lion,shampoo,sam-sgd"
  @Option(help: ArgumentHelp("One learning rate for all (0.01) or per optimizer (sgd=0.05,lion=1e-4); default: each optimizer's own.",
                             valueName: "rate")) var lr: String?
  @Option(parsing: .unconditional, help: "Tune each optimizer's learning rate by a TPE study of this many trials first (0: off).") var tune = 0
  @Option(parsing: .unconditional, help: "Epochs.") var epochs = 30
  @Option(parsing: .unconditional, help: "Examples per step.") var batchSize = 64
  @Option(parsing: .unconditional, help: "Seed of the split, the initial weights and the batch order.") var seed: UInt64 = 0
  @Option(parsing: .unconditional, help: "Power iterations for the top Hessian eigenvalue.") var eigenIterations = 20
  @Option(parsing: .unconditional, help: "Rademacher samples for the Hessian trace.") var traceSamples = 20
  @Flag(help: "Record per-example losses every step and find groups with opposing signals.") var opposingSignals = false
  @Option(parsing: .unconditional, help: ArgumentHelp("Train every optimizer with USEFUL, clustering after this epoch.", valueName: "epoch"))
  var useful: Int?
  @Flag(help: "Print one JSON document instead of the table.") var json = false
  @Option(name: [.short, .customLong("output")], help: "Write the HTML report to this file.") var output: String?

  /// A learning rate each optimizer trains well with on small networks when none is given.
  static let defaultLearningRates: [String: Double] = [
    "sgd": 0.05, "sgd8bit": 0.05, "sam-sgd": 0.05, "lion": 1e-4, "lion8bit": 1e-4,
  ]

  var optimizerNames: [String] { optimizers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }

  func validate() throws {
    guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
    guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
    guard tune >= 0 else { throw ValidationError("--tune must be a number of trials ≥ 0, got \(tune)") }
    guard eigenIterations >= 1, traceSamples >= 1 else { throw ValidationError("--eigen-iterations and --trace-samples must be at least 1") }
    if let useful, useful < 1 { throw ValidationError("--useful must be an epoch ≥ 1, got \(useful)") }
    let names = optimizerNames
    guard !names.isEmpty else { throw ValidationError("--optimizers names no optimizer") }
    guard Set(names).count == names.count else { throw ValidationError("--optimizers names an optimizer twice: \(optimizers)") }
    for name in names { _ = try Catalogs.optimizer(OptimizerSpec(name)) }
    _ = try learningRates()
  }

  /// The learning rate of each optimizer: `--lr`, else its default.
  func learningRates() throws -> [String: Double] {
    var rates = Dictionary(uniqueKeysWithValues: optimizerNames.map { ($0, Self.defaultLearningRates[$0] ?? 1e-3) })
    guard let lr else { return rates }
    if let all = Double(lr) {
      guard all > 0, all.isFinite else { throw ValidationError("--lr must be positive, got \(lr)") }
      for name in rates.keys { rates[name] = all }
      return rates
    }
    for part in lr.split(separator: ",") {
      let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard pieces.count == 2, let value = Double(pieces[1]), value > 0, value.isFinite else {
        throw ValidationError("--lr takes a rate or name=rate pairs (sgd=0.05,lion=1e-4), got \"\(part)\"")
      }
      guard rates[pieces[0]] != nil else { throw ValidationError("--lr names \(pieces[0]), which is not in --optimizers") }
      rates[pieces[0]] = value
    }
    return rates
  }

  func run() async throws {
    let (_, rawTrain, train, validation, test) = try data.split(seed: seed)
    let spec = try model.spec()
    var rates = try learningRates()
    let settings = ComparisonSettings(model: spec, epochs: epochs, batchSize: batchSize, seed: seed, eigenIterations: eigenIterations,
                                      traceSamples: traceSamples, opposingSignals: opposingSignals,
                                      upsampling: useful.map { .useful(epoch: $0) })
    let log = { (line: String) in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    if tune > 0 {
      for name in optimizerNames {
        rates[name] = try await tunedLearningRate(name, around: rates[name]!, train: train, validation: validation, settings: settings)
        log(String(format: "%@: tuned learning rate %.4g", name, rates[name]!))
      }
    }
    let contenders = optimizerNames.map { Contender($0, optimizer: OptimizerSpec($0, learningRate: .constant(rates[$0]!))) }
    let comparison = try await compareOptimizers(contenders, train: train, validation: validation, test: test, settings: settings,
                                                 progress: log)
    let summary = ComparisonSummary(comparison: comparison, learningRates: rates, trainLabels: train.labels)
    if json { printJSON(summary.json) } else { print(summary.text) }
    if let output {
      let images = data.data == "digits" ? rawTrain : nil
      try CompareReport(summary: summary, dataName: data.data, model: spec.description, epochs: epochs, digits: images).page.write(to: output)
      log("wrote the report to \(output)")
    }
  }

  /// The learning rate with the best final validation accuracy among `tune` TPE trials,
  /// log-uniform within a factor of 30 of `around`.
  func tunedLearningRate(_ name: String, around: Double, train: Dataset, validation: Dataset,
                         settings: ComparisonSettings) async throws -> Double {
    let study = try Study(name: "lr-\(name)", direction: .maximize, sampler: Catalogs.sampler("tpe", seed: seed, space: nil))
    try await study.optimize(trials: tune) { trial in
      let rate = try trial.suggestFloat("lr", (around / 30)...(around * 30), log: true)
      let network = try settings.model.make(inputs: train.featureCount, classes: Swift.max(train.classCount, 2), seed: seed)
      let options = TrainingOptions(epochs: epochs, batchSize: batchSize, optimizer: OptimizerSpec(name, learningRate: .constant(rate)),
                                    restoreBest: false, seed: seed, upsampling: settings.upsampling)
      do {
        return try await fit(network, on: train, validation: validation, options: options).history.last!.validation!.accuracy
      } catch NNError.diverged { return 0 }
    }
    guard let rate = try study.bestTrial.params["lr"]?.doubleValue else { throw CLIError("tuning \(name) found no learning rate") }
    return rate
  }
}
