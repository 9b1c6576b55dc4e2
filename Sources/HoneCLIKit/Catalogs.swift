import ArgumentParser
import Hone

/// The catalogs of the command line, assembled from the rows each module defines: every
/// command, `hone serve` and every help text read them, so a name works everywhere or nowhere.
/// A program that embeds the command line (HoneCLIKit) adds its own rows with `register`.
public enum Catalogs {
  private static let registered = Locked((
    samplers: Catalog(kind: "sampler", TuneSamplers.entries, NASSamplers.entries),
    pruners: Catalog(kind: "pruner", TunePruners.entries),
    storages: Catalog(kind: "storage scheme", SQLiteStorages.entries, PostgresStorages.entries, TuneStorages.entries),
    surrogates: NetworkSurrogates.catalog))

  /// The samplers.
  public static var samplers: Catalog<SamplerContext, any Sampler> { registered.current.samplers }
  /// The pruners.
  public static var pruners: Catalog<PrunerContext, any Pruner> { registered.current.pruners }
  /// The storages, by URL scheme.
  public static var storages: Catalog<StorageContext, any Storage> { registered.current.storages }
  /// The surrogates of the GP sampler (`--surrogate`).
  public static var surrogates: Catalog<SurrogateContext, any SurrogateFitter> { registered.current.surrogates }
  /// The learning-rate schedules.
  public static let schedules = Catalog(kind: "schedule", OptimSchedules.entries)

  /// Adds sampler rows, usable by name from every command from then on.
  public static func register(samplers rows: [SamplerEntry]) { registered.withLock { $0.samplers = $0.samplers.adding(rows) } }
  /// Adds pruner rows, usable by name from every command from then on.
  public static func register(pruners rows: [PrunerEntry]) { registered.withLock { $0.pruners = $0.pruners.adding(rows) } }
  /// Adds surrogate rows, usable by the GP sampler's `--surrogate` from then on.
  public static func register(surrogates rows: [SurrogateEntry]) { registered.withLock { $0.surrogates = $0.surrogates.adding(rows) } }
  /// Adds storage rows (URL schemes), usable from every command's `--storage` from then on.
  public static func register(storages rows: [StorageEntry]) { registered.withLock { $0.storages = $0.storages.adding(rows) } }

  /// The sampler called `name`; a catalog error is a usage error (exit 64) with its one line.
  static func sampler(_ name: String, seed: UInt64?, space: ConditionalSpace?, settings: CatalogSettings = CatalogSettings()) throws -> any Sampler {
    try usage { try samplers.make(name, SamplerContext(seed: seed, space: space, surrogates: surrogates), settings) }
  }

  /// The pruner called `name` for a study with `directions`, as `sampler(_:…)`.
  static func pruner(_ name: String, directions: [StudyDirection]?, settings: CatalogSettings = CatalogSettings()) throws -> any Pruner {
    try usage { try pruners.make(name, PrunerContext(directions: directions), settings) }
  }

  /// The schedule called `name` for a run, as `sampler(_:…)`.
  static func schedule(_ name: String, lr: Double, epochs: Int, stepsPerEpoch: Int) throws -> Schedule {
    try usage { try schedules.make(name, ScheduleContext(learningRate: lr, epochs: epochs, stepsPerEpoch: stepsPerEpoch)) }
  }

  /// `spec`, checked now: its optimizer is built once, so an unknown name or setting is a
  /// usage error, as `sampler(_:…)`, before anything runs (the optimizers' catalog is
  /// `OptimizerSpec.catalog`, which HoneNN reads).
  static func optimizer(_ spec: OptimizerSpec) throws -> OptimizerSpec {
    try usage { _ = try spec.make() }
    return spec
  }

  /// The storage a URL names, by its scheme's row; an unknown scheme lists the forms known.
  static func storage(_ url: String, create: Bool = true) throws -> any Storage {
    let catalog = storages
    guard let entry = try? catalog.entry(StorageContext.scheme(of: url)) else {
      let forms = catalog.entries.map(\.summary).joined(separator: ", ")
      throw StorageError.invalidURL("unknown storage URL '\(url)'; use \(forms)")
    }
    return try entry.make(StorageContext(url: url, create: create))
  }

  private static func usage<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as CatalogError { throw ValidationError(error.description) }
  }
}

/// The settings the pruners take on the command line (`hone tune`, `hone intermediate`,
/// `hone demo`); each applies to the pruners whose catalog row lists it, and giving one to a
/// pruner that does not take it is an error.
struct PrunerSettingsOptions: ParsableArguments {
  @Option(parsing: .unconditional, help: "Complete trials before the median-rule pruners prune (default 5).") var startupTrials: Int?
  @Option(parsing: .unconditional, help: "Steps of each trial that are never pruned (default 0; 5 for learning-curve).") var warmupSteps: Int?
  @Option(parsing: .unconditional, help: "The percentile pruner's percentile (default 25).") var percentile: Double?
  @Option(parsing: .unconditional, help: "Steps without improvement the patient pruner tolerates (default 3).") var patience: Int?
  @Option(parsing: .unconditional, help: "Lower bound of the threshold pruner.") var lower: Double?
  @Option(parsing: .unconditional, help: "Upper bound of the threshold pruner.") var upper: Double?
  @Option(parsing: .unconditional, help: "Δ of the learning-curve pruner: the largest chance of stopping a curve that would beat the best, split over its remaining steps (default 0.05).")
  var delta: Double?
  @Option(help: "What the learning-curve pruner predicts with: regression (default; ν-SVR on the complete trials) or extrapolation (the trial's own curve).")
  var predictor: String?
  @Option(parsing: .unconditional, help: "The asha and hyperband pruners' r: the steps of the smallest rung.") var minResource: Int?
  @Option(parsing: .unconditional, help: "The hyperband pruner's R: the steps of a full trial.") var maxResource: Int?
  @Option(parsing: .unconditional, help: "The asha and hyperband pruners' η (default 4 and 3).") var reductionFactor: Int?

  func validate() throws {
    for (name, value) in [("--startup-trials", startupTrials), ("--warmup-steps", warmupSteps), ("--patience", patience)] {
      if let value, value < 0 { throw ValidationError("\(name) must be ≥ 0, got \(value)") }
    }
  }

  /// The settings given, by catalog option name.
  var settings: CatalogSettings {
    CatalogSettings().with("startup-trials", startupTrials).with("warmup-steps", warmupSteps).with("percentile", percentile)
      .with("patience", patience).with("lower", lower).with("upper", upper).with("delta", delta).with("predictor", predictor)
      .with("min-resource", minResource).with("max-resource", maxResource).with("reduction-factor", reductionFactor)
  }
}
