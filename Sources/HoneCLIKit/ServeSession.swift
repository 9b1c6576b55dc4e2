import ArgumentParser
import Foundation
import Hone

/// One `hone serve` connection: JSON requests in, exactly one JSON response each.
///
/// Requests (`"op"` names the operation; an `"id"` is echoed back):
/// - `create_study {study, directions|direction, sampler, pruner, seed, acquisition, space,
///   sampler_settings, pruner_settings}` → `{study, directions, created}` (the settings are
///   objects of the catalog's option names, `{"min-resource": 12}`); an existing study is loaded, and the sampler and pruner
///   serve it for the rest of the connection (`space` for the samplers that need it up front:
///   grid, rea, predictor);
/// - `ask {study, space?}` → `{trial, params}` (the space may have `"when"` conditions);
/// - `suggest {study, trial, space}` → `{trial, params}`: define-by-run suggestions for a
///   trial asked on this connection (the values of the names in `space` only);
/// - `report {study, trial, step, value}` → `{prune}`;
/// - `tell {study, trial, value | values | state [, reason] [, skip_if_finished]}` → `{trial, state, values}`:
///   exactly one of `value`, `values` or a `state` of `pruned` or `failed` (which take no value);
///   `state: complete` needs `value` or `values`;
/// - `set_user_attr {study, trial, key, value}` → `{trial}`;
/// - `enqueue {study, params}` → `{trial, state}` (the next ask gets these parameters);
/// - `best {study}` → `{trial, values, params}` (`{trials: […]}` for several objectives);
/// - `trials {study}` → `{trials: […]}`, every trial as `hone trials` prints it.
/// A bad request gets `{"error": "…"}` and changes nothing. The trials asked on a connection
/// send heartbeats while it is open (when the study has a heartbeat grace), and those not yet
/// told are failed when it closes.
final class ServeSession: @unchecked Sendable {
  /// The operations, for the error that names them.
  static let operations = ["create_study", "ask", "suggest", "report", "tell", "set_user_attr", "enqueue", "best", "trials"]

  private let storage: any Storage
  private var studies: [String: Study] = [:]
  /// The trials asked on this connection and not yet told, by study and number.
  private let open = Locked<[String: [Int: Trial]]>([:])
  private var beat: DispatchSourceTimer?

  /// A connection to `storage`.
  init(storage: any Storage) { self.storage = storage }

  /// The response line to one request line.
  func respond(to line: String) -> JSONValue {
    var id: JSONValue?
    do {
      guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { throw CLIError("empty request: send one JSON object per line") }
      guard let request = try? JSONValue.parse(line).objectValue else { throw CLIError("a request must be one JSON object per line") }
      id = request["id"]
      guard let op = request["op"]?.stringValue else { throw CLIError("the request has no \"op\"") }
      var response = try handle(op, request)
      if let id { response["id"] = id }
      return .object(response)
    } catch {
      return errorResponse("\(error)", id: id)
    }
  }

  /// `{"error": message}`, with the request's id when it has one.
  func errorResponse(_ message: String, id: JSONValue? = nil) -> JSONValue {
    var response: [String: JSONValue] = ["error": .string(message)]
    if let id { response["id"] = id }
    return .object(response)
  }

  /// Ends the connection: the trials asked on it and not yet told are failed with `reason`.
  func close(reason: String) {
    beat?.cancel()
    let left = open.withLock { all in defer { all = [:] }; return all }
    for (name, trials) in left {
      for number in trials.keys.sorted() { _ = try? studies[name]?.tell(number: number, state: .failed, failReason: reason) }
    }
  }

