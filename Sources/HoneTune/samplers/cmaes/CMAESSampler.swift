import Foundation
import HoneMath

/// CMA-ES as a sampler (CLI name `cmaes`): the numeric parameters shared by all complete
/// trials are searched jointly by `CMAESSearch` in the unit cube (log-scaled parameters in
/// log space, grids relaxed to cells, see `ParamTransform`); categoricals, and parameters
/// outside that space, are drawn at random. One objective only.
///
/// The search state lives in storage, so every process continues the same search: each
/// trial records the run and generation it was sampled for and its continuous point
/// (`cmaes:trial`); when λ trials of the current generation are complete, the first λ
/// (in number order) are told and the new state is stored on the asking trial
/// (`cmaes:state`). A point is drawn from a stream seeded by (seed, run, generation, trial
/// number), so it is reproducible and distinct for concurrent workers.
///
/// With `margin` (default), grid parameters (ints, stepped floats) use the margin of
/// Hamano et al. 2022 so the search never freezes on one integer.
public struct CMAESSampler: Sampler {
  /// The seed of every draw.
  public let seed: UInt64
  /// The start, by parameter name (the middle of each range where absent).
  public let initialParams: [String: ParamValue]
  /// The initial step size, as a fraction of each (transformed) range.
  public let sigma0: Double
  /// λ; nil for 4 + ⌊3 ln n⌋.
  public let populationSize: Int?
  /// How runs are restarted.
  public let restartStrategy: CMAESSearch.RestartStrategy
  /// Uses the margin on grid parameters.
  public let margin: Bool
  /// The space to search, when fixed in advance (otherwise that of the complete trials,
  /// so the first trial is random).
  public let searchSpace: [String: Distribution]?
  private let fallback: RandomSampler

  /// Where a trial was asked: the space's signature, its run and generation (`tag`), and the
  /// point in the unit cube.
  public struct AskedPoint: Codable, Sendable, Equatable {
    /// The signature of the space searched.
    public var space: String
    /// The run and generation, "restarts:generation".
    public var tag: String
    /// The point in the unit cube.
    public var x: [Double]
  }

  /// The search state after a complete generation, with the signature of its space.
  public struct StoredSearch: Codable, Sendable, Equatable {
    /// The signature of the space searched.
    public var space: String
    /// The search.
    public var search: CMAESSearch

    init(space: String, search: CMAESSearch) {
      self.space = space
      self.search = search
    }

