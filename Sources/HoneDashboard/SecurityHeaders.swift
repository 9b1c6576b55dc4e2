import Foundation
import HoneTune
import HTTPTypes
import Hummingbird

/// Adds the security headers to every response (errors included) and turns every error into
/// a page with its status: a request the dashboard cannot serve gets a 4xx with a message,
/// never a crash or a bare 500. The policy allows only the dashboard's own script, style,
/// fetches and forms: no inline script, nothing from elsewhere, no framing.
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
  static var policy: String {
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
  }

  static var referrerPolicy: HTTPField.Name { HTTPField.Name("Referrer-Policy")! }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    var response: Response
    do {
      response = try await next(request, context)
    } catch {
      let (status, message) = Self.status(of: error)
      let json = request.uri.path.hasPrefix("/api/")
      response = json ? Responses.json(.object(["error": .string(message)]), status: status)
                      : Responses.html(Html.error(status: status, message: message), status: status)
    }
    response.headers[.contentSecurityPolicy] = Self.policy
    response.headers[.xContentTypeOptions] = "nosniff"
    response.headers[Self.referrerPolicy] = "same-origin"
    if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
    return response
  }

  /// The status and message of an error.
  static func status(of error: any Error) -> (Int, String) {
    switch error {
    case let error as DashboardError: return (error.status, error.description)
    case let error as HTTPError: return (Int(error.status.code), error.body ?? error.status.reasonPhrase)
    case let error as any HTTPResponseError: return (Int(error.status.code), error.status.reasonPhrase)
    case let error as StorageError:
      switch error {
      case .studyNotFound, .trialNotFound: return (404, error.description)
      case .invalidArgument: return (400, error.description)
      default: return (503, "the storage cannot be read now: \(error)")
      }
    case let error as TuneError: return (400, "\(error)")
    case is TrialFinishedError: return (409, "\(error)")
    default: return (500, "\(error)")
    }
  }
}
