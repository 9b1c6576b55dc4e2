import Foundation
import HoneMath

/// NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002, "A fast and elitist multiobjective
/// genetic algorithm: NSGA-II", IEEE TEVC 6(2)) as a sampler, CLI name `nsga2`.
///
/// Trials are grouped in generations of `populationSize` complete trials (attribute
/// `nsga2:generation`; generation 0 is random). The parents of generation g are the elite
/// of generation g − 1 together with its parents: whole fronts of the non-dominated sort
/// while they fit, then the members of the next front with the largest crowding distance.
/// Each new trial is one child: two parents by binary tournament on (rank, crowding
/// distance), crossed with probability `crossoverProbability` (else a copy of the first),
/// then mutated parameter by parameter with `mutationProbability` (1/number of parameters
/// by default).
///
/// - Crossover: simulated binary crossover (SBX, Deb & Agrawal 1995, "Simulated binary
///   crossover for continuous search space", Complex Systems 9), bounded form with
///   distribution index η_c, each variable crossed with probability ½; or uniform crossover
///   (each parameter from either parent). Categoricals always cross uniformly.
/// - Mutation: Deb's bounded polynomial mutation with index η_m
///   (δq = (2u + (1 − 2u)(1 − δ₁)^(η+1))^(1/(η+1)) − 1 for u ≤ ½, and its mirror); a
///   categorical mutates to a uniformly random choice.
/// - Constraints (`Trial.setConstraints`): constraint domination (Deb et al. 2002 §IV) —
///   feasible before infeasible, infeasible trials by total violation.
///
/// Populations live in storage — each trial's generation, and each generation's parents
/// as a study attribute (`nsga2:parents:g`) — so all processes agree; draws are seeded by
/// (seed, trial number).
public struct NSGAIISampler: Sampler {
  /// How two parents are crossed.
  public enum Crossover: Sendable, Equatable {
    /// Simulated binary crossover with distribution index η (larger: children nearer the parents).
    case sbx(eta: Double)
    /// Each parameter from either parent with probability ½.
    case uniform
  }

  /// The seed of every draw.
  public let seed: UInt64
  /// Complete trials per generation, and parents kept.
  public let populationSize: Int
  /// The crossover operator for numeric parameters.
  public let crossover: Crossover
  /// The probability that a child is a crossover rather than a copy.
  public let crossoverProbability: Double
  /// The probability that a parameter mutates; nil for 1/number of parameters.
  public let mutationProbability: Double?
  /// The polynomial mutation's distribution index η_m.
  public let mutationEta: Double
  private let fallback: RandomSampler

  /// The trial attribute holding the generation a trial belongs to.
  public static var generationKey: String { generationState.key }
  /// The trial state with the generation a trial belongs to.
  public static let generationState = StateKey<Int>("nsga2", "generation")

  /// The study state with the parents (trial numbers) of generation g.
  static func parentsState(_ g: Int) -> StateKey<[Int]> { StateKey("nsga2", "parents:\(g)") }

  /// An NSGA-II sampler: population 50, crossover probability 0.9, polynomial mutation
  /// with η_m = 20 (Deb et al. 2002's settings). The default crossover is uniform, which
  /// reached a higher hypervolume than SBX (η_c = 20) within 2,000 evaluations on ZDT1–3
  /// and DTLZ2 (BENCHMARKS.md); pass `.sbx(eta: 20)` for Deb's. Throws for a population
  /// below 2 or probabilities outside [0, 1].
  public init(seed: UInt64? = nil, populationSize: Int = 50, crossover: Crossover = .uniform,
              crossoverProbability: Double = 0.9, mutationProbability: Double? = nil, mutationEta: Double = 20) throws {
    guard populationSize >= 2 else { throw TuneError.invalidArgument("NSGA-II needs a population of at least 2, got \(populationSize)") }
    guard (0...1).contains(crossoverProbability), mutationProbability.map({ (0...1).contains($0) }) ?? true else {
      throw TuneError.invalidArgument("NSGA-II's crossover and mutation probabilities must be in [0, 1]")
    }
    if case .sbx(let eta) = crossover, !(eta >= 0) { throw TuneError.invalidArgument("SBX needs η >= 0, got \(eta)") }
    guard mutationEta >= 0 else { throw TuneError.invalidArgument("polynomial mutation needs η >= 0, got \(mutationEta)") }
    self.seed = seed ?? _randomSeed()
    self.populationSize = populationSize
    self.crossover = crossover
    self.crossoverProbability = crossoverProbability
    self.mutationProbability = mutationProbability
    self.mutationEta = mutationEta
    self.fallback = RandomSampler(seed: self.seed)
  }

