import Testing
@testable import HoneTune

@Suite struct ParameterReaderTests {
  let reader = ParameterReader(
    names: ["lr", "a_parameter_name_longer_than_fifteen_bytes", "optimizer", "width", "ζ"],
    distributions: [.float(low: 1e-5, high: 1, log: true, step: nil), .float(low: 0, high: 1, log: false, step: 0.25),
                    .categorical([.string("sgd"), .string("adam")]), .int(low: 1, high: 8, log: false, step: 1),
                    .float(low: -1, high: 1, log: false, step: nil)])

  @Test func readsEveryColumnWhateverTheNameLengthAndIgnoresOtherParameters() {
    var row = [Double](repeating: .nan, count: 5)
    // Built the way storage builds them (names from the user, not the reader's own strings).
    let long = String("a_parameter_name_longer_than_" + "fifteen_bytes")
    let params: [String: ParamValue] = ["width": .int(4), "optimizer": .string("adam"), long: .double(0.75),
                                        "lr": .double(0.01), "ζ": .double(-0.5), "unrelated": .int(3)]
    #expect(reader.read(params, into: &row))
    #expect(row == [0.01, 0.75, 1, 4, -0.5])
    for name in reader.names { #expect(reader.column(of: String(name.reversed().reversed())) == reader.names.firstIndex(of: name)) }
    #expect(reader.column(of: "unrelated") == nil)
  }

  @Test func refusesMissingParametersAndValuesOutsideTheirDistribution() {
    var row = [Double](repeating: 0, count: 5)
    let complete: [String: ParamValue] = ["lr": .double(0.01), "a_parameter_name_longer_than_fifteen_bytes": .double(0.5),
                                          "optimizer": .string("sgd"), "width": .int(2), "ζ": .double(0)]
    #expect(reader.read(complete, into: &row))
    #expect(!reader.read(complete.filter { $0.key != "width" }, into: &row))
    #expect(!reader.read(complete.merging(["lr": .double(2)]) { $1 }, into: &row))
    #expect(!reader.read(complete.merging(["optimizer": .string("lion")]) { $1 }, into: &row))
    #expect(!reader.read(complete.merging(["a_parameter_name_longer_than_fifteen_bytes": .double(0.3)]) { $1 }, into: &row))
  }
}
