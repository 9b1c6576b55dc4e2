import Foundation

/// A learning-rate schedule: the rate as a function of the step (the number of completed
/// updates, from 0). A plain value: `Adam(learningRate: 1e-3)` takes a constant, and any
/// schedule below fits the same parameter.
public struct Schedule: Sendable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
  private let rate: @Sendable (Int) -> Double

  /// A schedule from a function of the step.
  public init(_ rate: @escaping @Sendable (Int) -> Double) { self.rate = rate }
  /// A constant rate.
  public init(floatLiteral value: Double) { self = .constant(value) }
  /// A constant rate.
  public init(integerLiteral value: Int) { self = .constant(Double(value)) }

  /// The rate at `step`.
  public func callAsFunction(_ step: Int) -> Double { rate(step) }

  /// The same rate at every step.
  public static func constant(_ value: Double) -> Schedule { Schedule { _ in value } }

  /// Step decay (torch `StepLR`): value · γ^⌊step / stepSize⌋.
  public static func step(_ value: Double, stepSize: Int, gamma: Double = 0.1) -> Schedule {
    precondition(stepSize > 0, "stepSize must be positive")
    return Schedule { value * pow(gamma, Double($0 / stepSize)) }
  }

  /// Exponential decay (torch `ExponentialLR`): value · γ^step.
  public static func exponential(_ value: Double, gamma: Double) -> Schedule {
    Schedule { value * pow(gamma, Double($0)) }
  }

  /// Cosine decay (Loshchilov & Hutter 2017, "SGDR"; optax `cosine_decay_schedule`):
  /// value · ((1 − α)·(1 + cos(π·min(step, T)/T))/2 + α) over T = `decaySteps`.
  public static func cosine(_ value: Double, decaySteps: Int, alpha: Double = 0) -> Schedule {
    precondition(decaySteps > 0, "decaySteps must be positive")
    return Schedule { step in
      let t = Double(min(step, decaySteps)) / Double(decaySteps)
      return value * ((1 - alpha) * 0.5 * (1 + cos(Double.pi * t)) + alpha)
    }
  }

  /// Linear warm-up from `initial` to `peak` over `warmupSteps`, then cosine decay to `end`
  /// at `totalSteps` (optax `warmup_cosine_decay_schedule`).
  public static func warmupCosine(initial: Double = 0, peak: Double, warmupSteps: Int, totalSteps: Int, end: Double = 0) -> Schedule {
    precondition(warmupSteps >= 0 && totalSteps > warmupSteps, "need 0 <= warmupSteps < totalSteps")
    return Schedule { step in
      if step < warmupSteps { return initial + (peak - initial) * Double(step) / Double(warmupSteps) }
      let t = Double(min(step, totalSteps) - warmupSteps) / Double(totalSteps - warmupSteps)
      return end + (peak - end) * 0.5 * (1 + cos(Double.pi * t))
    }
  }

  /// One-cycle (Smith & Topin 2019, "Super-Convergence"; torch `OneCycleLR` with cosine
  /// annealing): from maxLR/divFactor up to maxLR over pctStart·totalSteps, then down to
  /// maxLR/(divFactor·finalDivFactor) at the last step.
  public static func oneCycle(maxLR: Double, totalSteps: Int, pctStart: Double = 0.3, divFactor: Double = 25,
                              finalDivFactor: Double = 1e4) -> Schedule {
    precondition(totalSteps > 1 && pctStart > 0 && pctStart < 1, "need totalSteps > 1 and 0 < pctStart < 1")
    let initial = maxLR / divFactor
    let minimum = initial / finalDivFactor
    let peakStep = pctStart * Double(totalSteps) - 1
    let last = Double(totalSteps - 1)
    @Sendable func anneal(_ start: Double, _ end: Double, _ fraction: Double) -> Double {
      end + (start - end) / 2 * (cos(Double.pi * fraction) + 1)
    }
    return Schedule { step in
      let s = Double(min(step, totalSteps - 1))
      if s <= peakStep { return anneal(initial, maxLR, s / peakStep) }
      return anneal(maxLR, minimum, (s - peakStep) / (last - peakStep))
    }
  }
}
