import Foundation
import HoneTune
import Hummingbird
import HummingbirdTesting
import Testing
@testable import HoneDashboard

@Suite struct DashboardRouteTests {
  @Test func studiesPageListsCountsAndBestAndSorts() async throws {
    let storage = InMemoryStorage()
    let mlp = try DashboardFixtures.study(storage)
    _ = try DashboardFixtures.pareto(storage)
    let best = try mlp.bestTrial.value!
    try await DashboardFixtures.app(storage).test(.router) { client in
      let page = try await client.execute(uri: "/", method: .get)
      #expect(page.status == .ok)
      #expect(page.text.contains("<a href=\"/studies/\(mlp.id)\">mlp</a>") && page.text.contains("pareto"))
      #expect(page.text.contains(String(format: "%.6g", best)), "the best value is listed")
      let byTrials = try await client.execute(uri: "/?sort=trials&order=desc", method: .get).text
      #expect(byTrials.range(of: ">mlp<")!.lowerBound < byTrials.range(of: ">pareto<")!.lowerBound, "40 trials before 20")
      let ascending = try await client.execute(uri: "/?sort=trials&order=asc", method: .get).text
      #expect(ascending.range(of: ">pareto<")!.lowerBound < ascending.range(of: ">mlp<")!.lowerBound)
      #expect(try await client.execute(uri: "/?sort=colour", method: .get).status == .badRequest)
    }
  }

  @Test func studyPageDrawsEveryPlot() async throws {
    let storage = InMemoryStorage()
    let mlp = try DashboardFixtures.study(storage)
    let pareto = try DashboardFixtures.pareto(storage)
    try await DashboardFixtures.app(storage).test(.router) { client in
      let page = try await client.execute(uri: "/studies/\(mlp.id)", method: .get).text
      for id in ["summary", "history", "intermediate-values", "parallel-coordinates", "importance", "slices", "timeline"] {
        #expect(page.contains("<section id=\"\(id)\">"), "\(id)")
      }
      #expect(!page.contains("id=\"pareto-front\""))
      #expect(page.contains("data-feed=\"/api/studies/\(mlp.id)/changes\""), "the page is live")
      #expect(page.contains("class=\"pruned-end\""), "pruned curves end in a cross")
      let multi = try await client.execute(uri: "/studies/\(pareto.id)", method: .get).text
      #expect(multi.contains("<section id=\"pareto-front\">") && multi.contains("Optimization history — objective 2"))
      let shaped = try await client.execute(uri: "//studies/\(mlp.id)", method: .get).text
      #expect(!shaped.contains("data-part=\"//"), "the live part's URL is the route's own, not the request's")
      let part = try await client.execute(uri: "/studies/\(mlp.id)?part=live", method: .get).text
      #expect(part.hasPrefix("<h1>") && !part.contains("<html"), "the live part is the page's content alone")
    }
  }

  @Test func namesAreEscapedOnEveryPage() async throws {
    let storage = InMemoryStorage()
    let study = try DashboardFixtures.hostileStudy(storage)
    let encodedColumn = URLQuery.encode(DashboardFixtures.hostile)
    try await DashboardFixtures.app(storage).test(.router) { client in
      for uri in ["/", "/studies/\(study.id)", "/studies/\(study.id)/trials?column=\(encodedColumn)&sort=param:\(encodedColumn)",
                  "/studies/\(study.id)/trials/2", "/compare?id=\(study.id)"] {
        let response = try await client.execute(uri: uri, method: .get)
        #expect(response.status == .ok, "\(uri)")
        #expect(!response.text.contains("<img"), "\(uri) holds no raw tag")
      }
      let page = try await client.execute(uri: "/studies/\(study.id)/trials/2", method: .get).text
      #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;"))
      let json = try await client.execute(uri: "/api/studies", method: .get)
      #expect(json.headers[.contentType] == "application/json; charset=utf-8", "names in JSON are data, never read as HTML")
    }
  }

