import Foundation
import Hone

/// A comparison's numbers as the command prints them: a text table, a JSON document, and the
/// rows the HTML report shows.
struct ComparisonSummary {
  let comparison: OptimizerComparison
  /// The learning rate each contender trained with, by name.
  let learningRates: [String: Double]
  /// The labels of the training examples (to name opposing-signal groups).
  let trainLabels: [Int]

  /// The headers of the solutions table.
  static let header = ["optimizer", "lr", "test acc", "test loss", "train loss", "λmax", "tr H", "rank(repr)", "mean rank(W)",
                       "sparsity", "‖w‖", "seconds"]

  /// One row per solution, formatted.
  var rows: [[String]] {
    comparison.solutions.map { s in
      [s.name, g(learningRates[s.name] ?? .nan), f(s.test.accuracy), f(s.test.loss), f(s.trainLoss), g(s.sharpness), g(s.hessianTrace.value), f(s.representationRank, 1),
       f(mean(s.weightRanks.map(\.value)), 1), f(mean(s.sparsity.map(\.value)), 3), f(totalNorm(s), 1), f(s.seconds, 1)]
    }
  }

  /// The headers of the pairs table.
  static let pairHeader = ["first", "second", "loss barrier", "linear CKA"]

  /// One row per pair of solutions.
  var pairRows: [[String]] {
    comparison.pairs.map { p in
      [comparison.solutions[p.first].name, comparison.solutions[p.second].name, g(p.barrier.height), f(p.cka)]
    }
  }

  /// The opposing-signal pairs of solution `k` as lines of text.
  func opposingSignalLines(_ k: Int) -> [String] {
    guard let record = comparison.solutions[k].opposingSignals else { return [] }
    return record.pairs.indices.map { i in
      let pair = record.pairs[i]
      let share = record.shareAroundSharpnessSpikes(ofPair: i)
      return "pair \(i + 1): \(group(pair.first)) vs \(group(pair.second)); opposition \(f(pair.opposition, 2)), "
        + "strength \(f(pair.strength, 2)); loss share \(f(share.atSpikes, 3)) at sharpness spikes, \(f(share.overall, 3)) overall"
    }
  }

  /// A group as its size and labels: "6 examples (labels 1×4, 7×2)".
  func group(_ examples: [Int]) -> String {
    let counts = Dictionary(grouping: examples.map { trainLabels[$0] }, by: { $0 }).mapValues(\.count)
    let labels = counts.keys.sorted { (counts[$0]!, -$0) > (counts[$1]!, -$1) }.map { "\($0)×\(counts[$0]!)" }.joined(separator: ", ")
    return "\(examples.count) examples (labels \(labels))"
  }

  /// The table as text.
  var text: String {
    var lines = [formatTable(Self.header, rows)]
    if !pairRows.isEmpty { lines.append("\n" + formatTable(Self.pairHeader, pairRows)) }
    for (name, message) in comparison.diverged { lines.append("\n\(name) diverged: \(message)") }
    for k in comparison.solutions.indices where comparison.solutions[k].opposingSignals != nil {
      lines.append("\nopposing signals with \(comparison.solutions[k].name):")
      let found = opposingSignalLines(k)
      lines += found.isEmpty ? ["  none found"] : found.map { "  " + $0 }
    }
    return lines.joined(separator: "\n")
  }

  /// Everything measured, as JSON.
  var json: JSONValue {
    func layers(_ values: [LayerValue]) -> JSONValue { .object(Dictionary(uniqueKeysWithValues: values.map { ($0.layer, .double($0.value)) })) }
    let solutions: [JSONValue] = comparison.solutions.indices.map { k in
      let s = comparison.solutions[k]
      var object: [String: JSONValue] = [
        "optimizer": .string(s.name), "lr": .double(learningRates[s.name] ?? .nan), "test_accuracy": .double(s.test.accuracy),
        "test_loss": .double(s.test.loss), "train_loss": .double(s.trainLoss), "sharpness": .double(s.sharpness),
        "hessian_trace": .double(s.hessianTrace.value), "hessian_trace_stderr": .double(s.hessianTrace.standardError),
        "representation_rank": .double(s.representationRank), "weight_ranks": layers(s.weightRanks),
        "weight_norms": layers(s.weightNorms), "sparsity": layers(s.sparsity), "upsampled": .int(s.upsampled.count),
        "seconds": .double(s.seconds),
        "history": .array(s.history.map { e in
          .object(["epoch": .int(e.epoch), "train_loss": .double(e.trainLoss), "val_loss": .double(e.validation?.loss ?? .nan),
                   "val_accuracy": .double(e.validation?.accuracy ?? .nan)])
        }),
      ]
      if let record = s.opposingSignals {
        object["opposing_signals"] = .array(record.pairs.indices.map { i in
          let pair = record.pairs[i]
          let share = record.shareAroundSharpnessSpikes(ofPair: i)
          return .object(["first": .array(pair.first.map { .int($0) }), "second": .array(pair.second.map { .int($0) }),
                          "first_labels": .array(pair.first.map { .int(trainLabels[$0]) }),
                          "second_labels": .array(pair.second.map { .int(trainLabels[$0]) }),
                          "opposition": .double(pair.opposition), "strength": .double(pair.strength),
                          "share_at_sharpness_spikes": .double(share.atSpikes), "share_overall": .double(share.overall)])
        })
        object["sharpness_by_epoch"] = .array(record.sharpnessByEpoch.map { .double($0) })
      }
      return .object(object)
    }
    let pairs: [JSONValue] = comparison.pairs.map { p in
      .object(["first": .string(comparison.solutions[p.first].name), "second": .string(comparison.solutions[p.second].name),
               "loss_barrier": .double(p.barrier.height), "cka": .double(p.cka)])
    }
    let diverged: [JSONValue] = comparison.diverged.map { .object(["optimizer": .string($0.name), "error": .string($0.message)]) }
    return .object(["solutions": .array(solutions), "pairs": .array(pairs), "diverged": .array(diverged)])
  }

  private func totalNorm(_ s: SolutionMeasurements) -> Double { s.weightNorms.reduce(0) { $0 + $1.value * $1.value }.squareRoot() }
  private func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
  private func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", x) }
  private func g(_ x: Double) -> String { String(format: "%.4g", x) }

  /// Columns padded to their widest cell.
  private func formatTable(_ header: [String], _ rows: [[String]]) -> String {
    let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max()! }
    func line(_ cells: [String]) -> String {
      zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
  }
}
