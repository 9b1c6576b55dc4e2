import Foundation
import HoneMath
import HoneOptim
import Testing
@testable import HoneNN
import HoneTensor

@Suite("Modules, layers and checkpoints")
struct ModuleTests {
  @Test func parametersHaveStableDottedNames() {
    let mlp = Sequential.mlp(inputs: 4, hidden: [8, 6], outputs: 3, dropout: 0.1, seed: 1)
    #expect(mlp.namedParameters().map(\.name) == [
      "layers.0.weight", "layers.0.bias", "layers.3.weight", "layers.3.bias", "layers.6.weight", "layers.6.bias",
    ])
    #expect(mlp.parameterCount == 4 * 8 + 8 + 8 * 6 + 6 + 6 * 3 + 3)
    #expect(mlp(Tensor.zeros([5, 4])).shape == [5, 3])
    // The same seed gives the same model.
    let again = Sequential.mlp(inputs: 4, hidden: [8, 6], outputs: 3, dropout: 0.1, seed: 1)
    #expect(mlp.namedParameters().map(\.parameter.value) == again.namedParameters().map(\.parameter.value))
  }

  @Test func linearInitializationFollowsPyTorch() {
    var rng = SeededRNG(seed: 3)
    let layer = Linear(100, 50, rng: &rng)
    let w = layer.weight.value.scalars
    #expect(w.allSatisfy { Swift.abs($0) <= 0.1 })
    #expect(w.max()! > 0.09 && w.min()! < -0.09)
  }

  @Test func dropoutTrainsAndEvaluates() {
    let dropout = Dropout(probability: 0.5, seed: 2)
    let x = Tensor<Float>.ones([1000])
    let y = dropout(x).scalars
    #expect(Set(y) == [0, 2])
    #expect(Swift.abs(y.reduce(0, +) / 1000 - 1) < 0.1)
    let model = Sequential([dropout])
    model.eval()
    #expect(model(x) == x)
    model.train()
    #expect(dropout.isTraining)
  }

  @Test func layerNormAndBatchNorm() {
    let x = Tensor<Float>([[1, 2, 3], [4, 6, 8]])
    let ln = LayerNorm(3)(x)
    for row in ln.rows {
      #expect(Swift.abs(row.reduce(0, +)) < 1e-5)
      let meanSquare: Float = row.map { $0 * $0 }.reduce(0, +) / 3
      #expect(Swift.abs(meanSquare - 1) < 1e-3)
    }
    let bn = BatchNorm1d(3)
    let y = bn(x)
    #expect(y.sum(alongAxis: 0).scalars.allSatisfy { Swift.abs($0) < 1e-5 })
    // Running statistics: 0.9·0 + 0.1·mean, 0.9·1 + 0.1·unbiased variance.
    #expect(bn.runningMean.value.scalars == [0.25, 0.4, 0.55])
    let runningVar0: Float = bn.runningVar.value.scalars[0]
    #expect(Swift.abs(runningVar0 - 1.35) < 1e-5)
    #expect(bn.namedParameters().map(\.name) == ["weight", "bias", "running_mean", "running_var"])
    #expect(bn.trainableParameters().count == 2)
    bn.eval()
    let z = bn(x).scalars
    let expected: Float = 0.75 / (1.35 + 1e-5 as Float).squareRoot()
    #expect(Swift.abs(z[0] - expected) < 1e-4)
  }

  @Test func embeddingsAndStableEmbedding() throws {
    var rng = SeededRNG(seed: 4)
    let plain = Embedding(10, 4, rng: &rng)
    #expect(plain([3, 3, 1]).shape == [3, 4])
    #expect(plain(Tensor<Float>([[1, 2], [3, 4]])).shape == [2, 2, 4])
    let stable = StableEmbedding(5000, 8, rng: &rng)
    let bound = (6.0 / 5008).squareRoot()
    #expect(stable.weight.value.scalars.allSatisfy { Double(Swift.abs($0)) <= bound })
    let out = stable([0, 7, 4999])
    #expect(out.rows.allSatisfy { Swift.abs($0.reduce(0, +)) < 1e-4 })
    // With an 8-bit optimizer, the table's state stays 32-bit while a large linear layer's is 8-bit.
    final class Model: Module {
      let embedding: StableEmbedding
      let projection: Linear
      init(rng: inout SeededRNG) {
        embedding = StableEmbedding(5000, 8, rng: &rng)
        projection = Linear(8, 1000, rng: &rng)
      }
    }
    let model = Model(rng: &rng)
    let optimizer = try ParameterOptimizer(OptimizerSpec("adamw8bit"), model: model)
    #expect(optimizer.states["embedding.weight"]!.codes.isEmpty)
    #expect(optimizer.states["embedding.weight"]!.buffers.count == 2)
    #expect(!optimizer.states["projection.weight"]!.codes.isEmpty)
  }

  @Test func convolutionalModelShapes() {
    var rng = SeededRNG(seed: 5)
    let cnn = Sequential([
      Reshape([1, 8, 8]), Conv2d(1, 16, kernelSize: 3, padding: 1, rng: &rng), Activation(.relu), MaxPool2d(2),
      Conv2d(16, 32, kernelSize: 3, padding: 1, rng: &rng), Activation(.relu), AvgPool2d(2), Flatten(), Linear(128, 10, rng: &rng),
    ])
    #expect(cnn(Tensor.zeros([3, 64])).shape == [3, 10])
    #expect(cnn.namedParameters().map(\.name).first == "layers.1.weight")
  }

  @Test func checkpointsRoundTripAndRefuseMismatches() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hone-ckpt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("model.safetensors")
    let a = Sequential.mlp(inputs: 3, hidden: [5], outputs: 2, seed: 1)
    try a.save(to: file)
    let b = Sequential.mlp(inputs: 3, hidden: [5], outputs: 2, seed: 2)
    try b.load(from: file)
    #expect(a.namedParameters().map(\.parameter.value) == b.namedParameters().map(\.parameter.value))
    // The layout: an 8-byte header length, then JSON naming F32 entries.
    let bytes = try Data(contentsOf: file)
    let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
    let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
    #expect(header.contains("\"layers.0.weight\":{\"data_offsets\":[0,60],\"dtype\":\"F32\",\"shape\":[5,3]}"))
    // A different architecture is refused and left unchanged.
    let c = Sequential.mlp(inputs: 3, hidden: [4], outputs: 2, seed: 3)
    let before = c.namedParameters().map(\.parameter.value)
    #expect(throws: NNError.self) { try c.load(from: file) }
    #expect(c.namedParameters().map(\.parameter.value) == before)
    try Data("not a checkpoint".utf8).write(to: file)
    #expect(throws: NNError.self) { try b.load(from: file) }
    // A header length near 2⁶⁴ and a negative shape are errors, not crashes.
    try Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + Array("{}".utf8)).write(to: file)
    #expect(throws: NNError.self) { try b.load(from: file) }
    let badHeader = Array(#"{"x":{"dtype":"F32","shape":[-1],"data_offsets":[4,0]}}"#.utf8)
    try Data([UInt8(badHeader.count)] + [UInt8](repeating: 0, count: 7) + badHeader).write(to: file)
    #expect(throws: NNError.self) { try b.load(from: file) }
  }
}
