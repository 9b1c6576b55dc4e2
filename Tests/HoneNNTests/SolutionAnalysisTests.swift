import Foundation
import HoneMath
import HoneOptim
import HoneTensor
import Testing
@testable import HoneNN

@Suite("Solution analysis")
struct SolutionAnalysisTests {
  /// A known Hessian: H = QΛQᵀ with Λ = diag(0.5, 1, 2, 4, 9) and a seeded rotation Q.
  static func quadratic() throws -> (hessian: Matrix, gradient: ([Float]) -> [Float]) {
    var rng = SeededRNG(seed: 11)
    let g = Matrix(rows: 5, columns: 5, elements: (0..<25).map { _ in rng.nextNormal() })
    let q = try SymmetricEigen(Matrix.product(g, g, transposeB: true)).vectors
    var d = Matrix(rows: 5, columns: 5)
    for (i, value) in [0.5, 1, 2, 4, 9].enumerated() { d[i, i] = value }
    let h = Matrix.product(Matrix.product(q, d), q, transposeB: true)
    let b = [0.3, -0.2, 0.1, 0.4, -0.5]
    // ∇(½wᵀHw + bᵀw) = Hw + b
    return (h, { w in zip(h.multiply(w.map(Double.init)), b).map { Float($0 + $1) } })
  }

