import HoneTensor

/// AnyLoss (Han et al. 2024, "AnyLoss: Transforming Classification Metrics into Loss
/// Functions"): a confusion-matrix metric made differentiable for binary classification.
///
/// Predicted probabilities p are pushed towards 0 or 1 by the approximation
/// A(p) = 1/(1 + exp(−L·(p − 0.5))) (L = 73 by default); with y the 0/1 labels,
/// y₁ = Σy and y₀ = N − y₁, the soft confusion matrix is TP = Σ y·A, FN = y₁ − TP,
/// FP = ΣA − TP, TN = y₀ − FP; the loss is 1 − metric, with smoothing s in the denominators:
/// - accuracy: (TP + TN)/N
/// - F-β: (1 + β²)·TP/(β²·y₁ + ΣA + s)
/// - balanced accuracy: (y₀·TP + y₁·TN)/(2·y₁·y₀ + s)
/// - geometric mean: √(max(TP·TN/(y₁·y₀ + s), s)) (the square-root form: the geometric mean
///   of the true-positive and true-negative rates; the floor keeps the gradient finite on a
///   batch of one class).
public struct AnyLoss: Sendable {
  /// The metric made into a loss.
  public enum Metric: Sendable, Equatable {
    /// Accuracy.
    case accuracy
    /// F-β (β = 1: F1).
    case fBeta(Double)
    /// The mean of the true-positive and true-negative rates.
    case balancedAccuracy
    /// The geometric mean of the true-positive and true-negative rates.
    case geometricMean
  }

  /// The metric.
  public let metric: Metric
  /// The amplification L of the approximation.
  public let amplification: Double
  /// The smoothing s in the denominators.
  public let smoothing: Double

  /// A loss for `metric` (L = 73, s = 1e-5 by default, the paper's values).
  public init(_ metric: Metric, amplification: Double = 73, smoothing: Double = 1e-5) {
    self.metric = metric
    self.amplification = amplification
    self.smoothing = smoothing
  }

  /// The soft confusion matrix (TP, FN, FP, TN) of probabilities against 0/1 labels.
  public func confusion<S>(probabilities p: Tensor<S>, labels y: Tensor<S>)
    -> (truePositives: Tensor<S>, falseNegatives: Tensor<S>, falsePositives: Tensor<S>, trueNegatives: Tensor<S>) {
    precondition(p.shape == y.shape, "AnyLoss: probabilities \(p.shape) and labels \(y.shape) differ")
    let a = ((p - 0.5) * S(amplification)).sigmoid()
    let y1 = y.sum()
    let y0 = S(y.count) - y1
    let tp = (y * a).sum()
    let predicted = a.sum()
    return (tp, y1 - tp, predicted - tp, y0 - (predicted - tp))
  }

  /// 1 − metric(A(p), y), a scalar.
  public func callAsFunction<S>(probabilities p: Tensor<S>, labels y: Tensor<S>) -> Tensor<S> {
    let (tp, _, fp, tn) = confusion(probabilities: p, labels: y)
    let y1 = y.sum().detached
    let y0 = S(y.count) - y1
    let s = S(smoothing)
    switch metric {
    case .accuracy:
      return 1 - (tp + tn) / S(y.count)
    case .fBeta(let beta):
      let b2 = S(beta * beta)
      return 1 - (1 + b2) * tp / (b2 * y1 + tp + fp + s)
    case .balancedAccuracy:
      return 1 - (y0 * tp + y1 * tn) / (2 * y1 * y0 + s)
    case .geometricMean:
      // Floored at s so that a batch of one class (TP·TN = 0) has a finite gradient.
      return 1 - Tensor.maximum(tp * tn / (y1 * y0 + s), Tensor(s)).sqrt()
    }
  }
}
