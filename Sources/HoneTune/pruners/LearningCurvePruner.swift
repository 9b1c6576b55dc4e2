import Foundation
import HoneMath

/// Early stopping by learning-curve prediction (Baker et al. 2017, "Accelerating Neural
/// Architecture Search using Performance Prediction"). CLI name `learning-curve`.
///
/// For a running trial with t observed values, a ν-SVR (RBF kernel) trained on the complete
/// trials predicts the final value from: the trial's numeric hyperparameters and numeric user
/// attributes (a parameter count, say), the t values, their first and second differences,
/// and their mean and standard deviation. It predicts the change from the last observed
/// value to the final one, ŷ = y_t + f(features): a model that shrinks towards its average
/// then shrinks towards the average gain, not towards the average final value, which would
/// doom every curve better than most. One model per t, its C and γ chosen by k-fold
/// cross-validation; the spread σ of the cross-validated residuals is the prediction's
/// uncertainty. With ŷ the prediction and y* the best final value so far, the trial is pruned
/// when P(final beats y*) = 1 − Φ((y* − ŷ)/σ) (maximizing; mirrored when minimizing) is below
/// Δ/(T − t), where T is the length of the longest complete curve (default Δ 0.05). A curve
/// faces up to T − t more decisions, one per value; dividing Δ among them (the union bound)
/// keeps the chance that a curve which would beat y* is stopped at any of them below Δ,
/// where a test at Δ after every value would let that chance grow with the curve's length.
/// Nothing is pruned before `startupTrials` trials have completed, before
/// `warmupSteps` values, at a length no complete trial reached, or while the trial's latest
/// value beats every complete trial's value at the same length: an RBF model cannot
/// extrapolate beyond the curves it was trained on, so a leading curve is kept.
///
/// With `predictor: .extrapolation` the final value and σ come instead from the trial's own
/// curve, extrapolated to the last step of the complete trials by `CurveExtrapolation`
/// (parametric families averaged by Akaike weights, after Domhan et al. 2015): no training
/// set, no hyperparameters, and a decision from 6 values on. The rest of the rule is the same.
///
/// With a `baseline` pruner (for example `MedianPruner()`), a trial is also pruned whenever the
/// baseline says so: the predictions then add to a proven rule instead of replacing it. A trial
/// the predictor stops is marked (system attribute `learning_curve_stopped`, the step) and the
/// baseline counts it as complete, with the values it reached: the baseline passed it at every
/// one of those steps, so it is one of the references the baseline alone would have had. A
/// median rule that lost the trials the predictor stopped would compare against fewer, better
/// curves at the early steps and stop less.
///
/// Models are refitted as trials complete (when their number has grown by `refitGrowth` since
/// the last fit, at least by 5), on the most recent `maxTrainingTrials`, so a decision costs a
/// prediction — O(n_sv · features) — most of the time.
public final class LearningCurvePruner: Pruner, Sendable {
  /// Δ: the largest chance of stopping a curve that would beat the best, split evenly over the
  /// decisions it has left.
  public let delta: Double
  /// Complete trials needed before any pruning.
  public let startupTrials: Int
  /// Values a trial must have reported before it can be pruned.
  public let warmupSteps: Int
  /// The most complete trials a model trains on (the most recent ones).
  public let maxTrainingTrials: Int
  /// Relative growth of the complete trials that triggers a refit (0.2: 20% more).
  public let refitGrowth: Double
  /// Folds of the cross-validation.
  public let folds: Int
  /// A pruner whose decisions are added to the predictor's (nil: the predictor alone).
  public let baseline: (any Pruner)?
  /// What predicts the final value.
  public let predictor: Predictor
  /// Fitted models by study and curve length.
  private let cache = Locked<[[Int]: _CurveModel]>([:])

  /// A learning-curve pruner.
  public init(delta: Double = 0.05, startupTrials: Int = 20, warmupSteps: Int = 3, maxTrainingTrials: Int = 100,
              refitGrowth: Double = 0.2, folds: Int = 3, baseline: (any Pruner)? = nil,
              predictor: Predictor = .regression) throws {
    guard delta > 0, delta < 1 else { throw TuneError.invalidArgument("Δ must be in (0, 1), got \(delta)") }
    guard startupTrials >= 5, warmupSteps >= 1, maxTrainingTrials >= startupTrials, refitGrowth >= 0, folds >= 2 else {
      throw TuneError.invalidArgument("the learning-curve pruner needs startupTrials >= 5, warmupSteps >= 1, maxTrainingTrials >= startupTrials, folds >= 2")
    }
    self.delta = delta
    self.startupTrials = startupTrials
    self.warmupSteps = warmupSteps
    self.maxTrainingTrials = maxTrainingTrials
    self.refitGrowth = refitGrowth
    self.folds = folds
    self.baseline = baseline
    self.predictor = predictor
  }

  /// What predicts a running curve's final value.
  public enum Predictor: String, CaseIterable, Sendable {
    /// Baker et al.'s ν-SVR per curve length, trained on the complete trials.
    case regression
    /// The trial's own curve extrapolated by parametric families (`CurveExtrapolation`).
    case extrapolation
  }

