/// An optimizer: one step updates the parameters in place from their gradients, reading and
/// writing its state. Named optimizers (`SGD`, `Adam`, `Lion`, `EXAdam`, the 8-bit ones)
/// conform with a fused single-pass kernel; every `GradientTransformation` conforms by
/// turning the gradient into an update and adding it.
///
/// The configuration is an immutable value; the state is separate and explicit (as in optax,
/// Babuschkin et al. 2020, "The DeepMind JAX Ecosystem"), so it can be saved, restored and
/// shared between threads without locks.
public protocol Optimizer<Scalar>: Sendable {
  /// The element type.
  associatedtype Scalar: OptimizerScalar
  /// The buffers its state keeps, by name (none by default).
  var stateBuffers: [StateBuffer] { get }
  /// A fresh state for `count` parameters (by default, a zero buffer per `stateBuffers` entry).
  func initialState(count: Int) -> OptimizerState<Scalar>
  /// One step: `params` updated in place. `grads` may be used as scratch space.
  /// Buffer lengths are checked by `step(params:grads:state:)`, which calls this.
  func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
             state: inout OptimizerState<Scalar>) throws
}

extension Optimizer {
  /// Implements `Optimizer.stateBuffers`: none.
  public var stateBuffers: [StateBuffer] { [] }

  /// Implements `Optimizer.initialState`: zero buffers named by `stateBuffers`.
  public func initialState(count: Int) -> OptimizerState<Scalar> { .zeros(stateBuffers, length: count) }

  /// One step on `params` from `grads` (which may be overwritten as scratch space).
  /// Throws `OptimError.sizeMismatch` when the lengths differ from each other or from the
  /// state's, before anything is written.
  public func step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                   state: inout OptimizerState<Scalar>) throws {
    guard params.count == grads.count else {
      throw OptimError.sizeMismatch("\(params.count) parameters but \(grads.count) gradients")
    }
    try _SizeCheck.state(state, count: params.count)
    try _step(params: params, grads: grads, state: &state)
  }

  /// One step on arrays; `grads` is left unchanged.
  public func step(params: inout [Scalar], grads: [Scalar], state: inout OptimizerState<Scalar>) throws {
    var scratch = grads
    try params.withUnsafeMutableBufferPointer { p in
      try scratch.withUnsafeMutableBufferPointer { g in try step(params: p, grads: g, state: &state) }
    }
  }
}

enum _SizeCheck {
  /// Every non-empty full-precision buffer of the state (and of its children) has `count` elements.
  static func state<S>(_ state: OptimizerState<S>, count: Int) throws {
    for buffer in state.buffers where !buffer.isEmpty && buffer.count != count {
      throw OptimError.sizeMismatch("the optimizer state was made for \(buffer.count) parameters, not \(count)")
    }
    for code in state.codes where !code.isEmpty && code.count != count {
      throw OptimError.sizeMismatch("the optimizer state was made for \(code.count) parameters, not \(count)")
    }
    for child in state.children { try self.state(child, count: count) }
  }
}

/// A gradient transformation (optax's building block): maps gradients to updates in place,
/// reading and writing its state. Chained with `chain`, transformations define optimizers;
/// applying one as an `Optimizer` adds the final update to the parameters.
public protocol GradientTransformation<Scalar>: Optimizer {
  /// Turns `updates` (the gradients on entry) into the transformed updates, in place.
  func update(_ updates: UnsafeMutableBufferPointer<Scalar>, state: inout OptimizerState<Scalar>,
              params: UnsafeBufferPointer<Scalar>) throws
}

extension GradientTransformation {
  /// One optimizer step: updates = transform(grads), then params += updates.
  public func _step(params: UnsafeMutableBufferPointer<Scalar>, grads: UnsafeMutableBufferPointer<Scalar>,
                    state: inout OptimizerState<Scalar>) throws {
    try update(grads, state: &state, params: UnsafeBufferPointer(params))
    for i in 0..<params.count { params[i] += grads[i] }
  }
}
