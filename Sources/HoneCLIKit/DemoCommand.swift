import ArgumentParser
import Foundation
import Hone

/// `hone demo`: tunes an MLP on the bundled digits data as a real study (see `DigitsTuning`)
/// with the GP sampler and the learning-curve pruner, shows its progress, prints the chosen
/// trial with its test accuracy, and writes the HTML report. Running it again continues the
/// study unless `--fresh`.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Tune an MLP on the bundled digits data (a real study in ./hone.db) and write hone-report.html.")
  @Option(name: .customLong("storage"), help: "Storage URL (default: $HONE_STORAGE, else sqlite:///hone.db).") var storageURL: String?
  var storage: String { storageURL ?? storageFromEnvironment() }
  @Option(help: "The study's name.") var study = "digits-mlp"
  @Option(parsing: .unconditional, help: "Trials to run now.") var trials = 40
  @Option(parsing: .unconditional, help: "Epochs of a trial that is not pruned.") var epochs = 30
  @Option(help: ArgumentHelp("Sampler: \(Catalogs.samplers.nameList) (default gp).")) var sampler = "gp"
  @Option(help: ArgumentHelp("Pruner: \(Catalogs.pruners.nameList) (default learning-curve).")) var pruner = "learning-curve"
  @Option(parsing: .unconditional, help: "Trials run at once.") var jobs = 1
  @Option(parsing: .unconditional, help: "Seed of the sampler.") var seed: UInt64 = 1
  @Option(help: "Where to write the HTML report (\"\" for none).") var report = "hone-report.html"
  @Flag(help: "Delete the study first instead of continuing it.") var fresh = false
  @Flag(help: "End with one JSON line of the result.") var json = false

  func validate() throws {
    guard trials >= 1 else { throw ValidationError("--trials must be at least 1, got \(trials)") }
    guard epochs >= 2 else { throw ValidationError("--epochs must be at least 2, got \(epochs)") }
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
  }

  func run() async throws {
    let started = ContinuousClock.now
    let chosenSampler = try Catalogs.sampler(sampler, seed: seed, space: ConditionalSpace(DigitsTuning.space))
    let chosenPruner = try Catalogs.pruner(pruner, directions: [.maximize])
    let tuning = try DigitsTuning(epochs: epochs)
    let store = try Catalogs.storage(storage)
    if fresh, (try? store.studyID(name: study)) != nil { try Study.delete(name: study, storage: store) }
    let study = try Study(name: study, storage: store, direction: .maximize, sampler: chosenSampler,
                          pruner: chosenPruner, loadIfExists: true)
    let before = try study.trials.count
    print(before > 0 ? "continuing study \(study.name) in \(storage) (\(before) trials so far; --fresh starts over)"
                     : "study \(study.name) in \(storage): \(trials) trials of up to \(epochs) epochs, \(sampler) sampler, \(pruner) pruner")
    printDashboardHint(storage: storage)
    try recordSearchSettings(study, sampler: sampler, pruner: pruner)
    fflush(nil)
    let progress = StudyProgress(total: trials)
    try await study.optimize(trials: trials, concurrency: jobs, callbacks: [progress.callback]) { try await tuning.objective($0) }
    progress.finish()

    let all = try study.trials
    let best = try study.bestTrial
    let pruned = all.filter { $0.state == .pruned }
    let epochsRun = all.reduce(0) { $0 + ($1.lastIntermediateValue?.step ?? 0) }
    let epochsSaved = pruned.reduce(0) { $0 + epochs - ($1.lastIntermediateValue?.step ?? 0) }
    let (validationAccuracy, testAccuracy) = try await tuning.testAccuracy(of: best.params)
    print("\(all.count) trials: \(all.filter { $0.state == .complete }.count) complete, \(pruned.count) pruned, "
      + "\(all.filter { $0.state == .failed }.count) failed; pruning saved \(epochsSaved) of \(epochsRun + epochsSaved) epochs")
    print("best trial #\(best.number): " + best.params.keys.sorted().map { "\($0)=\(best.params[$0]!)" }.joined(separator: " "))
    print(String(format: "validation accuracy %.4f, test accuracy %.4f (the test data was read only now)", validationAccuracy, testAccuracy))
    if !report.isEmpty {
      try StudyReport(study: study).write(to: report)
      print("report: \(report)")
    }
    if json {
      printJSON(.object(["best_trial": .int(best.number), "val_accuracy": .double(best.value!), "test_accuracy": .double(testAccuracy),
                         "trials": .int(all.count), "pruned": .int(pruned.count), "seconds": .double((ContinuousClock.now - started).seconds)]))
    }
  }
}