  /// A prediction for a running trial.
  public struct Prediction: Sendable {
    /// The predicted final value ŷ.
    public let mean: Double
    /// Its uncertainty σ (the cross-validated residual spread).
    public let sigma: Double
    /// The best final value so far y*.
    public let best: Double
    /// P(final beats y*).
    public let probability: Double
    /// The threshold of this decision, Δ/(T − t): the trial is pruned when `probability` is below it.
    public let threshold: Double
    /// How many complete trials the model was trained on (0 for an extrapolation).
    public let trainedOn: Int
  }

  /// Implements `Pruner.checkDirections`: one objective only.
  public func checkDirections(_ directions: [StudyDirection]) throws {
    _ = try _PrunerSteps.singleDirection(directions, "learning-curve")
  }

  /// Implements `Pruner.shouldPrune`.
  public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) throws -> Bool {
    if let baseline {
      let view = try study.showing(asComplete: { $0.state(Self.stoppedState) != nil })
      if try baseline.shouldPrune(study: view, trial: trial) { return true }
    }
    guard let prediction = try predict(study: study, trial: trial), prediction.probability < prediction.threshold else {
      return false
    }
    if baseline != nil, let step = trial.lastIntermediateValue?.step {
      try study.setState(Self.stoppedState, step, of: trial)
    }
    return true
  }

  /// The system attribute that marks a trial the predictor stopped.
  public static var stoppedKey: String { stoppedState.key }
  /// The trial state that marks a trial the predictor stopped: the step (formerly stored
  /// bare under `learning_curve_stopped`).
  public static let stoppedState = StateKey<Int>("learning-curve", "stopped", legacyKey: "learning_curve_stopped")

  /// The prediction for `trial`, or nil when no decision is made yet.
  public func predict(study: StudySnapshot, trial: FrozenTrial) throws -> Prediction? {
    let direction = try _PrunerSteps.singleDirection(study.directions, "learning-curve")
    let curve = _CurveFeatures.curve(trial)
    guard curve.count >= warmupSteps else { return nil }
    if curve.last!.isNaN { return Prediction(mean: .nan, sigma: .nan, best: .nan, probability: 0, threshold: delta, trainedOn: 0) }
    let complete = try study.completedTrials().filter { $0.value != nil }
    guard complete.count >= startupTrials else { return nil }
    let t = curve.count
    let longest = complete.map { $0.intermediateValues.count }.max()!
    let threshold = delta / Double(Swift.max(1, longest - t))
    let usable = complete.filter { _CurveFeatures.curve($0).count >= t + 1 && $0.value != nil }
    guard usable.count >= startupTrials else { return nil }
    let best = direction == .maximize ? complete.map { $0.value! }.max()! : complete.map { $0.value! }.min()!
    let leadingHere = usable.map { _CurveFeatures.curve($0)[t - 1] }
    if leadingHere.allSatisfy({ direction.isBetter(curve[t - 1], than: $0) }) {
      return Prediction(mean: .nan, sigma: .nan, best: best, probability: 1, threshold: threshold, trainedOn: 0)
    }
    let mean: Double, sigma: Double, trainedOn: Int
    switch predictor {
    case .regression:
      let model = try model(study: study.studyID, length: t, usable: usable, current: trial)
      (mean, sigma) = model.predict(trial)
      trainedOn = model.trainedOn
    case .extrapolation:
      guard let finalStep = _PrunerSteps.longestCompleteStep(complete),
            let extrapolated = _CurveFeatures.extrapolate(trial, to: finalStep) else { return nil }
      (mean, sigma) = extrapolated
      trainedOn = 0
    }
    let z = (best - mean) / max(sigma, 1e-12)
    return Prediction(mean: mean, sigma: sigma, best: best, probability: direction == .maximize ? Normal.survival(z) : Normal.cdf(z),
                      threshold: threshold, trainedOn: trainedOn)
  }

  /// The cached model for length t, refitted when the complete trials have grown enough.
  private func model(study: Int, length t: Int, usable: [FrozenTrial], current: FrozenTrial) throws -> _CurveModel {
    if let cached = cache.withLock({ $0[[study, t]] }),
       usable.count < cached.trainedOn + max(5, Int(Double(cached.trainedOn) * refitGrowth)) {
      return cached
    }
    let training = Array(usable.suffix(maxTrainingTrials))
    let model = try _CurveModel.fit(length: t, training: training, keys: _CurveFeatures.hyperparameterKeys(current),
                                    folds: folds, trainedOn: usable.count)
    cache.withLock { $0[[study, t]] = model }
    return model
  }
}

/// The features of Baker et al. for the first t values of a curve.
enum _CurveFeatures {
  /// The trial's intermediate values in step order.
  static func curve(_ trial: FrozenTrial) -> [Double] {
    trial.intermediateValues.sorted { $0.key < $1.key }.map(\.value)
  }

