import Foundation
import Testing
import Hone
import HoneTestSupport

/// What the multi-host tests need: PostgreSQL, root for network namespaces, and faketime.
enum MultiHostNeeds {
  static var unavailableReason: String? {
    ThrowawayCluster.unavailableReason ?? TestHosts.unavailableReason
      ?? (FileManager.default.isExecutableFile(atPath: "/usr/bin/faketime") ? nil : "faketime is not installed (make test installs it as root)")
  }
}

/// Many hosts on one study: `hone tune` workers in network namespaces of their own (test
/// hosts), all on one PostgreSQL study — with one host's clock minutes off, a worker killed,
/// the server restarted and a host cut off for longer than the heartbeat grace.
@Suite(.serialized, .enabled(if: MultiHostNeeds.unavailableReason == nil, "\(MultiHostNeeds.unavailableReason ?? "")"))
struct MultiHostTests {
  static let space = #"{"x": {"type": "float", "low": 0, "high": 1}}"#

  /// A `hone tune` worker on a test host, its output in files.
  struct Worker {
    let process: Process
    let output: URL

    var text: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// Waits for the worker to exit without holding a thread of the cooperative pool (the
    /// other suites run meanwhile); returns its status.
    func exit() async throws -> Int32 {
      while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
      return process.terminationStatus
    }

    /// Waits until the worker has completed `count` trials (its progress line `trial N/`);
    /// false after a minute.
    func completed(_ count: Int) async throws -> Bool {
      for _ in 0..<1200 {
        if text.contains("trial \(count)/") { return true }
        try await Task.sleep(for: .milliseconds(50))
      }
      return false
    }
  }

  /// Sleeps without holding a thread of the cooperative pool.
  func pause(_ seconds: Double) async throws { try await Task.sleep(for: .milliseconds(Int(seconds * 1000))) }

  let hone: CLIRunner
  let hosts: TestHosts
  let cluster: ThrowawayCluster
  let database: String

  /// Makes the hosts and the cluster off the cooperative pool (`ip`, initdb and psql wait).
  init() async throws {
    hone = try CLIRunner()
    let hosts = try await offThePool { try TestHosts(count: 3) }
    self.hosts = hosts
    do {
      (cluster, database) = try await offThePool {
        let cluster = try ThrowawayCluster(addresses: ["127.0.0.1"] + hosts.hosts.map(\.serverAddress))
        return (cluster, try cluster.createDatabase())
      }
    } catch {
      hosts.remove()
      throw error
    }
  }

  func finish() {
    cluster.stop()
    hosts.remove()
  }

  /// Starts `hone tune` for `trials` trials on host `k` (0-based); `clock` runs it under
  /// faketime with that offset (`+5m`).
  func startWorker(on k: Int, trials: Int, seconds: Double, clock: String? = nil) throws -> Worker {
    let host = hosts.hosts[k]
    let url = cluster.url(database, host: host.serverAddress, options: "retry_timeout=60")
    var argv = [CLIRunner.binary.path, "tune", "--storage", url, "--study", "s", "--space", Self.space, "--sampler", "random",
                "--trials", "\(trials)", "--log-dir", "logs-\(UUID().uuidString.prefix(8))", "--",
                "sh", "-c", "sleep \(seconds); echo hone: value={x}"]
    if let clock { argv = ["/usr/bin/faketime", "-f", clock] + argv }
    argv = hosts.command(on: host, argv)
    let output = hone.folder.appendingPathComponent("worker-\(UUID().uuidString.prefix(8)).log")
    FileManager.default.createFile(atPath: output.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: argv[0])
    process.arguments = Array(argv.dropFirst())
    process.currentDirectoryURL = hone.folder
    process.environment = ProcessInfo.processInfo.environment.merging(["FAKETIME_DONT_FAKE_MONOTONIC": "1"]) { $1 }
    let handle = try FileHandle(forWritingTo: output)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    return Worker(process: process, output: output)
  }

  /// Runs `hone args…` in the runner's folder off the cooperative pool.
  func run(_ args: [String]) async throws -> CLIRunner.Result {
    try await offThePool { [hone] in try hone.run(args) }
  }

  func createStudy(grace: Double) async throws {
    let r = try await run(["study", "create", "--storage", cluster.url(database), "--study", "s", "--heartbeat-grace", "\(grace)", "--retry-stale"])
    #expect(r.status == 0, "\(r.stderr)")
  }

