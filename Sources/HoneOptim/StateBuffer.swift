/// A named buffer of an optimizer state: its position in `OptimizerState.buffers` (and, for
/// 8-bit states, in `codes` and `scales`) and its name as torch's `state_dict` calls it
/// (`exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`, `momentum_buffer`). Each transformation
/// declares the buffers it keeps in its own file (`ScaleByAdam.expAvg`, `Trace.momentumBuffer`)
/// and reads its state through them, never through a bare index.
public struct StateBuffer: Sendable, Hashable, CustomStringConvertible {
  /// The position in the state's buffer list.
  public let index: Int
  /// The name, as torch's optimizer `state_dict` spells it.
  public let name: String

  /// Buffer `name` at position `index`.
  public init(_ index: Int, _ name: String) {
    precondition(index >= 0, "a state buffer's index is >= 0")
    self.index = index
    self.name = name
  }

  /// The name.
  public var description: String { name }
}

extension OptimizerState {
  /// Zero buffers of `length` elements, one per entry of `buffers` (whose indices must be
  /// 0, 1, … in order).
  public static func zeros(_ buffers: [StateBuffer], length: Int) -> OptimizerState {
    precondition(buffers.map(\.index) == Array(buffers.indices), "state buffers must be numbered 0, 1, … in order: \(buffers)")
    return zeros(buffers.count, length: length)
  }

  /// The full-precision buffer `buffer`.
  public subscript(_ buffer: StateBuffer) -> [Scalar] {
    get { buffers[buffer.index] }
    _modify { yield &buffers[buffer.index] }
  }

  /// Gives `body` the buffer `buffer` in place (see `withBuffer(_:_:)` by index).
  @inlinable
  public mutating func withBuffer<R>(_ buffer: StateBuffer, _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
    try withBuffer(buffer.index, body)
  }

  /// Gives `body` the buffers `a` and `b` in place.
  @inlinable
  public mutating func withBuffers<R>(_ a: StateBuffer, _ b: StateBuffer,
                                      _ body: (UnsafeMutableBufferPointer<Scalar>, UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
    try withBuffers(a.index, b.index, body)
  }

  /// The full-precision buffers by name, for inspection and comparison with torch's
  /// `optimizer.state_dict()["state"]`.
  public func named(_ names: [StateBuffer]) -> [String: [Scalar]] {
    Dictionary(uniqueKeysWithValues: names.filter { $0.index < buffers.count }.map { ($0.name, buffers[$0.index]) })
  }
}
