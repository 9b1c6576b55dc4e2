import Foundation
import HoneMath
import Testing
@testable import HoneOptim

@Suite struct OptimizerBehaviourTests {
  static func randomVector(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var rng = SeededRNG(seed: seed)
    return (0..<n).map { _ in Float(rng.nextNormal()) * scale }
  }

  /// The fused kernel and the chain of transformations agree within a few ulps at the
  /// parameters' scale (max(|p|, 1)) over 20 steps on random data: same formula, different
  /// operation order (SGD's chain rounds as its kernel does, so it agrees bit for bit).
  /// Decoupled weight decay differs more (up to ~20 ulps): the fused kernel
  /// multiplies by (1 − lr·λ) rounded to float32, as torch does, the chain adds −lr·λ·p.
  @Test(arguments: Optimizers.all.filter { $0.makeChained != nil })
  func fusedAndChainedAgree(entry: Optimizers.Entry) throws {
    let fused = try entry.make(.constant(entry.learningRate))
    let chained = try entry.makeChained!(.constant(entry.learningRate))
    let n = 1000
    var a = Self.randomVector(n, seed: 1), b = a
    var sa = fused.initialState(count: n), sb = chained.initialState(count: n)
    var worst: Float = 0
    for step in 0..<20 {
      let g = Self.randomVector(n, seed: UInt64(100 + step))
      try fused.step(params: &a, grads: g, state: &sa)
      try chained.step(params: &b, grads: g, state: &sb)
      for (x, y) in zip(a, b) { worst = max(worst, abs(x - y) / max(abs(y), 1).ulp) }
    }
    #expect(worst <= entry.chainUlps, "\(entry.name): \(worst) ulps apart")
  }

