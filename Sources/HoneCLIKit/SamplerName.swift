import ArgumentParser
import Hone

/// The samplers the CLI knows by name.
enum SamplerName {
  /// The names, for help texts and errors.
  static let names = ["tpe", "gp", "cmaes", "nsga2", "random", "qmc", "grid", "rea", "predictor"]

  /// The sampler called `name` for a study searching `space` (when the command knows it).
  /// CMA-ES, QMC, regularized evolution and the predictor work on the parameters that always
  /// exist (REA mutates one parameter at a time, the predictor reads the encoded parameters);
  /// the grid needs a space without conditions.
  static func make(_ name: String, seed: UInt64?, space: ConditionalSpace?, acquisition: String = "logei") throws -> any Sampler {
    let plain = space.map(\.unconditionalDistributions).flatMap { $0.isEmpty ? nil : $0 }
    switch name.lowercased() {
    case "tpe": return try TPESampler(seed: seed)
    case "gp":
      guard let kind = AcquisitionKind(rawValue: acquisition.lowercased()) else {
        throw ValidationError("unknown acquisition '\(acquisition)'; use \(AcquisitionKind.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return try GPSampler(seed: seed, acquisition: kind)
    case "cmaes": return try CMAESSampler(seed: seed, searchSpace: plain)
    case "nsga2": return try NSGAIISampler(seed: seed)
    case "random": return RandomSampler(seed: seed)
    case "qmc": return QMCSampler(seed: seed, searchSpace: plain)
    case "grid":
      guard let space else { throw ValidationError("the grid sampler needs --space or --space-file") }
      guard !space.isConditional else { throw ValidationError("the grid sampler needs a search space without \"when\" conditions") }
      return try GridSampler(space: space.distributions, seed: seed)
    case "rea", "predictor":
      guard let plain else { throw ValidationError("the \(name) sampler needs a search space (--space or --space-file; \"space\" in create_study)") }
      let space = try ParameterSpace(plain)
      return name.lowercased() == "rea" ? try RegularizedEvolution(space: space, seed: seed) : try PredictorGuidedSampler(space: space, seed: seed)
    default: throw ValidationError("unknown sampler '\(name)'; use \(names.joined(separator: ", "))")
    }
  }
}
