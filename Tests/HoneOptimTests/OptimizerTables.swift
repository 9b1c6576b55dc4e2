@testable import HoneOptim

/// Every named optimizer, for the table-driven tests.
enum Optimizers {
  /// Name, fused optimizer, the same as a chain (nil for the 8-bit ones), learning rates that
  /// converge on the quadratic and on Rosenbrock (found by a sweep over 3e-4…3e-2), and how
  /// many ulps fused and chained may differ after 20 steps (none for SGD: its chain rounds
  /// every operation as the fused kernel does).
  struct Entry: CustomStringConvertible, Sendable {
    let name: String
    let make: @Sendable (Schedule) throws -> any Optimizer<Float>
    let makeChained: (@Sendable (Schedule) throws -> Chain<Float>)?
    let learningRate: Double
    var rosenbrockLR: Double = 1e-3
    var chainUlps: Float = 4
    var description: String { name }
  }

  static let all: [Entry] = [
    Entry(name: "SGD", make: { try SGD(learningRate: $0) }, makeChained: { try SGD(learningRate: $0).chained }, learningRate: 0.1,
          chainUlps: 0),
    Entry(name: "SGD momentum", make: { try SGD(learningRate: $0, momentum: 0.9) },
          makeChained: { try SGD(learningRate: $0, momentum: 0.9).chained }, learningRate: 0.005, chainUlps: 0),
    Entry(name: "SGD Nesterov + decay", make: { try SGD(learningRate: $0, momentum: 0.9, weightDecay: 1e-4, nesterov: true) },
          makeChained: { try SGD(learningRate: $0, momentum: 0.9, weightDecay: 1e-4, nesterov: true).chained }, learningRate: 0.005,
          chainUlps: 0),
    Entry(name: "SGD dampening", make: { try SGD(learningRate: $0, momentum: 0.9, dampening: 0.5) },
          makeChained: { try SGD(learningRate: $0, momentum: 0.9, dampening: 0.5).chained }, learningRate: 0.01, rosenbrockLR: 3e-3,
          chainUlps: 0),
    Entry(name: "Adam", make: { try Adam(learningRate: $0) }, makeChained: { try Adam(learningRate: $0).chained }, learningRate: 0.02, rosenbrockLR: 3e-3),
    Entry(name: "Adam L2", make: { try Adam(learningRate: $0, weightDecay: 1e-4) },
          makeChained: { try Adam(learningRate: $0, weightDecay: 1e-4).chained }, learningRate: 0.02, rosenbrockLR: 1e-2),
    Entry(name: "AMSGrad", make: { try Adam(learningRate: $0, amsgrad: true) },
          makeChained: { try Adam(learningRate: $0, amsgrad: true).chained }, learningRate: 0.02, rosenbrockLR: 3e-3),
    Entry(name: "AdamW", make: { try AdamW(learningRate: $0, weightDecay: 1e-4) },
          makeChained: { try AdamW(learningRate: $0, weightDecay: 1e-4).chained }, learningRate: 0.02, rosenbrockLR: 1e-2,
          chainUlps: 24),
    Entry(name: "Lion", make: { try Lion(learningRate: $0) }, makeChained: { try Lion(learningRate: $0).chained }, learningRate: 0.01),
    Entry(name: "Lion decay", make: { try Lion(learningRate: $0, weightDecay: 1e-3) },
          makeChained: { try Lion(learningRate: $0, weightDecay: 1e-3).chained }, learningRate: 0.01,
          chainUlps: 24),
    Entry(name: "EXAdam", make: { try EXAdam(learningRate: $0) }, makeChained: { try EXAdam(learningRate: $0).chained }, learningRate: 0.01, rosenbrockLR: 3e-4),
    Entry(name: "EXAdam fixed step", make: { try EXAdam(learningRate: $0, weightDecay: 1e-4, dynamicStepSize: false) },
          makeChained: { try EXAdam(learningRate: $0, weightDecay: 1e-4, dynamicStepSize: false).chained }, learningRate: 0.02,
          chainUlps: 24),
    Entry(name: "Adam8bit", make: { try Adam8bit(learningRate: $0) }, makeChained: nil, learningRate: 0.02, rosenbrockLR: 3e-3),
    Entry(name: "AdamW8bit 2048", make: { try Adam8bit.adamW(learningRate: $0, weightDecay: 1e-4, layout: try BlockwiseStateLayout(blockSize: 2048)) },
          makeChained: nil, learningRate: 0.02, rosenbrockLR: 3e-3),
    Entry(name: "Lion8bit", make: { try Lion8bit(learningRate: $0) }, makeChained: nil, learningRate: 0.01),
    Entry(name: "SGD8bit", make: { try SGD8bit(learningRate: $0, momentum: 0.9) }, makeChained: nil, learningRate: 0.005),
  ]
}
