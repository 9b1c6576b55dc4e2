import Foundation
import Testing

/// `hone serve --stdio`: the JSON-lines protocol, line by line.
@Suite struct ServeCommandTests {
  func serve(_ hone: CLIRunner, _ lines: [String], storage: String = "sqlite:///s.db") throws -> [[String: Any]] {
    try serve(hone, input: Data((lines.joined(separator: "\n") + "\n").utf8), storage: storage)
  }

  /// A running `hone serve --stdio` on `storage`, with its stdin and stdout.
  func start(_ hone: CLIRunner, storage: String) throws -> (Process, stdin: Pipe, stdout: Pipe) {
    let process = Process()
    process.executableURL = CLIRunner.binary
    process.currentDirectoryURL = hone.folder
    process.arguments = ["serve", "--stdio", "--storage", storage]
    let stdin = Pipe(), output = Pipe()
    process.standardInput = stdin
    process.standardOutput = output
    try process.run()
    return (process, stdin, output)
  }

  /// Sends `input` to `hone serve --stdio`, closes stdin and returns the response lines.
  func serve(_ hone: CLIRunner, input: Data, storage: String = "sqlite:///s.db") throws -> [[String: Any]] {
    let (process, stdin, output) = try start(hone, storage: storage)
    // Written on another thread: a large input must not block on a full pipe while the
    // responses fill the other one.
    let writer = Thread { try? stdin.fileHandleForWriting.write(contentsOf: input); try? stdin.fileHandleForWriting.close() }
    writer.start()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  /// A server waiting for its next request sleeps: over a second of waiting it takes almost no
  /// processor time (it used to spin a core for the whole session, taking it from the sampler).
  @Test func anIdleServerSleeps() throws {
    let hone = try CLIRunner()
    let (process, stdin, _) = try start(hone, storage: "sqlite:///idle.db")
    defer {
      try? stdin.fileHandleForWriting.close()
      process.waitUntilExit()
    }
    Thread.sleep(forTimeInterval: 0.5)  // started
    func cpuTicks() throws -> Int {
      // utime and stime: fields 14 and 15 of /proc/PID/stat, after the parenthesized name.
      let stat = try String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)
      let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
      return Int(fields[11])! + Int(fields[12])!
    }
    let before = try cpuTicks()
    Thread.sleep(forTimeInterval: 1)
    let used = try cpuTicks() - before
    #expect(used < 20, "an idle hone serve used \(used) ticks (1/100 s) of processor time in one second")
  }

  /// SIGTERM ends a server waiting for its next request at once (exit 143), and the trial it
  /// asked and was not told is failed.
  @Test func aSignalEndsTheServerAndFailsItsTrials() throws {
    let hone = try CLIRunner()
    let (process, stdin, output) = try start(hone, storage: "sqlite:///signal.db")
    let requests = #"{"op": "create_study", "study": "q", "sampler": "random"}"# + "\n"
      + #"{"op": "ask", "study": "q", "space": {"x": {"type": "float", "low": 0, "high": 1}}}"# + "\n"
    try stdin.fileHandleForWriting.write(contentsOf: Data(requests.utf8))
    var received = Data()
    while received.split(separator: UInt8(ascii: "\n")).count < 2 { received += output.fileHandleForReading.availableData }
    process.terminate()  // SIGTERM
    process.waitUntilExit()
    try? stdin.fileHandleForWriting.close()
    #expect(process.terminationStatus == 143)
    let trials = try hone("trials", "--study", "q", "--storage", "sqlite:///signal.db")
    #expect(trials.stdout.contains("\"state\":\"failed\""), "\(trials.stdout)")
  }

  /// A second tell is an error, unless it asks to skip a finished trial: then it returns the
  /// trial as stored and changes nothing.
  @Test func aSecondTellIsAnErrorUnlessSkipped() throws {
    let hone = try CLIRunner()
    let responses = try serve(hone, [
      #"{"op": "create_study", "study": "q", "sampler": "random"}"#,
      #"{"op": "ask", "study": "q", "space": {"x": {"type": "float", "low": -1, "high": 1}}}"#,
      #"{"op": "tell", "study": "q", "trial": 0, "value": 0.25}"#,
      #"{"op": "tell", "study": "q", "trial": 0, "value": 1}"#,
      #"{"op": "tell", "study": "q", "trial": 0, "state": "failed", "skip_if_finished": true}"#,
      #"{"op": "tell", "study": "q", "trial": 0, "value": 1, "skip_if_finished": "yes"}"#,
    ])
    try #require(responses.count == 6)
    #expect((responses[3]["error"] as? String)?.contains("is already complete; it cannot be told again") == true)
    #expect(responses[4]["state"] as? String == "complete" && responses[4]["values"] as? [Double] == [0.25])
    #expect((responses[5]["error"] as? String)?.contains("skip_if_finished") == true)
  }

