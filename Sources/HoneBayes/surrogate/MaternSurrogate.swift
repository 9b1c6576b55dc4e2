extension GaussianProcess: Surrogate {
  /// Implements `Surrogate.hasGradients`: analytic.
  public var hasGradients: Bool { true }
  /// Implements `Surrogate.hyperparameterVector`: θ = (log ℓ₁ … log ℓ_d, log s, log σ²ₙ).
  public var hyperparameterVector: [Double] { hyperparameters.vector }
  /// Implements `Surrogate.conditionedOnObservations(inputs:outputs:)`: `conditioned(onInputs:outputs:)`.
  public func conditionedOnObservations(inputs extra: [Double], outputs: [Double]) throws -> any Surrogate {
    try conditioned(onInputs: extra, outputs: outputs)
  }
}

/// The Matérn-5/2 ARD Gaussian process (`GaussianProcess`, MAP hyperparameters), the default
/// surrogate of the GP sampler.
public struct MaternSurrogate: SurrogateFitter {
  /// A fitter.
  public init() {}
  /// Implements `SurrogateFitter.name`.
  public var name: String { "matern" }
  /// Implements `SurrogateFitter.supportsKnowledgeGradient`.
  public var supportsKnowledgeGradient: Bool { true }
  /// Implements `SurrogateFitter.fit`: 60 L-BFGS iterations cold, `warmIterations` warm.
  public func fit(_ data: SurrogateData, initial: [Double]?, warmIterations: Int, seed: UInt64) throws -> any Surrogate {
    let start = initial.flatMap { $0.count == data.dimensions + 2 ? GPHyperparameters(vector: $0) : nil }
    return try GaussianProcess(inputs: data.inputs, outputs: data.outputs, dimensions: data.dimensions, categorical: data.categorical,
                               initial: start, maxIterations: start == nil ? 60 : warmIterations,
                               standardization: data.standardization, deterministic: data.deterministic)
  }
}
