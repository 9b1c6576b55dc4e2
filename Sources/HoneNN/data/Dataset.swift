import Foundation
import HoneMath
import HoneTensor

/// A labelled table for classification: one row of numeric features per example and an
/// integer class label.
public struct Dataset: Sendable {
  /// The features, [count, featureCount].
  public var features: Tensor<Float>
  /// The class of each row, 0..<classCount.
  public var labels: [Int]
  /// The feature names (CSV header order, label excluded).
  public var featureNames: [String]
  /// The number of classes (one more than the largest label).
  public var classCount: Int

  /// A dataset from features [n, d] and n labels.
  public init(features: Tensor<Float>, labels: [Int], featureNames: [String]? = nil, classCount: Int? = nil) {
    precondition(features.rank == 2 && features.shape[0] == labels.count,
                 "Dataset: features \(features.shape) do not match \(labels.count) labels")
    self.features = features
    self.labels = labels
    self.featureNames = featureNames ?? (0..<features.shape[1]).map { "x\($0)" }
    self.classCount = classCount ?? ((labels.max() ?? -1) + 1)
  }

  /// The number of examples.
  public var count: Int { labels.count }
  /// The number of features.
  public var featureCount: Int { features.shape[1] }

  /// The examples at `indices`, in that order.
  public func subset(_ indices: [Int]) -> Dataset {
    Dataset(features: features.gathering(indices, alongAxis: 0), labels: indices.map { labels[$0] },
            featureNames: featureNames, classCount: classCount)
  }

  /// This dataset followed by the examples of `other` (same features and classes).
  public func appending(_ other: Dataset) -> Dataset {
    precondition(other.featureCount == featureCount, "appending: \(other.featureCount) features to \(featureCount)")
    guard other.count > 0 else { return self }
    return Dataset(features: Tensor.concatenate([features, other.features], alongAxis: 0), labels: labels + other.labels,
                   featureNames: featureNames, classCount: Swift.max(classCount, other.classCount))
  }

  /// A CSV file with a header row: every column numeric; `label` (default: the column named
  /// "label", else the last) holds whole-number classes. Rows with a missing or non-numeric
  /// cell are an error naming the line.
  public static func csv(contentsOf url: URL, label: String? = nil) throws -> Dataset {
    let text: String
    do { text = try String(contentsOf: url, encoding: .utf8) } catch {
      throw NNError.badFile("\(url.path): \(error.localizedDescription)")
    }
    return try csv(text: text, label: label, source: url.path)
  }

  /// Parses CSV text (see `csv(contentsOf:label:)`).
  public static func csv(text: String, label: String? = nil, source: String = "CSV") throws -> Dataset {
    var lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard !lines.isEmpty else { throw NNError.badFile("\(source) is empty") }
    let header = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let labelColumn: Int
    if let label {
      guard let i = header.firstIndex(of: label) else {
        throw NNError.badFile("\(source) has no column \"\(label)\" (columns: \(header.joined(separator: ", ")))")
      }
      labelColumn = i
    } else {
      labelColumn = header.firstIndex(of: "label") ?? header.count - 1
    }
    guard header.count >= 2 else { throw NNError.badFile("\(source) needs at least one feature column and a label column") }
    guard !lines.isEmpty else { throw NNError.badFile("\(source) has a header but no rows") }
    var features: [Float] = []
    features.reserveCapacity(lines.count * (header.count - 1))
    var labels: [Int] = []
    for (row, line) in lines.enumerated() {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
      guard cells.count == header.count else {
        throw NNError.badFile("\(source) line \(row + 2) has \(cells.count) cells, the header \(header.count)")
      }
      for (column, cell) in cells.enumerated() {
        guard let value = Double(cell.trimmingCharacters(in: .whitespaces)), value.isFinite else {
          throw NNError.badFile("\(source) line \(row + 2), column \(header[column]): \"\(cell)\" is not a number")
        }
        if column == labelColumn {
          guard value >= 0, value == value.rounded(), value < 1e6 else {
            throw NNError.badFile("\(source) line \(row + 2): label \(value) is not a class number (0, 1, 2, …)")
          }
          labels.append(Int(value))
        } else {
          features.append(Float(value))
        }
      }
    }
    var names = header
    names.remove(at: labelColumn)
    return Dataset(features: Tensor(shape: [labels.count, names.count], scalars: features), labels: labels, featureNames: names)
  }

  /// The handwritten digits bundled with Hone: 1,797 images of 8×8 pixels (values 0–16) and
  /// their digit. UCI "Optical Recognition of Handwritten Digits" (Alpaydin & Kaynak 1998,
  /// CC BY 4.0), as shipped by scikit-learn's `load_digits`.
  public static func digits() throws -> Dataset { try bundled("digits") }

  /// The breast-cancer table bundled with Hone: 569 tumours, 30 real features, label 1 =
  /// benign, 0 = malignant. UCI "Breast Cancer Wisconsin (Diagnostic)" (Wolberg, Street &
  /// Mangasarian 1995, CC BY 4.0), as shipped by scikit-learn.
  public static func breastCancer() throws -> Dataset { try bundled("breast_cancer") }

  private static func bundled(_ name: String) throws -> Dataset {
    guard let url = Bundle.module.url(forResource: name, withExtension: "csv") else {
      throw NNError.badFile("the bundled \(name).csv is missing from the HoneNN resources")
    }
    return try csv(contentsOf: url, label: "label")
  }
}
