/// What a request can get wrong, each with the status it answers and a message for the page.
enum DashboardError: Error, Equatable, CustomStringConvertible {
  /// Malformed query or form (400).
  case badRequest(String)
  /// A write without the dashboard's token (401).
  case unauthorized(String)
  /// A write to a read-only dashboard, or from another site (403).
  case forbidden(String)
  /// No such study, trial or log (404).
  case notFound(String)
  /// A write the trial's state does not allow (409).
  case conflict(String)

  var status: Int {
    switch self {
    case .badRequest: 400
    case .unauthorized: 401
    case .forbidden: 403
    case .notFound: 404
    case .conflict: 409
    }
  }

  var description: String {
    switch self {
    case .badRequest(let m), .unauthorized(let m), .forbidden(let m), .notFound(let m), .conflict(let m): m
    }
  }
}
