import HoneOptim

/// An optimizer chosen by name with its main settings, as the CLI and tuning code pick one.
/// `make(fullPrecision:)` builds the HoneOptim optimizer; the 8-bit kinds keep block-wise
/// 8-bit states (Dettmers et al. 2022) and build their 32-bit counterpart for parameters
/// that ask for full precision (StableEmbedding).
public struct OptimizerSpec: Sendable {
  /// The optimizer families by their CLI names.
  public enum Kind: String, Sendable, CaseIterable {
    /// SGD with (heavy-ball) momentum, torch semantics.
    case sgd
    /// Adam (Kingma & Ba 2015), L2 weight decay.
    case adam
    /// AdamW (Loshchilov & Hutter 2019), decoupled weight decay (1e-2 by default).
    case adamw
    /// Lion (Chen et al. 2023).
    case lion
    /// EXAdam (dynamic step size on).
    case exadam
    /// Adam with 8-bit block-wise states.
    case adam8bit
    /// AdamW with 8-bit block-wise states.
    case adamw8bit
    /// Lion with an 8-bit block-wise state.
    case lion8bit
    /// SGD with an 8-bit block-wise momentum.
    case sgd8bit
  }

  /// The family.
  public var kind: Kind
  /// The learning rate, per step (see `Schedule.perEpoch` for epoch schedules).
  public var learningRate: Schedule
  /// The weight decay λ; nil keeps the family's default (1e-2 for AdamW, 0 otherwise).
  public var weightDecay: Double?
  /// SGD's momentum (0.9 unless set; 0 gives plain SGD).
  public var momentum: Double

  /// A specification.
  public init(_ kind: Kind, learningRate: Schedule = 1e-3, weightDecay: Double? = nil, momentum: Double = 0.9) {
    self.kind = kind
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.momentum = momentum
  }

  /// The optimizer; with `fullPrecision` an 8-bit kind gives its 32-bit counterpart.
  public func make(fullPrecision: Bool = false) throws -> any Optimizer<Float> {
    let lr = learningRate
    switch (kind, fullPrecision) {
    case (.sgd, _), (.sgd8bit, true):
      return try SGD<Float>(learningRate: lr, momentum: momentum, weightDecay: weightDecay ?? 0)
    case (.adam, _), (.adam8bit, true):
      return try Adam<Float>(learningRate: lr, weightDecay: weightDecay ?? 0)
    case (.adamw, _), (.adamw8bit, true):
      return try AdamW<Float>(learningRate: lr, weightDecay: weightDecay ?? 1e-2)
    case (.lion, _), (.lion8bit, true):
      return try Lion<Float>(learningRate: lr, weightDecay: weightDecay ?? 0)
    case (.exadam, _):
      return try EXAdam<Float>(learningRate: lr, weightDecay: weightDecay ?? 0)
    case (.adam8bit, false):
      return try Adam8bit(learningRate: lr, weightDecay: weightDecay ?? 0)
    case (.adamw8bit, false):
      return try Adam8bit.adamW(learningRate: lr, weightDecay: weightDecay ?? 1e-2)
    case (.lion8bit, false):
      return try Lion8bit(learningRate: lr, weightDecay: weightDecay ?? 0)
    case (.sgd8bit, false):
      return try SGD8bit(learningRate: lr, momentum: momentum, weightDecay: weightDecay ?? 0)
    }
  }
}
