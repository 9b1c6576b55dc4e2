/// The columns of a table of cells that come from the cells' networks rather than from the
/// table: `parameters` and `multiply_accumulates` (counted), `latency` (seconds, predicted
/// by a `LatencyTable` measured on this machine). They let `hone nas search` trade accuracy
/// for cost, next to the table's own metrics.
public enum CellCostColumns {
  /// The names.
  public static let names = ["latency", "parameters", "multiply_accumulates"]

  /// The column `name` for every cell string in `cells`, in the network of `shape`; `latency`
  /// needs `latencies`. Throws for another name or a string that is not a cell.
  public static func column(_ name: String, cells: some Sequence<String>, shape: CellNetworkShape,
                            latencies: LatencyTable?) throws -> [String: Double] {
    guard names.contains(name) else { throw NASError("'\(name)' is not a computed column; use \(names.joined(separator: ", "))") }
    var column: [String: Double] = [:]
    for text in cells {
      let operations = try CellSpace.operations(parsing: text)
      switch name {
      case "latency":
        guard let latencies else { throw NASError("the latency column needs a latency table") }
        column[text] = try latencies.predict(operations)
      case "parameters": column[text] = Double(shape.cost(of: operations).parameters)
      default: column[text] = Double(shape.cost(of: operations).multiplyAccumulates)
      }
    }
    return column
  }
}
