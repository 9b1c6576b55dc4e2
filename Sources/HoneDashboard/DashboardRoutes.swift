import Foundation
import HoneTune
import Hummingbird

/// The dashboard's routes: HTML pages (each with `?part=live`, the content its script
/// refreshes), the JSON change feeds, the logs, the static files and the writes.
struct DashboardRoutes: Sendable {
  let feeds: StudyFeeds
  let configuration: DashboardConfiguration
  var storage: any Storage { feeds.storage }
  var access: WriteAccess { WriteAccess(allowed: configuration.allowWrites, token: configuration.token) }

  func add(to router: Router<BasicRequestContext>) {
    router.get("/") { request, _ in try await studies(request) }
    router.get("/compare") { request, _ in try await compare(request) }
    router.get("/studies/:id") { request, context in try await study(request, context) }
    router.get("/studies/:id/trials") { request, context in try await trials(request, context) }
    router.get("/studies/:id/trials/:number") { request, context in try await trial(request, context) }
    router.get("/studies/:id/trials/:number/logs/:stream") { request, context in try await log(request, context) }
    router.get("/api/studies") { _, _ in try await studiesFeed() }
    router.get("/api/studies/:id/changes") { request, context in try await changes(request, context) }
    router.get("/static/dashboard.css") { _, _ in Self.asset(Assets.css, type: "text/css; charset=utf-8") }
    router.get("/static/dashboard.js") { _, _ in Self.asset(Assets.js, type: "text/javascript; charset=utf-8") }
    router.get("/favicon.ico") { _, _ in Self.asset(Assets.icon, type: "image/svg+xml") }
    router.get("/login") { request, _ in try login(request) }
    let writes = DashboardWrites(feeds: feeds, access: access)
    router.post("/studies/:id/note") { request, context in try await writes.note(request, context) }
    router.post("/studies/:id/enqueue") { request, context in try await writes.enqueue(request, context) }
    router.post("/studies/:id/trials/:number/fail") { request, context in try await writes.finish(request, context, state: .failed) }
    router.post("/studies/:id/trials/:number/prune") { request, context in try await writes.finish(request, context, state: .pruned) }
  }

  // MARK: pages

  private func studies(_ request: Request) async throws -> Response {
    let query = try Self.query(request)
    let sort = URLQuery.value("sort", in: query) ?? "name"
    let descending = URLQuery.value("order", in: query) == "desc"
    let (live, fingerprint) = try await blocking { [feeds] in
      let views = try feeds.all().map { try $0.current() }
      return (try StudiesPage.live(views, sort: sort, descending: descending), Self.fingerprint(views))
    }
    return respond(request, path: "/", title: "Studies", crumbs: [("studies", nil)], feed: "/api/studies", counter: fingerprint,
                   live: "<h1>Studies</h1>" + live)
  }

  private func compare(_ request: Request) async throws -> Response {
    let ids = try Self.query(request).filter { $0.0 == "id" }.map { try Self.integer($0.1, "id", inQuery: true) }
    guard !ids.isEmpty else { throw DashboardError.badRequest("name the studies to compare: /compare?id=1&id=2 (check them in the list of studies)") }
    guard ids.count <= 10 else { throw DashboardError.badRequest("compare at most 10 studies at once, not \(ids.count)") }
    let (live, fingerprint) = try await blocking { [feeds] in
      let views = try ids.map { try feeds.feed(id: $0).current() }
      return (ComparePage.live(views), Self.fingerprint(views))
    }
    return respond(request, path: "/compare", title: "Compare", crumbs: [("studies", "/"), ("compare", nil)], feed: "/api/studies",
                   counter: fingerprint, live: live)
  }

  private func study(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
    let id = try Self.integer(context.parameters.get("id"), "study id")
    let writes = configuration.allowWrites
    let (view, live) = try await blocking { [feeds, storage] in
      let view = try feeds.feed(id: id).current()
      return (view, StudyPage.live(view, attrs: try storage.studySystemAttrs(studyID: id), writes: writes))
    }
    return respond(request, path: "/studies/\(id)", title: view.name, crumbs: [("studies", "/"), (view.name, nil)], feed: "/api/studies/\(id)/changes",
                   counter: "\(view.counter)", live: "<h1>Study \(Html.h(view.name))</h1>" + live)
  }

  private func trials(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
    let id = try Self.integer(context.parameters.get("id"), "study id")
    let query = try TrialQuery(Self.query(request))
    let (view, live) = try await blocking { [feeds] in
      let view = try feeds.feed(id: id).current()
      return (view, TrialsPage.live(view, query: query))
    }
    return respond(request, path: "/studies/\(id)/trials", title: "Trials of \(view.name)", crumbs: [("studies", "/"), (view.name, "/studies/\(id)"), ("trials", nil)],
                   feed: "/api/studies/\(id)/changes", counter: "\(view.counter)", live: live)
  }

