import HoneMath
import HoneTensor

/// One optimizer in a comparison: a display name and the optimizer (with its learning rate).
public struct Contender: Sendable {
  /// The name in tables and plots (usually the catalog name).
  public var name: String
  /// The optimizer.
  public var optimizer: OptimizerSpec

  /// A contender.
  public init(_ name: String, optimizer: OptimizerSpec) {
    self.name = name
    self.optimizer = optimizer
  }
}

/// How a comparison trains and measures.
public struct ComparisonSettings: Sendable {
  /// The architecture every contender trains (an MLP or the CNN).
  public var model: ModelSpec
  /// Passes over the training data.
  public var epochs: Int
  /// Examples per step.
  public var batchSize: Int
  /// The seed of the initial weights and of the batch order, shared by every contender.
  public var seed: UInt64
  /// Power iterations for the top Hessian eigenvalue.
  public var eigenIterations: Int
  /// Rademacher vectors for the Hessian trace.
  public var traceSamples: Int
  /// Record per-example losses after every step and look for opposing signals.
  public var opposingSignals: Bool
  /// USEFUL or nothing, for every contender.
  public var upsampling: Upsampling?

  /// Settings with 30 epochs, batches of 64, 20 power iterations and 20 trace samples.
  public init(model: ModelSpec, epochs: Int = 30, batchSize: Int = 64, seed: UInt64 = 0, eigenIterations: Int = 20,
              traceSamples: Int = 20, opposingSignals: Bool = false, upsampling: Upsampling? = nil) {
    self.model = model
    self.epochs = epochs
    self.batchSize = batchSize
    self.seed = seed
    self.eigenIterations = eigenIterations
    self.traceSamples = traceSamples
    self.opposingSignals = opposingSignals
    self.upsampling = upsampling
  }
}

/// A measured quantity of one parameter or layer.
public struct LayerValue: Sendable, Codable, Equatable {
  /// The parameter's dotted name (`layers.0.weight`) or the layer's.
  public var layer: String
  /// The value.
  public var value: Double
}

/// Per-example losses through training and the opposing signals found in them.
public struct OpposingSignalRecord: Sendable {
  /// The optimizer step after which each record point was taken (0: before training).
  public var steps: [Int]
  /// The training loss of every example at each record point.
  public var losses: [[Float]]
  /// The pairs found (`OpposingSignals.find`).
  public var pairs: [OpposingSignalPair]
  /// The top Hessian eigenvalue of the training loss after each epoch.
  public var sharpnessByEpoch: [Double]
  /// Steps per epoch (to place the epochs on the steps axis).
  public var stepsPerEpoch: Int

  /// The share of the training loss held by pair `k`'s examples at each record point.
  public func share(ofPair k: Int) -> [Double] {
    OpposingSignals.lossShare(losses: losses, examples: pairs[k].first + pairs[k].second)
  }

  /// The mean share of pair `k` in the epochs whose sharpness rose most from the epoch before
  /// (the `spikes` largest rises), and its mean share over the whole run.
  public func shareAroundSharpnessSpikes(ofPair k: Int, spikes: Int = 3) -> (atSpikes: Double, overall: Double) {
    let share = share(ofPair: k)
    let overall = share.reduce(0, +) / Double(Swift.max(share.count, 1))
    let rises = sharpnessByEpoch.indices.dropFirst().map { (epoch: $0, rise: sharpnessByEpoch[$0] - sharpnessByEpoch[$0 - 1]) }
    let top = rises.filter { $0.rise > 0 }.sorted { $0.rise > $1.rise }.prefix(spikes).map(\.epoch)
    var values: [Double] = []
    for epoch in top {
      let range = (epoch * stepsPerEpoch)...((epoch + 1) * stepsPerEpoch)
      values += zip(steps, share).filter { range.contains($0.0) }.map(\.1)
    }
    return (values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count), overall)
  }
}

