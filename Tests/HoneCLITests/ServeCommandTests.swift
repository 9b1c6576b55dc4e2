import Foundation
import Testing

/// `hone serve --stdio`: the JSON-lines protocol, directly and through examples/hone_client.py.
@Suite struct ServeCommandTests {
  func serve(_ hone: CLIRunner, _ lines: [String]) throws -> [[String: Any]] {
    let process = Process()
    process.executableURL = CLIRunner.binary
    process.currentDirectoryURL = hone.folder
    process.arguments = ["serve", "--stdio", "--storage", "sqlite:///s.db"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
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

  @Test(.enabled(if: Examples.python != nil, "python3 is not on PATH: the client example needs it"))
  func pythonClientExampleRuns() throws {
    let hone = try CLIRunner()
    let client = Examples.folder.appendingPathComponent("hone_client.py").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Examples.python!)
    process.currentDirectoryURL = hone.folder
    process.arguments = [client, "--hone", CLIRunner.binary.path, "--storage", "sqlite:///c.db", "--trials", "20"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let best = try #require(try JSONSerialization.jsonObject(with: Data(String(decoding: data, as: UTF8.self).split(separator: "\n").last!.utf8)) as? [String: Any])
    let value = try #require((best["values"] as? [Double])?.first)
    #expect(value <= 1, "the enqueued point (2, 0) alone gives 1")
    let trials = try hone("trials", "--study", "quadratic", "--storage", "sqlite:///c.db")
    #expect(trials.stdout.contains("\"pruned\""), "the median pruner stopped some trials through report")
  }
}
