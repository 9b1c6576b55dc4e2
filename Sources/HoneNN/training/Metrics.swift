/// Classification metrics on predicted and true class labels.
public enum Metrics {
  /// The fraction of predictions equal to the label.
  public static func accuracy(predicted: [Int], labels: [Int]) -> Double {
    precondition(predicted.count == labels.count, "accuracy: \(predicted.count) predictions for \(labels.count) labels")
    guard !labels.isEmpty else { return 0 }
    return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
  }

  /// F1 of one class: 2·TP/(2·TP + FP + FN) (0 when the class is never predicted nor present).
  public static func f1(predicted: [Int], labels: [Int], positive: Int = 1) -> Double {
    precondition(predicted.count == labels.count, "f1: \(predicted.count) predictions for \(labels.count) labels")
    var tp = 0, fp = 0, fn = 0
    for (p, y) in zip(predicted, labels) {
      if p == positive && y == positive { tp += 1 } else if p == positive { fp += 1 } else if y == positive { fn += 1 }
    }
    return tp == 0 ? 0 : Double(2 * tp) / Double(2 * tp + fp + fn)
  }

  /// The unweighted mean of the per-class F1 over `classes` classes (scikit-learn's `average="macro"`).
  public static func macroF1(predicted: [Int], labels: [Int], classes: Int) -> Double {
    guard classes > 0 else { return 0 }
    return (0..<classes).reduce(0) { $0 + f1(predicted: predicted, labels: labels, positive: $1) } / Double(classes)
  }

  /// F1 of class 1 for two classes, the macro F1 otherwise.
  public static func f1Score(predicted: [Int], labels: [Int], classes: Int) -> Double {
    classes == 2 ? f1(predicted: predicted, labels: labels, positive: 1) : macroF1(predicted: predicted, labels: labels, classes: classes)
  }
}
