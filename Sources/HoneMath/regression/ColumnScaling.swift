/// The per-column standardization of rows: z_j = (x_j − mean_j) / scale_j, with scale_j the
/// column's (population) standard deviation from `meanAndStandardDeviation`, or 1 for a
/// column that is constant (≤ 1e-12).
public struct ColumnScaling: Sendable {
  /// The column means.
  public let means: [Double]
  /// The column standard deviations (1 for a constant column).
  public let scales: [Double]

  /// The scaling of these rows (all of one length, at least one row).
  public init(fitting rows: [[Double]]) {
    let columns = (0..<rows[0].count).map { j in meanAndStandardDeviation(rows.map { $0[j] }) }
    means = columns.map(\.mean)
    scales = columns.map { $0.standardDeviation > 1e-12 ? $0.standardDeviation : 1 }
  }

  /// One row, standardized.
  public func standardize(_ row: [Double]) -> [Double] { (0..<row.count).map { (row[$0] - means[$0]) / scales[$0] } }
}
