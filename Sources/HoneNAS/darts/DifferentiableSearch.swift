import Foundation
import HoneMath
import HoneNN
import HoneOptim
import HoneTensor
import HoneTune

/// The settings of a differentiable architecture search. The defaults are DARTS' (Liu,
/// Simonyan & Yang 2019): weights by SGD (lr 0.025 cosine-annealed to 0.001, momentum 0.9,
/// weight decay 3·10⁻⁴, gradient norm clipped at 5); α by Adam (lr 3·10⁻⁴, β = (0.5, 0.999),
/// weight decay 10⁻³); the training data split in half, one half for the weights, the other for α.
public struct DARTSOptions: Sendable {
  /// How the architecture gradient is taken.
  public enum Order: String, Sendable, CaseIterable {
    /// ∇_α L_val(w, α) at the current weights.
    case first
    /// DARTS' second-order approximation through one virtual weight step.
    case second
  }

  /// The weights' learning-rate schedule over the epochs.
  public enum LearningRateSchedule: Sendable, Equatable {
    /// Cosine annealing from the learning rate to `minimumLearningRate`, per step.
    case cosine
    /// sharpDARTS' cosine power annealing with this exponent, per epoch.
    case cosinePowerAnnealing(exponent: Double)
  }

  /// Passes over the search data.
  public var epochs = 20
  /// Examples per weight step and per architecture step.
  public var batchSize = 64
  /// First- or second-order architecture gradients.
  public var order = Order.first
  /// sharpDARTS' max-W weighting of the mixed operations.
  public var maxW = false
  /// The candidate operations of every edge.
  public var operations = CellOperation.nasBench201
  /// The weights' schedule.
  public var schedule = LearningRateSchedule.cosine
  /// The weights' initial learning rate.
  public var learningRate = 0.025
  /// The weights' final learning rate.
  public var minimumLearningRate = 0.001
  /// SGD's momentum.
  public var momentum = 0.9
  /// The weights' L2 weight decay.
  public var weightDecay = 3e-4
  /// The largest gradient norm of a weight step (nil: no clipping).
  public var gradientClip: Double? = 5
  /// Adam's learning rate for α.
  public var architectureLearningRate = 3e-4
  /// Adam's L2 weight decay for α.
  public var architectureWeightDecay = 1e-3
  /// The fraction of the data the weights train on; α trains on the rest.
  public var trainPortion = 0.5
  /// The seed of the initialization, the split and the batch order.
  public var seed: UInt64 = 0

  /// DARTS' defaults.
  public init() {}

  /// sharpDARTS' choices: its operations (SharpSepConv blocks), max-W weighting and cosine
  /// power annealing (exponent 2, as its search script).
  public static var sharpDARTS: DARTSOptions {
    var options = DARTSOptions()
    (options.operations, options.maxW, options.schedule) = (CellOperation.sharpDARTS, true, .cosinePowerAnnealing(exponent: 2))
    return options
  }
}

/// One epoch of a search.
public struct DARTSEpoch: Sendable {
  /// The epoch, from 1.
  public var epoch: Int
  /// The mean training loss of the weight steps.
  public var trainLoss: Double
  /// The accuracy of the supernet on the architecture steps' batches (before each step).
  public var searchAccuracy: Double
  /// softmax(α) per edge at the end of the epoch.
  public var weights: [[Double]]
  /// The discrete cell at the end of the epoch.
  public var cell: [CellOperation]
}

/// The outcome of a search.
public struct DARTSResult: Sendable {
  /// The cell found: the operation of largest α on each edge (`none` excluded).
  public var cell: [CellOperation]
  /// Its canonical string.
  public var cellString: String { CellSpace.string(of: cell) }
  /// The candidate operations, the columns of `weights`.
  public var operations: [CellOperation]
  /// softmax(α) per edge at the end.
  public var weights: [[Double]]
  /// Every epoch.
  public var history: [DARTSEpoch]
  /// Compute spent: the supernet's multiply–accumulates per example × examples of every
  /// forward pass (weight steps, architecture steps, and second order's extra passes).
  public var multiplyAccumulates: Double
  /// Wall-clock seconds.
  public var seconds: Double
}

