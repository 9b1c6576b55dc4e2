import HoneBayes

/// The last surrogate a `GPSampler` fitted, with what it was fitted from: a fit is a pure
/// function of the data, the warm start and the seed, so an ask that repeats them (the next
/// ask of a batch, which differs only in its fantasies) reuses the model instead of fitting it
/// again. The Matérn GP, whose fit is cheap and warm-started from the previous trial's, is not
/// kept.
final class FittedSurrogateCache: Sendable {
  private struct Key: Equatable {
    var name: String, inputs: [Double], outputs: [Double], choices: [Int?], mean: Double?, scale: Double?
    var deterministic: Bool, initial: [Double]?, warmIterations: Int, seed: UInt64
  }
  private let last = Locked<(key: Key, model: any Surrogate)?>(nil)

  /// `surrogate` fitted to `data`, or the kept model when the same fit was the last one made.
  func model(_ surrogate: any SurrogateFitter, data: SurrogateData, initial: [Double]?, warmIterations: Int,
             seed: UInt64) throws -> any Surrogate {
    guard !(surrogate is MaternSurrogate) else { return try surrogate.fit(data, initial: initial, warmIterations: warmIterations, seed: seed) }
    let key = Key(name: surrogate.name, inputs: data.inputs, outputs: data.outputs, choices: data.choices, mean: data.standardization?.mean,
                  scale: data.standardization?.scale, deterministic: data.deterministic, initial: initial,
                  warmIterations: warmIterations, seed: seed)
    if let kept = last.current, kept.key == key { return kept.model }
    let model = try surrogate.fit(data, initial: initial, warmIterations: warmIterations, seed: seed)
    last.withLock { $0 = (key, model) }
    return model
  }
}