/// What one optimizer's solution is like.
public struct SolutionMeasurements: Sendable {
  /// The contender's name.
  public var name: String
  /// The training history (train loss; validation loss and accuracy per epoch).
  public var history: [EpochReport]
  /// Test loss and accuracy.
  public var test: Evaluation
  /// The mean training loss at the solution (evaluation mode, whole training set).
  public var trainLoss: Double
  /// ‖W‖_F of every trainable parameter.
  public var weightNorms: [LayerValue]
  /// The top eigenvalue of the Hessian of the training loss.
  public var sharpness: Double
  /// Hutchinson's estimate of the Hessian's trace, and its standard error.
  public var hessianTrace: (value: Double, standardError: Double)
  /// The effective rank of every weight matrix (parameters of rank ≥ 2, as out × rest).
  public var weightRanks: [LayerValue]
  /// The effective rank of the penultimate representation of the test set.
  public var representationRank: Double
  /// The fraction of zero activations of each hidden activation layer on the test set.
  public var sparsity: [LayerValue]
  /// The examples USEFUL upsampled (empty without it).
  public var upsampled: [Int]
  /// Seconds of training.
  public var seconds: Double
  /// Opposing signals, when recorded.
  public var opposingSignals: OpposingSignalRecord?
  /// The solution's flat parameters.
  public var parameters: [Float]
  /// The penultimate representation of the test set.
  public var representation: Tensor<Float>
}

/// Two solutions side by side.
public struct SolutionPair: Sendable {
  /// The contenders' indices.
  public var first: Int, second: Int
  /// The training loss along the straight line between the solutions.
  public var barrier: LossBarrier
  /// Linear CKA of their penultimate representations of the test set.
  public var cka: Double
}

/// The outcome of `compareOptimizers`.
public struct OptimizerComparison: Sendable {
  /// One entry per contender that trained to the end, in the order given.
  public var solutions: [SolutionMeasurements]
  /// Every pair of those (i < j, indices into `solutions`).
  public var pairs: [SolutionPair]
  /// The contenders whose training diverged, with the message.
  public var diverged: [(name: String, message: String)] = []
}

/// Trains the same model from the same initial weights, on the same batches, with each
/// contender, then measures every solution: test loss and accuracy, weight norms, the top
/// Hessian eigenvalue and trace of the training loss (`Sharpness`), effective ranks of the
/// weights and of the penultimate representation, activation sparsity (`Representations`),
/// and for every pair the loss barrier between them (`LossBarrier`) and the linear CKA of
/// their representations ("Optimizers Qualitatively Alter Solutions And We Should Leverage
/// This", Pascanu et al. 2025, asks for these comparisons). A contender whose loss diverges is
/// listed in `diverged` and the others go on; when every one diverges, that is the error.
public func compareOptimizers(_ contenders: [Contender], train: Dataset, validation: Dataset, test: Dataset,
                              settings: ComparisonSettings,
                              progress: (String) -> Void = { _ in }) async throws -> OptimizerComparison {
  guard !contenders.isEmpty else { throw NNError.invalidArgument("name at least one optimizer to compare") }
  let classes = Swift.max(train.classCount, validation.classCount, test.classCount, 2)
  var solutions: [SolutionMeasurements] = []
  var diverged: [(name: String, message: String)] = []
  for contender in contenders {
    progress("training with \(contender.name)")
    let model = try settings.model.make(inputs: train.featureCount, classes: classes, seed: settings.seed)
    do {
      solutions.append(try await measure(contender, model: model, train: train, validation: validation, test: test, settings: settings))
    } catch NNError.diverged(let message) {
      progress("\(contender.name) diverged: \(message)")
      diverged.append((contender.name, message))
    }
  }
  guard !solutions.isEmpty else {
    throw NNError.diverged("every optimizer diverged: " + diverged.map { "\($0.name): \($0.message)" }.joined(separator: "; "))
  }
  let reference = try settings.model.make(inputs: train.featureCount, classes: classes, seed: settings.seed)
  let flat = FlatParameters(reference)
  var pairs: [SolutionPair] = []
  for i in solutions.indices {
    for j in solutions.indices where j > i {
      let barrier = LossBarrier(from: solutions[i].parameters, to: solutions[j].parameters) { w in
        flat.set(w)
        return evaluate(reference, on: train).loss
      }
      pairs.append(SolutionPair(first: i, second: j, barrier: barrier,
                                cka: Representations.linearCKA(solutions[i].representation, solutions[j].representation)))
    }
  }
  return OptimizerComparison(solutions: solutions, pairs: pairs, diverged: diverged)
}

