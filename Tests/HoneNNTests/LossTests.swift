import Foundation
import Testing
@testable import HoneNN
import HoneTensor

@Suite("Losses")
struct LossTests {
  /// The AnyLoss case of the shared reference vectors (copied here as facts).
  let yTrue: [Double] = [1, 0, 1, 1, 0, 0, 1, 0]
  let yPred: [Double] = [0.9, 0.2, 0.55, 0.45, 0.51, 0.05, 0.99, 0.7]

  @Test func anyLossMatchesTheReference() {
    let p = Tensor<Double>(yPred), y = Tensor<Double>(yTrue)
    let (tp, fn, fp, tn) = AnyLoss(.accuracy).confusion(probabilities: p, labels: y)
    #expect(Swift.abs(tp.scalar - 2.9999999999997913) < 1e-12)
    #expect(Swift.abs(fn.scalar - 1.0000000000002087) < 1e-12)
    #expect(Swift.abs(fp.scalar - 1.6748048165381748) < 1e-12)
    #expect(Swift.abs(tn.scalar - 2.325195183461825) < 1e-12)
    #expect(Swift.abs(AnyLoss(.accuracy)(probabilities: p, labels: y).scalar - 0.33435060206729794) < 1e-12)
    #expect(Swift.abs(AnyLoss(.fBeta(1))(probabilities: p, labels: y).scalar - 0.3083425840329207) < 1e-12)
    #expect(Swift.abs(AnyLoss(.balancedAccuracy)(probabilities: p, labels: y).scalar - 0.33435081008266987) < 1e-12)
    // The square-root G-mean with s in the denominator: the reference (no s) differs by ≈ 2e-7.
    #expect(Swift.abs(AnyLoss(.geometricMean)(probabilities: p, labels: y).scalar - 0.33971665408018814) < 1e-6)
    // Float agrees.
    let f = AnyLoss(.fBeta(1))(probabilities: Tensor<Float>(p), labels: Tensor<Float>(y)).scalar
    #expect(Swift.abs(Double(f) - 0.3083425840329207) < 1e-5)
  }

  @Test(arguments: [AnyLoss.Metric.accuracy, .fBeta(1), .fBeta(2), .balancedAccuracy, .geometricMean])
  func anyLossGradientsMatchFiniteDifferences(_ metric: AnyLoss.Metric) {
    // L = 73 makes A(p) nearly a step; the check uses inputs where it still has slope.
    let loss = AnyLoss(metric)
    let y = Tensor<Double>(yTrue)
    let p = Tensor<Double>([0.52, 0.47, 0.55, 0.45, 0.51, 0.49, 0.53, 0.5])
    expectGradientMatches(at: p) { loss(probabilities: $0, labels: y) }
  }

  @Test func crossEntropyMatchesItsDefinition() {
    let logits = Tensor<Double>.randomNormal([5, 4], seed: 1)
    let labels = [0, 3, 1, 1, 2]
    for smoothing in [0.0, 0.1] {
      let fused = crossEntropy(logits: logits, labels: labels, labelSmoothing: smoothing)
      let target = Tensor<Double>.oneHot(labels, classes: 4) * (1 - smoothing) + smoothing / 4
      let composed = -(target * logits.logSoftmax(alongAxis: 1)).sum(alongAxis: 1).mean()
      #expect(Swift.abs(fused.scalar - composed.scalar) < 1e-12)
      expectGradientMatches(at: logits) { crossEntropy(logits: $0, labels: labels, labelSmoothing: smoothing) }
    }
  }

  @Test func binaryCrossEntropyAndMSE() {
    let z = Tensor<Double>([-30, -1, 0, 2, 40]), t = Tensor<Double>([0, 1, 1, 0, 1])
    var direct = 0.0
    for (zi, ti) in zip(z.scalars, t.scalars) {
      let s: Double = 1 / (1 + Foundation.exp(-zi))
      let positive: Double = ti * Foundation.log(Swift.max(s, 1e-300))
      let negative: Double = (1 - ti) * Foundation.log(Swift.max(1 - s, 1e-300))
      direct -= (positive + negative) / 5
    }
    #expect(Swift.abs(binaryCrossEntropy(logits: z, targets: t).scalar - direct) < 1e-9)
    expectGradientMatches(at: Tensor<Double>([-1.5, 0, 0.3, 2])) { binaryCrossEntropy(logits: $0, targets: Tensor([0, 1, 1, 0.5])) }
    // A batch of one class: the G-mean loss keeps a finite gradient.
    let oneClass = gradient(at: Tensor<Double>([0.4, 0.6])) { AnyLoss(.geometricMean)(probabilities: $0, labels: Tensor([1, 1])) }
    #expect(oneClass.scalars.allSatisfy { $0.isFinite })
    #expect(mseLoss(Tensor<Double>([1, 2]), Tensor([0, 4])).scalar == 2.5)
    expectGradientMatches(at: Tensor<Double>([1, 2, 3])) { mseLoss($0, Tensor([0, 4, 1])) }
  }
}

/// Checks ∇f at x against central differences (h = 1e-6) in Double.
func expectGradientMatches(at x: Tensor<Double>, _ f: (Tensor<Double>) -> Tensor<Double>,
                           sourceLocation: SourceLocation = #_sourceLocation) {
  let analytic = gradient(at: x, in: f).scalars
  for i in 0..<x.count {
    var plus = x, minus = x
    plus.withUnsafeMutableBufferPointer { $0[i] += 1e-6 }
    minus.withUnsafeMutableBufferPointer { $0[i] -= 1e-6 }
    let numeric = (f(plus).scalar - f(minus).scalar) / 2e-6
    #expect(Swift.abs(analytic[i] - numeric) <= 1e-6 + 1e-5 * Swift.abs(numeric),
            "element \(i): analytic \(analytic[i]), finite difference \(numeric)", sourceLocation: sourceLocation)
  }
}