  @Test func trialTableFiltersSortsAndPages() async throws {
    let storage = InMemoryStorage()
    let study = try DashboardFixtures.study(storage, trials: 120)
    let trials = try study.trials
    let expected = trials.filter { t in
      guard t.state == .complete, case .double(let x)? = t.params["x"] else { return false }
      return x >= 0.2 && x <= 0.9
    }.sorted { $0.value! > $1.value! }.map(\.number)
    try await DashboardFixtures.app(storage).test(.router) { client in
      let base = "/studies/\(study.id)/trials?state=complete&param=x&pmin=0.2&pmax=0.9&sort=value&order=desc&per_page=10"
      let first = try await client.execute(uri: base, method: .get).text
      #expect(first.contains("data-count=\"\(expected.count)\""))
      #expect(linkedTrials(first, study: study.id) == Array(expected.prefix(10)))
      let second = try await client.execute(uri: base + "&page=2", method: .get).text
      #expect(linkedTrials(second, study: study.id) == Array(expected.dropFirst(10).prefix(10)))
      let pruned = try await client.execute(uri: "/studies/\(study.id)/trials?state=pruned&per_page=500", method: .get).text
      #expect(linkedTrials(pruned, study: study.id) == trials.filter { $0.state == .pruned }.map(\.number))
      let byUser = try await client.execute(uri: "/studies/\(study.id)/trials?column=batch&sort=user:batch&per_page=500", method: .get).text
      #expect(byUser.contains("user: batch"), "a user attribute as a column")
      let batches = linkedTrials(byUser, study: study.id).map { trials[$0].userAttrs["batch"]!.doubleValue! }
      #expect(batches == batches.sorted())
      let values = try await client.execute(uri: "/studies/\(study.id)/trials?vmin=0&vmax=0.01&per_page=500", method: .get).text
      #expect(linkedTrials(values, study: study.id) == trials.filter { ($0.values?[0]).map { $0 <= 0.01 } ?? false }.map(\.number))
    }
  }

  @Test(arguments: [
    "/studies/abc", "/studies/999", "/studies/1/trials?page=0", "/studies/1/trials?state=finished", "/studies/1/trials?sort=colour",
    "/studies/1/trials?pmin=abc&param=x", "/studies/1/trials?pmin=1", "/studies/1/trials?per_page=100000",
    "/studies/1/trials/99999", "/studies/1/trials/0/logs/passwd", "/studies/1/trials/0/logs/stdout",
    "/api/studies/1/changes?since=-1", "/api/studies/77/changes", "/compare", "/compare?id=x", "/studies/1/trials?x=%zz",
    "/no/such/page", "/studies/1/trials?order=sideways",
  ])
  func badRequestsGetA4xxWithAMessage(uri: String) async throws {
    let storage = InMemoryStorage()
    _ = try DashboardFixtures.study(storage, name: "first", trials: 3)
    try await DashboardFixtures.app(storage).test(.router) { client in
      let response = try await client.execute(uri: uri, method: .get)
      #expect((400..<500).contains(Int(response.status.code)), "\(uri): \(response.status)")
      #expect(response.headers[.contentSecurityPolicy] == SecurityHeaders<BasicRequestContext>.policy)
    }
  }

  @Test func changesFeedSendsOnlyWhatChanged() async throws {
    let storage = InMemoryStorage()
    let study = try DashboardFixtures.study(storage, trials: 10)
    try await DashboardFixtures.app(storage).test(.router) { client in
      let all = try JSONValue.parse(try await client.execute(uri: "/api/studies/\(study.id)/changes?since=0", method: .get).text)
      #expect(all.objectValue!["trials"]!.arrayValue!.count == 10)
      let counter = all.objectValue!["counter"]!.doubleValue!
      let trial = try study.ask()
      _ = try study.tell(trial, 0.5)
      let since = try JSONValue.parse(try await client.execute(uri: "/api/studies/\(study.id)/changes?since=\(Int(counter))", method: .get).text)
      #expect(since.objectValue!["trials"]!.arrayValue!.map { $0.objectValue!["number"]! } == [.int(10)])
      let page = try await client.execute(uri: "/studies/\(study.id)?part=live", method: .get).text
      #expect(page.contains("data-trials=\"11\""), "the live part shows the new trial")
    }
  }