  @Test func hessianVectorProductsEigenvalueAndTraceOfAKnownQuadratic() throws {
    let (h, gradient) = try Self.quadratic()
    let w: [Float] = [1, -2, 0.5, 0.25, 3]
    let v: [Float] = [0.2, 1, -0.4, 0.7, -1.1]
    let exact = h.multiply(v.map(Double.init))
    let product = Sharpness.hessianVectorProduct(gradient: gradient, at: w, vector: v, epsilon: 1e-2)
    for (x, y) in zip(product, exact) { #expect(abs(x - y) <= 2e-3 * max(1, abs(y)), "\(product) vs \(exact)") }
    let top = Sharpness.topEigenvalue(gradient: gradient, at: w, iterations: 200, tolerance: 1e-7, epsilon: 1e-2)
    #expect(abs(top.value - 9) <= 1e-2, "λmax \(top.value)")
    let trace = Sharpness.trace(gradient: gradient, at: w, samples: 400, seed: 5, epsilon: 1e-2)
    #expect(abs(trace.value - 16.5) <= 4 * trace.standardError + 1e-2, "trace \(trace)")
  }

  /// The Hessian-vector product of a network's loss, through FlatParameters, agrees with a
  /// finite difference of the loss along v (vᵀHv by the second difference).
  @Test func networkHessianVectorProductAgreesWithSecondDifferences() throws {
    let (train, _, _) = try Dataset.breastCancer().split(seed: 0)
    let data = Standardizer(fitting: train).transform(train)
    let model = Sequential.mlp(inputs: 30, hidden: [8], outputs: 2, activation: .tanh, seed: 3)
    let flat = FlatParameters(model)
    let loss = { crossEntropy(logits: model(data.features), labels: data.labels) }
    let w = flat.values
    var rng = SeededRNG(seed: 1)
    let v = w.map { _ in Float(rng.nextNormal()) }
    let hv = Sharpness.hessianVectorProduct(gradient: flat.gradientFunction(loss), at: w, vector: v)
    #expect(flat.values == w, "the gradient function puts the parameters back")
    let vHv = zip(v, hv).reduce(0) { $0 + Double($1.0) * $1.1 }
    func lossAt(_ t: Double) -> Double {
      flat.set(zip(w, v).map { Float(Double($0) + t * Double($1)) })
      return Double(loss().scalar)
    }
    let e = 1e-2
    let second = (lossAt(e) - 2 * lossAt(0) + lossAt(-e)) / (e * e)
    #expect(abs(vHv - second) <= 0.05 * abs(second) + 1e-3, "vᵀHv \(vHv), second difference \(second)")
  }

  @Test func effectiveRankAndCKAOfHandComputedCases() throws {
    #expect(abs(try Representations.effectiveRank([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0], rows: 4, columns: 3) - 3) < 1e-9)
    #expect(abs(try Representations.effectiveRank([1, 2, 2, 4, 3, 6], rows: 3, columns: 2) - 1) < 1e-6)
    // σ = (3, 1): p = (0.75, 0.25), exp(−0.75·ln 0.75 − 0.25·ln 0.25) = 1.7548…
    #expect(abs(try Representations.effectiveRank([3, 0, 0, 1], rows: 2, columns: 2) - 1.754765351) < 1e-8)
    #expect(try Representations.effectiveRank([0, 0, 0, 0], rows: 2, columns: 2) == 0)
    // One feature each: CKA is the squared correlation, 4²/(5·5) = 0.64.
    let x = Tensor<Float>(shape: [4, 1], scalars: [1, 2, 3, 4]), y = Tensor<Float>(shape: [4, 1], scalars: [1, 3, 2, 4])
    #expect(abs(Representations.linearCKA(x, y) - 0.64) < 1e-9)
    // Invariant to an orthogonal map and a scale.
    var rng = SeededRNG(seed: 2)
    let a = Tensor<Float>(shape: [20, 3], scalars: (0..<60).map { _ in Float(rng.nextNormal()) })
    let rotation = Tensor<Float>(shape: [3, 3], scalars: [0, 2, 0, 0, 0, -2, 2, 0, 0])
    #expect(abs(Representations.linearCKA(a, a.matmul(rotation)) - 1) < 1e-6)
    #expect(Representations.linearCKA(a, Tensor(repeating: 1, shape: [20, 2])) == 0)
    #expect(Representations.sparsity(Tensor<Float>(shape: [2, 2], scalars: [0, 1, 0, 0])) == 0.75)
  }

  @Test func lossBarrierOfADoubleWell() {
    // L(w) = (w² − 1)² between the minima −1 and 1 rises to 1 at w = 0.
    let barrier = LossBarrier(from: [-1], to: [1], points: 11) { w in
      let x = Double(w[0])
      return (x * x - 1) * (x * x - 1)
    }
    #expect(abs(barrier.height - 1) < 1e-12)
    #expect(LossBarrier(from: [0], to: [1], points: 5) { Double($0[0]) }.height.magnitude < 1e-12)
  }

  /// Two planted groups of 10 examples whose losses swing in opposite directions at the same
  /// steps, among 280 examples with smaller independent changes, are found as the first pair.
  @Test func opposingSignalFinderRecoversAPlantedPair() throws {
    var rng = SeededRNG(seed: 4)
    let (n, steps) = (300, 120)
    let groupA = Set([3, 17, 42, 77, 101, 150, 199, 230, 260, 299]), groupB = Set([5, 20, 60, 88, 120, 160, 205, 240, 270, 290])
    var losses = [[Float](repeating: 2, count: n)]
    for _ in 0..<steps {
      let signal = rng.nextNormal()
      let previous = losses.last!
      losses.append((0..<n).map { i in
        let own = 0.05 * rng.nextNormal()
        let planted = groupA.contains(i) ? signal : groupB.contains(i) ? -signal : 0
        return previous[i] + Float(own + 0.5 * planted)
      })
    }
    let pairs = try OpposingSignals.find(losses: losses, candidates: 50)
    let found = pairs.first
    #expect(found.map { Set($0.first) == groupA && Set($0.second) == groupB || Set($0.first) == groupB && Set($0.second) == groupA } == true,
            "\(String(describing: found))")
    #expect((found?.opposition ?? 0) > 0.95)
    let share = OpposingSignals.lossShare(losses: losses, examples: Array(groupA))
    #expect(abs(share[0] - 10.0 / 300) < 1e-9)
    #expect(throws: NNError.self) { try OpposingSignals.find(losses: [[1, 2], [1]]) }
  }

