import Foundation
import GRDB
import HoneTune

/// The encodings of Optuna's SQLite columns: datetimes as naive UTC text, JSON with Python's
/// non-finite tokens, and cells read without trusting their storage class.
enum _OptunaEncoding {
  // MARK: datetimes

  /// `'YYYY-MM-DD HH:MM:SS.ffffff'` in UTC, always six fractional digits: what Optuna 5
  /// writes (and every SQLAlchemy version parses).
  static func datetimeText(_ date: Date) -> String {
    let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    let seconds = floorDiv(micros, 1_000_000)
    let fraction = Int(micros - seconds * 1_000_000)
    let days = floorDiv(seconds, 86_400)
    let secondOfDay = Int(seconds - days * 86_400)
    let (year, month, day) = civil(fromDays: Int(days))
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(fraction, 6))"
  }

  /// The instant of an Optuna datetime: `YYYY-MM-DD HH:MM[:SS[.fff…]]`, with a space or `T`,
  /// optionally ending in `Z` or `±HH:MM`; naive times are taken as UTC. Nil when malformed.
  static func date(fromText text: String) -> Date? {
    let b = Array(text.utf8)
    var i = 0
    func digits(_ count: Int) -> Int? {
      guard i + count <= b.count else { return nil }
      var v = 0
      for k in i..<i + count {
        guard b[k] >= 48, b[k] <= 57 else { return nil }
        v = v * 10 + Int(b[k] - 48)
      }
      i += count
      return v
    }
    func skip(_ c: Character) -> Bool {
      guard i < b.count, b[i] == c.asciiValue! else { return false }
      i += 1
      return true
    }
    guard let year = digits(4), skip("-"), let month = digits(2), skip("-"), let day = digits(2),
          (1...12).contains(month), (1...31).contains(day) else { return nil }
    guard skip(" ") || skip("T"), let hour = digits(2), skip(":"), let minute = digits(2),
          hour < 24, minute < 60 else { return nil }
    var second = 0
    var fraction = 0.0
    if skip(":") {
      guard let s = digits(2), s < 61 else { return nil }
      second = s
      if skip(".") {
        var numerator = 0
        var denominator = 1
        let start = i
        while i < b.count, b[i] >= 48, b[i] <= 57 {
          if i - start < 9 {
            numerator = numerator * 10 + Int(b[i] - 48)
            denominator *= 10
          }
          i += 1
        }
        guard i > start else { return nil }
        fraction = Double(numerator) / Double(denominator)
      }
    }
    var offset = 0
    if skip("Z") {
    } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
      let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
      i += 1
      guard let h = digits(2) else { return nil }
      _ = skip(":")
      let m = digits(2) ?? 0
      offset = sign * (h * 3600 + m * 60)
    }
    guard i == b.count else { return nil }
    let seconds = days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    return Date(timeIntervalSince1970: Double(seconds) + fraction)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant, 2013, "chrono-
  /// compatible low-level date algorithms"). O(1).
  static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The date of a day count since 1970-01-01 (inverse of `days(fromCivil:)`).
  static func civil(fromDays count: Int) -> (year: Int, month: Int, day: Int) {
    let z = count + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }

  // MARK: JSON

  /// The prefix of the strings that stand for Python's non-finite tokens after
  /// `markingNonFiniteTokens`: a NUL, which no Optuna text holds unescaped.
  static let nonFiniteMarker = "\u{0}optuna:"

  /// Python's `json.dumps` writes non-finite floats as the bare tokens `NaN`, `Infinity` and
  /// `-Infinity`, which standard JSON (and `JSONValue.parse`) refuses. This parses `text`
  /// with each such token outside strings read as a marker string (`nonFiniteMarker` + the
  /// token), so callers decide what each becomes. O(length).
  static func parsePythonJSON(_ text: String) throws -> (value: JSONValue, nonFinite: Int) {
    var out: [UInt8] = []
    let b = Array(text.utf8)
    out.reserveCapacity(b.count)
    var count = 0
    var inString = false
    var i = 0
    while i < b.count {
      let c = b[i]
      if inString {
        out.append(c)
        if c == UInt8(ascii: "\\"), i + 1 < b.count {
          out.append(b[i + 1])
          i += 2
          continue
        }
        if c == UInt8(ascii: "\"") { inString = false }
        i += 1
        continue
      }
      if c == UInt8(ascii: "\"") {
        inString = true
        out.append(c)
        i += 1
        continue
      }
      var matched: String?
      for token in ["NaN", "Infinity", "-Infinity"] where b.count - i >= token.utf8.count && Array(b[i..<i + token.utf8.count]) == Array(token.utf8) {
        matched = token
      }
      if let token = matched {
        out.append(contentsOf: Array("\"\\u0000optuna:\(token)\"".utf8))
        i += token.utf8.count
        count += 1
        continue
      }
      out.append(c)
      i += 1
    }
    let value = try JSONValue.parse(count == 0 ? text : String(decoding: out, as: UTF8.self))
    return (value, count)
  }

  /// The Python token a marker string stands for (`NaN`, `Infinity`, `-Infinity`), else nil.
  static func nonFiniteToken(_ value: JSONValue) -> String? {
    guard case .string(let s) = value, s.hasPrefix(nonFiniteMarker) else { return nil }
    return String(s.dropFirst(nonFiniteMarker.count))
  }

  /// `value` with every marker string, at any depth, replaced by `null` (what Hone writes
  /// for a non-finite number).
  static func nullingNonFinite(_ value: JSONValue) -> JSONValue {
    switch value {
    case .string where nonFiniteToken(value) != nil: return .null
    case .array(let items): return .array(items.map(nullingNonFinite))
    case .object(let members): return .object(members.mapValues(nullingNonFinite))
    default: return value
    }
  }

  /// The double a marker stands for, or the number itself; nil for anything else.
  static func number(_ value: JSONValue) -> Double? {
    switch nonFiniteToken(value) {
    case "NaN": return .nan
    case "Infinity": return .infinity
    case "-Infinity": return -.infinity
    default: return value.doubleValue
    }
  }

  // MARK: cells

  /// A cell as an integer: an INTEGER, an integral REAL or a numeric TEXT; nil otherwise.
  static func int(_ cell: DatabaseValue) -> Int? {
    switch cell.storage {
    case .int64(let i): return Int(i)
    case .double(let d): return exactInt(d)
    case .string(let s): return Int(s)
    default: return nil
    }
  }

  /// A cell as a double: an INTEGER, a REAL or a numeric TEXT; nil otherwise.
  static func double(_ cell: DatabaseValue) -> Double? {
    switch cell.storage {
    case .int64(let i): return Double(i)
    case .double(let d): return d
    case .string(let s): return Double(s)
    default: return nil
    }
  }

  /// A cell as text: TEXT, or a UTF-8 BLOB; nil for NULL and numbers.
  static func text(_ cell: DatabaseValue) -> String? {
    switch cell.storage {
    case .string(let s): return s
    case .blob(let data): return String(data: data, encoding: .utf8)
    default: return nil
    }
  }

  /// `d` as an Int when it is a whole number within ±2^53 (where doubles are exact); else nil.
  static func exactInt(_ d: Double) -> Int? {
    guard d.isFinite, d == d.rounded(), abs(d) <= Distribution.exactIntegerLimit else { return nil }
    return Int(d)
  }
}
