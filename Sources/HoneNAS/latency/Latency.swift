import HoneMath
import HoneNN
import HoneTune
import HoneTensor

/// A measured latency: the median and the spread of repeated forward passes.
public struct LatencyMeasurement: Sendable {
  /// The median seconds of one forward pass of the batch.
  public var median: Double
  /// The interquartile range of the timings, in seconds (the spread).
  public var interquartileRange: Double
  /// Every timing, in seconds, in the order taken.
  public var samples: [Double]
  /// Examples per forward pass.
  public var batch: Int
}

/// Latency on this machine: a model's forward pass in evaluation mode on one thread, timed
/// after warm-up passes, summarized by the median (robust to the occasional interrupted run)
/// and the interquartile range.
public enum Latency {
  /// Times `forward` on a [batch] + `inputShape` input drawn N(0, 1) from `seed`: `warmup`
  /// untimed passes, then `repeats` timed ones, OpenBLAS on one thread.
  public static func measure(inputShape: [Int], batch: Int = 1, warmup: Int = 5, repeats: Int = 30, seed: UInt64 = 0,
                             _ forward: (Tensor<Float>) -> Tensor<Float>) throws -> LatencyMeasurement {
    guard batch >= 1, warmup >= 0, repeats >= 1 else {
      throw NASError("latency needs a batch ≥ 1, warm-up ≥ 0 and repeats ≥ 1 (got \(batch), \(warmup), \(repeats))")
    }
    let input = Tensor<Float>.randomNormal([batch] + inputShape, seed: seed)
    let clock = ContinuousClock()
    let samples = BLASThreads.with(1) { () -> [Double] in
      for _ in 0..<warmup { _ = forward(input) }
      return (0..<repeats).map { _ in
        let start = clock.now
        let output = forward(input)
        _ = output.count
        return (clock.now - start).seconds
      }
    }
    let sorted = samples.sorted()
    func quantile(_ q: Double) -> Double {
      let position = q * Double(sorted.count - 1)
      let (low, high) = (Int(position.rounded(.down)), Int(position.rounded(.up)))
      return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
    return LatencyMeasurement(median: quantile(0.5), interquartileRange: quantile(0.75) - quantile(0.25), samples: samples, batch: batch)
  }

  /// The latency of a model (put in evaluation mode) on inputs of `inputShape` per example.
  public static func measure(_ model: some Layer, inputShape: [Int], batch: Int = 1, warmup: Int = 5, repeats: Int = 30,
                             seed: UInt64 = 0) throws -> LatencyMeasurement {
    model.eval()
    return try measure(inputShape: inputShape, batch: batch, warmup: warmup, repeats: repeats, seed: seed) { model($0) }
  }
}