/// Differentiable architecture search over NAS-Bench-201-style cells (DARTS, Liu, Simonyan &
/// Yang 2019; sharpDARTS, Hundt, Jain & Hager 2019): a `Supernet` is trained by alternating an
/// architecture step on a batch of the α half (Adam on ∇_α L_val) with a weight step on a batch
/// of the weight half (SGD on ∇_w L_train), then discretized.
///
/// The second-order gradient follows DARTS: with w′ = w − ξ(∇_w L_train(w, α) + λw) and ξ the
/// current weight learning rate,
///   ∇_α L_val(w′, α) − ξ·[∇_α L_train(w⁺, α) − ∇_α L_train(w⁻, α)]/(2ε),
/// w± = w ± ε·∇_{w′} L_val(w′, α), ε = 0.01/‖∇_{w′} L_val(w′, α)‖ (the momentum term of w′ is left out).
public enum DifferentiableSearch {
  /// Searches a cell on `data` (flat features of `shape.inputFeatures`), calling `onEpoch` after each epoch.
  public static func run(on data: Dataset, shape: CellNetworkShape, options: DARTSOptions = DARTSOptions(),
                         onEpoch: (DARTSEpoch) -> Void = { _ in }) throws -> DARTSResult {
    guard data.features.rank == 2, data.features.shape[1] == shape.inputFeatures else {
      throw NASError("the data has \(data.features.shape.dropFirst().first ?? 0) features; the cell network takes \(shape.inputFeatures) (\(shape.inputChannels)×\(shape.height)×\(shape.width))")
    }
    guard options.epochs >= 1, options.batchSize >= 2, options.trainPortion > 0, options.trainPortion < 1 else {
      throw NASError("DARTS needs epochs ≥ 1, a batch size ≥ 2 and a train portion in (0, 1)")
    }
    let (weightHalf, alphaHalf, _) = try data.split(train: options.trainPortion, validation: 1 - options.trainPortion, seed: options.seed)
    guard weightHalf.count >= 2, alphaHalf.count >= 2 else { throw NASError("DARTS needs at least 4 examples, got \(data.count)") }
    let clock = ContinuousClock()
    let start = clock.now
    let net = try Supernet(options.operations, shape: shape, maxW: options.maxW, seed: options.seed)
    let stepsPerEpoch = (weightHalf.count + options.batchSize - 1) / options.batchSize
    let schedule = try weightSchedule(options, stepsPerEpoch: stepsPerEpoch)
    var weights = try ParameterOptimizer(
      OptimizerSpec("sgd", learningRate: schedule, weightDecay: options.weightDecay, momentum: options.momentum), model: net)
    let alphaOptimizer = try OptimizerSpec("adam", learningRate: .constant(options.architectureLearningRate),
                                           settings: CatalogSettings().with("beta1", 0.5).with("beta2", 0.999)
                                             .with("weight-decay", options.architectureWeightDecay)).make()
    var alphaState = alphaOptimizer.initialState(count: net.architecture.alpha.value.count)
    let loss = TrainingLoss.crossEntropy()
    var rng = SeededRNG(seed: options.seed, stream: 1)
    var compute = 0.0
    let macs = Double(net.multiplyAccumulates)
    var step = 0
    var history: [DARTSEpoch] = []
    for epoch in 1...options.epochs {
      net.train()
      let weightBatches = weightHalf.batchIndices(size: options.batchSize, shuffle: &rng)
      var alphaBatches = alphaHalf.batchIndices(size: options.batchSize, shuffle: &rng)
      var (lossSum, correct, seen) = (0.0, 0, 0)
      for batch in weightBatches {
        let x = weightHalf.features.gathering(batch, alongAxis: 0)
        let y = batch.map { weightHalf.labels[$0] }
        if alphaBatches.isEmpty { alphaBatches = alphaHalf.batchIndices(size: options.batchSize, shuffle: &rng) }
        let alphaBatch = alphaBatches.removeLast()
        let xv = alphaHalf.features.gathering(alphaBatch, alongAxis: 0)
        let yv = alphaBatch.map { alphaHalf.labels[$0] }
        // The architecture step.
        let architecture = try architectureGradient(
          net, weights: weights.parameters, order: options.order, train: x, y, validation: xv, yv, xi: Float(schedule(step)),
          weightDecay: Float(options.weightDecay))
        var alphaGradient = architecture.gradient
        correct += zip(architecture.logits.argmax(alongAxis: 1), yv).filter { $0 == $1 }.count
        compute += macs * Double(options.order == .first ? xv.shape[0] : 3 * x.shape[0] + xv.shape[0])
        seen += xv.shape[0]
        try net.architecture.alpha.value.withUnsafeMutableBufferPointer { p in
          try alphaGradient.withUnsafeMutableBufferPointer { g in try alphaOptimizer.step(params: p, grads: g, state: &alphaState) }
        }
        // The weight step.
        var (value, gradients) = weights.valueWithGradient { loss(logits: net(x), labels: y) }
        guard value.isFinite else { throw NASError("the supernet's training loss became \(value) in epoch \(epoch); lower the learning rate") }
        if let clip = options.gradientClip { clipNorm(&gradients, to: Float(clip)) }
        try weights.step(gradients)
        compute += macs * Double(x.shape[0])
        lossSum += Double(value) * Double(batch.count)
        step += 1
      }
      let report = DARTSEpoch(epoch: epoch, trainLoss: lossSum / Double(weightHalf.count), searchAccuracy: Double(correct) / Double(max(seen, 1)),
                              weights: net.architecture.probabilities, cell: net.discretized())
      history.append(report)
      onEpoch(report)
    }
    return DARTSResult(cell: net.discretized(), operations: options.operations, weights: net.architecture.probabilities,
                       history: history, multiplyAccumulates: compute, seconds: (clock.now - start).seconds)
  }

