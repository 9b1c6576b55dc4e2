import Foundation
import Hone

/// The parsers that read outside input, each as a function of raw bytes that must return —
/// an error is fine, a crash, a hang or unbounded memory is not. `make fuzz` runs each under
/// libFuzzer (coverage-guided) for ten minutes; `make test` replays the kept corpus
/// (`Fuzz/corpus/<target>/`) through the normal build.
public enum FuzzTarget: String, CaseIterable, Sendable {
  /// `JSONValue.parse`, and printing what it parsed back to text.
  case json
  /// A search space: `ConditionalSpace(json:)` (which validates every distribution).
  case space
  /// One `hone serve` request line, on a fresh session over in-memory storage.
  case serve
  /// A storage URL: `StorageURL.parse` and `PostgresURL` (which open nothing).
  case storageURL = "storage-url"
  /// The CSV loader behind `hone train --data file.csv`.
  case csv
  /// A safetensors file, as `Module.load(from:)` reads it.
  case safetensors
  /// An optimizer state file (`OptimizerState(serialized:)`), for float and double.
  case optimizerState = "optimizer-state"

  /// Feeds `data` to the parser.
  public func run(_ data: Data) {
    let text = String(decoding: data, as: UTF8.self)
    switch self {
    case .json:
      if let value = try? JSONValue.parse(text) { _ = try? JSONValue.parse(value.description) }
    case .space:
      if let space = try? ConditionalSpace(json: text) { _ = space.distributions.mapValues(\.json) }
    case .serve:
      let session = ServeSession(storage: InMemoryStorage())
      for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(16) {
        _ = session.respond(to: String(line)).description
      }
      session.close(reason: "fuzzing")
    case .storageURL:
      _ = try? StorageURL.parse(text)
      _ = try? PostgresURL(text)
    case .csv:
      _ = try? Dataset.csv(text: text, label: nil)
    case .safetensors:
      _ = try? Tensor<Float>.safetensors(data)
    case .optimizerState:
      _ = try? OptimizerState<Float>(serialized: [UInt8](data))
      _ = try? OptimizerState<Double>(serialized: [UInt8](data))
    }
  }
}
