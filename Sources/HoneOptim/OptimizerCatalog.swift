import HoneCore

/// What a named optimizer is built from: the learning rate (a schedule) and whether the
/// parameter asks for a full-precision state (an 8-bit row then builds its 32-bit
/// counterpart, as bitsandbytes does for embeddings).
public struct OptimizerContext: Sendable {
  /// The learning rate per step.
  public var learningRate: Schedule
  /// Keep a 32-bit state even for an 8-bit optimizer.
  public var fullPrecision: Bool

  /// A context with `learningRate`.
  public init(learningRate: Schedule, fullPrecision: Bool = false) {
    self.learningRate = learningRate
    self.fullPrecision = fullPrecision
  }
}

/// A row of the optimizer catalog.
public typealias OptimizerEntry = CatalogEntry<OptimizerContext, any Optimizer<Float>>

/// The optimizers HoneOptim defines, by the names the command line and `OptimizerSpec` take;
/// each row lists its settings with torch's defaults (SGD's momentum is 0.9 here: plain SGD
/// is `momentum 0`).
public enum OptimOptimizers {
  /// The rows, in the order help texts list them.
  public static let entries: [OptimizerEntry] = [
    OptimizerEntry("sgd", "SGD with momentum (torch.optim.SGD)", options: sgdOptions) { c, s in
      try SGD(learningRate: c.learningRate, momentum: s.double("momentum", default: 0.9), dampening: s.double("dampening", default: 0),
              weightDecay: s.double("weight-decay", default: 0))
    },
    OptimizerEntry("adam", "Adam with L2 weight decay (torch.optim.Adam)", options: adamOptions(decay: "0")) { c, s in
      try Adam(learningRate: c.learningRate, betas: betas(s, 0.999), eps: s.double("eps", default: 1e-8),
               weightDecay: s.double("weight-decay", default: 0))
    },
    OptimizerEntry("adamw", "Adam with decoupled weight decay (torch.optim.AdamW)", options: adamOptions(decay: "0.01")) { c, s in
      try AdamW(learningRate: c.learningRate, betas: betas(s, 0.999), eps: s.double("eps", default: 1e-8),
                weightDecay: s.double("weight-decay", default: 1e-2))
    },
    OptimizerEntry("lion", "Lion, sign of interpolated momentum (lion-pytorch)", options: lionOptions) { c, s in
      try Lion(learningRate: c.learningRate, betas: betas(s, 0.99), weightDecay: s.double("weight-decay", default: 0))
    },
    OptimizerEntry("exadam", "EXAdam, dynamic step size on (Adly 2024)", options: adamOptions(decay: "0")) { c, s in
      try EXAdam(learningRate: c.learningRate, betas: betas(s, 0.999), eps: s.double("eps", default: 1e-8),
                 weightDecay: s.double("weight-decay", default: 0))
    },
    OptimizerEntry("adam8bit", "Adam with 8-bit block-wise states (bitsandbytes Adam8bit)", options: adamOptions(decay: "0")) { c, s in
      let adam = try Adam8bit(learningRate: c.learningRate, betas: betas(s, 0.999), eps: s.double("eps", default: 1e-8),
                              weightDecay: s.double("weight-decay", default: 0))
      return c.fullPrecision ? adam.adam : adam
    },
    OptimizerEntry("adamw8bit", "AdamW with 8-bit block-wise states (bitsandbytes AdamW8bit)", options: adamOptions(decay: "0.01")) { c, s in
      let adam = try Adam8bit.adamW(learningRate: c.learningRate, betas: betas(s, 0.999), eps: s.double("eps", default: 1e-8),
                                    weightDecay: s.double("weight-decay", default: 1e-2))
      return c.fullPrecision ? adam.adam : adam
    },
    OptimizerEntry("lion8bit", "Lion with an 8-bit block-wise momentum (bitsandbytes Lion8bit)", options: lionOptions) { c, s in
      let lion = try Lion8bit(learningRate: c.learningRate, betas: betas(s, 0.99), weightDecay: s.double("weight-decay", default: 0))
      return c.fullPrecision ? lion.lion : lion
    },
    OptimizerEntry("sgd8bit", "SGD with an 8-bit block-wise momentum", options: sgdOptions) { c, s in
      let sgd = try SGD8bit(learningRate: c.learningRate, momentum: s.double("momentum", default: 0.9),
                            dampening: s.double("dampening", default: 0), weightDecay: s.double("weight-decay", default: 0))
      return c.fullPrecision ? sgd.sgd : sgd
    },
    OptimizerEntry("shampoo", "Shampoo, Kronecker-factored preconditioner grafted to Adam's step size (Gupta et al. 2018)",
                   options: shampooOptions) { c, s in
      try Shampoo(learningRate: c.learningRate, betas: betas(s, 0.999), eps: s.double("eps", default: 1e-8),
                  weightDecay: s.double("weight-decay", default: 0), matrixEpsilon: s.double("matrix-eps", default: 1e-6),
                  preconditionFrequency: s.int("precondition-frequency", default: 10),
                  maxPreconditionerDimension: s.int("max-preconditioner-dim", default: 1024))
    },
    OptimizerEntry("sam-sgd", "SAM around SGD with momentum (Foret et al. 2021); adaptive=true: ASAM", options: samOptions + sgdOptions) { c, s in
      try SharpnessAwareOptimizer(base: SGD(learningRate: c.learningRate, momentum: s.double("momentum", default: 0.9),
                                            dampening: s.double("dampening", default: 0), weightDecay: s.double("weight-decay", default: 0)),
                                  rho: s.double("rho", default: 0.05), adaptive: s.flag("adaptive"))
    },
    OptimizerEntry("sam-adamw", "SAM around AdamW (Foret et al. 2021); adaptive=true: ASAM", options: samOptions + adamOptions(decay: "0.01")) { c, s in
      try SharpnessAwareOptimizer(base: AdamW(learningRate: c.learningRate, betas: betas(s, 0.999), eps: s.double("eps", default: 1e-8),
                                              weightDecay: s.double("weight-decay", default: 1e-2)),
                                  rho: s.double("rho", default: 0.05), adaptive: s.flag("adaptive"))
    },
  ]

