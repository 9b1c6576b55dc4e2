import Testing
import HoneMath
import HoneNN
import HoneTensor
@testable import HoneNAS

@Suite("Differentiable architecture search")
struct DARTSTests {
  /// 4×4 single-channel images whose class is the sign of their mean (offset ±0.5 under unit noise).
  static func meanSignTask(count: Int, seed: UInt64) -> Dataset {
    var rng = SeededRNG(seed: seed)
    var rows: [[Float]] = []
    var labels: [Int] = []
    for k in 0..<count {
      let label = k % 2
      rows.append((0..<16).map { _ in Float(rng.nextNormal()) + (label == 1 ? 0.5 : -0.5) })
      labels.append(label)
    }
    return Dataset(features: Tensor(rows), labels: labels)
  }

  /// The task's signal reaches the classifier only through the cell, so on every edge the
  /// search must weigh `skip_connect` above `none` (which passes nothing): the planted best.
  @Test(arguments: [DARTSOptions.Order.first, .second])
  func searchPrefersTheOperationThatCarriesTheSignal(_ order: DARTSOptions.Order) throws {
    var options = DARTSOptions()
    (options.operations, options.order, options.epochs, options.batchSize) = ([.none, .skipConnect], order, 6, 32)
    options.architectureLearningRate = 0.03
    let shape = CellNetworkShape(height: 4, width: 4, channels: 2, cells: 1, classes: 2)
    let result = try DifferentiableSearch.run(on: Self.meanSignTask(count: 256, seed: 1), shape: shape, options: options)
    for (edge, w) in zip(CellSpace.edgeNames, result.weights) {
      #expect(w[1] > w[0], "\(edge): skip_connect \(w[1]) against none \(w[0])")
    }
    #expect(result.cell == Array(repeating: .skipConnect, count: 6))
    #expect(result.history.count == 6 && result.multiplyAccumulates > 0)
    // The first-order step costs two passes per batch, the second-order five.
    let passes = Double(order == .first ? 2 : 5)
    let examples = Double(6 * 128)  // the weight half, per epoch
    #expect(Swift.abs(result.multiplyAccumulates / (examples * Double(shape.cost(edges: Array(repeating: [.none, .skipConnect], count: 6)).multiplyAccumulates)) - passes) < 0.01)
  }

  @Test func badSettingsAreRefused() throws {
    let data = Self.meanSignTask(count: 16, seed: 2)
    var options = DARTSOptions()
    options.epochs = 0
    #expect(throws: NASError.self) { try DifferentiableSearch.run(on: data, shape: CellNetworkShape(height: 4, width: 4), options: options) }
    #expect(throws: NASError.self) { try DifferentiableSearch.run(on: data, shape: CellNetworkShape()) }  // 16 features, not 64
    #expect(throws: NASError.self) { try CellOperation.list(parsing: "none") }
    #expect(throws: NASError.self) { try CellOperation.list(parsing: "skip_connect,conv") }
    #expect(try CellOperation.list(parsing: "sharp") == CellOperation.sharpDARTS)
  }
}
