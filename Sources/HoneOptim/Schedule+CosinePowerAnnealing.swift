import Foundation

extension Schedule {
  /// Cosine power annealing (Hundt et al. 2019, "sharpDARTS: Faster and More Accurate
  /// Differentiable Architecture Search"), indexed by epoch from 0:
  ///
  ///     c_e = (1 + cos(π·e/T))/2,  q_e = k^(c_e + 1) (or c_e when k = 1),  e = 1…T
  ///     q ← (q − min q)/max(q − min q),  lr_e = min_lr + q_e·(max_lr − min_lr)
  ///
  /// so without warm-up the first epoch is exactly `maxLR` and the last exactly `minLR`.
  /// With W warm-up epochs, as the sharpDARTS code does, the cosine runs over the shifted
  /// epochs e − W (T = epochs − W) and the first W + 1 epochs ramp linearly,
  /// q_i = (i + 1)/(W + 1). Epochs past the end keep the last rate.
  public static func cosinePowerAnnealing(epochs: Int, maxLR: Double = 0.1, minLR: Double = 1e-4,
                                          exponentOrder: Double = 10, warmupEpochs: Int = 0) throws -> Schedule {
    let rates = try cosinePowerAnnealingRates(epochs: epochs, maxLR: maxLR, minLR: minLR, exponentOrder: exponentOrder,
                                              warmupEpochs: warmupEpochs)
    return Schedule { rates[min(max($0, 0), rates.count - 1)] }
  }

  /// The rates of `cosinePowerAnnealing`, one per epoch.
  public static func cosinePowerAnnealingRates(epochs: Int, maxLR: Double = 0.1, minLR: Double = 1e-4,
                                               exponentOrder: Double = 10, warmupEpochs: Int = 0) throws -> [Double] {
    guard epochs >= 2, warmupEpochs >= 0, warmupEpochs < epochs - 1 else {
      throw OptimError.invalidHyperparameter("cosine power annealing needs epochs >= 2 and 0 <= warmupEpochs < epochs - 1")
    }
    guard exponentOrder >= 1 else { throw OptimError.invalidHyperparameter("exponentOrder must be >= 1, got \(exponentOrder)") }
    guard minLR >= 0, maxLR >= minLR else { throw OptimError.invalidHyperparameter("need 0 <= minLR <= maxLR") }
    let span = Double(epochs - warmupEpochs)
    var q = (1...epochs).map { epoch -> Double in
      let c = (1 + cos(Double.pi * Double(epoch - warmupEpochs) / span)) / 2
      return exponentOrder == 1 ? c : pow(exponentOrder, c + 1)
    }
    let low = q.min()!
    let high = q.map { $0 - low }.max()!
    q = q.map { ($0 - low) / high }
    if warmupEpochs > 0 { for i in 0...warmupEpochs { q[i] = Double(i + 1) / Double(warmupEpochs + 1) } }
    return q.map { $0 * (maxLR - minLR) + minLR }
  }
}

extension Schedule {
  /// An epoch-indexed schedule applied per step: the rate at step t is `epochs(⌊t/stepsPerEpoch⌋)`.
  public static func perEpoch(_ epochs: Schedule, stepsPerEpoch: Int) -> Schedule {
    precondition(stepsPerEpoch > 0, "perEpoch: stepsPerEpoch must be positive")
    return Schedule { epochs($0 / stepsPerEpoch) }
  }
}