  private func handle(_ op: String, _ request: [String: JSONValue]) throws -> [String: JSONValue] {
    switch op {
    case "create_study": return try createStudy(request)
    case "ask":
      let study = try study(request)
      let space = try request["space"].map { try ConditionalSpace(json: $0) } ?? ConditionalSpace([:])
      let trial = try study.ask(space)
      open.withLock { $0[study.name, default: [:]][trial.number] = trial }
      return ["trial": .int(trial.number), "params": .object(trial.params.mapValues(\.json))]
    case "suggest":
      let trial = try openTrial(request)
      guard let json = request["space"] else { throw CLIError("suggest needs \"space\", an object of distributions") }
      let space = try ConditionalSpace(json: json)
      guard !space.isConditional else { throw CLIError("suggest takes distributions without \"when\": the objective decides what to suggest") }
      let values = try trial.suggest(space.distributions)
      return ["trial": .int(trial.number), "params": .object(values.mapValues(\.json))]
    case "report":
      let prune = try study(request).report(trialNumber: int(request, "trial"), step: int(request, "step"), values: [number(request, "value")])
      return ["prune": .bool(prune)]
    case "tell": return try tell(request)
    case "set_user_attr":
      let trial = try openTrial(request)
      guard let value = request["value"] else { throw CLIError("set_user_attr needs \"value\", any JSON value") }
      try trial.setUserAttr(try string(request, "key"), value)
      return ["trial": .int(trial.number)]
    case "enqueue":
      guard let object = request["params"]?.objectValue else { throw CLIError("enqueue needs \"params\", an object") }
      let trial = try study(request).enqueueTrial(paramValues(object))
      return ["trial": .int(trial.number), "state": .string(trial.state.rawValue)]
    case "best":
      let study = try study(request)
      if study.directions.count == 1 { return bestJSON(try study.bestTrial).objectValue! }
      return ["trials": .array(try study.bestTrials.map(bestJSON))]
    case "trials":
      return ["trials": .array(try study(request).trials.map(\.json))]
    default:
      throw CLIError("unknown op '\(op)'; use \(Self.operations.joined(separator: ", "))")
    }
  }

  private func tell(_ request: [String: JSONValue]) throws -> [String: JSONValue] {
    let study = try study(request)
    let number = try int(request, "trial")
    let hasValue = request["value"] != nil || request["values"] != nil
    guard !(request["value"] != nil && request["values"] != nil) else { throw CLIError("give \"value\" or \"values\", not both") }
    var state = TrialState.complete
    if let text = request["state"] {
      guard let name = text.stringValue, let s = TrialState(rawValue: name), s == .failed || s == .pruned || s == .complete else {
        throw CLIError("\"state\" must be complete, pruned or failed, got \(text)")
      }
      state = s
    }
    guard state == .complete || !hasValue else { throw CLIError("a \(state.rawValue) trial takes no \"value\"; send the state alone") }
    guard state != .complete || hasValue else { throw CLIError("tell needs \"value\" (or \"values\"), or a \"state\" of pruned or failed") }
    guard request["reason"] == nil || state == .failed else { throw CLIError("\"reason\" goes with \"state\": \"failed\"") }
    let reason = try request["reason"].map { json -> String in
      guard let text = json.stringValue else { throw CLIError("\"reason\" must be a string") }
      return text
    }
    var skipIfFinished = false
    if let flag = request["skip_if_finished"] {
      guard case .bool(let b) = flag else { throw CLIError("\"skip_if_finished\" must be true or false") }
      skipIfFinished = b
    }
    let outcome = state == .complete
      ? try study.finish(number: number, values: values(request))
      : try study.finish(number: number, state: state, failReason: reason)
    guard outcome.finishedNow || skipIfFinished else { throw Study.alreadyFinished(outcome.trial, study: study.name) }
    _ = open.withLock { $0[study.name]?.removeValue(forKey: number) }
    return tellJSON(outcome.trial).objectValue!
  }

