import Testing
@testable import HoneTune

@Suite struct FrozenTrialTests {
  @Test func copiesAreIndependentValuesThatCompareAndHashByTheirFields() {
    let original = FrozenTrial(id: 1, number: 0, state: .running, params: ["x": .double(0.5)],
                               distributions: ["x": .float(low: 0, high: 1, log: false, step: nil)])
    var copy = original
    #expect(copy == original && copy.hashValue == original.hashValue)
    copy.params["y"] = .int(3)
    copy.intermediateValues[2] = 0.25
    copy.state = .complete
    #expect(original.params == ["x": .double(0.5)] && original.intermediateValues.isEmpty && original.state == .running)
    #expect(copy.params.count == 2 && copy.intermediateValues == [2: 0.25] && copy.state == .complete)
    #expect(copy != original)
    // Equal fields in separate boxes are equal, with equal hashes.
    var rebuilt = FrozenTrial(id: 1, number: 0, state: .complete, params: ["x": .double(0.5), "y": .int(3)],
                              distributions: ["x": .float(low: 0, high: 1, log: false, step: nil)])
    rebuilt.intermediateValues = [2: 0.25]
    #expect(rebuilt == copy && rebuilt.hashValue == copy.hashValue)
  }
}
