import Testing
@testable import HoneTune

@Suite struct DistributionTests {
  @Test(arguments: [
    (Distribution.float(low: 2, high: 1), "must not exceed"),
    (.float(low: 0, high: 1, log: true), "needs low > 0"),
    (.float(low: 0, high: 1, step: 0.3), "does not divide"),
    (.float(low: 1, high: 2, log: true, step: 0.5), "cannot be used together"),
    (.float(low: 0, high: .infinity), "finite"),
    (.int(low: 5, high: 1), "must not exceed"),
    (.int(low: 0, high: 10, log: true), "low >= 1"),
    (.int(low: 0, high: 10, step: 3), "does not divide"),
    (.int(low: 0, high: 10, step: 0), "at least 1"),
    (.int(low: 0, high: Int.max), "2^53"),
    (.int(low: -1, high: Int.max), "2^53"),
    (.float(low: 0, high: 1e19, step: 1), "2^53"),
    (.float(low: -1e308, high: 1e308), "finite"),
    (.categorical([]), "at least one choice"),
    (.categorical([.string("a"), .string("a")]), "duplicates"),
  ])
  func invalidDistributionsAreRejected(distribution: Distribution, message: String) {
    #expect {
      try distribution.validate(name: "x")
    } throws: { error in
      guard case TuneError.invalidDistribution(let text) = error else { return false }
      return text.contains(message) && text.contains("'x'")
    }
  }

  @Test func unitMapCoversEveryValue() {
    let d = Distribution.int(low: 2, high: 10, step: 2)
    let values = Set(stride(from: 0.0, to: 1.0, by: 0.001).map { d.value(atUnit: $0) })
    #expect(values == Set([2, 4, 6, 8, 10].map(ParamValue.int)))
    let f = Distribution.float(low: 0, high: 1, step: 0.25)
    #expect(Set(stride(from: 0.0, to: 1.0, by: 0.01).map { f.value(atUnit: $0) }) == Set([0, 0.25, 0.5, 0.75, 1].map(ParamValue.double)))
    let logInt = Distribution.int(low: 1, high: 1000, log: true)
    let xs = stride(from: 0.0, to: 1.0, by: 0.0001).map { logInt.value(atUnit: $0) }
    #expect(xs.allSatisfy(logInt.contains))
    #expect(xs.contains(.int(1)) && xs.contains(.int(1000)))
    let logFloat = Distribution.float(low: 1e-5, high: 1e-1, log: true)
    #expect(logFloat.value(atUnit: 0.5).doubleValue! > 0.9e-3 && logFloat.value(atUnit: 0.5).doubleValue! < 1.1e-3)
  }

  @Test func internalRepresentationRoundTrips() throws {
    let c = Distribution.categorical([.string("adam"), .int(3), .double(0.5), .bool(true)])
    for choice in [ParamValue.string("adam"), .int(3), .double(0.5), .bool(true)] {
      #expect(c.value(fromInternal: try c.internalValue(of: choice)) == choice)
    }
    #expect(throws: TuneError.self) { try c.internalValue(of: .string("sgd")) }
    let i = Distribution.int(low: 0, high: 8, step: 2)
    #expect(i.coerce(.double(4)) == .int(4))
    #expect(i.coerce(.int(3)) == nil)
    #expect(Distribution.float(low: 0, high: 1).coerce(.int(1)) == .double(1))
  }

  @Test func spaceJSONParses() throws {
    let space = try Distribution.space(fromJSON: """
      {"lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": true}, "layers": {"type": "int", "low": 1, "high": 4, "step": 1},
       "opt": {"type": "categorical", "choices": ["adam", "sgd", 1, 2.5, false]}, "p": {"type": "float", "low": 0, "high": 1, "step": 0.1}}
      """)
    #expect(space["lr"] == .float(low: 1e-5, high: 0.1, log: true))
    #expect(space["layers"] == .int(low: 1, high: 4))
    #expect(space["opt"] == .categorical([.string("adam"), .string("sgd"), .int(1), .double(2.5), .bool(false)]))
    #expect(space["p"] == .float(low: 0, high: 1, step: 0.1))
    for d in space.values { #expect(try Distribution(json: d.json) == d) }
  }

  @Test(arguments: [
    "{\"x\": {\"type\": \"floot\", \"low\": 0, \"high\": 1}}",
    "{\"x\": {\"type\": \"float\", \"low\": 0}}",
    "{\"x\": {\"type\": \"int\", \"low\": 0.5, \"high\": 2}}",
    "{\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1, \"lg\": true}}",
    "{\"x\": {\"type\": \"categorical\", \"choices\": [[1]]}}",
    "{\"x\": 3}",
    "[1, 2]",
    "{}",
    "{\"x\": {\"type\": \"float\", \"low\": 0, \"high\": 1}",
  ])
  func malformedSpacesAreRejected(text: String) {
    #expect(throws: TuneError.self) { try Distribution.space(fromJSON: text) }
  }
}

