import ArgumentParser
import Foundation
import Hone

extension NASCommand {
  /// `hone nas latency`: measured latency of cell networks on this machine beside FBNet's
  /// lookup-table prediction.
  struct LatencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "latency",
      abstract: "Measure cell networks' latency on this machine (one thread) beside the lookup-table prediction.",
      discussion: """
        Each network is timed after warm-up passes (median and interquartile range of the \
        repeats). The prediction sums the measured latencies of each operation alone (FBNet's \
        lookup table). With --sample N, N random cells are measured and the rank correlation \
        of prediction and measurement is reported.
        """)
    @OptionGroup var network: CellNetworkOptions
    @Option(help: "A cell to measure (its string); repeat for several.") var cell: [String] = []
    @Option(parsing: .unconditional, help: "Random cells to measure.") var sample = 0
    @Option(parsing: .unconditional, help: "Classes of the classifier.") var classes = 10
    @Option(parsing: .unconditional, help: "Examples per forward pass.") var batch = 1
    @Option(parsing: .unconditional, help: "Untimed passes first.") var warmup = 5
    @Option(parsing: .unconditional, help: "Timed passes.") var repeats = 30
    @Option(parsing: .unconditional, help: "Seed of the sample.") var seed: UInt64 = 0
    @Flag(help: "Print one JSON document.") var json = false

    func run() throws {
      guard batch >= 1, warmup >= 0, repeats >= 1, sample >= 0 else {
        throw ValidationError("--batch and --repeats must be at least 1, --warmup and --sample at least 0")
      }
      guard !cell.isEmpty || sample > 0 else { throw ValidationError("give --cell (repeatable) or --sample N") }
      var options = network
      if options.image == nil { options.image = "1x8x8" }
      let shape = try options.shape(features: -1, classes: classes)
      var cells: [[CellOperation]] = []
      for text in cell {
        do { cells.append(try CellSpace.operations(parsing: text)) } catch { throw ValidationError("--cell: \(error)") }
      }
      var rng = SeededRNG(seed: seed)
      let space = CellSpace()
      cells += (0..<sample).map { _ in space.operations(of: space.sample(using: &rng)) }
      let table = try LatencyTable(shape: shape, operations: Array(Set(cells.joined())), batch: batch, warmup: warmup, repeats: repeats)
      var rows: [JSONValue] = []
      var (measured, predicted) = ([Double](), [Double]())
      for (k, operations) in cells.enumerated() {
        let model = try CellNetwork(operations, shape: shape, seed: UInt64(k))
        let latency = try Latency.measure(model, inputShape: [shape.inputFeatures], batch: batch, warmup: warmup, repeats: repeats)
        let prediction = try table.predict(operations)
        measured.append(latency.median)
        predicted.append(prediction)
        let cost = shape.cost(of: operations)
        rows.append(.object(["cell": .string(CellSpace.string(of: operations)), "median_ms": .double(latency.median * 1e3),
                             "iqr_ms": .double(latency.interquartileRange * 1e3), "predicted_ms": .double(prediction * 1e3),
                             "parameters": .int(cost.parameters), "multiply_accumulates": .int(cost.multiplyAccumulates)]))
        if !json {
          print("\(CellSpace.string(of: operations))  measured \(ms(latency.median)) ms (IQR \(ms(latency.interquartileRange)))  predicted \(ms(prediction)) ms")
        }
      }
      let errors = zip(predicted, measured).map { abs($0 - $1) / $1 }.sorted()
      let medianError = errors[errors.count / 2]
      let correlation = cells.count >= 3 ? spearmanCorrelation(predicted, measured) : nil
      if json {
        var document: [String: JSONValue] = ["batch": .int(batch), "cells": .array(rows), "median_relative_error": .double(medianError)]
        if let correlation { document["spearman"] = .double(correlation) }
        printJSON(.object(document))
      } else {
        print("median relative error \(String(format: "%.3f", medianError))" + (correlation.map { String(format: ", Spearman %.3f", $0) } ?? ""))
      }
    }
  }
}

/// Seconds as milliseconds with 3 decimals.
private func ms(_ seconds: Double) -> String { String(format: "%.3f", seconds * 1e3) }
