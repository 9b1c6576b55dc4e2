/// The per-column standardization of rows: z_j = (x_j − mean_j) / scale_j, with scale_j the
/// column's (population) standard deviation, or 1 for a column that is constant (≤ 1e-12).
public struct ColumnScaling: Sendable {
  /// The column means.
  public let means: [Double]
  /// The column standard deviations (1 for a constant column).
  public let scales: [Double]

  /// The scaling of these rows (all of one length, at least one row).
  public init(fitting rows: [[Double]]) {
    let n = Double(rows.count), d = rows[0].count
    let means = (0..<d).map { j in rows.reduce(0) { $0 + $1[j] } / n }
    self.means = means
    scales = (0..<d).map { j in
      let s = (rows.reduce(0) { $0 + ($1[j] - means[j]) * ($1[j] - means[j]) } / n).squareRoot()
      return s > 1e-12 ? s : 1
    }
  }

  /// One row, standardized.
  public func standardize(_ row: [Double]) -> [Double] { (0..<row.count).map { (row[$0] - means[$0]) / scales[$0] } }
}
