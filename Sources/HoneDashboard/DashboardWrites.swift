import Foundation
import HoneTune
import Hummingbird

/// The writes of a dashboard started with `--allow-writes`, each checked by `WriteAccess`
/// first: a study's note (the `note` system attribute), enqueuing a trial with fixed
/// parameters, and failing or pruning a running trial (through `Study.finish`, so a worker
/// that reports later finds the trial finished and moves on). After a form's write the
/// browser goes back to the page it came from (303).
struct DashboardWrites: Sendable {
  let feeds: StudyFeeds
  let access: WriteAccess
  /// The longest note or form accepted.
  static let maxBody = 64 * 1024

  func note(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
    try access.check(request)
    let id = try DashboardRoutes.integer(context.parameters.get("id"), "study id")
    let note = try await form(request)["note"] ?? ""
    try await blocking { [feeds] in
      _ = try feeds.feed(id: id)
      try feeds.storage.setStudySystemAttr(studyID: id, key: "note", value: .string(note))
    }
    return Responses.redirect(to: "/studies/\(id)")
  }

  func enqueue(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
    try access.check(request)
    let id = try DashboardRoutes.integer(context.parameters.get("id"), "study id")
    let text = try await form(request)["params"] ?? ""
    let params = try Self.params(text)
    _ = try await blocking { try study(id).enqueueTrial(params) }
    return Responses.redirect(to: "/studies/\(id)")
  }

  func finish(_ request: Request, _ context: BasicRequestContext, state: TrialState) async throws -> Response {
    try access.check(request)
    let id = try DashboardRoutes.integer(context.parameters.get("id"), "study id")
    let number = try DashboardRoutes.integer(context.parameters.get("number"), "trial number")
    try await blocking {
      let outcome = try study(id).finish(number: number, state: state, failReason: state == .failed ? "failed from the dashboard" : nil)
      guard outcome.finishedNow else {
        throw DashboardError.conflict("trial \(number) is \(outcome.trial.state.rawValue) already: only a running trial can be failed or pruned")
      }
    }
    return Responses.redirect(to: "/studies/\(id)/trials/\(number)")
  }

  /// The study with storage id `id`, loaded to write through it.
  private func study(_ id: Int) throws -> Study { try Study.load(name: feeds.feed(id: id).name, storage: feeds.storage) }

  /// The fields of an `application/x-www-form-urlencoded` body (the last of a repeated key).
  private func form(_ request: Request) async throws -> [String: String] {
    let body: ByteBuffer
    do {
      body = try await request.body.collect(upTo: Self.maxBody)
    } catch {
      throw DashboardError.badRequest("the form is larger than \(Self.maxBody / 1024) KiB")
    }
    return Dictionary(try URLQuery.pairs(String(buffer: body)), uniquingKeysWith: { _, last in last })
  }

  /// `{"lr": 0.01, "layers": 3, "act": "relu"}` as parameter values.
  static func params(_ text: String) throws -> [String: ParamValue] {
    guard let object = (try? JSONValue.parse(text))?.objectValue, !object.isEmpty else {
      throw DashboardError.badRequest("params must be a JSON object of parameter values, such as {\"lr\": 0.01}, not '\(text.prefix(200))'")
    }
    return try object.mapValues { value in
      switch value {
      case .int(let n): return .int(n)
      case .double(let x) where x.isFinite: return .double(x)
      case .string(let s): return .string(s)
      case .bool(let b): return .bool(b)
      default: throw DashboardError.badRequest("a parameter value must be a finite number, a string or a boolean, not \(value)")
      }
    }
  }
}