  /// A synthetic set where four in five examples of each class follow x₀'s sign and the rest
  /// are told apart only by a weaker x₁: early in training the network gets the majority
  /// right, and USEFUL upsamples the slow minority.
  @Test func usefulUpsamplesTheSlowCluster() async throws {
    var rng = SeededRNG(seed: 9)
    var rows: [Float] = [], labels: [Int] = [], minority = Set<Int>()
    for i in 0..<400 {
      let label = i % 2
      let sign: Float = label == 1 ? 1 : -1
      let isMinority = i % 5 == 0
      if isMinority { minority.insert(i) }
      let x0 = (isMinority ? -sign : sign) * (2 + Float(rng.nextDouble()))
      let x1 = (isMinority ? sign : 0) * 0.6 + Float(rng.nextNormal()) * 0.1
      rows += [x0, x1]
      labels.append(label)
    }
    let data = Dataset(features: Tensor(shape: [400, 2], scalars: rows), labels: labels)
    let model = Sequential.mlp(inputs: 2, hidden: [16], outputs: 2, seed: 0)
    let result = try await fit(model, on: data, options: TrainingOptions(epochs: 3, batchSize: 32, optimizer: OptimizerSpec("adamw", learningRate: 3e-3),
                                                                           upsampling: .useful(epoch: 2)))
    let chosen = Set(result.upsampled)
    let overlap = Double(chosen.intersection(minority).count)
    #expect(overlap / Double(chosen.count) >= 0.8 && overlap / Double(minority.count) >= 0.8,
            "\(chosen.count) upsampled, \(Int(overlap)) of the \(minority.count) slow examples")
    #expect(result.history.count == 3)
    await #expect(throws: NNError.self) {
      try await fit(model, on: data, options: TrainingOptions(epochs: 1, upsampling: .useful(epoch: 0)))
    }
  }

  /// `sam-sgd` by name takes the same steps as SGD with `sharpnessAware` set, and Shampoo binds
  /// Kronecker factors to the weight matrices only.
  @Test func samAndShampooRowsTrainThroughFit() async throws {
    let (train, _, _) = try Dataset.breastCancer().split(seed: 0)
    let data = Standardizer(fitting: train).transform(train)
    let byName = Sequential.mlp(inputs: 30, hidden: [8], outputs: 2, seed: 1)
    let byOption = Sequential.mlp(inputs: 30, hidden: [8], outputs: 2, seed: 1)
    _ = try await fit(byName, on: data, options: TrainingOptions(epochs: 2, optimizer: OptimizerSpec("sam-sgd", learningRate: 0.01,
                                                                                                     settings: .init(["rho": "0.1"]))))
    _ = try await fit(byOption, on: data, options: TrainingOptions(epochs: 2, optimizer: OptimizerSpec("sgd", learningRate: 0.01),
                                                                    sharpnessAware: (0.1, false)))
    #expect(FlatParameters(byName).values == FlatParameters(byOption).values)
    let model = Sequential.mlp(inputs: 30, hidden: [8], outputs: 2, seed: 1)
    var shampoo = try ParameterOptimizer(OptimizerSpec("shampoo"), model: model)
    #expect(shampoo.states["layers.0.weight"]!.matrices.map(\.count) == [64, 900, 64, 900])
    #expect(shampoo.states["layers.0.bias"]!.matrices.isEmpty)
    let before = FlatParameters(model).values
    try shampoo.step(shampoo.valueWithGradient { crossEntropy(logits: model(data.features), labels: data.labels) }.gradients)
    #expect(FlatParameters(model).values != before)
  }

  /// A small comparison: every contender starts from the same weights, every measurement is
  /// finite, the pair's CKA is in [0, 1], and opposing signals are recorded after every step.
  @Test func compareOptimizersMeasuresEverySolution() async throws {
    let (train, validation, test) = try Dataset.digits().split(seed: 0)
    let scaler = Standardizer(fitting: train)
    let settings = ComparisonSettings(model: try ModelSpec(parsing: "mlp:16"), epochs: 4, batchSize: 128, eigenIterations: 5,
                                      traceSamples: 3, opposingSignals: true)
    let comparison = try await compareOptimizers(
      [Contender("sgd", optimizer: OptimizerSpec("sgd", learningRate: 0.1)), Contender("adamw", optimizer: OptimizerSpec("adamw", learningRate: 0.01))],
      train: scaler.transform(train), validation: scaler.transform(validation), test: scaler.transform(test), settings: settings)
    #expect(comparison.solutions.map(\.name) == ["sgd", "adamw"])
    #expect(comparison.pairs.count == 1)
    for s in comparison.solutions {
      #expect(s.sharpness.isFinite && s.sharpness > 0 && s.hessianTrace.value.isFinite)
      #expect(s.weightRanks.map(\.layer) == ["layers.0.weight", "layers.2.weight"])
      #expect(s.representationRank > 1 && s.representationRank <= 16)
      #expect(s.sparsity.map(\.layer) == ["layers.1"] && s.sparsity[0].value > 0)
      let record = try #require(s.opposingSignals)
      #expect(record.steps == Array(0...36) && record.losses.count == 37 && record.sharpnessByEpoch.count == 4)
      #expect(s.test.accuracy > 0.5, "\(s.name): test accuracy \(s.test.accuracy)")
    }
    let pair = comparison.pairs[0]
    #expect(pair.cka > 0 && pair.cka <= 1 && pair.barrier.height.isFinite)
  }
}
