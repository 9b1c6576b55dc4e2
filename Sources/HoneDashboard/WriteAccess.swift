import Foundation
import Hummingbird

/// Who may change a study through the dashboard: nobody unless it runs with
/// `--allow-writes`; then only a request that carries the token (`Authorization: Bearer`, or
/// the `hone_token` cookie, which is `SameSite=Strict` so another site's form cannot send
/// it) and, when the browser names its origin, comes from the dashboard's own.
struct WriteAccess: Sendable {
  let allowed: Bool
  let token: String
  static let cookie = "hone_token"

  func check(_ request: Request) throws {
    guard allowed else {
      throw DashboardError.forbidden("this dashboard is read-only: start it with --allow-writes to change studies")
    }
    if let origin = request.headers[.origin], let host = request.head.authority,
       origin != "http://\(host)" && origin != "https://\(host)" {
      throw DashboardError.forbidden("a write from another site (\(origin)) is refused")
    }
    let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
    let presented = bearer ?? request.cookies[Self.cookie]?.value
    guard let presented, Self.same(presented, token) else {
      throw DashboardError.unauthorized("a write needs the token that hone dashboard printed at start: open the URL it printed, or send Authorization: Bearer <token>")
    }
  }

  /// Compares in time independent of where the strings differ.
  static func same(_ a: String, _ b: String) -> Bool {
    let (x, y) = (Array(a.utf8), Array(b.utf8))
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
  }
}
