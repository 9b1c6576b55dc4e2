import HoneMath
import HoneTensor

/// The loss a classifier is trained with.
public enum TrainingLoss: Sendable {
  /// Softmax cross-entropy with label smoothing ε.
  case crossEntropy(labelSmoothing: Float = 0)
  /// AnyLoss for two classes, on p = softmax(logits)[:, 1] (the probability of class 1).
  case anyLoss(AnyLoss)

  /// The loss of logits [N, C] against labels.
  public func callAsFunction(logits: Tensor<Float>, labels: [Int]) -> Tensor<Float> {
    switch self {
    case .crossEntropy(let smoothing):
      return HoneNN.crossEntropy(logits: logits, labels: labels, labelSmoothing: smoothing)
    case .anyLoss(let loss):
      precondition(logits.rank == 2 && logits.shape[1] == 2, "AnyLoss needs two output classes, got logits \(logits.shape)")
      let p = logits.softmax(alongAxis: 1).slice(alongAxis: 1, 1..<2).reshaped(to: [-1])
      return loss(probabilities: p, labels: Tensor(labels.map { Float($0) }))
    }
  }
}

/// The settings of `fit`.
public struct TrainingOptions: Sendable {
  /// Passes over the training data.
  public var epochs: Int
  /// Examples per step.
  public var batchSize: Int
  /// The optimizer.
  public var optimizer: OptimizerSpec
  /// The loss.
  public var loss: TrainingLoss
  /// Stop when validation accuracy has not improved for this many epochs (nil: never).
  public var earlyStoppingPatience: Int?
  /// Put back the parameters of the epoch with the best validation accuracy at the end.
  public var restoreBest: Bool
  /// Sharpness-aware minimization: the radius ρ and whether it is adaptive (ASAM); nil: off.
  public var sharpnessAware: (rho: Double, adaptive: Bool)?
  /// The seed of the batch order.
  public var seed: UInt64
  /// A change of the training distribution first (USEFUL); nil: train on the data as given.
  public var upsampling: Upsampling?

  /// Options with PyTorch-like defaults: 30 epochs, batches of 64, AdamW at 1e-3, cross-entropy.
  public init(epochs: Int = 30, batchSize: Int = 64, optimizer: OptimizerSpec = OptimizerSpec("adamw"),
              loss: TrainingLoss = .crossEntropy(), earlyStoppingPatience: Int? = nil, restoreBest: Bool = true,
              sharpnessAware: (rho: Double, adaptive: Bool)? = nil, seed: UInt64 = 0, upsampling: Upsampling? = nil) {
    self.epochs = epochs
    self.batchSize = batchSize
    self.optimizer = optimizer
    self.loss = loss
    self.earlyStoppingPatience = earlyStoppingPatience
    self.restoreBest = restoreBest
    self.sharpnessAware = sharpnessAware
    self.seed = seed
    self.upsampling = upsampling
  }
}

/// What happened in one epoch.
public struct EpochReport: Sendable {
  /// The epoch, from 1.
  public var epoch: Int
  /// The mean training loss over the epoch's examples.
  public var trainLoss: Double
  /// Loss, accuracy and F1 (class 1 for two classes, macro otherwise) on the validation data.
  public var validation: Evaluation?
  /// Seconds spent in the epoch.
  public var seconds: Double
}

/// A model's loss and metrics on a dataset.
public struct Evaluation: Sendable {
  /// The mean loss.
  public var loss: Double
  /// The fraction classified correctly.
  public var accuracy: Double
  /// F1 of class 1 for two classes, macro F1 otherwise.
  public var f1: Double
}

/// What the epoch callback wants next.
public enum TrainingDecision: Sendable {
  /// Go on.
  case `continue`
  /// Stop now (a pruned trial).
  case stop
}

/// The outcome of `fit`.
public struct TrainingResult: Sendable {
  /// One report per epoch run.
  public var history: [EpochReport]
  /// The epoch (from 1) with the best validation accuracy (the last one without validation data).
  public var bestEpoch: Int
  /// True when early stopping or the callback ended training before `epochs`.
  public var stoppedEarly: Bool
  /// The training examples added a second time by `TrainingOptions.upsampling` (empty without it).
  public var upsampled: [Int] = []
}

