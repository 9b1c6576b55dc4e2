import Foundation
import HoneTune
import Hummingbird
import Logging

/// A live web dashboard of every study in a storage, served over HTTP by Hummingbird: the
/// list of studies, each study's plots (drawn on the server by HoneReport and refreshed
/// within about a second of a change, from the storage's change counter, without reloading),
/// the trial table with filters, sort and pages, each trial with its logs, and several
/// studies compared. Read-only unless `allowWrites`; then a write needs the token.
public enum Dashboard {
  /// The server, ready to `runService()`. `onRunning` gets the port it listens on (the one
  /// chosen when the configuration's port is 0). Once listening, it reads every study and
  /// draws its plots in the background, so the first page a browser asks for is ready.
  public static func application(storage: any Storage, configuration: DashboardConfiguration,
                                 onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    var logger = Logger(label: "hone.dashboard")
    logger.logLevel = .warning
    let feeds = StudyFeeds(storage: storage, freshness: configuration.freshness)
    return Application(router: router(feeds: feeds, configuration: configuration),
                       configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Hone"),
                       onServerRunning: { channel in
                         await onRunning(channel.localAddress?.port ?? configuration.port)
                         Task.detached { _ = try? await blocking { try feeds.all().forEach { _ = StudyPage.plots(try $0.current()) } } }
                       },
                       logger: logger)
  }

  /// The routes with their middleware, for `application` and for tests.
  public static func router(storage: any Storage, configuration: DashboardConfiguration) -> Router<BasicRequestContext> {
    router(feeds: StudyFeeds(storage: storage, freshness: configuration.freshness), configuration: configuration)
  }

  static func router(feeds: StudyFeeds, configuration: DashboardConfiguration) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: SecurityHeaders())
    DashboardRoutes(feeds: feeds, configuration: configuration).add(to: router)
    return router
  }
}
