import Foundation
import Testing
import Hone

/// `hone tune` against what real commands and real terminals do: hang-ups, background
/// processes, huge output lines, braces, odd study names, commands that cannot start.
@Suite struct TuneHardeningTests {
  static let space = #"{"x": {"type": "float", "low": 0, "high": 1}}"#

  func trials(_ hone: CLIRunner, study: String = "t") throws -> [[String: JSONValue]] {
    try JSONValue.parse(try hone("trials", "--study", study).stdout).arrayValue!.map { $0.objectValue! }
  }

  func tune(_ hone: CLIRunner, _ options: [String], _ command: [String]) throws -> CLIRunner.Result {
    try hone.run(["tune", "--study", "t", "--space", Self.space] + options + ["--"] + command)
  }

  /// Whether process `pid` still exists (a zombie awaiting its parent counts as gone).
  static func alive(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    return !status.contains(") Z ")
  }

  /// Waits until `condition` holds, up to `seconds`.
  static func wait(_ seconds: Double, until condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if try condition() { return true }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
  }

  /// A closed terminal (SIGHUP) ends `hone tune` as SIGTERM does: its commands are ended and
  /// their trials failed, exit 128 + 1.
  @Test func hangUpEndsTheRunCleanly() throws {
    let hone = try CLIRunner()
    let process = try hone.start(["tune", "--study", "t", "--space", Self.space, "--trials", "3", "--",
                                  "sh", "-c", "echo $$ > pid-{trial}; sleep 30"])
    let child = try #require(hone.pid(writtenTo: "pid-0"))
    kill(process.processIdentifier, SIGHUP)
    process.waitUntilExit()
    #expect(process.terminationStatus == 128 + SIGHUP)
    #expect(Self.wait(5) { !Self.alive(child) }, "the command was ended")
    let all = try trials(hone)
    #expect(all.count == 1 && all[0]["state"] == "failed")
    #expect(all[0]["system_attrs"]?.objectValue?["fail_reason"] == "interrupted")
  }

