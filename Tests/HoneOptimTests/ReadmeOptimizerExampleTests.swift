import Foundation
import Testing
import HoneOptim

/// The README's optimizer quick start, as written there, on a stand-in least-squares problem.
@Suite struct ReadmeOptimizerExampleTests {
  @Test func quickStartRuns() throws {
    let target: [Float] = (0..<64).map { Float($0) / 64 }
    let initialParameters = [Float](repeating: 0, count: 64)
    let batches = 0..<300
    let batch = 0
    let checkpoint = FileManager.default.temporaryDirectory.appendingPathComponent("hone-readme-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: checkpoint) }
    func gradient(_ w: [Float], _ batch: Int) -> [Float] { zip(w, target).map { $0 - $1 } }

    let adam = try AdamW<Float>(learningRate: .warmupCosine(peak: 1e-3, warmupSteps: 100, totalSteps: 10_000))
    var params: [Float] = initialParameters                  // any flat buffer of parameters
    var state = adam.initialState(count: params.count)
    for batch in batches {
      try adam.step(params: &params, grads: gradient(params, batch), state: &state)   // one fused pass
    }
    try state.write(to: checkpoint)                           // resume later, bit-identically

    // Compose your own (optax style), or wrap: skip non-finite steps, sharpness-aware steps.
    let custom = chain(try ClipByGlobalNorm<Float>(1.0), try ScaleByAdam<Float>(), ScaleByLearningRate<Float>(3e-4))
    let guarded = ApplyIfFinite(try Lion<Float>(learningRate: 1e-4))
    let sam = try SAM(base: try SGD<Float>(learningRate: 0.1, momentum: 0.9), rho: 0.05)
    var samState = sam.initialState(count: params.count)
    try sam.step(params: &params, grads: gradient(params, batch), state: &samState) { w in gradient(w, batch) }
    let small = try Adam8bit(learningRate: 1e-3)              // 8-bit states: ≈ 25% of the memory

    #expect(try OptimizerState<Float>(contentsOf: checkpoint) == state)
    #expect(custom.parts.count == 3 && guarded.base.learningRate(0) == 1e-4 && small.layout.blockSize == 256)
    #expect(zip(params, target).allSatisfy { abs($0 - $1) < abs($1) + 1e-6 })
  }
}
