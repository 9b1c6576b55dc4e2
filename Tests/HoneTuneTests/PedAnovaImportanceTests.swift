import Foundation
import Testing
@testable import HoneTune

/// Replays `Fixtures/ped_anova.json` (made by `Fixtures/make_ped_anova.py` with Optuna's
/// `PedAnovaImportanceEvaluator`): three studies with float, log-float, stepped-float, int,
/// log-int and categorical parameters, minimizing and maximizing, with ties at the cutoff.
@Suite struct PedAnovaImportanceTests {
  struct Case {
    let name: String
    let minimize: Bool
    let trials: [FrozenTrial]
    let importances: [String: Double]
  }

  static func cases() throws -> [Case] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ped_anova.json")
    let file = try JSONValue.parse(String(contentsOf: url, encoding: .utf8))
    return file.objectValue!["cases"]!.arrayValue!.map { json in
      let c = json.objectValue!
      let distributions = c["distributions"]!.objectValue!.mapValues { p -> Distribution in
        let p = p.objectValue!
        let (low, high, log) = (p["low"]?.doubleValue, p["high"]?.doubleValue, p["log"] == .bool(true))
        switch p["type"]!.stringValue! {
        case "float": return .float(low: low!, high: high!, log: log, step: p["step"]?.doubleValue)
        case "int": return .int(low: Int(low!), high: Int(high!), log: log, step: Int(p["step"]!.doubleValue!))
        default: return .categorical(p["choices"]!.arrayValue!.map { ParamValue(json: $0)! })
        }
      }
      let trials = c["trials"]!.arrayValue!.enumerated().map { i, row in
        let params = row.objectValue!["params"]!.objectValue!
        return FrozenTrial(id: i, number: i, state: .complete, values: [row.objectValue!["value"]!.doubleValue!],
                           params: Dictionary(uniqueKeysWithValues: params.map { ($0.key, distributions[$0.key]!.coerce(ParamValue(json: $0.value)!)!) }),
                           distributions: distributions)
      }
      return Case(name: c["name"]!.stringValue!, minimize: c["direction"]!.stringValue! == "minimize", trials: trials,
                  importances: c["importances"]!.objectValue!.mapValues { $0.doubleValue! })
    }
  }

  @Test func matchesOptuna() throws {
    for c in try Self.cases() {
      let result = try PedAnovaImportance().importances(of: c.trials, direction: c.minimize ? .minimize : .maximize)
      #expect(result.map(\.name) == c.importances.sorted { $0.value > $1.value }.map(\.key), "\(c.name)")
      for (name, importance) in result {
        #expect(abs(importance - c.importances[name]!) <= 1e-9 * max(1, c.importances[name]!), "\(c.name) \(name): \(importance) vs \(c.importances[name]!)")
      }
    }
  }

  @Test func rejectsTooFewTrialsAndBadQuantiles() throws {
    let one = [FrozenTrial(id: 0, number: 0, state: .complete, values: [1], params: ["x": .double(0.5)],
                           distributions: ["x": .float(low: 0, high: 1)])]
    #expect(throws: TuneError.self) { try PedAnovaImportance().importances(of: one, direction: .minimize) }
    #expect(throws: TuneError.self) { try PedAnovaImportance(targetQuantile: 0.5, regionQuantile: 0.4) }
  }

  @Test func anIrrelevantParameterMattersLeast() async throws {
    let study = try Study(name: "importance", direction: .minimize, sampler: RandomSampler(seed: 3))
    try await study.optimize(trials: 100) { trial in
      let x = try trial.suggestFloat("x", -3...3)
      _ = try trial.suggestFloat("noise", 0...1)
      return x * x
    }
    let result = try study.parameterImportances()
    #expect(result.first?.name == "x")
    #expect(result.first!.importance > 0.8)
    #expect(abs(result.reduce(0) { $0 + $1.importance } - 1) < 1e-12)
  }
}