    /// Also reads the layout written before state was typed, where `search` is JSON text.
    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      space = try c.decode(String.self, forKey: .space)
      if let text = try? c.decode(String.self, forKey: .search) {
        search = try JSONDecoder().decode(CMAESSearch.self, from: Data(text.utf8))
      } else {
        search = try c.decode(CMAESSearch.self, forKey: .search)
      }
    }
  }

  /// The trial state with the point a trial was asked at.
  public static let pointState = StateKey<AskedPoint>("cmaes", "trial")
  /// The trial state with the search after the last complete generation.
  public static let searchState = StateKey<StoredSearch>("cmaes", "state")
  /// The attribute name of `pointState`.
  public static var trialKey: String { pointState.key }
  /// The attribute name of `searchState`.
  public static var stateKey: String { searchState.key }

  /// A CMA-ES sampler; throws for σ₀ ≤ 0 or a population below 2.
  public init(seed: UInt64? = nil, initialParams: [String: ParamValue] = [:], sigma0: Double = 1.0 / 6,
              populationSize: Int? = nil, restartStrategy: CMAESSearch.RestartStrategy = .none, margin: Bool = true,
              searchSpace: [String: Distribution]? = nil) throws {
    guard sigma0 > 0, sigma0.isFinite else { throw TuneError.invalidArgument("CMA-ES needs sigma0 > 0, got \(sigma0)") }
    if let populationSize, populationSize < 2 { throw TuneError.invalidArgument("CMA-ES needs a population of at least 2, got \(populationSize)") }
    self.seed = seed ?? _randomSeed()
    self.initialParams = initialParams
    self.sigma0 = sigma0
    self.populationSize = populationSize
    self.restartStrategy = restartStrategy
    self.margin = margin
    self.searchSpace = searchSpace
    self.fallback = RandomSampler(seed: self.seed)
  }

  /// Implements `Sampler.checkDirections`: one objective only.
  public func checkDirections(_ directions: [StudyDirection]) throws {
    guard directions.count == 1 else {
      throw TuneError.unsupported("CMA-ES optimizes one objective; this study has \(directions.count) (use nsga2 or tpe)")
    }
  }

  /// Implements `Sampler.relativeSearchSpace`: the numeric, non-single parameters.
  public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution] {
    try checkDirections(study.directions)
    let space = try searchSpace ?? SearchSpace.intersection(of: study.completedTrials())
    return space.filter { ParamTransform($0.value) != nil && !$0.value.isSingle }
  }

  /// Implements `Sampler.sampleRelative`.
  public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                             space: [String: Distribution]) throws -> [String: ParamValue] {
    guard !space.isEmpty else { return [:] }
    let names = space.keys.sorted()
    let transforms = names.map { ParamTransform(space[$0]!)! }
    let signature = names.map { "\($0)=\(space[$0]!.json)" }.joined(separator: ";")
    let all = try study.allTrials()
    // Trials of the current generation come after the trial that stored its state.
    let restored = try restore(all, signature: signature)
    let trials = all[(restored?.index ?? 0)...]
    var search = try restored?.search ?? fresh(names: names, transforms: transforms)
    var advanced = false
    let sign: Double = study.directions[0] == .minimize ? 1 : -1
    while true {
      let tag = Self.tag(search)
      let done = trials.compactMap { t -> (x: [Double], value: Double)? in
        guard t.state == .complete, let r = Self.record(t, signature: signature), r.tag == tag else { return nil }
        return (r.x, sign * t.value!)
      }
      guard done.count >= search.current.populationSize else { break }
      let solutions = Array(done.prefix(search.current.populationSize))
      var rng = SeededRNG(seed: seed, stream: UInt64(search.restarts), UInt64(search.current.generation), stableHash("restart"))
      try search.tell(solutions, rng: &rng)
      advanced = true
    }
    if advanced { try study.setState(Self.searchState, StoredSearch(space: signature, search: search), of: trial) }
    var rng = SeededRNG(seed: seed, stream: UInt64(search.restarts), UInt64(search.current.generation), UInt64(trial.number))
    let x = search.ask(rng: &rng)
    try study.setState(Self.pointState, AskedPoint(space: signature, tag: Self.tag(search), x: x), of: trial)
    let encoded = search.current.encode(x)
    var result: [String: ParamValue] = [:]
    for (j, name) in names.enumerated() {
      let (low, high) = transforms[j].relaxedBounds
      result[name] = transforms[j].decode(low + encoded[j] * (high - low))
    }
    return result
  }

  /// Implements `Sampler.sampleIndependent`: uniform at random.
  public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String,
                                distribution: Distribution) throws -> ParamValue {
    try fallback.sampleIndependent(study: study, trial: trial, name: name, distribution: distribution)
  }

  /// The newest stored state for this space, with the index of the trial that holds it.
  private func restore(_ trials: [FrozenTrial], signature: String) throws -> (search: CMAESSearch, index: Int)? {
    for index in trials.indices.reversed() {
      guard let stored = trials[index].state(Self.searchState), stored.space == signature else { continue }
      return (stored.search, index)
    }
    return nil
  }

  /// A new search in the unit cube from the initial parameters.
  private func fresh(names: [String], transforms: [ParamTransform]) throws -> CMAESSearch {
    let mean = try zip(names, transforms).map { name, t -> Double in
      guard let value = initialParams[name] else { return 0.5 }
      guard let x = try? t.distribution.internalValue(of: value) else {
        throw TuneError.invalidArgument("CMA-ES: the initial value \(value) of '\(name)' is not in \(t.distribution.json)")
      }
      let (low, high) = t.relaxedBounds
      return min(max((t.encode(x) - low) / (high - low), 0), 1)
    }
    let steps: [Double?] = transforms.map { t in
      guard margin, let step = t.step else { return nil }
      let (low, high) = t.relaxedBounds
      return step / (high - low)
    }
    return try CMAESSearch(mean: mean, sigma: sigma0, bounds: [ClosedRange<Double>](repeating: 0...1, count: names.count),
                           steps: steps, populationSize: populationSize, strategy: restartStrategy)
  }

  private static func tag(_ search: CMAESSearch) -> String { "\(search.restarts):\(search.current.generation)" }

  private static func record(_ trial: FrozenTrial, signature: String) -> (tag: String, x: [Double])? {
    guard let point = trial.state(pointState), point.space == signature else { return nil }
    return (point.tag, point.x)
  }
}