  private func trial(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
    let id = try Self.integer(context.parameters.get("id"), "study id")
    let number = try Self.integer(context.parameters.get("number"), "trial number")
    let (logRoot, writes) = (configuration.logRoot, configuration.allowWrites)
    let (view, live) = try await blocking { [feeds] in
      let view = try feeds.feed(id: id).current()
      guard number < view.trials.count, view.trials[number].number == number else {
        throw DashboardError.notFound("study '\(view.name)' has no trial \(number) (it has \(view.trials.count))")
      }
      return (view, TrialPage.live(view, trial: view.trials[number], logRoot: logRoot, writes: writes))
    }
    return respond(request, path: "/studies/\(id)/trials/\(number)", title: "Trial \(number) of \(view.name)",
                   crumbs: [("studies", "/"), (view.name, "/studies/\(id)"), ("trials", "/studies/\(id)/trials"), ("#\(number)", nil)],
                   feed: "/api/studies/\(id)/changes", counter: "\(view.counter)", live: live)
  }

  private func log(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
    let id = try Self.integer(context.parameters.get("id"), "study id")
    let number = try Self.integer(context.parameters.get("number"), "trial number")
    guard let stream = context.parameters.get("stream").flatMap(LogFile.Stream.init(rawValue:)) else {
      throw DashboardError.notFound("a trial's logs are stdout and stderr")
    }
    let trial = try await blocking { [storage] in try storage.trial(studyID: id, number: number) }
    let logRoot = configuration.logRoot
    let log = try await blocking {
      try LogFile.read(recorded: trial.systemAttrs[stream.attribute]?.stringValue, stream: stream, trialNumber: number, root: logRoot)
    }
    return Responses.text(log.text)
  }

  // MARK: feeds

  /// Every study's id, name, directions, counts, best values and change counter, and one
  /// fingerprint of all counters (what the studies page polls).
  private func studiesFeed() async throws -> Response {
    let views = try await blocking { [feeds] in try feeds.all().map { try $0.current() } }
    let list: [JSONValue] = views.map { view in
      let stats = view.stats
      return .object([
        "id": .int(view.id), "name": .string(view.name), "directions": .array(view.directions.map { .string($0.rawValue) }),
        "counts": .object(Dictionary(uniqueKeysWithValues: TrialState.allCases.map { ($0.rawValue, JSONValue.int(stats.counts[$0] ?? 0)) })),
        "best": stats.best.map { .array($0.map(JSONValue.double)) } ?? .null, "counter": .int(view.counter),
      ])
    }
    return Responses.json(.object(["counter": .string(Self.fingerprint(views)), "studies": .array(list)]))
  }

  /// The trials written since `since` (a counter from an earlier answer; 0 for all) and the
  /// counter now: only what changed is sent.
  private func changes(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
    let id = try Self.integer(context.parameters.get("id"), "study id")
    let since = try URLQuery.value("since", in: Self.query(request)).map { try Self.integer($0, "since", inQuery: true) } ?? 0
    let changes = try await blocking { [storage, feeds] in
      _ = try feeds.feed(id: id)
      return try storage.trials(studyID: id, changedSince: since)
    }
    return Responses.json(.object(["counter": .int(changes.counter), "trials": .array(changes.trials.map(\.json))]))
  }

  // MARK: helpers

  /// Opening `/login?token=…` (the URL `hone dashboard --allow-writes` prints) keeps the token
  /// in a cookie for the forms.
  private func login(_ request: Request) throws -> Response {
    let token = try URLQuery.value("token", in: Self.query(request)) ?? ""
    guard configuration.allowWrites else { throw DashboardError.forbidden("this dashboard is read-only: there is nothing to log in to") }
    guard WriteAccess.same(token, configuration.token) else { throw DashboardError.unauthorized("the token is wrong: use the URL hone dashboard printed") }
    var response = Responses.redirect(to: "/")
    response.headers[.setCookie] = "\(WriteAccess.cookie)=\(token); Path=/; HttpOnly; SameSite=Strict"
    return response
  }

  /// The full page, or with `part=live` only the content of its `#live` element.
  /// `path` is the route's own path (never the request's, which a client could shape).
  private func respond(_ request: Request, path: String, title: String, crumbs: [(String, String?)], feed: String, counter: String,
                       live: String) -> Response {
    let query = (try? Self.query(request)) ?? []
    if query.contains(where: { $0.0 == "part" && $0.1 == "live" }) { return Responses.html(live) }
    let part = path + "?" + URLQuery.string([("part", "live")] + query.filter { $0.0 != "part" })
    return Responses.html(Html.page(title: title, crumbs: crumbs, live: (feed, part, counter), body: "<div id=\"live\">\(live)</div>"))
  }

  static func query(_ request: Request) throws -> [(String, String)] { try URLQuery.pairs(request.uri.query ?? "") }

  /// A whole number ≥ 0 from the path (404 otherwise: no such page) or the query (400).
  static func integer(_ text: String?, _ what: String, inQuery: Bool = false) throws -> Int {
    guard let text, let n = Int(text), n >= 0 else {
      let message = "\(what) must be a whole number ≥ 0, not '\(text ?? "")'"
      throw inQuery ? DashboardError.badRequest(message) : DashboardError.notFound(message)
    }
    return n
  }

  /// One string that changes whenever a study is added, deleted or written.
  static func fingerprint(_ views: [StudyView]) -> String { views.map { "\($0.id):\($0.counter)" }.joined(separator: ",") }

  static func asset(_ text: String, type: String) -> Response {
    var response = Responses.text(text, type: type)
    response.headers[.cacheControl] = "public, max-age=300"
    return response
  }
}