  private static let samOptions = [
    CatalogOption("rho", default: "0.05", "The neighbourhood radius ρ"),
    CatalogOption("adaptive", default: "false", "ASAM's scale-invariant neighbourhood (Kwon et al. 2021; use rho 2)"),
  ]
  private static let shampooOptions = adamOptions(decay: "0") + [
    CatalogOption("matrix-eps", default: "1e-6", "Damping δ of the factors, relative to their largest eigenvalue"),
    CatalogOption("precondition-frequency", default: "10", "Steps between recomputations of the inverse roots"),
    CatalogOption("max-preconditioner-dim", default: "1024", "Sides longer than this are not preconditioned"),
  ]

  private static let sgdOptions = [
    CatalogOption("momentum", default: "0.9", "Momentum μ (0: plain SGD)"),
    CatalogOption("dampening", default: "0", "Dampening τ of the momentum"),
    CatalogOption("weight-decay", default: "0", "L2 weight decay λ"),
  ]
  private static let lionOptions = [
    CatalogOption("beta1", default: "0.9", "β1, the interpolation of the update"),
    CatalogOption("beta2", default: "0.99", "β2, the momentum's decay"),
    CatalogOption("weight-decay", default: "0", "Decoupled weight decay λ"),
  ]
  private static func adamOptions(decay: String) -> [CatalogOption] {
    [CatalogOption("beta1", default: "0.9", "β1, the first moment's decay"),
     CatalogOption("beta2", default: "0.999", "β2, the second moment's decay"),
     CatalogOption("eps", default: "1e-8", "ε, outside the square root"),
     CatalogOption("weight-decay", default: decay, "Weight decay λ")]
  }

  private static func betas(_ s: CatalogSettings, _ beta2: Double) throws -> (Double, Double) {
    (try s.double("beta1", default: 0.9), try s.double("beta2", default: beta2))
  }
}
