import HoneCore
import HoneOptim

/// An optimizer chosen by name with its settings, as the CLI and tuning code pick one: a row
/// of `OptimOptimizers` (`sgd`, `adam`, `adamw`, `lion`, `exadam`, and the 8-bit `adam8bit`,
/// `adamw8bit`, `lion8bit`, `sgd8bit`, which keep block-wise 8-bit states, Dettmers et al.
/// 2022, and build their 32-bit counterpart for parameters that ask for full precision, such
/// as StableEmbedding's).
public struct OptimizerSpec: Sendable {
  private static let registered = Locked(Catalog(kind: "optimizer", OptimOptimizers.entries))

  /// The catalog the names are looked up in: HoneOptim's rows, then any registered.
  public static var catalog: Catalog<OptimizerContext, any Optimizer<Float>> { registered.current }

  /// Adds optimizer rows, usable by name (in `OptimizerSpec`, `hone train --optimizer`) from then on.
  public static func register(_ rows: [OptimizerEntry]) { registered.withLock { $0 = $0.adding(rows) } }

  /// The catalog name.
  public var name: String
  /// The learning rate, per step (see `Schedule.perEpoch` for epoch schedules).
  public var learningRate: Schedule
  /// The settings the row takes (`weight-decay`, `momentum`, `beta1`, …); absent ones keep the row's defaults.
  public var settings: CatalogSettings

  /// The optimizer `name` with `settings`.
  public init(_ name: String, learningRate: Schedule = 1e-3, settings: CatalogSettings = CatalogSettings()) {
    self.name = name
    self.learningRate = learningRate
    self.settings = settings
  }

  /// The optimizer `name` with its weight decay λ and (SGD) momentum when given.
  public init(_ name: String, learningRate: Schedule = 1e-3, weightDecay: Double?, momentum: Double? = nil) {
    self.init(name, learningRate: learningRate,
              settings: CatalogSettings().with("weight-decay", weightDecay).with("momentum", momentum))
  }

  /// The optimizer; with `fullPrecision` an 8-bit kind gives its 32-bit counterpart. An unknown
  /// name or a setting the row does not take is a `CatalogError`.
  public func make(fullPrecision: Bool = false) throws -> any Optimizer<Float> {
    try Self.catalog.make(name, OptimizerContext(learningRate: learningRate, fullPrecision: fullPrecision), settings)
  }
}
