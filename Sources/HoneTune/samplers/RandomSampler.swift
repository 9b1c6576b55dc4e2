import HoneMath

/// Draws every parameter independently and uniformly (log-uniformly on log scales), as
/// random search (Bergstra & Bengio 2012, "Random search for hyper-parameter optimization",
/// JMLR 13). CLI name `random`.
///
/// Each draw has its own stream, seeded by (seed, trial number, parameter name), so the
/// same seed gives the same values for the same trial in any process and in any order of
/// suggestions. O(1) per parameter; reads no history.
public struct RandomSampler: Sampler {
  /// The seed of every stream.
  public let seed: UInt64

  /// A random sampler; without a seed, a fresh one is drawn.
  public init(seed: UInt64? = nil) { self.seed = seed ?? _randomSeed() }

  /// Implements `Sampler.sampleIndependent`.
  public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String,
                                distribution: Distribution) throws -> ParamValue {
    var rng = SeededRNG(seed: seed, stream: UInt64(trial.number), stableHash(name))
    return distribution.value(atUnit: rng.nextDouble())
  }
}
