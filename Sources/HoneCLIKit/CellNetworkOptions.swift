import ArgumentParser
import Foundation
import Hone

/// The cell network's options shared by `hone nas darts`, `train` and `latency`: the image
/// shape of the data and the network's width and depth.
struct CellNetworkOptions: ParsableArguments {
  @Option(help: ArgumentHelp("The shape of each example as CxHxW (default: 1 channel of a square image).", valueName: "CxHxW"))
  var image: String?
  @Option(parsing: .unconditional, help: "Channels inside the cells.") var channels = 8
  @Option(parsing: .unconditional, help: "Cells stacked.") var cells = 3

  /// The network shape for `features` values per example (negative: any, with --image) and `classes` classes.
  func shape(features: Int, classes: Int) throws -> CellNetworkShape {
    guard channels >= 1, cells >= 1 else { throw ValidationError("--channels and --cells must be at least 1") }
    let (c, h, w): (Int, Int, Int)
    if let image {
      let parts = image.lowercased().split(separator: "x").compactMap { Int($0) }
      guard parts.count == 3, parts.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--image \(image): write it as CxHxW, e.g. 1x8x8") }
      (c, h, w) = (parts[0], parts[1], parts[2])
    } else {
      let side = Int(Double(features).squareRoot().rounded())
      guard side * side == features else {
        throw ValidationError("the data's \(features) features are not a square image: give --image CxHxW")
      }
      (c, h, w) = (1, side, side)
    }
    guard features < 0 || c * h * w == features else { throw ValidationError("--image \(c)x\(h)x\(w) has \(c * h * w) values; the data has \(features) features") }
    return CellNetworkShape(inputChannels: c, height: h, width: w, channels: channels, cells: cells, classes: max(classes, 2))
  }
}

/// The recipe options of commands that retrain a cell.
struct RecipeOptions: ParsableArguments {
  @Option(name: .customLong("retrain-epochs"), parsing: .unconditional, help: "Epochs of training the cell from scratch.") var epochs = 20
  @Option(name: .customLong("retrain-lr"), parsing: .unconditional, help: "SGD's initial learning rate (cosine-annealed).") var lr = 0.05
  @Option(name: .customLong("retrain-weight-decay"), parsing: .unconditional, help: "Weight decay.") var weightDecay = 5e-4
  @Option(name: .customLong("retrain-label-smoothing"), parsing: .unconditional, help: "Label smoothing.") var labelSmoothing = 0.0

  /// The recipe.
  var recipe: TrainingRecipe {
    TrainingRecipe(learningRate: lr, weightDecay: weightDecay, epochs: epochs, labelSmoothing: labelSmoothing)
  }
}