/// Trains a classifier: shuffled mini-batches each epoch, the loss, gradients by reverse mode,
/// the optimizer (or SAM around it); after each epoch the validation metrics and `onEpoch`
/// (where a tuning trial reports and stops when pruned). Early stopping on validation
/// accuracy; the best epoch's parameters are restored when `restoreBest`. A non-finite loss
/// throws `NNError.diverged`. `onBatch` sees (batches done, batches per epoch) after each step.
/// With `upsampling`, the selection run comes first (without callbacks) and the parameters
/// are put back to their initial values before the run that the callbacks see.
public func fit<M: Layer>(_ model: M, on train: Dataset, validation: Dataset? = nil, options: TrainingOptions = TrainingOptions(),
                onEpoch: (EpochReport) async throws -> TrainingDecision = { _ in .continue },
                onBatch: (Int, Int) -> Void = { _, _ in }) async throws -> TrainingResult {
  guard options.epochs > 0, options.batchSize > 0 else {
    throw NNError.invalidArgument("epochs (\(options.epochs)) and batch size (\(options.batchSize)) must be positive")
  }
  if case .useful(let epoch)? = options.upsampling {
    guard epoch >= 1 else { throw NNError.invalidArgument("USEFUL's clustering epoch must be at least 1, got \(epoch)") }
    let initial = model.namedParameters().map(\.parameter.value)
    var selection = options
    (selection.upsampling, selection.epochs, selection.earlyStoppingPatience, selection.restoreBest) = (nil, epoch, nil, false)
    _ = try await fit(model, on: train, options: selection)
    let logits = predictLogits(model, features: train.features)
    let slow = UsefulUpsampling.slowExamples(outputs: logits, labels: train.labels,
                                             losses: perExampleCrossEntropy(logits: logits, labels: train.labels), seed: options.seed)
    for ((_, parameter), value) in zip(model.namedParameters(), initial) { parameter.value = value }
    var rest = options
    rest.upsampling = nil
    var result = try await fit(model, on: train.appending(train.subset(slow)), validation: validation, options: rest,
                               onEpoch: onEpoch, onBatch: onBatch)
    result.upsampled = slow
    return result
  }
  var optimizer = try ParameterOptimizer(options.optimizer, model: model)
  let parameters = optimizer.parameters
  var rng = SeededRNG(seed: options.seed)
  var history: [EpochReport] = []
  var best = (epoch: 0, accuracy: -Double.infinity)
  var bestParameters: [Tensor<Float>] = []
  var stoppedEarly = false
  let clock = ContinuousClock()
  for epoch in 1...options.epochs {
    let start = clock.now
    model.train()
    var lossSum = 0.0
    let batches = train.batchIndices(size: options.batchSize, shuffle: &rng)
    for (done, batch) in batches.enumerated() {
      let x = train.features.gathering(batch, alongAxis: 0)
      let y = batch.map { train.labels[$0] }
      func lossAt() -> Tensor<Float> { options.loss(logits: model(x), labels: y) }
      let (loss, gradients) = optimizer.valueWithGradient(lossAt)
      guard loss.isFinite else {
        throw NNError.diverged("the training loss became \(loss) in epoch \(epoch); lower the learning rate")
      }
      lossSum += Double(loss) * Double(batch.count)
      if let sam = options.sharpnessAware ?? optimizer.sharpnessAware {
        try optimizer.sharpnessAwareStep(rho: sam.rho, adaptive: sam.adaptive, gradients: gradients) {
          _valueWithGradient(parameters, lossAt).gradients
        }
      } else {
        try optimizer.step(gradients)
      }
      onBatch(done + 1, batches.count)
    }
    let evaluation = validation.map { evaluate(model, on: $0, loss: options.loss) }
    let report = EpochReport(epoch: epoch, trainLoss: lossSum / Double(Swift.max(train.count, 1)), validation: evaluation,
                             seconds: (clock.now - start).seconds)
    history.append(report)
    let accuracy = evaluation?.accuracy ?? Double(epoch)
    if accuracy > best.accuracy {
      best = (epoch, accuracy)
      if options.restoreBest && validation != nil { bestParameters = model.namedParameters().map(\.parameter.value) }
    }
    if try await onEpoch(report) == .stop { stoppedEarly = epoch < options.epochs; break }
    if let patience = options.earlyStoppingPatience, epoch - best.epoch >= patience {
      stoppedEarly = epoch < options.epochs
      break
    }
  }
  if !bestParameters.isEmpty {
    for ((_, parameter), value) in zip(model.namedParameters(), bestParameters) { parameter.value = value }
  }
  model.eval()
  return TrainingResult(history: history, bestEpoch: best.epoch, stoppedEarly: stoppedEarly)
}

/// The model's logits for every row of `features`, in evaluation mode, in batches of `batchSize`.
public func predictLogits(_ model: some Layer, features: Tensor<Float>, batchSize: Int = 1024) -> Tensor<Float> {
  model.eval()
  let n = features.shape[0]
  let parts = stride(from: 0, to: n, by: batchSize).map { model(features.slice(alongAxis: 0, $0..<Swift.min($0 + batchSize, n))) }
  return parts.count == 1 ? parts[0] : Tensor.concatenate(parts, alongAxis: 0)
}

/// Loss, accuracy and F1 of the model on `data` (evaluation mode).
public func evaluate(_ model: some Layer, on data: Dataset, loss: TrainingLoss = .crossEntropy()) -> Evaluation {
  guard data.count > 0 else { return Evaluation(loss: 0, accuracy: 0, f1: 0) }
  let logits = predictLogits(model, features: data.features)
  let predicted = logits.argmax(alongAxis: 1)
  return Evaluation(loss: Double(loss(logits: logits, labels: data.labels).scalar),
                    accuracy: Metrics.accuracy(predicted: predicted, labels: data.labels),
                    f1: Metrics.f1Score(predicted: predicted, labels: data.labels, classes: Swift.max(data.classCount, 2)))
}

extension Duration {
  /// The duration in seconds.
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
