import Foundation
import HoneTune
import Hummingbird
import HummingbirdTesting
@testable import HoneDashboard

/// Studies in memory for the route tests, and a way to call the dashboard's routes.
enum DashboardFixtures {
  static let hostile = "<img src=x onerror=alert(1)>"

  /// A study of `trials` trials over x ∈ [0, 1] and a categorical `act`, value (x − 0.3)², with
  /// learning curves; every fifth trial pruned, every seventh failed.
  static func study(_ storage: any Storage, name: String = "mlp", trials: Int = 40) throws -> Study {
    let study = try Study(name: name, storage: storage, sampler: RandomSampler(seed: 1))
    for k in 0..<trials {
      let trial = try study.ask()
      let x = try trial.suggestFloat("x", 0...1)
      _ = try trial.suggestCategorical("act", ["relu", "tanh"])
      try trial.setUserAttr("batch", .int(16 << (k % 3)))
      for step in 1...3 { try trial.report((x - 0.3) * (x - 0.3) + 1 / Double(step), step: step) }
      if k % 7 == 6 { _ = try study.tell(trial, state: .failed, failReason: "diverged") }
      else if k % 5 == 4 { _ = try study.tell(trial, state: .pruned) }
      else { _ = try study.tell(trial, (x - 0.3) * (x - 0.3)) }
    }
    return study
  }

  /// A study with two objectives.
  static func pareto(_ storage: any Storage) throws -> Study {
    let study = try Study(name: "pareto", storage: storage, directions: [.minimize, .minimize], sampler: RandomSampler(seed: 2))
    for _ in 0..<20 {
      let trial = try study.ask()
      let a = try trial.suggestFloat("a", 0...1)
      _ = try study.tell(trial, values: [a, 1 - a.squareRoot()])
    }
    return study
  }

  /// A study, a parameter, a user attribute and a fail reason all named `hostile`.
  static func hostileStudy(_ storage: any Storage) throws -> Study {
    let study = try Study(name: hostile, storage: storage, sampler: RandomSampler(seed: 3))
    for k in 0..<3 {
      let trial = try study.ask()
      _ = try trial.suggestFloat(hostile, 0...1)
      try trial.setUserAttr(hostile, .string(hostile))
      _ = k == 2 ? try study.tell(trial, state: .failed, failReason: hostile) : try study.tell(trial, Double(k))
    }
    return study
  }

  /// The dashboard over `storage` with reads always fresh.
  static func app(_ storage: any Storage, allowWrites: Bool = false, token: String = "secret", logRoot: String? = nil) -> some ApplicationProtocol {
    let configuration = DashboardConfiguration(allowWrites: allowWrites, token: token, logRoot: logRoot, freshness: 0)
    return Application(router: Dashboard.router(storage: storage, configuration: configuration))
  }
}

extension TestResponse {
  var text: String { String(buffer: body) }
}

/// The trial numbers a page links to, in order.
func linkedTrials(_ html: String, study: Int) -> [Int] {
  let pattern = try! NSRegularExpression(pattern: "<td><a href=\"/studies/\(study)/trials/(\\d+)\">")
  return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
    Int((html as NSString).substring(with: $0.range(at: 1)))!
  }
}
