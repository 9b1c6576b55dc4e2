import Foundation
import HoneCore
import Testing
@testable import HoneOptim

/// The sign of the update (signSGD, Bernstein et al. 2018): u ← sign(u). The toy
/// transformation of the README's "adding an optimizer".
struct ScaleBySign<Scalar: OptimizerScalar>: GradientTransformation {
  func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
              params: UnsafeBufferPointer<Scalar>) throws {
    for i in updates.indices { updates[i] = updates[i] > 0 ? 1 : (updates[i] < 0 ? -1 : 0) }
    state.step += 1
  }
}

/// Signum (Bernstein et al. 2018): the sign of SGD's momentum; a named optimizer that is only
/// its chain, without a fused kernel.
struct Signum<Scalar: OptimizerScalar>: NamedOptimizer {
  let learningRate: Schedule
  let trace: Trace<Scalar>
  init(learningRate: Schedule, momentum: Double) throws {
    trace = try Trace(momentum: momentum)
    self.learningRate = learningRate
  }
  var chained: Chain<Scalar> { chain(trace, ScaleBySign(), ScaleByLearningRate(learningRate)) }
}

@Suite struct OptimizerCatalogTests {
  static let catalog = Catalog(kind: "optimizer", OptimOptimizers.entries)

  /// A named optimizer added as one type plus one row works by name, keeps the named state
  /// its transformations declare, and steps as its chain.
  @Test func aToyOptimizerIsOneTypeAndOneRow() throws {
    let row = OptimizerEntry("signum", "Sign of the momentum", options: [CatalogOption("momentum", default: "0.9", "μ")]) { c, s in
      try Signum<Float>(learningRate: c.learningRate, momentum: s.double("momentum", default: 0.9))
    }
    let catalog = Self.catalog.adding([row])
    #expect(catalog.nameList.hasSuffix("or signum"))
    let optimizer = try catalog.make("signum", OptimizerContext(learningRate: .constant(0.01)), CatalogSettings(["momentum": "0.5"]))
    var params: [Float] = [1, -2, 0.5]
    var state = optimizer.initialState(count: 3)
    for _ in 0..<300 { try optimizer.step(params: &params, grads: params, state: &state) }
    #expect(params.allSatisfy { abs($0) <= 0.02 }, "\(params)")
    #expect(state.children[0].named([.momentumBuffer]).keys.sorted() == ["momentum_buffer"])
    #expect(throws: CatalogError.unknownSetting("--beta1 does not apply to signum, which takes --momentum")) {
      try catalog.make("signum", OptimizerContext(learningRate: 0.01), CatalogSettings(["beta1": "0.9"]))
    }
  }

  /// Every row's listed defaults are the defaults it builds with: the optimizer built with no
  /// settings and the one built with every default typed out take the same steps, bit for bit.
  /// A shape-aware row (Shampoo) is bound to a 50×100 matrix; a sharpness-aware row takes its
  /// two-gradient step.
  @Test(arguments: OptimOptimizers.entries.map(\.name)) func listedDefaultsAreTheBuiltOnes(name: String) throws {
    let entry = try Self.catalog.entry(name)
    let typed = CatalogSettings(Dictionary(uniqueKeysWithValues: entry.options.map { ($0.name, $0.defaultValue!) }))
    func run(_ settings: CatalogSettings) throws -> [Float] {
      var optimizer = try entry.make(OptimizerContext(learningRate: 1e-2), settings)
      let sam = optimizer as? SharpnessAwareOptimizer<Float>
      if let sam { optimizer = sam.base }
      if let shaped = optimizer as? any ShapeAwareOptimizer<Float> { optimizer = try shaped.forParameter(shape: [50, 100]) }
      var params = (0..<5000).map { Float($0 % 17) / 17 - 0.5 }
      var state = optimizer.initialState(count: params.count)
      for step in 0..<5 {
        // Gradients that change sign between steps, so that every moment's decay shows, and
        // depend on the parameters, so that SAM's perturbation shows.
        let gradient = { (p: [Float]) in p.indices.map { Float(sin(Double($0 + 3 * step))) + 0.5 * p[$0] } }
        if let sam {
          try SharpnessAwareOptimizer(base: optimizer, rho: sam.rho, adaptive: sam.adaptive)
            .step(params: &params, grads: gradient(params), state: &state, gradient: gradient)
        } else {
          try optimizer.step(params: &params, grads: gradient(params), state: &state)
        }
      }
      return params
    }
    let defaults = try run(CatalogSettings())
    #expect(try run(typed) == defaults, "\(name): the listed defaults differ from the built ones")
    // A different value of a setting changes the steps (the setting is read).
    for option in entry.options {
      let value: CustomStringConvertible = switch option.name {
      case "adaptive": "true"
      case "precondition-frequency", "max-preconditioner-dim": 1
      case let n where n.hasPrefix("beta") || n == "momentum": 0.5
      default: 0.25
      }
      #expect(try run(typed.with(option.name, value)) != defaults, "\(name): --\(option.name) is not read")
    }
  }

  /// The 8-bit rows keep 8-bit states, and their full-precision counterparts the same
  /// optimizer's 32-bit state under the same buffer names.
  @Test func eightBitRowsAndTheirFullPrecisionCounterparts() throws {
    for name in ["adam8bit", "adamw8bit", "lion8bit", "sgd8bit"] {
      let quantized = try Self.catalog.make(name, OptimizerContext(learningRate: 1e-3))
      let full = try Self.catalog.make(name, OptimizerContext(learningRate: 1e-3, fullPrecision: true))
      #expect(!quantized.initialState(count: 8192).codes.isEmpty && full.initialState(count: 8192).codes.isEmpty, "\(name)")
      #expect(quantized.stateBuffers == full.stateBuffers, "\(name)")
    }
  }

  /// States are read by name: Adam's buffers are torch's `exp_avg`, `exp_avg_sq` and
  /// (AMSGrad) `max_exp_avg_sq`, SGD's `momentum_buffer`; a fused optimizer and its chain keep
  /// the same buffers (flat in the one, in the transformation's child state in the other).
  @Test func namedState() throws {
    let adam = try Adam<Double>(learningRate: 0.1, amsgrad: true)
    var state = adam.initialState(count: 2)
    var chainState = adam.chained.initialState(count: 2)
    var p: [Double] = [1, -1], q: [Double] = [1, -1]
    try adam.step(params: &p, grads: [0.5, -2], state: &state)
    try adam.chained.step(params: &q, grads: [0.5, -2], state: &chainState)
    #expect(adam.stateBuffers.map(\.name) == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"])
    let scaling = chainState.children.firstIndex { !$0.buffers.isEmpty }!
    let fused = state.named(adam.stateBuffers), chained = chainState.children[scaling].named(adam.scaling.stateBuffers)
    #expect(fused.keys.sorted() == chained.keys.sorted())
    for (name, values) in fused { #expect(zip(values, chained[name]!).allSatisfy { abs($0 - $1) <= 1e-15 }, "\(name)") }
    #expect(zip(state[.expAvg], [0.05, -0.2]).allSatisfy { abs($0 - $1) < 1e-15 } && state[.maxExpAvgSq] == state[.expAvgSq])
    #expect(try SGD<Float>(momentum: 0.9).stateBuffers == [.momentumBuffer] && (try SGD<Float>()).stateBuffers.isEmpty)
  }
}
