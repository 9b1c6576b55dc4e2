import HoneOptim
import HoneTensor

extension DenseNetwork {
  /// Trains the network by full-batch Adam (`HoneOptim.Adam`, L2 weight decay `weightDecay`)
  /// on the mean squared error to `targets` (n outputs of a single-output network) for
  /// `steps` steps.
  public mutating func fitMeanSquaredError(inputs x: [Double], targets: [Double], steps: Int, learningRate: Double = 0.01,
                                           weightDecay: Double = 1e-4) throws {
    guard !targets.isEmpty else { return }
    let y = Tensor(shape: [targets.count, 1], scalars: targets)
    try minimize(steps: steps, learningRate: learningRate, weightDecay: weightDecay) { network in
      network.lossAndGradient(at: x) { ($0 - y).squared().mean() }.gradient
    }
  }

  /// Full-batch Adam for `steps` steps on the gradient `gradient` gives of the network.
  public mutating func minimize(steps: Int, learningRate: Double, weightDecay: Double = 0,
                                gradient: (DenseNetwork) -> [Double]) throws {
    let adam = try Adam<Double>(learningRate: .constant(learningRate), weightDecay: weightDecay)
    var state = adam.initialState(count: parameters.count)
    for _ in 0..<steps {
      let g = gradient(self)
      guard g.allSatisfy(\.isFinite) else { return }
      try adam.step(params: &parameters, grads: g, state: &state)
    }
  }
}
