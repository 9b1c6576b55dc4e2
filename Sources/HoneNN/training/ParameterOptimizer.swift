import HoneOptim
import HoneTensor

/// An optimizer bound to a module's trainable parameters (PyTorch's `optimizer(model.parameters())`):
/// one optimizer state per parameter, keyed by its dotted name; parameters that ask for a
/// full-precision state get the 32-bit counterpart of an 8-bit optimizer, and a shape-aware
/// optimizer (`Shampoo`) is bound to each parameter's shape. A sharpness-aware row
/// (`sam-sgd`, `sam-adamw`) binds its base optimizer and sets `sharpnessAware`, which `fit`
/// reads to take the two-gradient step.
public struct ParameterOptimizer {
  /// The parameters in traversal order, with their names.
  public let parameters: [(name: String, parameter: Parameter)]
  /// The optimizer for each parameter.
  private let optimizers: [any Optimizer<Float>]
  /// The optimizer state of each parameter, by name.
  public private(set) var states: [String: OptimizerState<Float>]
  /// SAM's radius ρ and whether it is adaptive (ASAM), when the spec names a sharpness-aware row.
  public let sharpnessAware: (rho: Double, adaptive: Bool)?

  /// Binds `spec` to the trainable parameters of `model`.
  public init(_ spec: OptimizerSpec, model: some Module) throws {
    parameters = model.trainableParameters()
    var regular = try spec.make()
    var full = try spec.make(fullPrecision: true)
    if let sam = regular as? SharpnessAwareOptimizer<Float> {
      sharpnessAware = (sam.rho, sam.adaptive)
      regular = sam.base
      full = (full as? SharpnessAwareOptimizer<Float>)?.base ?? full
    } else {
      sharpnessAware = nil
    }
    optimizers = try parameters.map { _, parameter in
      let optimizer = parameter.keepsFullPrecisionState ? full : regular
      guard let shaped = optimizer as? any ShapeAwareOptimizer<Float> else { return optimizer }
      return try shaped.forParameter(shape: parameter.value.shape)
    }
    var states: [String: OptimizerState<Float>] = [:]
    for ((name, p), optimizer) in zip(parameters, optimizers) { states[name] = optimizer.initialState(count: p.value.count) }
    self.states = states
  }

  /// The bytes held by the optimizer states.
  public var stateBytes: Int { states.values.reduce(0) { $0 + $1.byteCount } }

  /// One step of every parameter that has a gradient (parameters without one are left alone,
  /// as PyTorch skips a parameter whose `grad` is None). The gradients are consumed: their
  /// buffers serve as the optimizers' scratch space.
  public mutating func step(_ gradients: consuming ModuleGradients) throws {
    for ((name, parameter), optimizer) in zip(parameters, optimizers) {
      guard var g = gradients.removeValue(forKey: name) else { continue }
      try parameter.value.withUnsafeMutableBufferPointer { p in
        try g.withUnsafeMutableBufferPointer { gp in try optimizer.step(params: p, grads: gp, state: &states[name]!) }
      }
    }
  }

  /// One sharpness-aware step (SAM, Foret et al. 2021; ASAM, Kwon et al. 2021 with
  /// `adaptive`): with g the gradient at w over all parameters, move to w + e where
  /// e = ρ·g/(‖g‖ + 10⁻¹²) (ASAM: e = ρ·w²·g/(‖|w|·g‖ + 10⁻¹²)), take the gradient there with
  /// `recompute` (which re-evaluates the loss), restore w and step with that gradient. The
  /// norm, scale and perturbation are HoneOptim's `SharpnessAwarePerturbation`: float32
  /// arithmetic rounded as torch rounds it (per-tensor norms, then the norm of the norms).
  public mutating func sharpnessAwareStep(rho: Double, adaptive: Bool = false, gradients: ModuleGradients,
                                          recompute: () throws -> ModuleGradients) throws {
    var norms: [Float] = []
    for (name, parameter) in parameters {
      guard let g = gradients[name] else { continue }
      norms.append(parameter.value.withUnsafeBufferPointer { w in
        g.withUnsafeBufferPointer { gb in SharpnessAwarePerturbation.norm(params: w, grads: gb, adaptive: adaptive) }
      })
    }
    guard !norms.isEmpty else { return try step(recompute()) }
    let scale = SharpnessAwarePerturbation.scale(rho: rho, norm: SharpnessAwarePerturbation.norm(ofNorms: norms))
    let saved = parameters.map(\.parameter.value)
    for (name, parameter) in parameters {
      guard let g = gradients[name] else { continue }
      var w = parameter.value
      w.withUnsafeMutableBufferPointer { wb in
        g.withUnsafeBufferPointer { gb in SharpnessAwarePerturbation.perturb(wb, grads: gb, scale: scale, adaptive: adaptive) }
      }
      parameter.value = w
    }
    let perturbed = try recompute()
    for ((_, parameter), value) in zip(parameters, saved) { parameter.value = value }
    try step(perturbed)
  }
}

/// The gradients of a module's trainable parameters, by dotted name.
public typealias ModuleGradients = [String: Tensor<Float>]

/// The loss computed by `body` and its gradient with respect to every trainable parameter of
/// `model` (reverse mode). The parameters are tracked only while `body` runs; no graph is
/// kept afterwards. (`ParameterOptimizer.valueWithGradient` does the same without finding
/// the parameters again each step.)
public func valueWithGradient<M: Module>(of model: M, _ body: (M) throws -> Tensor<Float>) rethrows
  -> (value: Float, gradients: ModuleGradients) {
  try _valueWithGradient(model.trainableParameters()) { try body(model) }
}

/// The loss computed by `body` and its gradient with respect to `parameters` (which need not
/// belong to one module: DARTS differentiates with respect to its architecture weights and the
/// network's weights together).
public func valueWithGradient(at parameters: [(name: String, parameter: Parameter)], _ body: () throws -> Tensor<Float>) rethrows
  -> (value: Float, gradients: ModuleGradients) {
  try _valueWithGradient(parameters, body)
}

extension ParameterOptimizer {
  /// The loss computed by `body` and its gradient with respect to the bound parameters.
  public func valueWithGradient(_ body: () throws -> Tensor<Float>) rethrows -> (value: Float, gradients: ModuleGradients) {
    try _valueWithGradient(parameters, body)
  }
}

/// Tracks `parameters`, runs `body`, back-propagates and untracks them again (also on error).
func _valueWithGradient(_ parameters: [(name: String, parameter: Parameter)], _ body: () throws -> Tensor<Float>) rethrows
  -> (value: Float, gradients: ModuleGradients) {
  for (_, p) in parameters { p.value = p.value.tracked() }
  let loss: Tensor<Float>
  do { loss = try body() } catch {
    for (_, p) in parameters { p.value = p.value.detached }
    throw error
  }
  precondition(loss.count == 1, "valueWithGradient: the loss has shape \(loss.shape); it must be a scalar")
  loss.backward()
  var gradients: ModuleGradients = [:]
  gradients.reserveCapacity(parameters.count)
  for (name, p) in parameters {
    gradients[name] = p.value.gradient ?? Tensor(repeating: 0, shape: p.value.shape)
    p.value = p.value.detached
  }
  return (loss.scalar, gradients)
}
