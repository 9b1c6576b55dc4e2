import Foundation

/// Percent-encoding of query strings and form bodies (`application/x-www-form-urlencoded`).
enum URLQuery {
  private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

  /// A key or value made safe inside a query string.
  static func encode(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
  }

  /// `pairs` as a query string (without the `?`), each key and value encoded.
  static func string(_ pairs: [(String, String)]) -> String {
    pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
  }

  /// The last value given for `key`, nil when there is none.
  static func value(_ key: String, in pairs: [(String, String)]) -> String? { pairs.last { $0.0 == key }?.1 }

  /// The pairs of `a=1&b=x+y` in order, decoded (`+` is a space); malformed escapes are a
  /// `DashboardError.badRequest`.
  static func pairs(_ query: String) throws -> [(String, String)] {
    try query.split(separator: "&", omittingEmptySubsequences: true).map { item in
      let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      return (try decode(String(parts[0])), try decode(parts.count > 1 ? String(parts[1]) : ""))
    }
  }

  private static func decode(_ text: String) throws -> String {
    guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
      throw DashboardError.badRequest("malformed percent-encoding in '\(text.prefix(80))'")
    }
    return decoded
  }
}
