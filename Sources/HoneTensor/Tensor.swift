/// An n-dimensional array of `Float` or `Double` in row-major order, with value semantics
/// (copy-on-write storage) and reverse-mode automatic differentiation.
///
/// Operations on tensors that are being differentiated (see `valueWithGradient`) record
/// themselves in a graph held by their results; all other tensors carry no graph and cost
/// nothing extra. Shape mismatches stop the program with a message that names the operation
/// and both shapes, as array index errors do. A tensor whose graph is being recorded belongs
/// to one task; tensors without a graph may be shared freely.
public struct Tensor<Scalar: TensorScalar>: @unchecked Sendable {
  /// The size of each dimension; `[]` for a scalar.
  public let shape: [Int]
  /// The elements.
  var storage: TensorStorage<Scalar>
  /// The graph vertex when the tensor is tracked for differentiation.
  var node: _GradientNode<Scalar>?

  init(shape: [Int], storage: TensorStorage<Scalar>, node: _GradientNode<Scalar>? = nil) {
    self.shape = shape
    self.storage = storage
    self.node = node
  }

  /// A tensor of the given shape from its elements in row-major order.
  public init(shape: [Int], scalars: [Scalar]) {
    let count = _elementCount(shape)
    precondition(count == scalars.count, "Tensor(shape:scalars:): shape \(shape) needs \(count) elements, got \(scalars.count)")
    self.init(shape: shape, storage: scalars.withUnsafeBufferPointer { TensorStorage(copying: $0) })
  }

  /// A vector.
  public init(_ scalars: [Scalar]) { self.init(shape: [scalars.count], scalars: scalars) }

  /// A matrix from its rows (all of one length).
  public init(_ rows: [[Scalar]]) {
    let columns = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == columns }, "Tensor(rows): rows of different lengths")
    self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
  }

  /// A scalar (rank 0).
  public init(_ value: Scalar) { self.init(shape: [], scalars: [value]) }

  /// A tensor of the given shape filled with `value`.
  public init(repeating value: Scalar, shape: [Int]) {
    self.init(shape: shape, storage: TensorStorage(repeating: value, count: _elementCount(shape)))
  }

  /// A tensor whose elements are written by `body` (every element must be written).
  public init(shape: [Int], unsafeUninitialized body: (UnsafeMutableBufferPointer<Scalar>) throws -> Void) rethrows {
    let storage = TensorStorage<Scalar>(uninitializedCount: _elementCount(shape))
    try body(storage.buffer)
    self.init(shape: shape, storage: storage)
  }

  /// The number of dimensions.
  public var rank: Int { shape.count }
  /// The number of elements.
  public var count: Int { storage.count }
  /// The elements in row-major order.
  public var scalars: [Scalar] { Array(UnsafeBufferPointer(storage.buffer)) }
  /// The only element of a one-element tensor.
  public var scalar: Scalar {
    precondition(count == 1, "scalar: the tensor has shape \(shape), not one element")
    return storage.base[0]
  }
  /// The rows of a matrix.
  public var rows: [[Scalar]] {
    precondition(rank == 2, "rows: the tensor has shape \(shape), not a matrix")
    let columns = shape[1]
    return (0..<shape[0]).map { r in Array(UnsafeBufferPointer(start: storage.base + r * columns, count: columns)) }
  }

  /// True when the tensor is recorded for differentiation.
  public var isTracked: Bool { node != nil }

  /// The same values with no graph: gradients do not flow through the result.
  public var detached: Tensor { Tensor(shape: shape, storage: storage) }

  /// Reads the elements.
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
    try body(UnsafeBufferPointer(storage.buffer))
  }

  /// Writes the elements in place (copying them first if the storage is shared). Not
  /// recorded: use it on tensors that are not being differentiated (parameters between steps).
  public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
    if !isKnownUniquelyReferenced(&storage) { storage = TensorStorage(copying: UnsafeBufferPointer(storage.buffer)) }
    return try body(storage.buffer)
  }

  /// The element at a multi-dimensional index.
  public subscript(_ index: Int...) -> Scalar {
    precondition(index.count == rank, "subscript: \(index.count) indices for shape \(shape)")
    var offset = 0
    for (i, n) in zip(index, shape) {
      precondition(i >= 0 && i < n, "subscript: index \(index) out of shape \(shape)")
      offset = offset * n + i
    }
    return storage.base[offset]
  }
}

/// The number of elements of a shape (1 for a scalar).
func _elementCount(_ shape: [Int]) -> Int {
  var count = 1
  for n in shape {
    precondition(n >= 0, "negative dimension in shape \(shape)")
    count *= n
  }
  return count
}

extension Tensor: CustomStringConvertible {
  /// The shape and (up to 16) elements.
  public var description: String {
    let shown = scalars.prefix(16).map { "\($0)" }.joined(separator: ", ")
    return "Tensor(shape: \(shape), [\(shown)\(count > 16 ? ", …" : "")])"
  }
}

extension Tensor: Equatable {
  /// Equal shapes and elements (the graph is ignored).
  public static func == (a: Tensor, b: Tensor) -> Bool { a.shape == b.shape && a.scalars == b.scalars }
}
