/// A dense row-major matrix of `Double`, the storage behind the BLAS/LAPACK wrappers.
///
/// Element (i, j) lives at `elements[i * columns + j]`. Products, Cholesky factorization and
/// triangular solves are in `Matrix+BLAS.swift` and `Cholesky.swift`.
public struct Matrix: Equatable, Sendable, Codable {
  /// Number of rows.
  public let rows: Int
  /// Number of columns.
  public let columns: Int
  /// The entries, row after row.
  public var elements: [Double]

  /// A `rows × columns` matrix filled with `value`.
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
    self.rows = rows
    self.columns = columns
    self.elements = [Double](repeating: value, count: rows * columns)
  }

  /// A matrix from its entries in row-major order.
  public init(rows: Int, columns: Int, elements: [Double]) {
    precondition(elements.count == rows * columns,
                 "a \(rows)×\(columns) matrix needs \(rows * columns) elements, got \(elements.count)")
    self.rows = rows
    self.columns = columns
    self.elements = elements
  }

  /// A matrix from nested rows; all rows must have the same length.
  public init(_ nestedRows: [[Double]]) {
    let width = nestedRows.first?.count ?? 0
    precondition(nestedRows.allSatisfy { $0.count == width }, "all rows must have the same length")
    self.init(rows: nestedRows.count, columns: width, elements: nestedRows.flatMap { $0 })
  }

  /// The n × n identity.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m[i, i] = 1 }
    return m
  }

  /// Entry (i, j).
  @inlinable public subscript(i: Int, j: Int) -> Double {
    get { elements[i * columns + j] }
    set { elements[i * columns + j] = newValue }
  }

  /// The transpose.
  public var transposed: Matrix {
    var t = Matrix(rows: columns, columns: rows)
    for i in 0..<rows { for j in 0..<columns { t[j, i] = self[i, j] } }
    return t
  }

  /// The diagonal entries.
  public var diagonal: [Double] { (0..<min(rows, columns)).map { self[$0, $0] } }
}