  func storedTrials() async throws -> [FrozenTrial] {
    let url = cluster.url(database, options: "pool_size=1")
    return try await offThePool {
      let storage = try PostgresStorage(url: url)
      return try storage.trials(studyID: storage.studyID(name: "s"), states: nil)
    }
  }

  /// Four workers on each of three hosts, one host's clock five minutes ahead: every trial
  /// asked is run once, the numbers are dense, and no live trial is taken for stale.
  @Test func twelveWorkersOnThreeHostsRunEveryTrialOnce() async throws {
    defer { finish() }
    try await createStudy(grace: 3)
    var workers: [Worker] = []
    for k in 0..<3 {
      for _ in 0..<4 { workers.append(try startWorker(on: k, trials: 6, seconds: 0.05, clock: k == 2 ? "+5m" : nil)) }
    }
    for worker in workers {
      let status = try await worker.exit()
      #expect(status == 0, "\(worker.text)")
    }
    let trials = try await storedTrials()
    #expect(trials.map(\.number) == Array(0..<72))
    #expect(trials.allSatisfy { $0.state == .complete && $0.values == [$0.params["x"]!.doubleValue!] }, "\(trials.filter { $0.state != .complete }.map(\.failReason))")
  }

  /// A worker SIGKILLed mid-trial, `pg_ctl restart` mid-run and one host cut off past the
  /// grace: the killed worker's trial is failed and run again once, every other worker carries
  /// on, the cut-off host's late results are refused with one line each, and every trial is
  /// accounted for. Each fault waits for the workers it hits to be running trials (a trial takes
  /// 1 s), however slowly a loaded machine starts them.
  @Test func faultsLeaveEveryTrialAccountedFor() async throws {
    defer { finish() }
    let grace = 2.0
    try await createStudy(grace: grace)
    var workers: [Worker] = []
    for k in 0..<3 {
      for _ in 0..<2 { workers.append(try startWorker(on: k, trials: 15, seconds: 1)) }
    }
    #expect(try await workers[0].completed(1), "\(workers[0].text)")
    kill(workers[0].process.processIdentifier, SIGKILL)
    try await offThePool { [cluster] in try cluster.restart() }
    for worker in workers[4...] { #expect(try await worker.completed(3), "\(worker.text)") }
    let cut = hosts.hosts[2]
    try await offThePool { [hosts] in try hosts.setLink(cut, up: false) }
    try await pause(grace + 3)
    try await offThePool { [hosts] in try hosts.setLink(cut, up: true) }
    for (i, worker) in workers.enumerated() {
      let status = try await worker.exit()
      if i > 0 { #expect(status == 0, "worker \(i): \(worker.text)") }
    }
    // A last worker after the grace fails what the killed one left running and runs the retries.
    try await pause(grace + 0.5)
    let waiting = try await storedTrials().filter { $0.state == .waiting }.count
    let last = try await run(["tune", "--storage", cluster.url(database), "--study", "s", "--space", Self.space, "--sampler", "random",
                              "--trials", "\(waiting + 1)", "--", "sh", "-c", "echo hone: value={x}"])
    #expect(last.status == 0, "\(last.stderr)")

    let trials = try await storedTrials()
    #expect(trials.map(\.number) == Array(0..<trials.count), "numbers are dense")
    #expect(!trials.contains { $0.state == .running || $0.state == .waiting }, "nothing left running or waiting")
    let stale = trials.filter { $0.state == .failed }
    #expect(stale.allSatisfy { $0.failReason?.hasPrefix(StorageRules.staleReasonPrefix) == true }, "\(stale.map(\.failReason))")
    #expect(stale.count >= 2, "the killed worker's trial and the cut-off host's")
    for trial in stale where trial.systemAttrs["retry_of"] == nil {
      let retries = trials.filter { $0.systemAttrs["retry_of"] == .int(trial.number) }
      // The retry holds every parameter the stale trial had (a worker killed between its ask
      // and its first suggestion leaves a trial with none, and its retry samples them).
      #expect(retries.count == 1 && trial.params.allSatisfy { retries[0].params[$0.key] == $0.value },
              "trial \(trial.number) is run again once with its parameters")
    }
    #expect(trials.filter { $0.state == .complete }.allSatisfy { $0.values == [$0.params["x"]!.doubleValue!] })
    let refused = workers[4...].map(\.text).joined()
    #expect(refused.contains("was failed by another worker while this one could not reach the storage"), "\(refused)")
  }
}
