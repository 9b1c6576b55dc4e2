import HoneTune

/// The samplers HoneNAS defines, as rows of the sampler catalog: on a plain space, a
/// mutation redraws one parameter and the predictor reads the encoded parameters
/// (`ParameterSpace`).
public enum NASSamplers {
  /// The rows, in the order help texts list them.
  public static let entries: [SamplerEntry] = [
    SamplerEntry("rea", "Regularized evolution (Real et al. 2019): mutate the best of a sample, retire the oldest") { context, _ in
      try RegularizedEvolution(space: ParameterSpace(context.requirePlainSpace(for: "rea")), seed: context.seed)
    },
    SamplerEntry("predictor", "Predictor-guided local and evolutionary search: a ridge/ν-SVR ensemble ranks the candidates") { context, _ in
      try PredictorGuidedSampler(space: ParameterSpace(context.requirePlainSpace(for: "predictor")), seed: context.seed)
    },
  ]
}
