import Foundation
import HonePostgres
import HoneTestSupport
import HoneTune
import Hummingbird
import HummingbirdTesting
import Testing
@testable import HoneDashboard

/// The dashboard on PostgreSQL, where the change counter is a transaction id: pages, the
/// change feed and the live part follow a study that another connection writes.
@Suite(.enabled(if: ThrowawayCluster.unavailableReason == nil, "\(ThrowawayCluster.unavailableReason ?? "")"))
struct DashboardPostgresTests {
  @Test func pagesAndTheChangeFeedFollowAPostgresStudy() async throws {
    let cluster = try await ThrowawayCluster.sharedCluster()
    let url = try await offThePool { cluster.url(try cluster.createDatabase()) }
    let storage = try await offThePool { try PostgresStorage(url: url) }
    let study = try await offThePool { try DashboardFixtures.study(storage, trials: 12) }
    let writer = try await offThePool { try PostgresStorage(url: url) }
    try await DashboardFixtures.app(storage).test(.router) { client in
      let page = try await client.execute(uri: "/studies/\(study.id)", method: .get).text
      #expect(page.contains("data-trials=\"12\"") && page.contains("<section id=\"history\">") && page.contains("<section id=\"timeline\">"))
      let all = try JSONValue.parse(try await client.execute(uri: "/api/studies/\(study.id)/changes?since=0", method: .get).text)
      #expect(all.objectValue!["trials"]!.arrayValue!.count == 12)
      let counter = Int(all.objectValue!["counter"]!.doubleValue!)
      try await offThePool {
        let other = try Study.load(name: study.name, storage: writer)
        _ = try other.tell(try other.ask(), 0.125)
      }
      let since = try JSONValue.parse(try await client.execute(uri: "/api/studies/\(study.id)/changes?since=\(counter)", method: .get).text)
      let numbers = since.objectValue!["trials"]!.arrayValue!.map { $0.objectValue!["number"]! }
      #expect(numbers.contains(.int(12)), "the new trial is sent (PostgreSQL may repeat one it sent before, never leave one out)")
      #expect(numbers.count < 12, "only what changed is sent")
      let live = try await client.execute(uri: "/studies/\(study.id)?part=live", method: .get).text
      #expect(live.contains("data-trials=\"13\""))
      let table = try await client.execute(uri: "/studies/\(study.id)/trials?vmin=0.125&vmax=0.125", method: .get).text
      #expect(linkedTrials(table, study: study.id) == [12], "the new trial is in the table")
    }
  }
}
