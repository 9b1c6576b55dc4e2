import HoneMath
import HoneTune

/// Regularized (aging) evolution (Real, Aggarwal, Huang & Le 2019, "Regularized Evolution for
/// Image Classifier Architecture Search"), a sampler over an `ArchitectureSpace`. CLI name `rea`.
///
/// The first `populationSize` trials are random architectures. Then the population is the
/// `populationSize` most recent complete trials — the oldest leaves as a new one completes
/// (age-based removal) — and each suggestion takes `sampleSize` of them at random, mutates the
/// best one (`ArchitectureSpace.mutate`: one edge for cells, one subtree for grammars) and
/// proposes the child, redrawing a few times if that architecture was already tried. With
/// several objectives the tournament's winner is one that no other member dominates.
/// Reproducible: a suggestion's randomness depends on (seed, trial number) only.
public struct RegularizedEvolution<Space: ArchitectureSpace>: Sampler {
  /// The space searched.
  public let space: Space
  /// P: random trials first, then the number of recent complete trials that form the population.
  public let populationSize: Int
  /// S: members drawn for each tournament.
  public let sampleSize: Int
  /// The seed.
  public let seed: UInt64
  private let fallback: RandomSampler

  /// Regularized evolution; P = 20 and S = 5 by default (small budgets; the paper used 100 and 25).
  public init(space: Space, populationSize: Int = 20, sampleSize: Int = 5, seed: UInt64? = nil) throws {
    guard populationSize >= 2, sampleSize >= 1, sampleSize <= populationSize else {
      throw TuneError.invalidArgument("regularized evolution needs populationSize ≥ 2 and 1 ≤ sampleSize ≤ populationSize")
    }
    (self.space, self.populationSize, self.sampleSize) = (space, populationSize, sampleSize)
    self.seed = seed ?? UInt64.random(in: 0...UInt64.max)
    fallback = RandomSampler(seed: self.seed)
  }

  /// Implements `Sampler.relativeSearchSpace`: the space's parameters.
  public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution] { space.distributions }

  /// Implements `Sampler.sampleRelative`: a random architecture, or the mutated tournament winner.
  public func sampleRelative(study: StudySnapshot, trial: FrozenTrial, space _: [String: Distribution]) throws -> [String: ParamValue] {
    let history = try ArchitectureHistory(space: space, study: study, excluding: trial.number)
    var rng = SeededRNG(seed: seed, stream: stableHash("rea"), UInt64(trial.number))
    guard history.complete.count >= populationSize else { return history.unseenRandomParameters(space, &rng) }
    let population = Array(history.complete.suffix(populationSize))
    let tournament = (0..<sampleSize).map { _ in population[rng.nextInt(below: population.count)] }
    let parent = tournament.first { a in !tournament.contains { b in dominates(b.losses, a.losses) } }!
    return space.parameters(of: history.unseen(&rng) { space.mutate(parent.architecture, using: &$0) })
  }

  /// Implements `Sampler.sampleIndependent`: uniform at random.
  public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution) throws -> ParamValue {
    try fallback.sampleIndependent(study: study, trial: trial, name: name, distribution: distribution)
  }
}

/// The architectures a study has tried, read from its trials.
struct ArchitectureHistory<Space: ArchitectureSpace> {
  /// A complete trial's architecture and losses (values, negated where maximized).
  struct Evaluated {
    let architecture: Space.Architecture
    let losses: [Double]
    /// The trial's system attributes (where samplers leave notes for later suggestions).
    let systemAttrs: [String: JSONValue]
  }

  /// Complete trials with an architecture of the space, by number.
  let complete: [Evaluated]
  /// Every architecture of a trial so far (complete, pruned, failed or running).
  let seen: Set<Space.Architecture>

  init(space: Space, study: StudySnapshot, excluding number: Int) throws {
    var complete: [Evaluated] = []
    var seen = Set<Space.Architecture>()
    for trial in try study.allTrials().sorted(by: { $0.number < $1.number }) where trial.number != number {
      guard let a = try? space.architecture(from: trial.params) else { continue }
      seen.insert(a)
      if trial.state == .complete, let values = trial.values, values.allSatisfy(\.isFinite) {
        complete.append(Evaluated(architecture: a, losses: trial.losses(study.directions), systemAttrs: trial.systemAttrs))
      }
    }
    (self.complete, self.seen) = (complete, seen)
  }

  /// The trial parameters of a random architecture not seen before (up to 100 draws).
  func unseenRandomParameters(_ space: Space, _ rng: inout SeededRNG) -> [String: ParamValue] {
    space.parameters(of: unseen(&rng) { space.sample(using: &$0) })
  }

  /// A draw of `make` not seen before (up to 100 tries; then the last draw).
  func unseen(_ rng: inout SeededRNG, _ make: (inout SeededRNG) -> Space.Architecture) -> Space.Architecture {
    var a = make(&rng)
    for _ in 0..<100 where seen.contains(a) { a = make(&rng) }
    return a
  }
}
