import HoneMath

/// FBNetV3's joint architecture–recipe search (Dai et al. 2020), driven by the caller's
/// evaluation (training a candidate is the caller's: `evaluate` returns the value to maximize):
/// 1. a `ProxyPretrainedPredictor` is pretrained on the proxies of `proxyCandidates` random
///    candidates (free: no training);
/// 2. `initialCandidates` random candidates are evaluated;
/// 3. each round fine-tunes the predictor on every evaluated pair, scores `roundCandidates`
///    unseen candidates (half random, half mutations of the three best evaluated) and
///    evaluates the best predicted one, until `budget` evaluations.
public struct JointSearch<Space: ArchitectureSpace> {
  /// The joint space.
  public let space: JointSpace<Space>
  /// Random candidates whose proxies pretrain the predictor.
  public var proxyCandidates = 500
  /// Random candidates evaluated before the predictor is used.
  public var initialCandidates = 5
  /// Candidates scored per round.
  public var roundCandidates = 400
  /// The seed.
  public var seed: UInt64

  /// A search of `space`.
  public init(space: JointSpace<Space>, seed: UInt64 = 0) { (self.space, self.seed) = (space, seed) }

  /// Evaluates `budget` distinct candidates and returns them with their values, in order.
  /// `proxies` gives a candidate's free proxies (say log parameters, log multiply–accumulates,
  /// log latency).
  public func run(budget: Int, proxies: (JointSpace<Space>.Candidate) throws -> [Double],
                  evaluate: (JointSpace<Space>.Candidate) async throws -> Double) async throws
    -> [(candidate: JointSpace<Space>.Candidate, value: Double)] {
    guard budget >= 1, initialCandidates >= 2, proxyCandidates >= 2, roundCandidates >= 1 else {
      throw NASError("the joint search needs a budget ≥ 1, ≥ 2 initial and proxy candidates and ≥ 1 candidate per round")
    }
    var rng = SeededRNG(seed: seed)
    let pretraining = (0..<proxyCandidates).map { _ in space.sample(using: &rng) }
    var predictor = try ProxyPretrainedPredictor(features: pretraining.map { space.features(of: $0) }, proxies: pretraining.map(proxies), seed: seed)
    var evaluated: [(candidate: JointSpace<Space>.Candidate, value: Double)] = []
    var seen = Set<JointSpace<Space>.Candidate>()
    func unseen(_ make: (inout SeededRNG) -> JointSpace<Space>.Candidate) -> JointSpace<Space>.Candidate? {
      for _ in 0..<100 {
        let c = make(&rng)
        if !seen.contains(c) { return c }
      }
      return nil
    }
    while evaluated.count < budget {
      let next: JointSpace<Space>.Candidate
      if evaluated.count < initialCandidates {
        guard let c = unseen({ space.sample(using: &$0) }) else { break }
        next = c
      } else {
        try predictor.fineTune(features: evaluated.map { space.features(of: $0.candidate) }, targets: evaluated.map(\.value))
        let parents = evaluated.sorted { $0.value > $1.value }.prefix(3).map(\.candidate)
        var pool = Set<JointSpace<Space>.Candidate>()
        for k in 0..<roundCandidates {
          let c = k % 2 == 0 ? unseen { space.sample(using: &$0) } : unseen { space.mutate(parents[k / 2 % parents.count], using: &$0) }
          if let c { pool.insert(c) }
        }
        let candidates = Array(pool).sorted { $0.description < $1.description }
        guard !candidates.isEmpty else { break }
        let scores = predictor.predict(candidates.map { space.features(of: $0) })
        next = candidates[scores.indices.max { scores[$0] < scores[$1] }!]
      }
      seen.insert(next)
      evaluated.append((next, try await evaluate(next)))
    }
    return evaluated
  }
}
