import Foundation
import Testing
import Hone

/// Dead workers from the command line: a study with a heartbeat grace fails (and, with
/// `--retry-stale`, re-enqueues once) the trials whose worker stopped beating — a killed
/// `hone tune`, a vanished `hone ask` script, a `hone serve` client that went away.
@Suite struct HeartbeatCommandTests {
  static let space = #"{"x": {"type": "float", "low": 0, "high": 1}}"#
  static let grace = 1.5

  func trials(_ hone: CLIRunner) throws -> [[String: JSONValue]] {
    try JSONValue.parse(try hone("trials", "--study", "h").stdout).arrayValue!.map { $0.objectValue! }
  }

  func create(_ hone: CLIRunner, retry: Bool = false) throws {
    let r = try hone.run(["study", "create", "--study", "h", "--heartbeat-grace", "\(Self.grace)"] + (retry ? ["--retry-stale"] : []))
    #expect(r.status == 0, "\(r.stderr)")
  }

  /// A worker that asked and vanished: the next ask after the grace fails its trial; a worker
  /// that beats (`hone heartbeat`) keeps its own.
  @Test func staleAskWorkersAreFailedAndBeatingOnesKept() throws {
    let hone = try CLIRunner()
    try create(hone)
    _ = try hone("ask", "--study", "h", "--space", Self.space)  // dies
    _ = try hone("ask", "--study", "h", "--space", Self.space)  // beats
    let deadline = Date().addingTimeInterval(Self.grace * 2)
    while Date() < deadline {
      #expect(try hone("heartbeat", "--study", "h", "--trial", "1").status == 0)
      Thread.sleep(forTimeInterval: 0.3)
    }
    _ = try hone("ask", "--study", "h", "--space", Self.space)
    let all = try trials(hone)
    #expect(all.map { $0["state"]! } == ["failed", "running", "running"])
    #expect(all[0]["system_attrs"]?.objectValue?["fail_reason"]?.stringValue?.contains("no heartbeat") == true)
    let late = try hone("heartbeat", "--study", "h", "--trial", "0")
    #expect(late.status != 0 && late.stderr.contains("is failed, not running"), "\(late.stderr)")
    #expect(try hone("tell", "--study", "h", "--trial", "1", "--value", "0.5").status == 0)
  }

  /// With `--retry-stale`, a stale trial is enqueued once more with its parameters, and the
  /// ask that found it takes it — so the grid still evaluates the point the dead worker held.
  @Test func retryStaleRunsTheSamePointAgain() throws {
    let hone = try CLIRunner()
    try create(hone, retry: true)
    let grid = #"{"x": {"type": "categorical", "choices": [1, 2]}}"#
    let first = try JSONValue.parse(try hone("ask", "--study", "h", "--sampler", "grid", "--space", grid).stdout).objectValue!
    Thread.sleep(forTimeInterval: Self.grace + 0.5)
    let second = try JSONValue.parse(try hone("ask", "--study", "h", "--sampler", "grid", "--space", grid).stdout).objectValue!
    #expect(second["params"] == first["params"], "the retry holds the stale trial's point")
    let all = try trials(hone)
    #expect(all.map { $0["state"]! } == ["failed", "running"])
    #expect(all[1]["system_attrs"]?.objectValue?["retry_of"] == .int(0))
  }

  /// `hone tune` beats for its trials; when it is SIGKILLed, the next ask fails them.
  @Test func killedTuneRunsAreCleanedUpByTheNextAsk() throws {
    let hone = try CLIRunner()
    try create(hone)
    let process = try hone.start(["tune", "--study", "h", "--space", Self.space, "--trials", "1", "--",
                                  "sh", "-c", "echo $$ > child.pid; sleep 60"])
    let child = try #require(hone.pid(writtenTo: "child.pid"))
    // Alive and beating past the grace: not stale.
    Thread.sleep(forTimeInterval: Self.grace + 0.5)
    _ = try hone("ask", "--study", "h", "--space", Self.space)
    #expect(try trials(hone)[0]["state"] == "running", "a live tune's trial is kept")
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    kill(-child, SIGKILL)  // its command runs on under init: the test ends it
    Thread.sleep(forTimeInterval: Self.grace + 0.5)
    _ = try hone("ask", "--study", "h", "--space", Self.space)
    let all = try trials(hone)
    #expect(all[0]["state"] == "failed", "the killed run's trial")
    #expect(all[1]["state"] == "failed", "the ask that was never told")
  }

  /// A `hone serve` client that goes away: its untold trials are failed at once.
  @Test func serveFailsTheTrialsOfAClientThatWentAway() throws {
    let hone = try CLIRunner()
    try create(hone)
    let replies = try ServeCommandTests().serve(hone, [
      #"{"op": "ask", "study": "h", "space": \#(Self.space)}"#,
      #"{"op": "ask", "study": "h", "space": \#(Self.space)}"#,
      #"{"op": "tell", "study": "h", "trial": 1, "value": 0.5}"#,
    ], storage: "sqlite:///hone.db")
    #expect(replies.count == 3)
    let all = try trials(hone)
    #expect(all.map { $0["state"]! } == ["failed", "complete"])
    #expect(all[0]["system_attrs"]?.objectValue?["fail_reason"]?.stringValue?.contains("went away") == true)
  }
}
