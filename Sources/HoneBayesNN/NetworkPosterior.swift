import HoneBayes

/// What a network surrogate was fitted to: the inputs (category indices as given), the
/// standardized targets and how they were standardized.
public struct FittedData: Sendable {
  /// n × d row-major.
  public var inputs: [Double]
  /// The standardized outputs.
  public var targets: [Double]
  /// The number of categories of each dimension (category i of k enters a network as (i + ½)/k).
  public var choices: [Int?]
  /// y = targets·outputScale + outputMean.
  public var outputMean: Double
  /// See `outputMean`.
  public var outputScale: Double

  /// The fitted data of `data`.
  public init(_ data: SurrogateData) {
    let (mean, scale) = data.outputStandardization
    self.init(inputs: data.inputs, targets: data.standardizedOutputs, choices: data.choices, outputMean: mean, outputScale: scale)
  }

  /// Fitted data with the given parts.
  public init(inputs: [Double], targets: [Double], choices: [Int?], outputMean: Double, outputScale: Double) {
    self.inputs = inputs
    self.targets = targets
    self.choices = choices
    self.outputMean = outputMean
    self.outputScale = outputScale
  }

  /// The same with fantasies appended.
  func adding(inputs extra: [Double], targets more: [Double]) -> FittedData {
    FittedData(inputs: inputs + extra, targets: targets + more, choices: choices, outputMean: outputMean, outputScale: outputScale)
  }
}

/// A posterior built on networks: `Surrogate`'s data requirements read from `fitted`; input
/// gradients always; no hyperparameters kept between fits (a refit trains new networks).
public protocol NetworkPosterior: Surrogate {
  /// What the networks were fitted to.
  var fitted: FittedData { get }
}

extension NetworkPosterior {
  /// Implements `Surrogate.inputs`.
  public var inputs: [Double] { fitted.inputs }
  /// Implements `Surrogate.targets`.
  public var targets: [Double] { fitted.targets }
  /// Implements `Surrogate.outputMean`.
  public var outputMean: Double { fitted.outputMean }
  /// Implements `Surrogate.outputScale`.
  public var outputScale: Double { fitted.outputScale }
  /// Implements `Surrogate.dimensions`.
  public var dimensions: Int { fitted.choices.count }
  /// Implements `Surrogate.hasGradients`.
  public var hasGradients: Bool { true }
  /// Implements `Surrogate.hyperparameterVector`: none.
  public var hyperparameterVector: [Double] { [] }
  /// The number of categories of each dimension.
  public var choices: [Int?] { fitted.choices }
}
