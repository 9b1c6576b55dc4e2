import Foundation
@testable import HoneOptim

/// The reference vectors of the peer implementations (torch 2.15, lion-pytorch 0.2.5,
/// bitsandbytes 0.50.2, sharpDARTS, EXAdam): a copy of `shared/reference/optimizers.json`
/// kept with the tests (see Fixtures/optimizers-README.md for how they were made).
enum Reference {
  nonisolated(unsafe) static let cases: [String: Any] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/optimizers.json")
    let data = try! Data(contentsOf: url)
    let root = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    return root["cases"] as! [String: Any]
  }()

  static func object(_ name: String) -> [String: Any] {
    guard let c = cases[name] as? [String: Any] else { fatalError("no reference case \(name)") }
    return c
  }

  static func vector(_ any: Any?) -> [Double] { (any as! [Any]).map { ($0 as! NSNumber).doubleValue } }
  static func matrix(_ any: Any?) -> [[Double]] { (any as! [Any]).map(vector) }

  /// An optimizer case: initial parameters, the 10 gradients and the parameters after each step.
  struct Trajectory {
    let p0: [Double]
    let grads: [[Double]]
    let after: [[Double]]
  }

  static func trajectory(_ name: String) -> Trajectory {
    let c = object(name)
    return Trajectory(p0: vector(c["p0"]), grads: matrix(c["grads"]), after: matrix(c["params_after_each_step"]))
  }
}

/// Runs `optimizer` through a trajectory's gradients and returns the parameters after each step.
func replay<O: Optimizer>(_ optimizer: O, _ t: Reference.Trajectory) throws -> [[Double]] {
  var params = t.p0.map { O.Scalar($0) }
  var state = optimizer.initialState(count: params.count)
  return try t.grads.map { g in
    try optimizer.step(params: &params, grads: g.map { O.Scalar($0) }, state: &state)
    return params.map { Double($0) }
  }
}

/// The largest relative error |a − b| / |b| over all steps and elements (0/0 counts as 0).
func maxRelativeError(_ a: [[Double]], _ b: [[Double]]) -> Double {
  var worst = 0.0
  for (x, y) in zip(a.joined(), b.joined()) where x != y {
    worst = max(worst, abs(x - y) / max(abs(y), 1e-300))
  }
  return worst
}