  @Test func askReportTellEnqueueBestAndErrors() throws {
    let hone = try CLIRunner()
    let space = #"{"x": {"type": "float", "low": -1, "high": 1}}"#
    let responses = try serve(hone, [
      #"{"op": "create_study", "study": "q", "directions": ["minimize"], "sampler": "random", "pruner": "median", "id": 7}"#,
      #"{"op": "ask", "study": "q", "space": \#(space)}"#,
      #"{"op": "report", "study": "q", "trial": 0, "step": 1, "value": 0.5}"#,
      #"{"op": "tell", "study": "q", "trial": 0, "value": 0.25}"#,
      "not json",
      #"{"op": "enqueue", "study": "q", "params": {"x": 0.125}}"#,
      #"{"op": "ask", "study": "q", "space": \#(space)}"#,
      #"{"op": "tell", "study": "q", "trial": 1, "state": "pruned"}"#,
      #"{"op": "best", "study": "q"}"#,
      #"{"op": "ask", "study": "nope", "space": \#(space)}"#,
      #"{"op": "tell", "study": "q", "trial": 0, "value": 1}"#,
      #"{"op": "fly", "study": "q"}"#,
      #"{"op": "ask", "study": "q", "space": {"x": {"type": "float", "low": 1, "high": 0}}}"#,
      #"{"op": "create_study", "study": "r", "seed": -1}"#,
      #"{"op": "create_study", "study": "r", "directions": [1]}"#,
    ])
    try #require(responses.count == 15, "one response per request")
    #expect(responses[0]["created"] as? Bool == true && responses[0]["id"] as? Int == 7)
    #expect(responses[1]["trial"] as? Int == 0)
    #expect(responses[2]["prune"] as? Bool == false)
    #expect(responses[3]["state"] as? String == "complete")
    #expect(responses[4]["error"] != nil)
    #expect((responses[6]["params"] as? [String: Double])?["x"] == 0.125, "ask takes the enqueued parameters")
    #expect(responses[7]["state"] as? String == "pruned")
    #expect(responses[8]["trial"] as? Int == 0)
    for k in 9...14 { #expect(responses[k]["error"] is String, "\(responses[k])") }
    // An existing study is loaded on a new connection.
    let again = try serve(hone, [#"{"op": "create_study", "study": "q"}"#, #"{"op": "best", "study": "q"}"#, #"{"op": "best", "study": "r"}"#])
    try #require(again.count == 3)
    #expect(again[2]["error"] is String, "the refused create_study requests created nothing")
    #expect(again[0]["created"] as? Bool == false)
    #expect((again[1]["values"] as? [Double]) == [0.25])
  }

  /// Every line gets one response — an empty line, binary bytes, a 10 MB line, requests that
  /// break the tell rules — and the next request works.
  @Test func everyLineGetsOneResponseAndTheNextWorks() throws {
    let hone = try CLIRunner()
    let space = #"{"x": {"type": "float", "low": -1, "high": 1}}"#
    var input = Data()
    func line(_ text: String) { input.append(Data((text + "\n").utf8)) }
    line(#"{"op": "create_study", "study": "q", "sampler": "random"}"#)
    line(#"{"op": "ask", "study": "q", "space": \#(space)}"#)
    line("")
    line("   ")
    input.append(Data([0xFF, 0x00, 0xFE, 0x0A]))
    line(String(repeating: "z", count: 10_000_000))
    line(#"{"op": "tell", "study": "q", "trial": 0, "value": 1, "values": [1]}"#)
    line(#"{"op": "tell", "study": "q", "trial": 0, "state": "failed", "value": 1}"#)
    line(#"{"op": "tell", "study": "q", "trial": 0, "state": "complete"}"#)
    line(#"{"op": "tell", "study": "q", "trial": 0}"#)
    line(#"{"op": "ask"}"#)
    line(#"{"op": "ask", "study": "q", "space": {"x": {"type": "float", "low": 0, "high": 1, "when": {"y": 1}}}}"#)
    line(#"{"op": "suggest", "study": "q", "trial": 0, "space": {"y": {"type": "int", "low": 0, "high": 3}}}"#)
    line(#"{"op": "suggest", "study": "q", "trial": 0, "space": {"y": {"type": "int", "low": 0, "high": 4}}}"#)
    line(#"{"op": "set_user_attr", "study": "q", "trial": 0, "key": "note", "value": {"a": [1]}}"#)
    line(#"{"op": "tell", "study": "q", "trial": 0, "value": 0.5, "id": "last"}"#)
    line(#"{"op": "trials", "study": "q"}"#)
    let replies = try serve(hone, input: input)
    try #require(replies.count == 17, "one response per line: \(replies)")
    #expect(replies[1]["trial"] as? Int == 0)
    for k in 2...11 { #expect(replies[k]["error"] is String, "line \(k): \(replies[k])") }
    #expect((replies[5]["error"] as? String)?.contains("over the maximum") == true)
    #expect((replies[6]["error"] as? String)?.contains("not both") == true)
    #expect((replies[7]["error"] as? String)?.contains("takes no") == true)
    #expect((replies[11]["error"] as? String)?.contains("not a parameter of the space") == true)
    #expect((replies[12]["params"] as? [String: Int])?["y"] != nil, "\(replies[12])")
    #expect(replies[13]["error"] is String, "another distribution for the same name")
    #expect(replies[14]["trial"] as? Int == 0)
    #expect(replies[15]["state"] as? String == "complete" && replies[15]["id"] as? String == "last")
    let trials = try #require(replies[16]["trials"] as? [[String: Any]])
    #expect(trials.count == 1 && (trials[0]["user_attrs"] as? [String: Any])?["note"] != nil)
    #expect(Set((trials[0]["params"] as? [String: Any])?.keys.map { $0 } ?? []) == ["x", "y"])
  }

  /// A conditional space in ask: a parameter exists only when its condition holds.
  @Test func conditionalSpacesInAsk() throws {
    let hone = try CLIRunner()
    let space = #"{"opt": {"type": "categorical", "choices": ["sgd", "adam"]}, "momentum": {"type": "float", "low": 0, "high": 1, "when": {"opt": "sgd"}}}"#
    var lines = [#"{"op": "create_study", "study": "c", "sampler": "tpe", "seed": 3}"#]
    for n in 0..<16 {
      lines.append(#"{"op": "ask", "study": "c", "space": \#(space)}"#)
      lines.append(#"{"op": "tell", "study": "c", "trial": \#(n), "value": \#(n % 3)}"#)
    }
    let replies = try serve(hone, lines)
    let asked = stride(from: 1, to: replies.count, by: 2).map { replies[$0]["params"] as! [String: Any] }
    #expect(asked.allSatisfy { ($0["opt"] as? String == "sgd") == ($0["momentum"] != nil) })
    #expect(Set(asked.map { $0["opt"] as! String }) == ["sgd", "adam"])
  }

  /// Catalog settings in create_study: a Hyperband pruner with r = 2 and R = 4 prunes at step 2
  /// (nothing could be pruned before a trial completes with its defaults), and a setting the
  /// pruner does not take, or a malformed one, is one error that creates nothing.
  @Test func createStudyTakesSamplerAndPrunerSettings() throws {
    let hone = try CLIRunner()
    var lines = [#"{"op": "create_study", "study": "h", "sampler": "random", "seed": 1, "pruner": "hyperband", "pruner_settings": {"min-resource": 2, "max-resource": 4, "reduction-factor": 2}}"#]
    for n in 0..<12 {
      lines.append(#"{"op": "ask", "study": "h", "space": {"x": {"type": "float", "low": 0, "high": 1}}}"#)
      lines.append(#"{"op": "report", "study": "h", "trial": \#(n), "step": 2, "value": \#(Double(n % 4))}"#)
    }
    lines.append(#"{"op": "create_study", "study": "bad", "pruner": "median", "pruner_settings": {"max-resource": 4}}"#)
    lines.append(#"{"op": "create_study", "study": "bad", "sampler": "gp", "sampler_settings": {"input-warping": "maybe"}}"#)
    lines.append(#"{"op": "create_study", "study": "bad", "sampler": "gp", "sampler_settings": [1]}"#)
    let replies = try serve(hone, lines)
    let prunes = stride(from: 2, to: 25, by: 2).map { replies[$0]["prune"] as? Bool }
    #expect(prunes.contains(true), "\(prunes)")
    let errors = replies.suffix(3).map { $0["error"] as? String ?? "" }
    #expect(errors[0].contains("max-resource") && errors[1].contains("input-warping") && errors[2].contains("sampler_settings"), "\(errors)")
    let studies = try hone("study", "list", "--storage", "sqlite:///s.db").stdout
    #expect(!studies.contains("\"bad\""))
  }
}
