import Foundation
import Testing
import HoneTestSupport
@testable import HonePostgres
@testable import HoneTune

/// What only the PostgreSQL storage has: its URLs, its errors on bad input, its schema under
/// concurrent starts, its reconnection, its bounded pool and its incremental reads.
@Suite(.enabled(if: ThrowawayCluster.unavailableReason == nil, "\(ThrowawayCluster.unavailableReason ?? "")"))
struct PostgresStorageTests {
  let cluster: ThrowawayCluster
  let database: String

  init() async throws {
    let cluster = try await ThrowawayCluster.sharedCluster()
    self.cluster = cluster
    database = try await offThePool { try cluster.createDatabase() }
  }

  @Test func urlsParseWithTheirOptions() throws {
    let url = try PostgresURL("postgresql://ann:p%40ss@db.example:6543/my%20db?sslmode=require&pool_size=2&connect_timeout=3&retry_timeout=30")
    #expect(url.host == "db.example" && url.port == 6543 && url.user == "ann" && url.password == "p@ss" && url.database == "my db")
    #expect(url.sslMode == .require && url.poolSize == 2 && url.connectTimeout == 3 && url.retryTimeout == 30)
    #expect(url.description == "postgresql://ann@db.example:6543/my db")
    let short = try PostgresURL("postgres://localhost/hone")
    #expect(short.port == 5432 && short.user == "postgres" && short.password == nil && short.poolSize == 4 && short.sslMode == .prefer)
    #expect(try PostgresURL("postgresql://u@[::1]:5433/d").host == "::1")
    let bad: [(String, String)] = [
      ("postgresql://host", "names no database"),
      ("postgresql://u:secret@host:99999/d", "port"),
      ("postgresql://u:secret@host/d?pool_size=0", "pool_size"),
      ("postgresql://host/d?sslmode=verify-full", "sslmode"),
      ("postgresql://host/d?colour=blue", "unknown option 'colour'"),
      ("postgresql:///d", "names no host"),
      ("mysql://host/d", "not a PostgreSQL URL"),
    ]
    for (text, message) in bad {
      #expect { try PostgresURL(text) } throws: { error in
        let description = "\(error)"
        return description.contains(message) && !description.contains("secret")
      }
    }
  }

  @Test func badCredentialsMissingDatabasesAndDeadServersFailClearly() async throws {
    /// What opening `url` says, and how long it took (off the cooperative pool: it waits).
    func message(_ url: String) async throws -> (text: String, seconds: Double) {
      try await offThePool {
        let start = Date()
        do { _ = try PostgresStorage(url: url); return ("opened", Date().timeIntervalSince(start)) } catch {
          return ("\(error)", Date().timeIntervalSince(start))
        }
      }
    }
    #expect(try await message(cluster.url(database, user: "hone_pw", password: "wrong")).text.contains("refused user 'hone_pw'"))
    #expect(try await message(cluster.url(database, user: "hone_pw", password: "hone-secret")).text == "opened")
    #expect(try await message(cluster.url("no_such_db")).text.contains("has no database 'no_such_db'"))
    let closed = try ThrowawayCluster.freePort()
    let refused = try await message("postgresql://hone@127.0.0.1:\(closed)/x?connect_timeout=2")
    #expect(refused.text.contains("cannot reach PostgreSQL at 127.0.0.1:\(closed)") && refused.seconds < 4)
    // A server that accepts the connection and never answers: the connect timeout ends it.
    let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(silent) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let silentPort = try ThrowawayCluster.freePort()
    address.sin_port = UInt16(silentPort).bigEndian
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(silent, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    listen(silent, 8)
    let unanswered = try await message("postgresql://hone@127.0.0.1:\(silentPort)/x?connect_timeout=1")
    #expect(unanswered.text.contains("PostgreSQL at 127.0.0.1:\(silentPort)") && unanswered.seconds < 3)
  }

  @Test func aNewerOrForeignSchemaIsRefusedUntouched() throws {
    _ = try PostgresStorage(url: cluster.url(database))
    try cluster.psql("UPDATE hone_schema SET version = 99", database: database)
    // A new process (its own pool) opens it.
    let url = cluster.url(database, options: "pool_size=3")
    #expect { try PostgresStorage(url: url) } throws: { "\($0)".contains("schema version 99, newer than this Hone understands") }
    #expect(try cluster.psql("SELECT version FROM hone_schema", database: database) == "99")

    let foreign = try cluster.createDatabase()
    try cluster.psql("CREATE TABLE hone_studies (id INT)", database: foreign)
    #expect { try PostgresStorage(url: cluster.url(foreign)) } throws: { "\($0)".contains("not written by Hone") }

    let empty = try cluster.createDatabase()
    #expect { try PostgresStorage(PostgresURL(cluster.url(empty)), create: false) } throws: { "\($0)".contains("holds no Hone studies") }
    #expect(try cluster.psql("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'hone_%'", database: empty) == "0")
  }

  @Test func fiftyWorkersStartingAtOnceMigrateOnce() async throws {
    let url = try PostgresURL(cluster.url(database))
    let failures = try await offThePool {
      let failures = Locked<[String]>([])
      DispatchQueue.concurrentPerform(iterations: 50) { _ in
        do {
          let session = try PostgresSession(url)
          defer { session.close() }
          try PostgresSchema.prepare(session, url: url, create: true)
        } catch {
          failures.withLock { $0.append("\(error)") }
        }
      }
      return failures.current
    }
    #expect(failures.isEmpty)
    #expect(try cluster.psql("SELECT version FROM hone_schema", database: database) == "\(PostgresSchema.currentVersion)")
    #expect(try cluster.psql("SELECT count(*) FROM hone_schema", database: database) == "1")
  }

  @Test func aProcessHoldsAtMostPoolSizeConnections() async throws {
    let storage = try PostgresStorage(url: cluster.url(database, options: "pool_size=3"))
    let study = try Study(name: "pool", storage: storage, direction: .minimize, sampler: RandomSampler(seed: 1))
    let peak = Locked(0)
    let watching = Self.repeatOnAThread(every: 0.02) { [cluster, database] in
      let n = Int((try? cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)'")) ?? "0") ?? 0
      peak.withLock { $0 = max($0, n) }
    }
    try await study.optimize(trials: 120, concurrency: 8) { trial in try trial.suggestFloat("x", 0...1) }
    watching.withLock { $0 = true }
    #expect(peak.current >= 1 && peak.current <= 3)
    #expect(try study.trials.count == 120)
  }

  @Test func workersCarryOnWhenTheirConnectionsAreKilled() async throws {
    let storage = try PostgresStorage(url: cluster.url(database))
    let study = try Study(name: "killed", storage: storage, direction: .minimize, sampler: RandomSampler(seed: 3))
    let killing = Self.repeatOnAThread(every: 0.03) { [cluster, database] in
      _ = try? cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'")
    }
    try await study.optimize(trials: 150, concurrency: 4) { trial in try trial.suggestFloat("x", 0...1) }
    killing.withLock { $0 = true }
    Self.expectEveryTrialOnce(try PostgresStorage(url: cluster.url(database, options: "pool_size=2")).trials(studyID: study.id, states: nil), count: 150)
  }

  @Test func workersCarryOnThroughARestart() async throws {
    let own = try await offThePool { try ThrowawayCluster() }
    defer { own.stop() }
    let database = try await offThePool { try own.createDatabase() }
    let storage = try PostgresStorage(url: own.url(database))
    let study = try Study(name: "restart", storage: storage, direction: .minimize, sampler: RandomSampler(seed: 4))
    let restarted = Task.detached {
      try await Task.sleep(for: .milliseconds(300))
      try await offThePool { try own.restart() }
    }
    try await study.optimize(trials: 200, concurrency: 3) { trial in
      try await Task.sleep(for: .milliseconds(5))
      return try trial.suggestFloat("x", 0...1)
    }
    try await restarted.value
    Self.expectEveryTrialOnce(try study.trials, count: 200)
  }

  @Test func readsSeeEveryChangeAndOnlyReadWhatChanged() throws {
    let writer = try PostgresStorage(url: cluster.url(database))
    let reader = try PostgresStorage(url: cluster.url(database))
    let study = try writer.createStudy(name: "incremental", directions: [.minimize])
    var ids: [Int] = []
    for _ in 0..<30 { ids.append(try writer.createTrial(studyID: study, template: nil).id) }
    #expect(try reader.trials(studyID: study, states: nil).count == 30)
    let counter = reader.cache.entry(study).changes
    try writer.setParams(trialID: ids[3], [("x", .double(0.5), .float(low: 0, high: 1))])
    try writer.finishTrial(trialID: ids[7], state: .complete, values: [1.5])
    try writer.setTrialUserAttr(trialID: ids[9], key: "k", value: "v")
    _ = try writer.createTrial(studyID: study, template: nil)
    let read = try reader.trials(studyID: study, states: nil)
    #expect(reader.cache.entry(study).changes >= counter)
    #expect(read == (try PostgresStorage(url: cluster.url(database, options: "pool_size=1")).trials(studyID: study, states: nil)))
    #expect(read[3].params == ["x": .double(0.5)] && read[7].values == [1.5] && read[9].userAttrs == ["k": "v"] && read.count == 31)
    #expect(try reader.trials(studyID: study, states: [.complete]).map(\.number) == [7])
  }

  /// Runs `body` every `seconds` on a thread of its own — it runs psql and waits for it, which
  /// must not hold a thread of the cooperative pool the other suites share — until the
  /// returned flag is set.
  static func repeatOnAThread(every seconds: Double, _ body: @escaping @Sendable () -> Void) -> Locked<Bool> {
    let stop = Locked(false)
    Thread.detachNewThread {
      while !stop.current {
        body()
        Thread.sleep(forTimeInterval: seconds)
      }
    }
    return stop
  }

  /// Trials numbered 0..<count, each finished exactly once.
  static func expectEveryTrialOnce(_ trials: [FrozenTrial], count: Int) {
    #expect(trials.map(\.number) == Array(0..<count))
    #expect(trials.allSatisfy { $0.state == .complete })
    #expect(Set(trials.map(\.id)).count == count)
  }
}
