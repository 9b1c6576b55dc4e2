import Foundation
import Testing
import HoneMath

@Suite struct YeoJohnsonTests {
  /// λ and ψ against scikit-learn 1.9.1's `PowerTransformer(method: "yeo-johnson",
  /// standardize: False)` fitted on the same values standardized (population deviation).
  @Test(arguments: [
    ([0.5, 1, 2, 3, 6, 12], -0.26851686564542454,
     [-1.4595984239623918, -1.185869292028332, -0.7086630161565375, -0.32191165268257527, 0.3743600268811053, 0.9508722830328519]),
    ([-40, -8, -3, -1, -0.5, 0, 0.2], 3.6395582766159187,
     [-0.5279945911651702, -0.03711469148329547, 0.5014301801658589, 0.8639019160896273, 0.9709033923465632, 1.0850154201933306,
      1.1327151828968418]),
    ([1, 2, 3, 4, 5, 6], 1.0,
     [-1.4638501094227943, -0.8783100656536778, -0.29277002188455964, 0.2927700218845603, 0.878310065653682, 1.4638501094228051]),
  ])
  func matchesScikitLearn(values: [Double], lambda: Double, transformed: [Double]) {
    let transform = YeoJohnsonTransform(fitting: values)
    #expect(abs(transform.lambda - lambda) < 1e-6, "λ \(transform.lambda), scikit-learn \(lambda)")
    for (value, expected) in zip(values, transformed) {
      #expect(abs(transform(value) - expected) < 1e-6, "ψ(\(value)) = \(transform(value)), scikit-learn \(expected)")
    }
  }

  /// A long lower tail (a minimized objective spanning orders of magnitude, negated) is drawn
  /// in, and the order of the values is kept.
  @Test func drawsInALongTailAndKeepsTheOrder() {
    var rng = SeededRNG(seed: 3)
    let values = (0..<200).map { _ in -pow(10, 6 * rng.nextDouble()) }
    let transform = YeoJohnsonTransform(fitting: values)
    #expect(transform.lambda > 1.5)
    let warped = values.map { transform($0) }
    let (mean, deviation) = meanAndStandardDeviation(warped)
    let lowest = warped.min()!
    #expect((lowest - mean) / deviation > -4, "the tail stays within 4 deviations after warping")
    let order = values.indices.sorted { values[$0] < values[$1] }
    #expect(order == warped.indices.sorted { warped[$0] < warped[$1] })
  }

  /// Fewer than three values or no spread: the identity on the standardized values; the
  /// exponent stays within [−2, 4] when the likelihood would push it further.
  @Test func degenerateInputs() {
    #expect(YeoJohnsonTransform(fitting: [4, 4, 4, 4]).lambda == 1)
    #expect(YeoJohnsonTransform(fitting: [1, 2]).lambda == 1)
    #expect(YeoJohnsonTransform(fitting: []).lambda == 1)
    let extreme = YeoJohnsonTransform(fitting: [-1e4, -250, -30, -2, -0.5, -0.1])
    #expect(extreme.lambda <= 4 && extreme.lambda > 3.9)
    #expect(YeoJohnsonTransform.psi(0, 0.3) == 0)
    #expect(abs(YeoJohnsonTransform.psi(2, 0) - log(3)) < 1e-15)
    #expect(abs(YeoJohnsonTransform.psi(-2, 2) + log(3)) < 1e-15)
  }
}
