import HoneCore

/// What a named learning-rate schedule is built from: the peak rate and the run's length.
public struct ScheduleContext: Sendable {
  /// The peak (or constant) learning rate.
  public var learningRate: Double
  /// Epochs of the run.
  public var epochs: Int
  /// Optimizer steps per epoch.
  public var stepsPerEpoch: Int

  /// A context for a run of `epochs` × `stepsPerEpoch` steps from `learningRate`.
  public init(learningRate: Double, epochs: Int, stepsPerEpoch: Int) {
    self.learningRate = learningRate
    self.epochs = epochs
    self.stepsPerEpoch = stepsPerEpoch
  }
}

/// A row of the schedule catalog.
public typealias ScheduleEntry = CatalogEntry<ScheduleContext, Schedule>

/// The learning-rate schedules HoneOptim defines, by the names the command line takes.
public enum OptimSchedules {
  /// The rows, in the order help texts list them.
  public static let entries: [ScheduleEntry] = [
    ScheduleEntry("constant", "The rate throughout") { context, _ in .constant(context.learningRate) },
    ScheduleEntry("cosine", "Cosine decay to 0, per step (Loshchilov & Hutter 2017, without restarts)") { context, _ in
      .cosine(context.learningRate, decaySteps: Swift.max(1, context.epochs * context.stepsPerEpoch))
    },
    ScheduleEntry("cosine-power", "Cosine power annealing per epoch, to 1/1000 of the rate (Hundt et al. 2019)") { context, _ in
      guard context.epochs >= 2 else { throw CatalogError.badValue("cosine-power needs at least 2 epochs") }
      return .perEpoch(try .cosinePowerAnnealing(epochs: context.epochs, maxLR: context.learningRate, minLR: context.learningRate / 1000),
                       stepsPerEpoch: context.stepsPerEpoch)
    },
  ]
}
