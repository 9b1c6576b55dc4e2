import ArgumentParser
import Foundation
import Hone

extension NASCommand {
  /// `hone nas darts`: differentiable architecture search of a cell on a dataset, then the
  /// cell retrained from scratch and tested.
  struct Darts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Differentiable architecture search (DARTS, sharpDARTS) of a NAS-Bench-201 cell on a dataset; the cell found is retrained and tested.",
      discussion: """
        The data is split 60/20/20 (train/validation/test, standardized on train). The supernet \
        trains on the train part, its weights on one half and the architecture weights on the \
        other; the cell found is retrained on the train part, chosen by validation accuracy and \
        tested. --sharp takes sharpDARTS' operations, max-W weighting and cosine power annealing.
        """)
    @OptionGroup var data: DataOptions
    @OptionGroup var network: CellNetworkOptions
    @OptionGroup var retrain: RecipeOptions
    @Option(parsing: .unconditional, help: "Epochs of the search.") var epochs = 20
    @Option(help: "first or second (DARTS' second-order architecture gradient).") var order = "first"
    @Option(help: "Candidate operations: nb201, sharp, or names separated by commas.") var operations: String?
    @Option(help: "cosine or cosine-power (sharpDARTS' cosine power annealing).") var schedule: String?
    @Flag(help: "sharpDARTS' max-W weighting of the mixed operations.") var maxW = false
    @Flag(help: "sharpDARTS: its operations, max-W and cosine power annealing (each can still be overridden).") var sharp = false
    @Option(parsing: .unconditional, help: "Examples per step.") var batchSize = 64
    @Option(parsing: .unconditional, help: "SGD's initial learning rate for the supernet's weights.") var lr = 0.025
    @Option(name: .customLong("arch-lr"), parsing: .unconditional, help: "Adam's learning rate for the architecture weights α (DARTS' 3e-4 is for ~20,000 steps; the digits benchmark, ~135 steps, uses 3e-3).") var archLR = 3e-4
    @Option(parsing: .unconditional, help: "Seed of the split, the initial weights and the batch order.") var seed: UInt64 = 0
    @Flag(help: "Print one JSON document.") var json = false

    func validate() throws {
      guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
      guard batchSize >= 2 else { throw ValidationError("--batch-size must be at least 2, got \(batchSize)") }
      guard DARTSOptions.Order(rawValue: order) != nil else { throw ValidationError("--order must be first or second, got \(order)") }
      guard lr > 0, archLR > 0 else { throw ValidationError("--lr and --arch-lr must be positive") }
      guard retrain.epochs >= 0 else { throw ValidationError("--retrain-epochs must be at least 0 (0: no retraining)") }
    }

    /// The search's options.
    func searchOptions() throws -> DARTSOptions {
      var options = sharp ? DARTSOptions.sharpDARTS : DARTSOptions()
      (options.epochs, options.batchSize, options.seed, options.order) = (epochs, batchSize, seed, DARTSOptions.Order(rawValue: order)!)
      (options.learningRate, options.architectureLearningRate) = (lr, archLR)
      if maxW { options.maxW = true }
      if let operations {
        do { options.operations = try CellOperation.list(parsing: operations) } catch { throw ValidationError("--operations: \(error)") }
      }
      switch schedule {
      case nil: break
      case "cosine"?: options.schedule = .cosine
      case "cosine-power"?: options.schedule = .cosinePowerAnnealing(exponent: 2)
      case let other?: throw ValidationError("--schedule must be cosine or cosine-power, got \(other)")
      }
      if case .cosinePowerAnnealing = options.schedule, epochs < 2 { throw ValidationError("cosine power annealing needs --epochs ≥ 2") }
      return options
    }

    func run() async throws {
      let options = try searchOptions()
      let (dataset, _, train, validation, test) = try data.split(seed: seed)
      let shape = try network.shape(features: dataset.features.shape[1], classes: dataset.classCount)
      let search = try DifferentiableSearch.run(on: train, shape: shape, options: options) { epoch in
        if !json {
          print("epoch \(epoch.epoch)  train loss \(format(epoch.trainLoss))  search accuracy \(format(epoch.searchAccuracy))  \(CellSpace.string(of: epoch.cell))")
        }
      }
      var retrained: CellTrainingResult? = nil
      if retrain.epochs > 0 {
        retrained = try await CellTraining.run(search.cell, shape: shape, recipe: retrain.recipe, train: train, validation: validation,
                                               test: test, seed: seed)
      }
      if json {
        printJSON(Self.document(search, retrained: retrained, options: options))
      } else {
        print("cell \(search.cellString)")
        for (edge, row) in zip(CellSpace.edgeNames, search.weights) {
          print("  \(edge): " + zip(search.operations, row).map { "\($0) \(format($1))" }.joined(separator: "  "))
        }
        print("search: \(format(search.multiplyAccumulates)) multiply–accumulates × examples, \(format(search.seconds)) s")
        if let retrained {
          print("retrained: test accuracy \(format(retrained.testAccuracy)), validation \(format(retrained.validationAccuracy)), " +
                "\(retrained.cost.parameters) parameters, \(format(retrained.multiplyAccumulates)) multiply–accumulates × examples, \(format(retrained.seconds)) s")
        }
      }
    }

    /// The JSON document of a search and its retraining.
    static func document(_ search: DARTSResult, retrained: CellTrainingResult?, options: DARTSOptions) -> JSONValue {
      var result: [String: JSONValue] = [
        "cell": .string(search.cellString),
        "operations": .array(search.operations.map { .string($0.rawValue) }),
        "weights": .array(search.weights.map { .array($0.map(JSONValue.double)) }),
        "order": .string(options.order.rawValue), "max_w": .bool(options.maxW),
        "search": .object([
          "epochs": .int(search.history.count), "seconds": .double(search.seconds),
          "multiply_accumulates": .double(search.multiplyAccumulates),
          "history": .array(search.history.map { epoch in
            .object(["epoch": .int(epoch.epoch), "train_loss": .double(epoch.trainLoss), "search_accuracy": .double(epoch.searchAccuracy),
                     "cell": .string(CellSpace.string(of: epoch.cell))])
          }),
        ]),
      ]
      if let retrained {
        result["retrained"] = .object(cellDocument(retrained))
        result["multiply_accumulates"] = .double(search.multiplyAccumulates + retrained.multiplyAccumulates)
      }
      return .object(result)
    }
  }

  /// A retrained cell's measurements as JSON.
  static func cellDocument(_ r: CellTrainingResult) -> [String: JSONValue] {
    ["test_accuracy": .double(r.testAccuracy), "validation_accuracy": .double(r.validationAccuracy),
     "parameters": .int(r.cost.parameters), "multiply_accumulates_per_example": .int(r.cost.multiplyAccumulates),
     "multiply_accumulates": .double(r.multiplyAccumulates), "seconds": .double(r.seconds),
     "latency_ms": .double(r.latency.median * 1e3), "latency_iqr_ms": .double(r.latency.interquartileRange * 1e3)]
  }
}

/// A number with 4 significant digits.
private func format(_ x: Double) -> String { String(format: "%.4g", x) }
