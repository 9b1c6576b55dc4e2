import HoneMath
import HoneBayes

/// The network surrogates as rows of the surrogate catalog (`--surrogate` of the GP sampler),
/// after HoneBayes's `matern` and `infinite-width`.
public enum NetworkSurrogates {
  /// The rows, in the order help texts list them.
  public static let entries: [SurrogateEntry] = [
    SurrogateEntry("dkl", "Deep kernel learning: an RBF GP on the features of a tanh network, trained jointly on the marginal likelihood") { _, _ in
      DeepKernelSurrogate()
    },
    SurrogateEntry("hmc", "A Bayesian network sampled by Hamiltonian Monte Carlo (3 chains, 60 networks kept)") { _, _ in HMCSurrogate() },
    SurrogateEntry("ensemble", "A deep ensemble of 5 networks, the predictive their mixture") { _, _ in DeepEnsembleSurrogate() },
    SurrogateEntry("laplace", "A MAP network with a Laplace approximation over its last layer") { _, _ in LastLayerLaplaceSurrogate() },
  ]

  /// The catalog of every surrogate: HoneBayes's rows, then these.
  public static var catalog: Catalog<SurrogateContext, any SurrogateFitter> {
    Catalog(kind: "surrogate", BayesSurrogates.entries, entries)
  }
}
