import Foundation
import HoneTune

/// What the trial table shows: filters, order and page, read from the query string
/// (`state`, `param` with `pmin`/`pmax` or `pvalue`, `vmin`/`vmax` on objective `objective`,
/// `sort` — `number`, `value`, `state`, `duration`, `start`, `param:<name>`, `user:<key>` —
/// with `order` `asc` or `desc`, `page` from 1, `per_page` up to 500, and `column` for each
/// user attribute shown as a column). Anything malformed is a `DashboardError.badRequest`.
struct TrialQuery: Equatable {
  var states: Set<TrialState> = []
  var param: String?
  var paramMin: Double?, paramMax: Double?
  var paramValue: String?
  var objective = 0
  var valueMin: Double?, valueMax: Double?
  var sort = "number"
  var descending = false
  var page = 1
  var perPage = 50
  var columns: [String] = []

  static let maxPerPage = 500

  init() {}

  /// Reads the query; `pairs` in the order given (a key may repeat).
  init(_ pairs: [(String, String)]) throws {
    for (key, value) in pairs where !value.isEmpty {
      switch key {
      case "state":
        guard let state = TrialState(rawValue: value) else {
          throw DashboardError.badRequest("state must be one of \(TrialState.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'")
        }
        states.insert(state)
      case "param": param = value
      case "pmin": paramMin = try Self.number(key, value)
      case "pmax": paramMax = try Self.number(key, value)
      case "pvalue": paramValue = value
      case "vmin": valueMin = try Self.number(key, value)
      case "vmax": valueMax = try Self.number(key, value)
      case "objective": objective = try Self.integer(key, value, in: 0...1000)
      case "sort":
        guard ["number", "value", "state", "duration", "start"].contains(value) || value.hasPrefix("param:") || value.hasPrefix("user:") else {
          throw DashboardError.badRequest("sort must be number, value, state, duration, start, param:<name> or user:<key>, not '\(value)'")
        }
        sort = value
      case "order":
        guard value == "asc" || value == "desc" else { throw DashboardError.badRequest("order must be asc or desc, not '\(value)'") }
        descending = value == "desc"
      case "page": page = try Self.integer(key, value, in: 1...Int(Int32.max))
      case "per_page": perPage = try Self.integer(key, value, in: 1...Self.maxPerPage)
      case "column": columns += value.split(separator: ",").map(String.init).filter { !columns.contains($0) }
      default: break  // other keys (such as `part`) belong to the page, not the query
      }
    }
    if (paramMin != nil || paramMax != nil || paramValue != nil) && param == nil {
      throw DashboardError.badRequest("pmin, pmax and pvalue need param, the parameter they filter")
    }
  }

  private static func number(_ key: String, _ text: String) throws -> Double {
    guard let x = Double(text), x.isFinite else { throw DashboardError.badRequest("\(key) must be a finite number, not '\(text)'") }
    return x
  }

  private static func integer(_ key: String, _ text: String, in range: ClosedRange<Int>) throws -> Int {
    guard let n = Int(text), range.contains(n) else {
      throw DashboardError.badRequest("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
    }
    return n
  }

  /// The trials that pass the filters, in the requested order.
  func select(_ trials: [FrozenTrial]) -> [FrozenTrial] {
    let kept = trials.filter(matches)
    guard sort != "number" else { return descending ? kept.reversed() : kept }
    // Trials without a key (no value, no such parameter) come last in either order; ties go
    // by number. Indices are sorted, not trials, so the sort moves no reference counts.
    let keys = kept.map(sortKey)
    let numbers = keys.compactMap { $0?.number }
    let order: [Int]
    if numbers.count == keys.count {
      // The common case, every key a number: compared as plain doubles.
      order = kept.indices.sorted { a, b in
        let (x, y) = (numbers[a], numbers[b])
        return x != y ? (descending ? x > y : x < y) : a < b
      }
    } else {
      order = kept.indices.sorted { a, b in
        switch (keys[a], keys[b]) {
        case let (x?, y?): return x != y ? (descending ? x > y : x < y) : a < b
        case (nil, nil): return a < b
        case (_?, nil): return true
        case (nil, _?): return false
        }
      }
    }
    return order.map { kept[$0] }
  }

  func matches(_ trial: FrozenTrial) -> Bool {
    if !states.isEmpty && !states.contains(trial.state) { return false }
    if let param {
      guard let value = trial.param(param) else { return false }
      if let wanted = paramValue, value.description != wanted { return false }
      if paramMin != nil || paramMax != nil {
        guard let x = value.doubleValue else { return false }
        if let lo = paramMin, x < lo { return false }
        if let hi = paramMax, x > hi { return false }
      }
    }
    if valueMin != nil || valueMax != nil {
      guard let values = trial.values, values.indices.contains(objective) else { return false }
      if let lo = valueMin, !(values[objective] >= lo) { return false }
      if let hi = valueMax, !(values[objective] <= hi) { return false }
    }
    return true
  }

  /// The value the table is sorted by (numbers compare as numbers, text as text).
  private func sortKey(_ trial: FrozenTrial) -> SortKey? {
    switch sort {
    case "value": return trial.values.flatMap { $0.indices.contains(objective) && !$0[objective].isNaN ? .number($0[objective]) : nil }
    case "state": return .text(trial.state.rawValue)
    case "duration": return trial.duration.map(SortKey.number)
    case "start": return trial.datetimeStart.map { .number($0.timeIntervalSince1970) }
    default:
      if sort.hasPrefix("param:") {
        return trial.param(String(sort.dropFirst(6))).map { $0.doubleValue.map(SortKey.number) ?? .text($0.description) }
      }
      return trial.userAttrs[String(sort.dropFirst(5))].map { $0.doubleValue.map(SortKey.number) ?? .text($0.description) }
    }
  }

  /// The query string of this query with some keys changed (nil removes one): for the links
  /// of the table's headers and pages.
  func queryString(_ changes: [String: String?] = [:]) -> String {
    var pairs: [(String, String)] = states.sorted { $0.rawValue < $1.rawValue }.map { ("state", $0.rawValue) }
    if let param { pairs.append(("param", param)) }
    if let paramMin { pairs.append(("pmin", "\(paramMin)")) }
    if let paramMax { pairs.append(("pmax", "\(paramMax)")) }
    if let paramValue { pairs.append(("pvalue", paramValue)) }
    if objective != 0 { pairs.append(("objective", "\(objective)")) }
    if let valueMin { pairs.append(("vmin", "\(valueMin)")) }
    if let valueMax { pairs.append(("vmax", "\(valueMax)")) }
    if sort != "number" { pairs.append(("sort", sort)) }
    if descending { pairs.append(("order", "desc")) }
    if page != 1 { pairs.append(("page", "\(page)")) }
    if perPage != 50 { pairs.append(("per_page", "\(perPage)")) }
    for column in columns { pairs.append(("column", column)) }
    for (key, value) in changes {
      pairs.removeAll { $0.0 == key }
      if let value { pairs.append((key, value)) }
    }
    return pairs.isEmpty ? "" : "?" + URLQuery.string(pairs)
  }
}

/// A sort key: numbers before text.
enum SortKey: Comparable {
  case number(Double)
  case text(String)

  /// The number, nil for text.
  var number: Double? {
    switch self {
    case .number(let x): x
    case .text: nil
    }
  }
}