  /// Numeric hyperparameters and user attributes of a trial, by name (log-scaled parameters
  /// by their logarithm).
  static func hyperparameters(_ trial: FrozenTrial) -> [String: Double] {
    var out: [String: Double] = [:]
    for (name, value) in trial.params {
      guard let x = value.doubleValue else { continue }
      switch trial.distributions[name] {
      case .float(_, _, true, _)?, .int(_, _, true, _)?: out["p:" + name] = log(max(x, 1e-300))
      case .categorical?: continue
      default: out["p:" + name] = x
      }
    }
    for (key, value) in trial.userAttrs {
      if let x = value.doubleValue { out["u:" + key] = x }
    }
    return out
  }

  static func hyperparameterKeys(_ trial: FrozenTrial) -> [String] { hyperparameters(trial).keys.sorted() }

  /// The trial's curve extrapolated to `finalStep`, at x = step (step + 1 when the steps count
  /// from 0); nil when `CurveExtrapolation` cannot fit it.
  static func extrapolate(_ trial: FrozenTrial, to finalStep: Int) -> (mean: Double, sigma: Double)? {
    let points = trial.intermediateValues.sorted { $0.key < $1.key }
    let shift = points.first?.key == 0 ? 1.0 : 0.0
    guard let fit = CurveExtrapolation(steps: points.map { Double($0.key) + shift }, values: points.map(\.value)) else { return nil }
    let prediction = fit.predict(at: Double(finalStep) + shift)
    return (prediction.mean, prediction.standardDeviation)
  }

  /// [hyperparameters…, y_1…y_t, Δy, Δ²y, mean, std].
  static func vector(_ trial: FrozenTrial, length t: Int, keys: [String], fill: [String: Double]) -> [Double] {
    let h = hyperparameters(trial)
    var row = keys.map { h[$0] ?? fill[$0] ?? 0 }
    let y = Array(curve(trial).prefix(t))
    row += y
    let d1 = zip(y.dropFirst(), y).map { $0 - $1 }
    row += d1
    row += zip(d1.dropFirst(), d1).map { $0 - $1 }
    let (mean, std) = meanAndStandardDeviation(y)
    row += [mean, std]
    return row
  }
}

/// A fitted predictor of final values from curves of length t.
struct _CurveModel {
  let length: Int
  let keys: [String]
  let fill: [String: Double]
  let scaling: ColumnScaling
  let targetMean: Double, targetScale: Double
  let svr: NuSVR
  /// The cross-validated residual spread, in the target's units.
  let sigma: Double
  let trainedOn: Int

  static let grid: [(c: Double, gammaFactor: Double)] = [(1, 0.5), (1, 2), (10, 0.5), (10, 2)]

  static func fit(length t: Int, training: [FrozenTrial], keys: [String], folds: Int, trainedOn: Int) throws -> _CurveModel {
    var fill: [String: Double] = [:]
    for key in keys {
      let present = training.compactMap { _CurveFeatures.hyperparameters($0)[key] }
      fill[key] = present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
    }
    let raw = training.map { _CurveFeatures.vector($0, length: t, keys: keys, fill: fill) }
    let targets = training.map { $0.value! - _CurveFeatures.curve($0)[t - 1] }
    let width = raw[0].count
    let scaling = ColumnScaling(fitting: raw)
    let x = raw.map(scaling.standardize)
    let (tm, ts0) = meanAndStandardDeviation(targets)
    let ts = ts0 > 1e-12 ? ts0 : 1
    let z = targets.map { ($0 - tm) / ts }
    // k-fold cross-validation over the grid; folds by position (training is in trial order).
    var bestScore = Double.infinity, bestChoice = grid[0]
    for choice in grid {
      var squared = 0.0
      for fold in 0..<folds {
        let test = Set(stride(from: fold, to: x.count, by: folds))
        var svr = try NuSVR(nu: 0.5, c: choice.c, gamma: choice.gammaFactor / Double(width))
        try svr.fit(x.indices.filter { !test.contains($0) }.map { x[$0] }, x.indices.filter { !test.contains($0) }.map { z[$0] },
                    tolerance: 1e-4)
        for i in test {
          let r = svr.predict(x[i]) - z[i]
          squared += r * r
        }
      }
      if squared < bestScore { bestScore = squared; bestChoice = choice }
    }
    var svr = try NuSVR(nu: 0.5, c: bestChoice.c, gamma: bestChoice.gammaFactor / Double(width))
    try svr.fit(x, z, tolerance: 1e-4)
    return _CurveModel(length: t, keys: keys, fill: fill, scaling: scaling, targetMean: tm, targetScale: ts,
                       svr: svr, sigma: (bestScore / Double(x.count)).squareRoot() * ts, trainedOn: trainedOn)
  }

  /// The predicted final value (last observed value + predicted change) and its uncertainty.
  func predict(_ trial: FrozenTrial) -> (mean: Double, sigma: Double) {
    let raw = _CurveFeatures.vector(trial, length: length, keys: keys, fill: fill)
    return (_CurveFeatures.curve(trial)[length - 1] + svr.predict(scaling.standardize(raw)) * targetScale + targetMean, sigma)
  }
}
