import Foundation
import HoneOptim
import Testing
@testable import HoneNN
import HoneTensor

/// Replays `Fixtures/torch_training.json` (made by `Fixtures/make_torch_training.py` with
/// PyTorch): the same MLP from the same initial weights, the same batches and optimizer;
/// the losses of all 100 steps must agree.
@Suite("Training replayed against PyTorch")
struct TorchReplayTests {
  struct Fixture: Decodable {
    struct Case: Decodable {
      let lr: Double
      let weight_decay: Double?
      let momentum: Double?
      let losses: [Double]
      let grads_step0: [String: JSONArray]
      let final_params: [String: JSONArray]
    }
    let x: [[Int]]
    let y: [Int]
    let batches: [[Int]]
    let initial_params: [String: JSONArray]
    let cases: [String: Case]
  }

  /// A nested JSON array of numbers, flattened with its shape.
  struct JSONArray: Decodable {
    var shape: [Int] = []
    var values: [Float] = []
    init(from decoder: Decoder) throws {
      if var list = try? decoder.unkeyedContainer() {
        var rows: [JSONArray] = []
        var numbers: [Double] = []
        while !list.isAtEnd {
          if let number = try? list.decode(Double.self) { numbers.append(number) } else { rows.append(try list.decode(JSONArray.self)) }
        }
        if rows.isEmpty {
          shape = [numbers.count]
          values = numbers.map { Float($0) }
        } else {
          shape = [rows.count] + rows[0].shape
          values = rows.flatMap(\.values)
        }
      }
    }
    var tensor: Tensor<Float> { Tensor(shape: shape, scalars: values) }
  }

  static let fixture: Fixture = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/torch_training.json")
    return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }()

  /// The fixture's model: Linear 64→32, ReLU, Linear 32→16, ReLU, Linear 16→10 (torch names 0, 2, 4).
  static func model() -> Sequential {
    let p = fixture.initial_params
    func layer(_ i: Int) -> Linear { Linear(weight: p["\(i).weight"]!.tensor, bias: p["\(i).bias"]!.tensor) }
    return Sequential([layer(0), Activation(.relu), layer(2), Activation(.relu), layer(4)])
  }

  static func spec(_ name: String, _ c: Fixture.Case) -> OptimizerSpec {
    switch name {
    case "adam": OptimizerSpec("adam", learningRate: .constant(c.lr), weightDecay: c.weight_decay ?? 0)
    case "adamw": OptimizerSpec("adamw", learningRate: .constant(c.lr), weightDecay: c.weight_decay ?? 0)
    default: OptimizerSpec("sgd", learningRate: .constant(c.lr), weightDecay: 0, momentum: c.momentum ?? 0)
    }
  }

  @Test(arguments: ["adam", "adamw", "sgd_momentum"])
  func lossesAgreeWithPyTorchFor100Steps(_ name: String) throws {
    let f = Self.fixture
    let c = try #require(f.cases[name])
    let x = Tensor<Float>(shape: [f.x.count, 64], scalars: f.x.flatMap { $0.map { Float($0) / 16 } })
    let model = Self.model()
    var optimizer = try ParameterOptimizer(Self.spec(name, c), model: model)
    // torch names the Sequential's layers 0, 2, 4; Hone names them layers.0, layers.2, layers.4.
    func torchName(_ name: String) -> String { String(name.dropFirst("layers.".count)) }
    var worst = 0.0
    for (step, batch) in f.batches.enumerated() {
      let labels = batch.map { f.y[$0] }
      let (loss, gradients) = valueWithGradient(of: model) { m in
        crossEntropy(logits: m(x.gathering(batch, alongAxis: 0)), labels: labels)
      }
      if step == 0 {
        for (hone, g) in gradients {
          let reference = try #require(c.grads_step0[torchName(hone)])
          for (a, b) in zip(g.scalars, reference.values) { #expect(Swift.abs(a - b) <= 1e-6 + 1e-4 * Swift.abs(b), "\(hone)") }
        }
      }
      let relative = Swift.abs(Double(loss) - c.losses[step]) / Swift.abs(c.losses[step])
      worst = Swift.max(worst, relative)
      #expect(relative <= 1e-4, "step \(step): Hone \(loss), PyTorch \(c.losses[step])")
      try optimizer.step(gradients)
    }
    for (hone, parameter) in model.trainableParameters() {
      let reference = try #require(c.final_params[torchName(hone)])
      #expect(parameter.value.shape == reference.shape)
      let maxError = zip(parameter.value.scalars, reference.values).map { Swift.abs($0 - $1) }.max() ?? 0
      #expect(maxError <= 1e-4, "\(hone): largest difference \(maxError) after 100 steps")
    }
    #expect(worst <= 1e-4)
  }
}