  /// Every instruction-set level of the fused kernels gives the same bits.
  @Test(arguments: Optimizers.all)
  func everyInstructionSetGivesTheSameBits(entry: Optimizers.Entry) throws {
    let optimizer = try entry.make(.constant(entry.learningRate))
    let n = 5003  // 8-bit states, and a tail that is not a multiple of the vector width
    var results: [[UInt32]] = []
    for level in [KernelInstructionSet.baseline, .avx2, .avx512] {
      guard KernelInstructionSet.use(level) == level else { continue }
      var p = Self.randomVector(n, seed: 11)
      var state = optimizer.initialState(count: n)
      for step in 0..<5 { try optimizer.step(params: &p, grads: Self.randomVector(n, seed: UInt64(20 + step)), state: &state) }
      results.append(p.map(\.bitPattern))
    }
    KernelInstructionSet.useBest()
    #expect(results.count >= 1)
    for r in results.dropFirst() { #expect(r == results[0], "\(entry.name): levels differ") }
  }

  /// Each optimizer converges on an ill-conditioned quadratic ½Σ aᵢxᵢ² (aᵢ ∈ [1, 10]) from a
  /// random start (to 1e-3 of the initial loss in 600 steps) and on the Rosenbrock function
  /// summed over pairs from 0 (mean loss 1 → below 0.05 in 2,000 steps), in 4,096 dimensions
  /// (so 8-bit states are used).
  @Test(arguments: Optimizers.all)
  func converges(entry: Optimizers.Entry) throws {
    let n = 4096
    let curvature = (0..<n).map { 1 + 9 * Float($0) / Float(n - 1) }
    func quadratic(_ x: [Float]) -> (Double, [Float]) {
      var f = 0.0
      var g = [Float](repeating: 0, count: n)
      for i in 0..<n {
        f += 0.5 * Double(curvature[i] * x[i] * x[i])
        g[i] = curvature[i] * x[i]
      }
      return (f, g)
    }
    func rosenbrock(_ x: [Float]) -> (Double, [Float]) {
      var f = 0.0
      var g = [Float](repeating: 0, count: n)
      for i in stride(from: 0, to: n, by: 2) {
        let (u, v) = (x[i], x[i + 1])
        f += Double((1 - u) * (1 - u) + 100 * (v - u * u) * (v - u * u))
        g[i] = -2 * (1 - u) - 400 * u * (v - u * u)
        g[i + 1] = 200 * (v - u * u)
      }
      return (f / Double(n / 2), g)
    }
    for (problem, function, start, steps, target, lr) in [
      ("quadratic", quadratic as ([Float]) -> (Double, [Float]), Self.randomVector(n, seed: 7), 600, 1e-3, entry.learningRate),
      ("rosenbrock", rosenbrock as ([Float]) -> (Double, [Float]), [Float](repeating: 0, count: n), 2000, 5e-2, entry.rosenbrockLR),
    ] {
      let optimizer = try entry.make(.constant(lr))
      var x = start
      var state = optimizer.initialState(count: n)
      let initial = function(x).0
      for _ in 0..<steps { try optimizer.step(params: &x, grads: function(x).1, state: &state) }
      let final = function(x).0
      #expect(final.isFinite && final < target * max(initial, 1), "\(entry.name) on \(problem): \(initial) → \(final)")
    }
  }

  /// Saving the state after 5 steps and restoring it gives bit-identical parameters after 10.
  @Test(arguments: Optimizers.all)
  func resumeIsBitIdentical(entry: Optimizers.Entry) throws {
    let optimizer = try entry.make(.cosine(entry.learningRate, decaySteps: 10))
    let n = 5000
    let grads = (0..<10).map { Self.randomVector(n, seed: UInt64(50 + $0)) }
    var straight = Self.randomVector(n, seed: 3)
    var resumed = straight
    var s1 = optimizer.initialState(count: n)
    for g in grads { try optimizer.step(params: &straight, grads: g, state: &s1) }
    var s2 = optimizer.initialState(count: n)
    for g in grads[..<5] { try optimizer.step(params: &resumed, grads: g, state: &s2) }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("hone-state-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    try s2.write(to: file)
    var restored = try OptimizerState<Float>(contentsOf: file)
    #expect(restored == s2)
    for g in grads[5...] { try optimizer.step(params: &resumed, grads: g, state: &restored) }
    #expect(straight.map(\.bitPattern) == resumed.map(\.bitPattern))
    #expect(restored == s1)
  }

  @Test func corruptOrForeignStatesAreRejected() throws {
    let bytes = try Adam<Float>().initialState(count: 4).serialized()
    #expect(throws: OptimError.self) { try OptimizerState<Double>(serialized: bytes) }
    #expect(throws: OptimError.self) { try OptimizerState<Float>(serialized: Array(bytes.dropLast(3))) }
    #expect(throws: OptimError.self) { try OptimizerState<Float>(serialized: Array("not a state".utf8)) }
    #expect(throws: OptimError.self) { try OptimizerState<Float>(serialized: bytes + [0]) }
    // Found by fuzzing: a count larger than the file could hold aborted on a huge allocation;
    // nesting 100 deep could exhaust the stack on a larger file. Both are refused now.
    func le(_ values: [Int64]) -> [UInt8] { values.flatMap { v in withUnsafeBytes(of: v.littleEndian, Array.init) } }
    let header = Array("HONEOPT1".utf8) + [4]
    #expect(throws: OptimError.self) { try OptimizerState<Float>(serialized: header + le([3, 0, 0x7FFF_FFFF_FFFF_FF00])) }
    // An array whose byte size fits in Int while offset + size overflows (found the same way).
    #expect(throws: OptimError.self) { try OptimizerState<Float>(serialized: header + le([0, 0, 0, 0, 1, Int64.max / 4 - 1])) }
    let deep = header + (0..<100).flatMap { _ in le([0, 0, 0, 0, 0, 1]) } + le([0, 0, 0, 0, 0, 0])
    #expect(throws: OptimError.self) { try OptimizerState<Float>(serialized: deep) }
    let shallow = header + (0..<3).flatMap { _ in le([0, 0, 0, 0, 0, 1]) } + le([0, 0, 0, 0, 0, 0])
    #expect(try OptimizerState<Float>(serialized: shallow).children.count == 1)
  }

  @Test func badInputIsAClearError() throws {
    let adam = try Adam<Float>()
    var state = adam.initialState(count: 3)
    var p: [Float] = [1, 2, 3]
    #expect(throws: OptimError.self) { try adam.step(params: &p, grads: [1, 2], state: &state) }
    var other = adam.initialState(count: 4)
    #expect(throws: OptimError.self) { try adam.step(params: &p, grads: [1, 2, 3], state: &other) }
    #expect(p == [1, 2, 3] && state.step == 0)
    #expect(throws: OptimError.self) { try Adam<Float>(learningRate: -1e-3) }
    #expect(throws: OptimError.self) { try Adam<Float>(betas: (1.0, 0.999)) }
    #expect(throws: OptimError.self) { try Adam<Float>(betas: (0.9, -0.1)) }
    #expect(throws: OptimError.self) { try Lion<Float>(betas: (0.9, 1.5)) }
    #expect(throws: OptimError.self) { try SGD<Float>(momentum: 0, nesterov: true) }
    #expect(throws: OptimError.self) { try EXAdam<Float>(eps: -1) }
    #expect(throws: OptimError.self) { try ClipByGlobalNorm<Float>(0) }
    // A schedule that goes negative is caught at the step, before anything is written.
    let bad = try SGD<Float>(learningRate: Schedule { $0 == 0 ? 0.1 : -0.1 })
    var s = bad.initialState(count: 3)
    try bad.step(params: &p, grads: [1, 1, 1], state: &s)
    let before = p
    #expect(throws: OptimError.self) { try bad.step(params: &p, grads: [1, 1, 1], state: &s) }
    #expect(p == before)
  }

  @Test func nonFiniteGradientsPropagateByDefaultOrAreSkipped() throws {
    let adam = try Adam<Float>(learningRate: 0.1)
    var p: [Float] = [1, 2, 3]
    var state = adam.initialState(count: 3)
    try adam.step(params: &p, grads: [1, .nan, 1], state: &state)
    #expect(p[1].isNaN)  // as torch
    let guarded = ApplyIfFinite(adam)
    var q: [Float] = [1, 2, 3]
    var gs = guarded.initialState(count: 3)
    try guarded.step(params: &q, grads: [1, 1, 1], state: &gs)
    let afterOne = q
    try guarded.step(params: &q, grads: [1, .infinity, 1], state: &gs)
    try guarded.step(params: &q, grads: [.nan, 1, 1], state: &gs)
    #expect(q == afterOne && gs.step == 1 && gs.skippedSteps == 2)
    try guarded.step(params: &q, grads: [1, 1, 1], state: &gs)
    #expect(gs.step == 2 && q != afterOne)
  }

  @Test func clippingTransformations() throws {
    let clip = chain(try ClipByGlobalNorm<Double>(1), ScaleByLearningRate<Double>(1))
    var p: [Double] = [0, 0]
    var s = clip.initialState(count: 2)
    try clip.step(params: &p, grads: [3, 4], state: &s)
    #expect(abs(p[0] + 0.6) < 1e-15 && abs(p[1] + 0.8) < 1e-15)
    let byValue = chain(try ClipByValue<Double>(0.5), ScaleByLearningRate<Double>(1))
    var q: [Double] = [0, 0, 0]
    var t = byValue.initialState(count: 3)
    try byValue.step(params: &q, grads: [3, -4, 0.25], state: &t)
    #expect(q == [-0.5, 0.5, -0.25])
  }
}

@Suite struct ScheduleTests {
  @Test func schedulesFollowTheirFormulas() {
    #expect(Schedule.constant(0.1)(1000) == 0.1)
    let step = Schedule.step(0.1, stepSize: 30, gamma: 0.1)
    #expect(step(29) == 0.1 && abs(step(30) - 0.01) < 1e-15 && abs(step(65) - 0.001) < 1e-15)
    #expect(abs(Schedule.exponential(1, gamma: 0.9)(3) - 0.729) < 1e-15)
    let cosine = Schedule.cosine(1, decaySteps: 100, alpha: 0.1)
    #expect(cosine(0) == 1 && abs(cosine(50) - 0.55) < 1e-12 && abs(cosine(100) - 0.1) < 1e-12 && abs(cosine(500) - 0.1) < 1e-12)
    let warm = Schedule.warmupCosine(peak: 1, warmupSteps: 10, totalSteps: 110, end: 0)
    #expect(warm(0) == 0 && abs(warm(5) - 0.5) < 1e-15 && warm(10) == 1 && abs(warm(60) - 0.5) < 1e-12 && abs(warm(110)) < 1e-12)
    // torch.optim.lr_scheduler.OneCycleLR(max_lr=1, total_steps=100): 0.04 at the start,
    // 1.0 at step 29 (pct_start 0.3), 4e-6 at step 99.
    let one = Schedule.oneCycle(maxLR: 1, totalSteps: 100)
    #expect(abs(one(0) - 0.04) < 1e-12 && abs(one(29) - 1) < 1e-12 && abs(one(99) - 4e-6) < 1e-12)
  }

  @Test func cosinePowerAnnealingEdgesAndErrors() throws {
    let s = try Schedule.cosinePowerAnnealing(epochs: 50, maxLR: 0.1, minLR: 0.001)
    #expect(s(0) == 0.1 && s(49) == 0.001 && s(1000) == 0.001)
    #expect(throws: OptimError.self) { try Schedule.cosinePowerAnnealing(epochs: 1) }
    #expect(throws: OptimError.self) { try Schedule.cosinePowerAnnealing(epochs: 10, exponentOrder: 0.5) }
    #expect(throws: OptimError.self) { try Schedule.cosinePowerAnnealing(epochs: 10, warmupEpochs: 9) }
  }
}
