import HoneMath

/// What a surrogate's catalog row is built from: nothing yet beyond its settings (the data
/// arrive at each fit).
public struct SurrogateContext: Sendable {
  /// A context.
  public init() {}
}

/// A row of the surrogate catalog (`--surrogate` of the GP sampler).
public typealias SurrogateEntry = CatalogEntry<SurrogateContext, any SurrogateFitter>

/// The surrogates HoneBayes defines, as catalog rows; HoneBayesNN adds the network ones.
public enum BayesSurrogates {
  /// The rows, in the order help texts list them.
  public static let entries: [SurrogateEntry] = [
    SurrogateEntry("matern", "Matérn-5/2 ARD Gaussian process, MAP hyperparameters (the default)") { _, _ in MaternSurrogate() },
    SurrogateEntry("infinite-width", "Infinite-width ReLU network: a GP with the NNGP (arc-cosine) kernel, depth and variances by marginal likelihood") { _, _ in
      InfiniteWidthSurrogate()
    },
  ]

  /// The catalog of these rows alone.
  public static var catalog: Catalog<SurrogateContext, any SurrogateFitter> { Catalog(kind: "surrogate", entries) }
}
