/// The state of an optimizer or gradient transformation: a step counter, numbered buffers
/// of the parameters' length (moments, momentum), 8-bit code buffers and per-block scales
/// for quantized states, and the states of the parts of a chain. One shape for every
/// optimizer, so that saving and restoring need no per-optimizer code.
public struct OptimizerState<Scalar: OptimizerScalar>: Equatable, Sendable {
  /// Completed steps.
  public var step: Int
  /// Steps skipped because the gradient was not finite (see `ApplyIfFinite`).
  public var skippedSteps: Int
  /// Full-precision buffers, each as long as the parameters (or empty when unused).
  public var buffers: [[Scalar]]
  /// 8-bit codes of quantized buffers.
  public var codes: [[UInt8]]
  /// Per-block absolute maxima of quantized buffers (float32, as bitsandbytes keeps them).
  public var scales: [[Float]]
  /// The states of a chain's parts, in order.
  public var children: [OptimizerState]
  /// Square matrices of a non-diagonal preconditioner (Shampoo's Kronecker factors and their
  /// inverse roots), row-major, each of its own size.
  public var matrices: [[Scalar]]

  /// A state with every field given.
  public init(step: Int = 0, skippedSteps: Int = 0, buffers: [[Scalar]] = [], codes: [[UInt8]] = [],
              scales: [[Float]] = [], children: [OptimizerState] = [], matrices: [[Scalar]] = []) {
    self.step = step
    self.skippedSteps = skippedSteps
    self.buffers = buffers
    self.codes = codes
    self.scales = scales
    self.children = children
    self.matrices = matrices
  }

  /// `count` zero buffers of `length` elements.
  public static func zeros(_ count: Int, length: Int) -> OptimizerState {
    // Zero bytes are 0.0 for Float and Double; filling raw memory avoids an element-by-element
    // initialization when this generic code is not specialized.
    let zero = [Scalar](unsafeUninitializedCapacity: length) { buffer, initialized in
      UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0)
      initialized = length
    }
    return OptimizerState(buffers: Array(repeating: zero, count: count))
  }

  /// Bytes held by the buffers, codes and scales (the state's memory, without overhead).
  public var byteCount: Int {
    buffers.reduce(0) { $0 + $1.count * MemoryLayout<Scalar>.stride } + codes.reduce(0) { $0 + $1.count }
      + scales.reduce(0) { $0 + $1.count * 4 } + children.reduce(0) { $0 + $1.byteCount }
      + matrices.reduce(0) { $0 + $1.count * MemoryLayout<Scalar>.stride }
  }

  /// Gives `body` buffer `index` in place. The buffer is moved out of the state for the call,
  /// so several can be open at once without copying or overlapping access.
  @inlinable
  public mutating func withBuffer<R>(_ index: Int, _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
    var buffer = buffers[index]
    buffers[index] = []
    defer { buffers[index] = buffer }
    return try buffer.withUnsafeMutableBufferPointer { try body($0) }
  }

  /// Gives `body` buffers `i` and `j` in place.
  @inlinable
  public mutating func withBuffers<R>(_ i: Int, _ j: Int,
                                      _ body: (UnsafeMutableBufferPointer<Scalar>, UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
    precondition(i != j, "withBuffers needs two different buffers")
    var a = buffers[i], b = buffers[j]
    buffers[i] = []
    buffers[j] = []
    defer {
      buffers[i] = a
      buffers[j] = b
    }
    return try a.withUnsafeMutableBufferPointer { pa in try b.withUnsafeMutableBufferPointer { pb in try body(pa, pb) } }
  }
}
