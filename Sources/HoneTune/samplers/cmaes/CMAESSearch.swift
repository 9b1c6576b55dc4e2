import Foundation
import HoneMath

/// CMA-ES with restarts: when a run meets `CMAES.shouldStop`, a new one starts from the
/// first mean (as pycma does with a fixed x0).
///
/// - `ipop` (Auger & Hansen 2005, "A restart CMA evolution strategy with increasing
///   population size", CEC): each restart multiplies λ by `increment` (2).
/// - `bipop` (Hansen 2009, "Benchmarking a BI-population CMA-ES on the BBOB-2009 function
///   testbed", GECCO): two regimes share the evaluations. After a run, its evaluations are
///   added to its regime's budget; while the small regime has spent less, the next run is
///   small — λ = ⌊λ₀·(increment^k)^(U²)⌋ and σ = σ₀·10^(−2U), U uniform in [0, 1] — else the
///   k-th large run with λ = λ₀·increment^k and σ₀.
public struct CMAESSearch: Sendable, Equatable, Codable {
  /// How runs are restarted.
  public enum RestartStrategy: String, Sendable, Codable, CaseIterable {
    /// One run, never restarted.
    case none
    /// Restarts with a growing population.
    case ipop
    /// Restarts alternating large and small populations.
    case bipop
  }

  /// The restart rule.
  public let strategy: RestartStrategy
  /// The factor by which λ grows.
  public let increment: Double
  let initialMean: [Double], initialSigma: Double
  let bounds: [ClosedRange<Double>]?, steps: [Double?]?
  let basePopulation: Int
  /// The current run.
  public private(set) var current: CMAES
  /// Runs restarted so far.
  public private(set) var restarts = 0
  /// Evaluations told so far, over all runs.
  public private(set) var evaluations = 0
  var largeRuns = 0, smallBudget = 0, largeBudget = 0, currentIsLarge = false

  /// A search from `mean` with step size `sigma` (see `CMAES.init`).
  public init(mean: [Double], sigma: Double, bounds: [ClosedRange<Double>]? = nil, steps: [Double?]? = nil,
              populationSize: Int? = nil, strategy: RestartStrategy = .none, increment: Double = 2) throws {
    guard increment >= 1 else { throw TuneError.invalidArgument("CMA-ES: the population increment must be >= 1, got \(increment)") }
    current = try CMAES(mean: mean, sigma: sigma, bounds: bounds, steps: steps, populationSize: populationSize)
    self.strategy = strategy
    self.increment = increment
    initialMean = mean
    initialSigma = sigma
    self.bounds = bounds
    self.steps = steps
    basePopulation = current.populationSize
  }

  /// A point of the current generation.
  public func ask(rng: inout SeededRNG) -> [Double] { current.ask(rng: &rng) }

  /// Tells the current run λ evaluated points; restarts it (drawing from `rng`) when it stops.
  public mutating func tell(_ solutions: [(x: [Double], value: Double)], rng: inout SeededRNG) throws {
    try current.tell(solutions)
    evaluations += solutions.count
    guard strategy != .none, current.shouldStop else { return }
    let spent = current.populationSize * current.generation
    if currentIsLarge { largeBudget += spent } else { smallBudget += spent }
    var population = Int((Double(basePopulation) * pow(increment, Double(restarts + 1))).rounded())
    var sigma = initialSigma
    if strategy == .bipop {
      if smallBudget < largeBudget {
        let u = rng.nextDouble()
        population = max(2, Int(Double(basePopulation) * pow(pow(increment, Double(largeRuns)), u * u)))
        sigma = initialSigma * pow(10, -2 * rng.nextDouble())
        currentIsLarge = false
      } else {
        largeRuns += 1
        population = Int((Double(basePopulation) * pow(increment, Double(largeRuns))).rounded())
        currentIsLarge = true
      }
    }
    current = try CMAES(mean: initialMean, sigma: sigma, bounds: bounds, steps: steps, populationSize: population)
    restarts += 1
  }
}