  private func createStudy(_ request: [String: JSONValue]) throws -> [String: JSONValue] {
    let name = try string(request, "study")
    guard request["direction"] == nil || request["directions"] == nil else { throw CLIError("give \"direction\" or \"directions\", not both") }
    let given = try request["directions"].map { json -> [JSONValue] in
      guard let items = json.arrayValue else { throw CLIError("\"directions\" must be an array like [\"minimize\"]") }
      return items
    } ?? request["direction"].map { [$0] } ?? []
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
    let space = try request["space"].map { try ConditionalSpace(json: $0) }
    let sampler = try Catalogs.sampler(optionalString(request, "sampler") ?? "auto", seed: seed, space: space,
                                       settings: settings(request, "sampler_settings").with("acquisition", optionalString(request, "acquisition")))
    let pruner = try Catalogs.pruner(optionalString(request, "pruner") ?? "nop", directions: directions,
                                     settings: settings(request, "pruner_settings"))
    let (study, created) = try openStudy(name: name, storage: storage, directions: directions, sampler: sampler, pruner: pruner)
    studies[name] = study
    startHeartbeats(for: study)
    return ["study": .string(name), "directions": .array(study.directions.map { .string($0.rawValue) }), "created": .bool(created)]
  }

  /// The catalog settings in object `key` of a request (`{"min-resource": 12}`); none when absent.
  private func settings(_ request: [String: JSONValue], _ key: String) throws -> CatalogSettings {
    guard let given = request[key] else { return CatalogSettings() }
    guard let object = given.objectValue else { throw CLIError("\"\(key)\" must be an object of setting names to values, got \(given)") }
    return CatalogSettings(try object.mapValues { value in
      switch value {
      case .string(let text): return text
      case .int(let number): return String(number)
      case .double(let number): return String(number)
      case .bool(let flag): return String(flag)
      default: throw CLIError("\"\(key)\" values are strings, numbers or booleans, got \(value)")
      }
    })
  }

  /// The request's study: opened by create_study on this connection, or loaded with TPE and no pruner.
  private func study(_ request: [String: JSONValue]) throws -> Study {
    let name = try string(request, "study")
    if let study = studies[name] { return study }
    let study = try Study.load(name: name, storage: storage, sampler: TPESampler(), pruner: NopPruner())
    studies[name] = study
    startHeartbeats(for: study)
    return study
  }

  /// The running trial `trial` of the request's study, asked on this connection.
  private func openTrial(_ request: [String: JSONValue]) throws -> Trial {
    let study = try study(request)
    let number = try int(request, "trial")
    guard let trial = open.withLock({ $0[study.name]?[number] }) else {
      let stored = try storage.trial(studyID: study.id, number: number)
      throw CLIError("trial \(number) of study '\(study.name)' \(stored.state == .running ? "was not asked on this connection" : "is \(stored.state.rawValue)")")
    }
    return trial
  }

  /// Beats for this connection's open trials, at the shortest interval of its studies' policies.
  private func startHeartbeats(for study: Study) {
    guard let interval = study.heartbeat?.interval, beat == nil else { return }
    let timer = DispatchSource.makeTimerSource(queue: .global())
    timer.schedule(deadline: .now() + interval.seconds, repeating: interval.seconds)
    timer.setEventHandler { [open, storage] in
      for trial in open.current.values.flatMap(\.values) { try? storage.recordHeartbeat(trialID: trial.id) }
    }
    timer.resume()
    beat = timer
  }

  private func string(_ request: [String: JSONValue], _ key: String) throws -> String {
    guard let value = request[key]?.stringValue else { throw CLIError("the request needs \"\(key)\", a string") }
    return value
  }

  private func optionalString(_ request: [String: JSONValue], _ key: String) throws -> String? {
    guard let json = request[key] else { return nil }
    guard let value = json.stringValue else { throw CLIError("\"\(key)\" must be a string, got \(json)") }
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
    if let json = request["values"] {
      guard let many = json.arrayValue, !many.isEmpty else { throw CLIError("\"values\" must be a non-empty array of numbers") }
      return try many.map { json in
        guard let v = json.doubleValue else { throw CLIError("\"values\" must be numbers") }
        return v
      }
    }
    return [try number(request, "value")]
  }
}