/// Trains `model` with one contender and measures its solution.
private func measure(_ contender: Contender, model: Sequential, train: Dataset, validation: Dataset, test: Dataset,
                     settings: ComparisonSettings) async throws -> SolutionMeasurements {
  let options = TrainingOptions(epochs: settings.epochs, batchSize: settings.batchSize, optimizer: contender.optimizer,
                                restoreBest: false, seed: settings.seed, upsampling: settings.upsampling)
  let flat = FlatParameters(model)
  let gradient = flat.gradientFunction { crossEntropy(logits: model(train.features), labels: train.labels) }
  let stepsPerEpoch = (train.count + settings.batchSize - 1) / settings.batchSize
  var record = settings.opposingSignals
    ? OpposingSignalRecord(steps: [0], losses: [trainingLosses(model, train)], pairs: [], sharpnessByEpoch: [], stepsPerEpoch: stepsPerEpoch)
    : nil
  var eigenvector: [Float]?
  var stepsDone = 0
  let clock = ContinuousClock()
  let start = clock.now
  let result = try await fit(model, on: train, validation: validation, options: options, onEpoch: { _ in
    if record != nil {
      let top = Sharpness.topEigenvalue(gradient: gradient, at: flat.values, iterations: 8, seed: settings.seed, start: eigenvector)
      eigenvector = top.vector
      record!.sharpnessByEpoch.append(top.value)
      model.train()
    }
    return .continue
  }, onBatch: { _, _ in
    stepsDone += 1
    if record != nil {
      record!.steps.append(stepsDone)
      record!.losses.append(trainingLosses(model, train))
      model.train()
    }
  })
  let seconds = (clock.now - start).seconds
  model.eval()
  let w = flat.values
  let top = Sharpness.topEigenvalue(gradient: gradient, at: w, iterations: settings.eigenIterations, seed: settings.seed)
  let trace = Sharpness.trace(gradient: gradient, at: w, samples: settings.traceSamples, seed: settings.seed)
  let (hidden, penultimate) = Representations.layerOutputs(model, features: test.features)
  var weightRanks: [LayerValue] = []
  for (name, p) in flat.parameters where p.value.rank >= 2 {
    let rows = p.value.shape[0]
    weightRanks.append(LayerValue(layer: name, value: try Representations.effectiveRank(p.value.scalars, rows: rows, columns: p.value.count / rows)))
  }
  let activationNames = hiddenActivationNames(model)
  if record != nil { record!.pairs = try OpposingSignals.find(losses: record!.losses) }
  return SolutionMeasurements(
    name: contender.name, history: result.history, test: evaluate(model, on: test), trainLoss: evaluate(model, on: train).loss,
    weightNorms: flat.parameters.map { LayerValue(layer: $0.name, value: $0.parameter.value.scalars.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()) },
    sharpness: top.value, hessianTrace: trace, weightRanks: weightRanks,
    representationRank: try Representations.effectiveRank(penultimate.scalars, rows: penultimate.shape[0], columns: penultimate.shape[1]),
    sparsity: zip(activationNames, hidden).map { LayerValue(layer: $0, value: Representations.sparsity($1)) },
    upsampled: result.upsampled, seconds: seconds, opposingSignals: record, parameters: w, representation: penultimate)
}

/// The loss of every training example at the current parameters (evaluation mode).
private func trainingLosses(_ model: Sequential, _ train: Dataset) -> [Float] {
  perExampleCrossEntropy(logits: predictLogits(model, features: train.features), labels: train.labels)
}

/// `layers.K` for each activation layer K of the model (the hidden layers `layerOutputs` returns).
private func hiddenActivationNames(_ model: Sequential) -> [String] {
  model.layers.dropLast().enumerated().compactMap { $0.element is Activation ? "layers.\($0.offset)" : nil }
}
