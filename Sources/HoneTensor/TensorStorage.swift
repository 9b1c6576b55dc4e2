/// The heap buffer behind a tensor. Tensors share it until one of them is written
/// (copy-on-write, checked with `isKnownUniquelyReferenced`).
final class TensorStorage<Scalar: TensorScalar>: @unchecked Sendable {
  /// The first element.
  let base: UnsafeMutablePointer<Scalar>
  /// The number of elements.
  let count: Int

  /// An uninitialized buffer of `count` elements (the caller writes every element).
  init(uninitializedCount count: Int) {
    self.count = count
    base = _BufferPool.allocate(bytes: count * MemoryLayout<Scalar>.stride).bindMemory(to: Scalar.self, capacity: count)
  }

  /// A buffer of `count` copies of `value`.
  convenience init(repeating value: Scalar, count: Int) {
    self.init(uninitializedCount: count)
    _fillKernel(base, count, value)
  }

  /// A copy of `source`.
  convenience init(copying source: UnsafeBufferPointer<Scalar>) {
    self.init(uninitializedCount: source.count)
    if let address = source.baseAddress { base.initialize(from: address, count: source.count) }
  }

  deinit { _BufferPool.release(UnsafeMutableRawPointer(base), bytes: count * MemoryLayout<Scalar>.stride) }

  /// The elements as a buffer.
  var buffer: UnsafeMutableBufferPointer<Scalar> { UnsafeMutableBufferPointer(start: base, count: count) }
}
