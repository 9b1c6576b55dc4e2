import Foundation
import HoneTune

/// A tabular benchmark of any space: a CSV whose parameter columns describe a configuration
/// (an architecture's choices, or hyperparameters) and whose metric columns hold what it
/// scored. Each parameter column becomes a categorical of its distinct values (numbers when
/// every value is one, else strings), so `ParameterSpace` spans the table's grid; a lookup is
/// one dictionary access.
public struct ParameterTable: Sendable {
  /// The space of the parameter columns.
  public let space: ParameterSpace
  /// The metric columns, in the order asked for.
  public let metrics: [String]
  /// Each row's metric values (in `metrics` order), by the row's point.
  public let rows: [ParameterSpace.Point: [Double]]

  /// Reads `url`: `metrics` name the metric columns (numbers); `parameters` name the
  /// parameter columns, by default every other column. A repeated configuration keeps its
  /// first row.
  public init(contentsOf url: URL, metrics: [String], parameters: [String]? = nil) throws {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw NASError("cannot read \(url.path)") }
    // "\r\n" is one Character in Swift: split on any line break.
    let lines = text.split(whereSeparator: \.isNewline)
    guard let headerLine = lines.first else { throw NASError("\(url.path) is empty") }
    let header = headerLine.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard Set(header).count == header.count else { throw NASError("\(url.path) repeats a column name in its header") }
    guard !metrics.isEmpty else { throw NASError("name at least one metric column") }
    func index(_ name: String) throws -> Int {
      guard let k = header.firstIndex(of: name) else { throw NASError("no column '\(name)'; the table has \(header.joined(separator: ", "))") }
      return k
    }
    let metricIndices = try metrics.map(index)
    let parameterNames = parameters ?? header.filter { !metrics.contains($0) }
    guard !parameterNames.isEmpty else { throw NASError("\(url.path) has no parameter column besides the metrics") }
    let parameterIndices = try parameterNames.map(index)
    guard Set(parameterIndices).isDisjoint(with: metricIndices) else { throw NASError("a column cannot be a parameter and a metric") }

    var cells: [[String]] = []
    for (row, line) in lines.dropFirst().enumerated() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard fields.count == header.count else { throw NASError("\(url.path) line \(row + 2): \(fields.count) fields, the header has \(header.count)") }
      cells.append(fields)
    }
    guard !cells.isEmpty else { throw NASError("\(url.path) has no rows") }
    var distributions: [String: Distribution] = [:]
    var decode: [String: [String: ParamValue]] = [:]
    for (name, k) in zip(parameterNames, parameterIndices) {
      let texts = Array(Set(cells.map { $0[k] })).sorted()
      let numbers = texts.compactMap { Double($0) }
      let values: [ParamValue] = numbers.count == texts.count
        ? numbers.map { $0 == $0.rounded() && abs($0) < 1e15 ? .int(Int($0)) : .double($0) }
        : texts.map { .string($0) }
      distributions[name] = .categorical(values)
      decode[name] = Dictionary(uniqueKeysWithValues: zip(texts, values))
    }
    let space = try ParameterSpace(distributions)
    var rows: [ParameterSpace.Point: [Double]] = [:]
    for (row, fields) in cells.enumerated() {
      let values = try metricIndices.map { k -> Double in
        guard let v = Double(fields[k]), v.isFinite else {
          throw NASError("\(url.path) line \(row + 2): '\(fields[k])' in \(header[k]) is not a finite number")
        }
        return v
      }
      var params: [String: ParamValue] = [:]
      for (name, k) in zip(parameterNames, parameterIndices) { params[name] = decode[name]![fields[k]] }
      let point = try space.architecture(from: params)
      if rows[point] == nil { rows[point] = values }
    }
    (self.space, self.metrics, self.rows) = (space, metrics, rows)
  }
}
