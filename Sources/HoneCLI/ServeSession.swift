import ArgumentParser
import Foundation
import Hone

/// One `hone serve` connection: JSON requests in, one JSON response each.
///
/// Requests (`"op"` names the operation; an `"id"` is echoed back):
/// - `create_study {study, directions|direction, sampler, pruner, seed}` → `{study, directions, created}`;
///   an existing study is loaded, and the sampler and pruner serve it for the rest of the connection;
/// - `ask {study, space}` → `{trial, params}`;
/// - `report {study, trial, step, value}` → `{prune}`;
/// - `tell {study, trial, value | values | state}` → `{trial, state, values}`;
/// - `enqueue {study, params}` → `{trial, state}` (the next ask gets these parameters);
/// - `best {study}` → `{trial, values, params}` (a list for several objectives).
/// A bad request gets `{"error": "…"}` and changes nothing.
final class ServeSession {
  private let storage: any Storage
  private var studies: [String: Study] = [:]

  /// A connection to `storage`.
  init(storage: any Storage) { self.storage = storage }

  /// The response line to one request line.
  func respond(to line: String) -> JSONValue {
    var id: JSONValue?
    do {
      guard let request = try? JSONValue.parse(line).objectValue else { throw CLIError("a request must be one JSON object per line") }
      id = request["id"]
      guard let op = request["op"]?.stringValue else { throw CLIError("the request has no \"op\"") }
      var response = try handle(op, request)
      if let id { response["id"] = id }
      return .object(response)
    } catch {
      var response: [String: JSONValue] = ["error": .string("\(error)")]
      if let id { response["id"] = id }
      return .object(response)
    }
  }

  private func handle(_ op: String, _ request: [String: JSONValue]) throws -> [String: JSONValue] {
    switch op {
    case "create_study": return try createStudy(request)
    case "ask":
      let space = try request["space"].map { json -> [String: Distribution] in
        guard let object = json.objectValue else { throw CLIError("\"space\" must be an object") }
        return try Distribution.space(fromJSON: JSONValue.object(object).description)
      } ?? [:]
      let trial = try study(request).ask(space)
      return ["trial": .int(trial.number), "params": .object(trial.params.mapValues(\.json))]
    case "report":
      let prune = try study(request).report(trialNumber: int(request, "trial"), step: int(request, "step"), values: [number(request, "value")])
      return ["prune": .bool(prune)]
    case "tell":
      let study = try study(request)
      let number = try int(request, "trial")
      let finished: FrozenTrial
      if let state = request["state"]?.stringValue {
        guard let s = TrialState(rawValue: state), s == .failed || s == .pruned || s == .complete else {
          throw CLIError("\"state\" must be complete, pruned or failed, got '\(state)'")
        }
        finished = try s == .complete ? study.tell(number: number, values: values(request)) : study.tell(number: number, state: s)
      } else {
        finished = try study.tell(number: number, values: values(request))
      }
      return tellJSON(finished).objectValue!
    case "enqueue":
      guard let object = request["params"]?.objectValue else { throw CLIError("enqueue needs \"params\", an object") }
      let trial = try study(request).enqueueTrial(paramValues(object))
      return ["trial": .int(trial.number), "state": .string(trial.state.rawValue)]
    case "best":
      let study = try study(request)
      if study.directions.count == 1 { return bestJSON(try study.bestTrial).objectValue! }
      return ["trials": .array(try study.bestTrials.map(bestJSON))]
    default:
      throw CLIError("unknown op '\(op)'; use create_study, ask, report, tell, enqueue or best")
    }
  }

  private func createStudy(_ request: [String: JSONValue]) throws -> [String: JSONValue] {
    let name = try string(request, "study")
    let given = request["directions"]?.arrayValue ?? request["direction"].map { [$0] } ?? []
    let texts = try given.map { json in
      guard let text = json.stringValue else { throw CLIError("directions are \"minimize\" or \"maximize\", got \(json)") }
      return text
    }
    let directions = texts.isEmpty ? nil : try parseDirections(texts)
    let seed = try request["seed"].map { _ -> UInt64 in
      let value = try int(request, "seed")
      guard value >= 0 else { throw CLIError("\"seed\" must be an integer ≥ 0, got \(value)") }
      return UInt64(value)
    }
    let sampler = try SamplerName.make(request["sampler"]?.stringValue ?? "tpe", seed: seed, space: [:],
                                       acquisition: request["acquisition"]?.stringValue ?? "logei")
    let pruner = try PrunerName.make(request["pruner"]?.stringValue ?? "nop")
    let (study, created) = try openStudy(name: name, storage: storage, directions: directions, sampler: sampler, pruner: pruner)
    studies[name] = study
    return ["study": .string(name), "directions": .array(study.directions.map { .string($0.rawValue) }), "created": .bool(created)]
  }

  /// The request's study: opened by create_study on this connection, or loaded with TPE and no pruner.
  private func study(_ request: [String: JSONValue]) throws -> Study {
    let name = try string(request, "study")
    if let study = studies[name] { return study }
    let study = try Study.load(name: name, storage: storage, sampler: TPESampler(), pruner: NopPruner())
    studies[name] = study
    return study
  }

  private func string(_ request: [String: JSONValue], _ key: String) throws -> String {
    guard let value = request[key]?.stringValue else { throw CLIError("the request needs \"\(key)\", a string") }
    return value
  }

  private func number(_ request: [String: JSONValue], _ key: String) throws -> Double {
    guard let value = request[key]?.doubleValue else { throw CLIError("the request needs \"\(key)\", a number") }
    return value
  }

  private func int(_ request: [String: JSONValue], _ key: String) throws -> Int {
    let value = try number(request, key)
    guard value == value.rounded(), abs(value) < 1e15 else { throw CLIError("\"\(key)\" must be an integer, got \(value)") }
    return Int(value)
  }

  private func values(_ request: [String: JSONValue]) throws -> [Double] {
    if let many = request["values"]?.arrayValue {
      return try many.map { json in
        guard let v = json.doubleValue else { throw CLIError("\"values\" must be numbers") }
        return v
      }
    }
    return [try number(request, "value")]
  }
}

/// `hone serve --stdio`: Hone for any language, as JSON lines on stdin and stdout (see
/// `ServeSession`). Ends at the end of stdin.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve", abstract: "Serve ask/tell as JSON lines on stdin/stdout, one response per request.")
  @Option(help: "Storage URL.") var storage = "sqlite:///hone.db"
  @Flag(help: "Use stdin and stdout (the only transport so far).") var stdio = false

  func run() throws {
    guard stdio else { throw ValidationError("give --stdio: requests come on stdin, responses go to stdout") }
    let session = ServeSession(storage: try StorageURL.open(storage))
    while let line = readLine() {
      guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
      print(session.respond(to: line).description)
      fflush(nil)
    }
  }
}
