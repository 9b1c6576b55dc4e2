import Foundation
import Testing
import Hone

/// Typed, namespaced sampler and pruner state, and studies written before it: a database
/// made by the build of 5534e81 (`Fixtures/sampler-state-5534e81.db`: CMA-ES, GP, NSGA-II,
/// define-by-run TPE and ASHA studies, made with `hone ask`/`tell`/`intermediate` and `hone
/// serve`) loads, each sampler reads its old state, and the searches continue from it.
@Suite struct SamplerStateMigrationTests {
  static let space: [String: Distribution] = ["a": .float(low: -2, high: 2, log: false, step: nil), "k": .int(low: 0, high: 8, log: false, step: 1)]

  func fixture() throws -> SQLiteStorage {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sampler-state-5534e81.db")
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString).db")
    try FileManager.default.copyItem(at: source, to: copy)
    return try SQLiteStorage(path: copy.path)
  }

  @Test func oldStateIsReadAndTheSearchesContinue() throws {
    let storage = try fixture()
    // CMA-ES: the search stored as JSON text is read, and the next ask continues its generation.
    let cmaes = try Study.load(name: "cmaes", storage: storage, sampler: CMAESSampler(seed: 3), pruner: NopPruner())
    let stored = try cmaes.trials.compactMap { $0.state(CMAESSampler.searchState) }
    #expect(stored.count == 2 && stored.last!.search.current.generation == 2)
    #expect(try cmaes.trials.allSatisfy { $0.state(CMAESSampler.pointState) != nil })
    let next = try cmaes.ask(Self.space)
    let point = try #require(try storage.trial(id: next.id).state(CMAESSampler.pointState))
    #expect(point.tag == "0:2", "the search continues at generation 2, not afresh")
    #expect(try storage.trial(id: next.id).systemAttrs[CMAESSampler.trialKey]?.objectValue?["version"] == .int(1))

    // GP: the old fit is read and warm-starts the next one.
    let gp = try Study.load(name: "gp", storage: storage, sampler: GPSampler(seed: 3), pruner: NopPruner())
    let fits = try gp.trials.compactMap { $0.state(GPSampler.fitState) }
    #expect(fits.count == 2 && fits.allSatisfy { $0.space == "a,k" && $0.theta.count == 4 })
    let asked = try gp.ask(Self.space)
    #expect(try storage.trial(id: asked.id).state(GPSampler.fitState)?.theta.count == 4)

    // NSGA-II: the generations of old trials, and the parents stored in the study.
    let nsga2 = try Study.load(name: "nsga2", storage: storage, sampler: NSGAIISampler(seed: 3), pruner: NopPruner())
    #expect(try nsga2.trials.last!.state(NSGAIISampler.generationState) == 1)
    let bred = try nsga2.ask(Self.space)
    #expect(try storage.trial(id: bred.id).state(NSGAIISampler.generationState) == 1)

    // TPE: a define-by-run trial's relative sample, for the constant liar.
    let tpe = try Study.load(name: "tpe", storage: storage, sampler: TPESampler(seed: 3), pruner: NopPruner())
    #expect(try tpe.trials[12].state(TPESampler.relativeState)?.keys.sorted() == ["a", "k"])

    // ASHA: the rung values, kept in Optuna's layout.
    let asha = try Study.load(name: "asha", storage: storage, pruner: SuccessiveHalvingPruner())
    #expect(try asha.trials[1].state(StateKey<Double>("asha", "completed_rung_0", format: .optuna)) == 0.2)
  }

  /// A value of another version is no state (the sampler starts afresh); a value stored under
  /// a key's former name is read.
  @Test func versionsAndFormerNames() throws {
    let key = StateKey<[Double]>("toy", "point", version: 2, legacyKey: "toy_point")
    #expect(key.key == "toy:point")
    #expect(key.read([key.key: try key.encode([1, 2])]) == [1, 2])
    #expect(key.read(["toy:point": .object(["version": .int(1), "value": .array([.double(1)])])]) == nil)
    #expect(key.read(["toy_point": .array([.double(3)])]) == [3])
    #expect(key.read(["toy:point": .string("garbage")]) == nil)
    #expect(LearningCurvePruner.stoppedState.read(["learning_curve_stopped": .int(4)]) == 4)
  }
}
