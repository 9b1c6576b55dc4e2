import ArgumentParser
import Foundation
import Hone

extension NASCommand {
  /// `hone nas train`: one cell trained from scratch on a dataset and tested.
  struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Train a NAS-Bench-201 cell (given as its string) in the cell network on a dataset and test it.")
    @OptionGroup var data: DataOptions
    @OptionGroup var network: CellNetworkOptions
    @OptionGroup var retrain: RecipeOptions
    @Argument(help: "The cell, |op~0|+|op~0|op~1|+|op~0|op~1|op~2| (operations of NAS-Bench-201 or sharpDARTS).") var cell: String
    @Option(parsing: .unconditional, help: "Seed of the split, the initial weights and the batch order.") var seed: UInt64 = 0

    func run() async throws {
      guard retrain.epochs >= 1 else { throw ValidationError("--retrain-epochs must be at least 1") }
      let operations: [CellOperation]
      do { operations = try CellSpace.operations(parsing: cell) } catch { throw ValidationError("\(error)") }
      let (dataset, _, train, validation, test) = try data.split(seed: seed)
      let shape = try network.shape(features: dataset.features.shape[1], classes: dataset.classCount)
      let result = try await CellTraining.run(operations, shape: shape, recipe: retrain.recipe, train: train, validation: validation,
                                              test: test, seed: seed)
      var document = cellDocument(result)
      document["cell"] = .string(CellSpace.string(of: operations))
      printJSON(.object(document))
    }
  }
}
