/// Chooses the parameters of new trials.
///
/// The split is Optuna's (Akiba et al. 2019, "Optuna: A Next-generation Hyperparameter
/// Optimization Framework"): at the start of a trial, a model-based sampler declares the
/// part of the space it models jointly (`relativeSearchSpace`) and samples it at once
/// (`sampleRelative`); every parameter outside it is drawn on its own when the objective
/// asks for it (`sampleIndependent`). Samplers must be deterministic given their seed and
/// the stored trials, so that separate processes reproduce the same suggestions.
public protocol Sampler: Sendable {
  /// The parameters to sample jointly for this trial (empty for independent samplers).
  func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution]
  /// Values for (some of) the relative search space.
  func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                      space: [String: Distribution]) throws -> [String: ParamValue]
  /// One value for a parameter outside the relative search space.
  func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String,
                         distribution: Distribution) throws -> ParamValue
  /// Called once a trial has finished (for samplers that stop a study or keep state).
  func afterTrial(study: StudySnapshot, trial: FrozenTrial) throws
  /// Throws `TuneError.unsupported` when the sampler cannot serve a study with these
  /// directions (CMA-ES and one objective, say). `Study` calls it before any trial is created,
  /// so an incompatible sampler writes nothing.
  func checkDirections(_ directions: [StudyDirection]) throws
}

extension Sampler {
  /// No relative space by default.
  public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution] { [:] }
  /// Nothing to sample jointly by default.
  public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                             space: [String: Distribution]) throws -> [String: ParamValue] { [:] }
  /// Nothing to do after a trial by default.
  public func afterTrial(study: StudySnapshot, trial: FrozenTrial) throws {}
  /// Any number of objectives by default.
  public func checkDirections(_ directions: [StudyDirection]) throws {}
}

/// The seed a sampler uses when none is given: fresh randomness, so that unseeded studies differ.
func _randomSeed() -> UInt64 {
  var generator = SystemRandomNumberGenerator()
  return generator.next()
}
