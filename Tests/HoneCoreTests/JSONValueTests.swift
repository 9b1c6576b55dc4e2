import Foundation
import Testing
@testable import HoneCore

@Suite struct JSONValueTests {
  /// A parse error says where, as a field and in its one line.
  @Test func errorsCarryTheirPosition() {
    do {
      _ = try JSONValue.parse(#"{"a" 1}"#)
      Issue.record("parsed")
    } catch let error as JSONError {
      #expect(error.position == 6 && error.reason == "expected ':'" && error.description == "expected ':' at character 6")
    } catch {
      Issue.record("\(error)")
    }
  }

  /// Any JSON value survives a round trip through `Codable`.
  @Test func codableRoundTrip() throws {
    let value: JSONValue = .object(["a": .array([.int(1), .double(2.5), .null, .bool(false)]), "b": "text"])
    let data = try JSONEncoder().encode(value)
    #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
  }

  @Test func parsesAndPrints() throws {
    let v = try JSONValue.parse(#"{"a": [1, 2.0, -3e2, true, null, "x\"y\u00e9\n"], "b": {}}"#)
    #expect(v == .object(["a": .array([.int(1), .double(2), .double(-300), .bool(true), .null, .string("x\"yé\n")]), "b": .object([:])]))
    #expect(try JSONValue.parse(v.description) == v)
    #expect(JSONValue.double(0.1).description == "0.1")
    #expect(JSONValue.double(2).description == "2.0")
  }

  @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1 2", "{\"a\":1,\"a\":2}", "01x"])
  func rejectsMalformed(text: String) {
    #expect(throws: JSONError.self) { try JSONValue.parse(text) }
  }
}
