extension HeartbeatPolicy {
  /// The study system attribute that carries a study's policy, so that every process that
  /// loads the study — `hone ask`, `hone tune`, `hone serve`, the Swift API — applies it.
  static let attributeKey = "heartbeat"

  /// A policy from its grace period alone: heartbeats every grace/4 (Optuna's rule of a
  /// grace period well above the interval, with room for three missed beats).
  public init(gracePeriod: Duration, retryFailedTrials: Bool = false) throws {
    try self.init(interval: gracePeriod / 4, gracePeriod: gracePeriod, retryFailedTrials: retryFailedTrials)
  }

  /// The policy stored with study `studyID`, nil when it has none.
  public static func stored(in storage: any Storage, studyID: Int) throws -> HeartbeatPolicy? {
    guard let json = try storage.studySystemAttrs(studyID: studyID)[attributeKey]?.objectValue else { return nil }
    guard let interval = json["interval"]?.doubleValue, let grace = json["grace"]?.doubleValue,
          interval.isFinite, grace.isFinite else {
      throw TuneError.invalidJSON("the study's heartbeat attribute is malformed: \(JSONValue.object(json))")
    }
    return try HeartbeatPolicy(interval: .milliseconds(Int64((interval * 1000).rounded())),
                               gracePeriod: .milliseconds(Int64((grace * 1000).rounded())),
                               retryFailedTrials: json["retry"]?.boolValue ?? false)
  }

  /// Stores the policy with study `studyID` (replacing any earlier one).
  public func store(in storage: any Storage, studyID: Int) throws {
    try storage.setStudySystemAttr(studyID: studyID, key: Self.attributeKey, value: .object([
      "interval": .double(interval.seconds), "grace": .double(gracePeriod.seconds), "retry": .bool(retryFailedTrials),
    ]))
  }
}
