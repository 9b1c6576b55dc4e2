import Foundation
import Testing
import Hone

/// The README's Swift quick start, as written there (with a stand-in training function).
@Suite struct ReadmeExampleTests {
  /// A stand-in for one epoch of training: accuracy rises with epochs, best near lr = 1e-2.
  static func trainOneEpoch(lr: Double, optimizer: String, momentum: Double, epoch: Int) -> Double {
    let quality = exp(-pow(log10(lr) + 2, 2)) * (optimizer == "sgd" ? 0.9 + 0.1 * momentum : 1)
    return quality * (1 - exp(-Double(epoch + 1) / 5))
  }

  @Test func quickStartRuns() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-readme-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("hone.db").path

    let study = try Study(name: "mlp", storage: SQLiteStorage(path: path), direction: .maximize,
                          sampler: TPESampler(seed: 1), pruner: MedianPruner(), loadIfExists: true)
    try await study.optimize(trials: 40, concurrency: 2, trialTimeout: .seconds(600)) { trial in
      let lr = try trial.suggestFloat("lr", 1e-5...1e-1, log: true)
      let optimizer = try trial.suggestCategorical("optimizer", ["adamw", "lion", "sgd"])
      var momentum = 0.0
      if optimizer == "sgd" { momentum = try trial.suggestFloat("momentum", 0...0.99) }  // conditional
      var accuracy = 0.0
      for epoch in 0..<30 {
        accuracy = Self.trainOneEpoch(lr: lr, optimizer: optimizer, momentum: momentum, epoch: epoch)
        try trial.report(accuracy, step: epoch)
        if try trial.shouldPrune() { throw TrialPruned() }
      }
      return accuracy
    }
    let best = try study.bestTrial
    #expect(best.value! > 0.8)
    #expect(try study.trials.count == 40)
    #expect(try study.trials(states: [.pruned]).count > 0)

    let trial = try study.ask(["lr": .float(low: 1e-5, high: 0.1, log: true)])
    try study.tell(trial, 0.93)
    try study.enqueueTrial(["lr": .double(0.01)])
    try study.addTrial(TrialTemplate(state: .complete, params: ["lr": .double(0.02)],
                                     distributions: ["lr": .float(low: 1e-5, high: 0.1, log: true)], values: [0.91]))
    #expect(try study.trials.count == 43)
  }

  /// A stand-in model: accuracy grows with width, the parameter count with its square.
  static func trainAndMeasure(_ width: Int, _ dropout: Double) -> (Double, Double) {
    (1 - exp(-Double(width) / 64) * (1 - dropout / 2), Double(width) * Double(width) * 10)
  }

  /// The README's multi-objective example: NSGA-II with a constraint, the Pareto set and its hypervolume.
  @Test func severalObjectivesRun() async throws {
    let study = try Study(name: "pareto", directions: [.maximize, .minimize],
                          sampler: NSGAIISampler(seed: 7, populationSize: 20), pruner: NopPruner())
    try await study.optimize(trials: 200) { trial -> [Double] in
      let width = try trial.suggestInt("width", 16...512, log: true)
      let dropout = try trial.suggestFloat("dropout", 0...0.5)
      let (accuracy, parameters) = Self.trainAndMeasure(width, dropout)
      try trial.setConstraints([parameters - 1_000_000])  // feasible when ≤ 1M parameters
      return [accuracy, parameters]
    }
    let front = try study.bestTrials  // feasible, non-dominated
    let volume = hypervolume(front.map { [-$0.values![0], $0.values![1]] }, reference: [0, 2_000_000])
    #expect(!front.isEmpty && front.allSatisfy { $0.isFeasible })
    #expect(volume > 0)
  }

  @Test func trainingQuickStartRuns() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-readme-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }

    let (train, validation, test) = try Dataset.digits().split(seed: 0)   // 60/20/20, seeded
    let scaler = Standardizer(fitting: train)                               // fitted on train only
    let model = Sequential.mlp(inputs: 64, hidden: [256, 256], outputs: 10, dropout: 0.1, seed: 0)
    let options = TrainingOptions(epochs: 30, batchSize: 64,
                                  optimizer: OptimizerSpec("adamw", learningRate: .cosine(1e-3, decaySteps: 510)),
                                  earlyStoppingPatience: 5)
    let result = try await fit(model, on: scaler.transform(train), validation: scaler.transform(validation),
                               options: options) { report in
      print(report.epoch, report.validation!.accuracy)
      return .continue                      // a tuning trial reports here and returns .stop when pruned
    }
    print(result.bestEpoch, evaluate(model, on: scaler.transform(test)).accuracy)
    try model.save(to: folder.appendingPathComponent("digits.safetensors"))  // the README writes to the current folder

    var optimizer = try ParameterOptimizer(OptimizerSpec("lion", learningRate: 1e-4), model: model)
    let x = Tensor<Float>.randomNormal([32, 64], seed: 1)
    let (loss, gradients) = optimizer.valueWithGradient {
      crossEntropy(logits: model(x), labels: Array(repeating: 3, count: 32), labelSmoothing: 0.1)
    }
    try optimizer.step(gradients)          // gradients by name: gradients["layers.0.weight"]
    let g = gradient(at: Tensor<Double>([1, 2, 3])) { ($0 * $0).sum() }   // [2, 4, 6]

    #expect(evaluate(model, on: scaler.transform(test)).accuracy > 0.95)
    #expect(loss.isFinite && gradients["layers.0.weight"]?.shape == [256, 64])
    #expect(g.scalars == [2, 4, 6])
  }
}

/// The README's command-line quick start, run line by line as a shell user would (from a
/// folder that holds `examples/`); every line must succeed.
@Suite(.enabled(if: Examples.python != nil, "python3 is not on PATH: the README's tune line runs examples/train.py"))
struct ReadmeCommandLineTests {
  static func lines() throws -> [String] {
    let readme = try String(contentsOf: Examples.folder.deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
    let section = try #require(readme.range(of: "## Quick start: the command line\n\n```\n"))
    let block = readme[section.upperBound...].prefix { _ in true }
    let end = try #require(block.range(of: "```"))
    return block[..<end.lowerBound].split(separator: "\n").map { line in
      // A comment starts at "  # " (two spaces, so "#" inside an argument is safe).
      String(line.range(of: "  # ").map { line[..<$0.lowerBound] } ?? line[...]).trimmingCharacters(in: .whitespaces)
    }
  }

  @Test func everyLineRuns() throws {
    let hone = try CLIRunner()
    try FileManager.default.createSymbolicLink(at: hone.folder.appendingPathComponent("examples"), withDestinationURL: Examples.folder)
    let lines = try Self.lines()
    #expect(lines.count >= 15 && lines.allSatisfy { $0.hasPrefix("hone ") })
    for line in lines {
      let shell = Process()
      shell.executableURL = URL(fileURLWithPath: "/bin/sh")
      // The training line is shortened; everything else runs as printed.
      shell.arguments = ["-c", line.replacingOccurrences(of: "--epochs 30", with: "--epochs 2")]
      shell.currentDirectoryURL = hone.folder
      var environment = ProcessInfo.processInfo.environment
      environment["PATH"] = CLIRunner.binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
      environment["HONE_STORAGE"] = nil
      shell.environment = environment
      shell.standardInput = FileHandle.nullDevice
      let err = Pipe()
      shell.standardOutput = FileHandle.nullDevice
      shell.standardError = err
      try shell.run()
      let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      shell.waitUntilExit()
      #expect(shell.terminationStatus == 0, "\(line): \(message)")
    }
  }
}