  /// A command that printed its value and exited completes its trial at once, even when a
  /// background process it started keeps stdout open; that process is ended with the trial.
  @Test func exitEndsTheTrialNotEndOfOutput() throws {
    let hone = try CLIRunner()
    let started = Date()
    let r = try tune(hone, ["--trials", "1", "--trial-timeout", "20"],
                     ["sh", "-c", "sleep 40 & echo $! > bg.pid; echo 'hone: value=0.5'; exit 0"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(Date().timeIntervalSince(started) < 15, "the trial waited for the background process")
    let all = try trials(hone)
    #expect(all.first?["state"] == "complete" && all.first?["values"] == .array([.double(0.5)]))
    let background = try #require(hone.pid(writtenTo: "bg.pid"))
    #expect(Self.wait(5) { !Self.alive(background) }, "the background process outlived its trial")
  }

  /// `{{` and `}}` are literal braces; an unbalanced brace is refused before anything is written.
  @Test func bracesCanBeEscaped() throws {
    let hone = try CLIRunner()
    let r = try tune(hone, ["--trials", "1", "--seed", "1"],
                     ["python3", "-c", "import json,sys; c=json.loads(sys.argv[1]); print('hone: value=%r' % c['x'])", #"{{"x": {x}}}"#])
    #expect(r.status == 0, "\(r.stderr)")
    let all = try trials(hone)
    #expect(all.first?["values"]?.arrayValue?.first == all.first?["params"]?.objectValue?["x"])
    for bad in ["{x", "x}", "{}", "{{x}"] {
      let refused = try hone.run(["tune", "--study", "u", "--space", Self.space, "--trials", "1", "--", "echo", bad])
      #expect(refused.status != 0 && refused.stderr.contains("{{ and }}"), "\(bad): \(refused.stderr)")
    }
    #expect(try hone("study", "list").stdout.contains(#""study":"t""#))
    #expect(!(try hone("study", "list").stdout.contains(#""study":"u""#)), "refused runs create no study")
  }

  /// Study names become safe file names; bad log folders and report paths fail before the
  /// study is created, with one line and no Foundation error dump.
  @Test func namesAndPathsAreCheckedFirst() throws {
    let hone = try CLIRunner()
    let outside = hone.folder.deletingLastPathComponent().appendingPathComponent("x-\(UUID().uuidString)")
    let sneaky = "../../" + outside.lastPathComponent
    let r = try hone.run(["tune", "--study", sneaky, "--space", Self.space, "--trials", "1", "--", "echo", "hone: value=1"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: outside.path), "logs were written outside the working folder")
    let logs = try FileManager.default.contentsOfDirectory(atPath: hone.folder.appendingPathComponent("hone-logs").path)
    #expect(logs.count == 1 && !logs[0].contains("/") && !logs[0].hasPrefix("."), "\(logs)")
    let long = String(repeating: "n", count: 400)
    #expect(try hone.run(["tune", "--study", long, "--space", Self.space, "--trials", "1", "--", "echo", "hone: value=1"]).status == 0)

    try Data().write(to: hone.folder.appendingPathComponent("afile"))
    for (logDir, message) in [("afile", "is a file"), ("afile/sub", "cannot create the log folder")] {
      let bad = try hone.run(["tune", "--study", "fresh", "--log-dir", logDir, "--space", Self.space, "--", "true"])
      #expect(bad.status != 0 && bad.stderr.contains(message), "\(logDir): \(bad.stderr)")
      #expect(!bad.stderr.contains("NSCocoaErrorDomain") && bad.stderr.split(separator: "\n").count <= 3, "\(bad.stderr)")
    }
    #expect(!(try hone("study", "list").stdout.contains(#""study":"fresh""#)), "a bad log folder creates no study")
    for output in ["missing/report.html", "afile/report.html", "."] {
      let report = try hone("report", "--study", long, "-o", output)
      #expect(report.status != 0 && report.stderr.contains("cannot write"), "\(output): \(report.stderr)")
      #expect(!report.stderr.contains("NSCocoaErrorDomain"))
    }
  }

  /// The summary counts this run's trials only — enqueued ones included, other processes' not.
  @Test func summaryCountsThisRun() throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "t")
    for _ in 0..<5 { _ = try hone("ask", "--study", "t") }  // another worker's running trials
    _ = try hone("enqueue", "--study", "t", "--params", #"{"x": 0.25}"#)
    let r = try tune(hone, ["--trials", "3", "--json"], ["sh", "-c", "test {x} = 0.25 && exit 4; echo 'hone: value={x}'"])
    #expect(r.status == 0, "\(r.stderr)")
    let summary = try JSONValue.parse(String(r.stdout.split(separator: "\n").last!)).objectValue!
    #expect(summary["trials"] == .int(3) && summary["failed"] == .int(1) && summary["complete"] == .int(2), "\(summary)")
    #expect(r.stdout.contains("#5 failed: the command exited with status 4"), "\(r.stdout)")
  }

  /// A command that cannot start stops the run after three tries instead of filling the study.
  @Test func aCommandThatCannotStartStopsTheRun() throws {
    let hone = try CLIRunner()
    let r = try tune(hone, ["--trials", "50"], ["no-such-command-\(UUID().uuidString)"])
    #expect(r.status != 0 && r.stderr.contains("could not be started"), "\(r.stderr)")
    #expect(try trials(hone).count <= 3 + 1, "at most a trial per job past the limit")
  }

  /// Trial commands inherit no descriptor of Hone's (logs, database, other trials' pipes).
  @Test func commandsInheritOnlyTheirStandardStreams() throws {
    let hone = try CLIRunner()
    let r = try tune(hone, ["--trials", "6", "--jobs", "3"],
                     ["python3", "-c", "import os, time; time.sleep(0.2); print('hone: value=%d' % len(os.listdir('/proc/self/fd')))"])
    #expect(r.status == 0, "\(r.stderr)")
    // Python sees its stdin, stdout, stderr and the folder it lists.
    let values = try trials(hone).map { $0["values"]! }
    #expect(values.count == 6 && values.allSatisfy { $0 == .array([.double(4)]) }, "\(values)")
  }

  /// A 20 MB output line and a progress bar redrawn with `\r` are read through; the result line after them counts.
  @Test func hugeLinesAndProgressBars() throws {
    let hone = try CLIRunner()
    let script = "import sys; sys.stdout.write('y' * 20_000_000); sys.stdout.write(''.join('\\r%d%%' % i for i in range(100000))); print('\\nhone: value=0.125')"
    let r = try tune(hone, ["--trials", "1"], ["python3", "-c", script])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try trials(hone).first?["values"] == .array([.double(0.125)]))
  }

  /// A conditional space: a parameter exists only when its condition holds, and a command
  /// that uses a missing one fails that trial only.
  @Test func conditionalSpacesInTune() throws {
    let hone = try CLIRunner()
    let space = #"{"opt": {"type": "categorical", "choices": ["sgd", "adam"]}, "momentum": {"type": "float", "low": 0.5, "high": 0.99, "when": {"opt": "sgd"}}}"#
    let r = try hone.run(["tune", "--study", "c", "--space", space, "--trials", "12", "--sampler", "random", "--seed", "2", "--",
                          "sh", "-c", "echo \"hone: value=${{HONE_PARAM_MOMENTUM:-0}}\""])
    #expect(r.status == 0, "\(r.stderr)")
    let all = try trials(hone, study: "c")
    for trial in all {
      let params = trial["params"]!.objectValue!
      #expect((params["opt"] == "sgd") == (params["momentum"] != nil), "\(params)")
      #expect(trial["values"] == .array([params["momentum"] ?? .double(0)]))
    }
    #expect(Set(all.map { $0["params"]!.objectValue!["opt"]! }).count == 2)
    let uses = try hone.run(["tune", "--study", "d", "--space", space, "--trials", "12", "--sampler", "random", "--seed", "2", "--",
                             "echo", "hone: value={momentum}"])
    let used = try trials(hone, study: "d")
    #expect(uses.status == 0, "some trials complete: \(uses.stderr)")
    #expect(used.allSatisfy { ($0["state"] == "failed") == ($0["params"]!.objectValue!["opt"] == "adam") })
    #expect(used.first { $0["state"] == "failed" }?["system_attrs"]?.objectValue?["fail_reason"]?.stringValue?.contains("has no such parameter") == true)
  }
}