  /// Implements `Sampler.relativeSearchSpace`: the parameters that the complete trials of
  /// the newest generation share.
  public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution] {
    let complete = try study.completedTrials()
    let newest = complete.map(Self.generation).max() ?? 0
    return SearchSpace.intersection(of: complete.filter { Self.generation(of: $0) == newest })
  }

  /// Implements `Sampler.sampleRelative`: a child of the current parents (nothing in generation 0).
  public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                             space: [String: Distribution]) throws -> [String: ParamValue] {
    let complete = try study.completedTrials()
    let members = complete.map { Member(losses: $0.losses(study.directions), violation: $0.constraintViolation) }
    let generations = Dictionary(grouping: complete.indices) { Self.generation(of: complete[$0]) }
    let last = generations.keys.max() ?? 0
    let generation = (generations[last]?.count ?? 0) >= populationSize ? last + 1 : last
    try study.setState(Self.generationState, generation, of: trial)
    guard generation > 0 else { return [:] }

    // Parents of each generation are stored in the study once computed (a study attribute
    // per generation, by trial number), so a call selects at most one new elite.
    let indexOfNumber = Dictionary(uniqueKeysWithValues: complete.indices.map { (complete[$0].number, $0) })
    var parentIndices: [Int] = []
    for g in 1...generation {
      if let numbers = try study.studyState(Self.parentsState(g)),
         case let indices = numbers.compactMap({ indexOfNumber[$0] }), indices.count == numbers.count {
        parentIndices = indices
        continue
      }
      parentIndices = elite(parentIndices + (generations[g - 1] ?? []), members)
      try study.setStudyState(Self.parentsState(g), parentIndices.map { complete[$0].number })
    }
    parentIndices = parentIndices.filter { i in space.allSatisfy { complete[i].distributions[$0.key] == $0.value } }
    guard parentIndices.count >= 2 else { return [:] }
    let parents = parentIndices.map { complete[$0] }
    let ranking = rankAndCrowding(parentIndices, members)
    var rng = SeededRNG(seed: seed, stream: UInt64(trial.number), stableHash("nsga2"))
    func tournament() -> FrozenTrial {
      let a = rng.nextInt(below: parents.count), b = rng.nextInt(below: parents.count)
      let better = ranking[a].rank != ranking[b].rank ? ranking[a].rank < ranking[b].rank : ranking[a].crowding >= ranking[b].crowding
      return parents[better ? a : b]
    }
    let first = tournament(), second = tournament()
    let crossing = rng.nextDouble() < crossoverProbability
    let names = space.keys.sorted()
    let mutation = mutationProbability ?? 1 / Double(max(names.count, 1))
    var child: [String: ParamValue] = [:]
    let pickFirstChild = rng.nextDouble() < 0.5
    for name in names {
      let distribution = space[name]!
      let a = first.params[name]!, b = second.params[name]!
      guard let t = ParamTransform(distribution) else {
        var value = crossing && rng.nextDouble() < 0.5 ? b : a
        if rng.nextDouble() < mutation, let choices = distribution.allValues { value = choices[rng.nextInt(below: choices.count)] }
        child[name] = value
        continue
      }
      let (low, high) = t.relaxedBounds
      var x = t.encode(try distribution.internalValue(of: a))
      let y = t.encode(try distribution.internalValue(of: b))
      if crossing {
        switch crossover {
        case .uniform: if rng.nextDouble() < 0.5 { x = y }
        case .sbx(let eta):
          let (c1, c2) = Self.simulatedBinaryCrossover(x, y, low: low, high: high, eta: eta, rng: &rng)
          x = pickFirstChild ? c1 : c2
        }
      }
      if rng.nextDouble() < mutation { x = Self.polynomialMutation(x, low: low, high: high, eta: mutationEta, rng: &rng) }
      child[name] = t.decode(x)
    }
    return child
  }

  /// Implements `Sampler.sampleIndependent`: uniform at random.
  public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String,
                                distribution: Distribution) throws -> ParamValue {
    try fallback.sampleIndependent(study: study, trial: trial, name: name, distribution: distribution)
  }

  private static func generation(of trial: FrozenTrial) -> Int {
    if let g = trial.state(generationState) { return g }
    return 0
  }

  /// What selection needs of a complete trial.
  struct Member {
    var losses: [Double]
    var violation: Double
  }

  /// The best `populationSize` of `indices`: whole fronts, then the most crowded-apart of the next.
  func elite(_ indices: [Int], _ members: [Member]) -> [Int] {
    guard indices.count > populationSize else { return indices }
    var chosen: [Int] = []
    for front in Self.constrainedFronts(indices.map { members[$0] }) {
      let chosenFront = front.map { indices[$0] }
      if chosen.count + front.count <= populationSize { chosen += chosenFront; continue }
      let distance = crowdingDistances(chosenFront.map { members[$0].losses })
      let order = front.indices.sorted { distance[$0] > distance[$1] }
      chosen += order.prefix(populationSize - chosen.count).map { chosenFront[$0] }
      break
    }
    return chosen
  }

  /// Each member's front index and crowding distance within its front.
  private func rankAndCrowding(_ indices: [Int], _ members: [Member]) -> [(rank: Int, crowding: Double)] {
    var result = [(rank: Int, crowding: Double)](repeating: (0, 0), count: indices.count)
    for (rank, front) in Self.constrainedFronts(indices.map { members[$0] }).enumerated() {
      let distance = crowdingDistances(front.map { members[indices[$0]].losses })
      for (k, i) in front.enumerated() { result[i] = (rank, distance[k]) }
    }
    return result
  }

  /// Constraint domination's fronts: the non-dominated fronts of the feasible members, then
  /// the infeasible ones by total violation (equal violations share a front).
  static func constrainedFronts(_ members: [Member]) -> [[Int]] {
    let feasible = members.indices.filter { members[$0].violation == 0 }
    var fronts = nondominatedFronts(feasible.map { members[$0].losses }).map { $0.map { feasible[$0] } }
    let infeasible = members.indices.filter { members[$0].violation > 0 }.sorted { members[$0].violation < members[$1].violation }
    var previous: Double? = nil
    for i in infeasible {
      if previous == members[i].violation { fronts[fronts.count - 1].append(i) } else { fronts.append([i]) }
      previous = members[i].violation
    }
    return fronts
  }

  /// Bounded SBX of two values (Deb's NSGA-II code): with probability ½ (and distinct
  /// parents) the spread factor βq comes from the polynomial density with index η,
  /// truncated so both children stay in [low, high]; the children are swapped with
  /// probability ½. Otherwise the parents come back.
  static func simulatedBinaryCrossover(_ a: Double, _ b: Double, low: Double, high: Double, eta: Double,
                                       rng: inout SeededRNG) -> (Double, Double) {
    guard rng.nextDouble() < 0.5, abs(a - b) > 1e-14, high > low else { return (a, b) }
    let y1 = min(a, b), y2 = max(a, b)
    let u = rng.nextDouble()
    func spread(_ beta: Double) -> Double {
      let alpha = 2 - pow(beta, -(eta + 1))
      return u <= 1 / alpha ? pow(u * alpha, 1 / (eta + 1)) : pow(1 / (2 - u * alpha), 1 / (eta + 1))
    }
    var c1 = 0.5 * ((y1 + y2) - spread(1 + 2 * (y1 - low) / (y2 - y1)) * (y2 - y1))
    var c2 = 0.5 * ((y1 + y2) + spread(1 + 2 * (high - y2) / (y2 - y1)) * (y2 - y1))
    c1 = min(max(c1, low), high)
    c2 = min(max(c2, low), high)
    return rng.nextDouble() < 0.5 ? (c2, c1) : (c1, c2)
  }

  /// Deb's bounded polynomial mutation with index η.
  static func polynomialMutation(_ x: Double, low: Double, high: Double, eta: Double, rng: inout SeededRNG) -> Double {
    guard high > low else { return x }
    let d1 = (x - low) / (high - low), d2 = (high - x) / (high - low)
    let u = rng.nextDouble()
    let power = 1 / (eta + 1)
    let dq = u <= 0.5
      ? pow(2 * u + (1 - 2 * u) * pow(1 - d1, eta + 1), power) - 1
      : 1 - pow(2 * (1 - u) + 2 * (u - 0.5) * pow(1 - d2, eta + 1), power)
    return min(max(x + dq * (high - low), low), high)
  }
}