  @Test func writesNeedWritesAllowedTheTokenAndTheSameOrigin() async throws {
    let storage = InMemoryStorage()
    let study = try DashboardFixtures.study(storage, trials: 3)
    let note = ByteBuffer(string: "note=learning+rate+matters")
    try await DashboardFixtures.app(storage).test(.router) { client in
      let refused = try await client.execute(uri: "/studies/\(study.id)/note", method: .post, headers: [.authorization: "Bearer secret"], body: note)
      #expect(refused.status == .forbidden, "read-only by default")
    }
    try await DashboardFixtures.app(storage, allowWrites: true).test(.router) { client in
      let uri = "/studies/\(study.id)/note"
      #expect(try await client.execute(uri: uri, method: .post, body: note).status == .unauthorized)
      #expect(try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer wrong"], body: note).status == .unauthorized)
      let crossSite = try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer secret", .origin: "http://evil.example"], body: note)
      #expect(crossSite.status == .forbidden)
      #expect(try storage.studySystemAttrs(studyID: study.id)["note"] == nil, "nothing was written")
      let written = try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer secret"], body: note)
      #expect(written.status == .seeOther && written.headers[.location] == "/studies/\(study.id)")
      #expect(try storage.studySystemAttrs(studyID: study.id)["note"] == .string("learning rate matters"))

      let login = try await client.execute(uri: "/login?token=secret", method: .get)
      #expect(login.headers[.setCookie]?.contains("SameSite=Strict") == true)
      let cookie: HTTPFields = [.cookie: "hone_token=secret"]
      let enqueue = ByteBuffer(string: "params=" + URLQuery.encode("{\"x\": 0.25, \"act\": \"tanh\"}"))
      #expect(try await client.execute(uri: "/studies/\(study.id)/enqueue", method: .post, headers: cookie, body: enqueue).status == .seeOther)
      #expect(try study.trials(states: [.waiting]).count == 1)
      let badParams = ByteBuffer(string: "params=" + URLQuery.encode("{\"x\": 7}"))
      #expect(try await client.execute(uri: "/studies/\(study.id)/enqueue", method: .post, headers: cookie, body: badParams).status == .badRequest,
              "a value outside the parameter's distribution")

      let running = try study.ask()
      let fail = "/studies/\(study.id)/trials/\(running.number)/fail"
      #expect(try await client.execute(uri: fail, method: .post, headers: cookie).status == .seeOther)
      #expect(try study.trials[running.number].state == .failed)
      #expect(try await client.execute(uri: "/studies/\(study.id)/trials/\(running.number)/prune", method: .post, headers: cookie).status == .conflict)
    }
  }

  @Test func logsAreReadOnlyFromTheTrialsOwnFiles() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-dashboard-logs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "epoch 1: loss 0.5\n".write(to: folder.appendingPathComponent("trial-0.out"), atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("trial-2.out").path, withDestinationPath: "/etc/passwd")
    let storage = InMemoryStorage()
    let study = try Study(name: "logs", storage: storage)
    let paths = [folder.appendingPathComponent("trial-0.out").path, "/etc/passwd", folder.appendingPathComponent("trial-2.out").path,
                 folder.appendingPathComponent("../\(folder.lastPathComponent)/trial-0.out").path]
    for path in paths {
      let trial = try study.ask()
      try storage.setTrialSystemAttr(trialID: trial.id, key: "stdout_path", value: .string(path))
      _ = try study.tell(trial, 1)
    }
    try await DashboardFixtures.app(storage).test(.router) { client in
      let own = try await client.execute(uri: "/studies/\(study.id)/trials/0/logs/stdout", method: .get)
      #expect(own.status == .ok && own.text == "epoch 1: loss 0.5\n")
      #expect(try await client.execute(uri: "/studies/\(study.id)/trials/1/logs/stdout", method: .get).status == .forbidden)
      #expect(try await client.execute(uri: "/studies/\(study.id)/trials/2/logs/stdout", method: .get).status == .forbidden, "a link out is resolved")
      #expect(try await client.execute(uri: "/studies/\(study.id)/trials/3/logs/stdout", method: .get).status == .forbidden,
              "another trial's log, reached through ..")
      #expect(try await client.execute(uri: "/studies/\(study.id)/trials/0/logs/..%2F..%2Fetc%2Fpasswd", method: .get).status == .notFound)
      let page = try await client.execute(uri: "/studies/\(study.id)/trials/0", method: .get).text
      #expect(page.contains("epoch 1: loss 0.5"), "the trial page shows its log")
    }
    try await DashboardFixtures.app(storage, logRoot: "/tmp/elsewhere-\(UUID().uuidString)").test(.router) { client in
      let outside = try await client.execute(uri: "/studies/\(study.id)/trials/0/logs/stdout", method: .get)
      #expect(outside.status == .notFound)
    }
  }

  @Test func securityHeadersAndAssetsAreServed() async throws {
    try await DashboardFixtures.app(InMemoryStorage()).test(.router) { client in
      for uri in ["/", "/static/dashboard.js", "/static/dashboard.css", "/favicon.ico", "/studies/5"] {
        let response = try await client.execute(uri: uri, method: .get)
        #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true, "\(uri)")
        #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
      }
      let empty = try await client.execute(uri: "/", method: .get).text
      #expect(empty.contains("No study in this storage yet"))
      #expect(!empty.contains("<script>") && !empty.contains("style=\""), "no inline script or style")
    }
  }
}
