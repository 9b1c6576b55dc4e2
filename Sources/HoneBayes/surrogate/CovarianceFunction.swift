/// A covariance function k(x, x′) over unit-cube points (categorical dimensions as indices),
/// with its input gradient: what `KernelGaussianProcess` needs beyond the data.
public protocol CovarianceFunction: Sendable {
  /// k(aᵢ, bⱼ) for the rows of `a` (n × d) and `b` (m × d): n × m row-major.
  func matrix(_ a: [Double], _ b: [Double]) -> [Double]
  /// k(x, x) for each row of `points`.
  func diagonal(_ points: [Double]) -> [Double]
  /// ∂k(x, x)/∂x (zero for a stationary kernel).
  func diagonalGradient(at point: [Double]) -> [Double]
  /// k(Xᵢ, x) for each row of `rows` (n × d) and its Jacobian ∂kᵢ/∂xⱼ (n × d, zero along
  /// categorical dimensions).
  func vectorWithJacobian(_ rows: [Double], at point: [Double]) -> (k: [Double], jacobian: [Double])
}
