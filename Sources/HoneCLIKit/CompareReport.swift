import Foundation
import Hone

/// The HTML page of `hone compare -o`: the solutions table, the pairs, training curves,
/// per-layer measurements, the loss along the line between solutions and, when recorded,
/// the opposing signals with their examples drawn (digits) and their share of the loss.
struct CompareReport {
  let summary: ComparisonSummary
  let dataName: String
  let model: String
  let epochs: Int
  /// The unstandardized training set when its rows are 8×8 digit images, to draw them.
  let digits: Dataset?

  var page: HTMLPage {
    let solutions = summary.comparison.solutions
    var sections: [HTMLPage.Section] = [
      ("summary", "", "<p>\(escapeHTML("\(dataName), model \(model), \(epochs) epochs; every optimizer from the same initial weights and batches."))</p>"
        + HTMLPage.table(header: ComparisonSummary.header, rows: summary.rows)),
    ]
    if !summary.comparison.diverged.isEmpty {
      sections.append(("diverged", "Diverged", "<ul>" + summary.comparison.diverged.map { "<li>\(escapeHTML("\($0.name): \($0.message)"))</li>" }.joined() + "</ul>"))
    }
    if !summary.pairRows.isEmpty { sections.append(("pairs", "Between solutions", HTMLPage.table(header: ComparisonSummary.pairHeader, rows: summary.pairRows))) }
    let trainLoss = solutions.map { s in LineSeries(s.name, s.history.map { (Double($0.epoch), $0.trainLoss) }) }
    let accuracy = solutions.map { s in LineSeries(s.name, s.history.map { (Double($0.epoch), $0.validation?.accuracy ?? .nan) }) }
    sections.append(("curves", "Training curves", "<div class=\"grid\">"
      + LineChart.svg(trainLoss, xTitle: "epoch", yTitle: "training loss", logY: true)
      + LineChart.svg(accuracy, xTitle: "epoch", yTitle: "validation accuracy") + "</div>"))
    sections.append(("layers", "Per layer", layerTable()))
    if !summary.comparison.pairs.isEmpty {
      let lines = summary.comparison.pairs.map { p in
        LineSeries("\(solutions[p.first].name)–\(solutions[p.second].name)", zip(p.barrier.alphas, p.barrier.losses).map { ($0, $1) })
      }
      sections.append(("barriers", "Training loss on the line between solutions", LineChart.svg(lines, xTitle: "α", yTitle: "training loss", logY: true)))
    }
    for k in solutions.indices where solutions[k].opposingSignals != nil {
      sections.append(("opposing-signals-\(k)", "Opposing signals with \(solutions[k].name)", opposingSignals(k)))
    }
    return HTMLPage(title: "Optimizers compared on \(dataName)", sections: sections)
  }

  /// Weight ranks, norms and sparsity, one row per layer and one column per optimizer.
  private func layerTable() -> String {
    let solutions = summary.comparison.solutions
    var rows: [[String]] = []
    func add(_ what: String, _ values: (SolutionMeasurements) -> [LayerValue], digits: Int) {
      for layer in values(solutions[0]).map(\.layer) {
        rows.append([what, layer] + solutions.map { s in
          values(s).first { $0.layer == layer }.map { String(format: "%.\(digits)f", $0.value) } ?? ""
        })
      }
    }
    add("effective rank", \.weightRanks, digits: 1)
    add("‖W‖_F", \.weightNorms, digits: 2)
    add("sparsity", \.sparsity, digits: 3)
    return HTMLPage.table(header: ["measure", "parameter"] + solutions.map(\.name), rows: rows)
  }

  /// The pairs as text, the first pair's examples drawn, each pair's share of the loss per
  /// step, and the sharpness per epoch.
  private func opposingSignals(_ k: Int) -> String {
    let record = summary.comparison.solutions[k].opposingSignals!
    let lines = summary.opposingSignalLines(k)
    guard !lines.isEmpty else { return "<p>No pair of groups with opposing signals was found.</p>" }
    var html = "<ul>" + lines.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>"
    if let digits, digits.featureCount == 64, let pair = record.pairs.first {
      let features = digits.features.scalars
      for (title, group) in [("first group", pair.first), ("second group", pair.second)] {
        let shown = Array(group.prefix(10))
        html += "<p>Pair 1, \(title):</p>" + PixelImages.svg(shown.map { i in (0..<64).map { Double(features[i * 64 + $0]) } }, side: 8,
                                                              captions: shown.map { "label \(digits.labels[$0])" })
      }
    }
    let shares = record.pairs.indices.map { i in LineSeries("pair \(i + 1)", zip(record.steps, record.share(ofPair: i)).map { (Double($0), $1) }) }
    let sharpness = LineSeries("λmax", record.sharpnessByEpoch.enumerated().map { (Double(($0.offset + 1) * record.stepsPerEpoch), $0.element) })
    return html + "<div class=\"grid\">" + LineChart.svg(shares, xTitle: "step", yTitle: "share of the training loss")
      + LineChart.svg([sharpness], xTitle: "step", yTitle: "top Hessian eigenvalue") + "</div>"
  }
}