  /// ∇_α of the loss on the α half's batch (xv, yv) and the logits there: at the current
  /// weights (first order), or through DARTS' virtual weight step on the weight half's batch
  /// (x, y) at rate ξ (second order; the weights are put back).
  private static func architectureGradient(_ net: Supernet, weights: [(name: String, parameter: Parameter)], order: DARTSOptions.Order,
                                           train x: Tensor<Float>, _ y: [Int], validation xv: Tensor<Float>, _ yv: [Int],
                                           xi: Float, weightDecay: Float) throws -> (gradient: Tensor<Float>, logits: Tensor<Float>) {
    let loss = TrainingLoss.crossEntropy()
    let alpha = [(name: "alpha", parameter: net.architecture.alpha)]
    var logits = Tensor<Float>(0)
    func validationLoss() -> Tensor<Float> {
      let l = net(xv)
      logits = l.detached
      return loss(logits: l, labels: yv)
    }
    guard order == .second else { return (try gradient(alpha, validationLoss)["alpha"]!, logits) }
    let saved = weights.map(\.parameter.value)
    defer { for ((_, p), w) in zip(weights, saved) { p.value = w } }
    let trainGradients = try gradient(weights) { loss(logits: net(x), labels: y) }
    for ((name, p), w) in zip(weights, saved) { p.value = w - xi * (trainGradients[name]! + weightDecay * w) }
    let unrolled = try gradient(weights + alpha, validationLoss)
    let norm = weights.reduce(Float(0)) { $0 + unrolled[$1.name]!.squared().sum().scalar }.squareRoot()
    let epsilon = 0.01 / max(norm, 1e-12)
    func trainGradient(at sign: Float) throws -> Tensor<Float> {
      for ((name, p), w) in zip(weights, saved) { p.value = w + sign * epsilon * unrolled[name]! }
      return try gradient(alpha) { loss(logits: net(x), labels: y) }["alpha"]!
    }
    let hessianVector = (try trainGradient(at: 1) - trainGradient(at: -1)) / (2 * epsilon)
    return (unrolled["alpha"]! - xi * hessianVector, logits)
  }

  /// The gradients of `body`'s loss with respect to `parameters`; a non-finite loss is an error.
  private static func gradient(_ parameters: [(name: String, parameter: Parameter)], _ body: () -> Tensor<Float>) throws -> ModuleGradients {
    let (value, gradients) = valueWithGradient(at: parameters, body)
    guard value.isFinite else { throw NASError("the supernet's loss became \(value); lower the learning rates") }
    return gradients
  }

  /// The weights' learning rate per step.
  private static func weightSchedule(_ options: DARTSOptions, stepsPerEpoch: Int) throws -> Schedule {
    switch options.schedule {
    case .cosine:
      return .cosine(options.learningRate, decaySteps: options.epochs * stepsPerEpoch,
                     alpha: options.minimumLearningRate / options.learningRate)
    case .cosinePowerAnnealing(let exponent):
      guard options.epochs >= 2 else { throw NASError("cosine power annealing needs at least 2 epochs") }
      return .perEpoch(try .cosinePowerAnnealing(epochs: options.epochs, maxLR: options.learningRate, minLR: options.minimumLearningRate,
                                                 exponentOrder: exponent), stepsPerEpoch: stepsPerEpoch)
    }
  }

  /// Scales every gradient by min(1, c/‖g‖) with ‖g‖ the norm of all of them together
  /// (PyTorch's `clip_grad_norm_`).
  private static func clipNorm(_ gradients: inout ModuleGradients, to c: Float) {
    let norm = gradients.values.reduce(Float(0)) { $0 + $1.squared().sum().scalar }.squareRoot()
    guard norm > c else { return }
    let scale = c / (norm + 1e-6)
    for key in gradients.keys { gradients[key] = gradients[key]! * scale }
  }
}
