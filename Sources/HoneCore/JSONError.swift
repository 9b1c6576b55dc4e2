/// A JSON text that does not parse: what is wrong, and where (the 1-based character position),
/// as fields; its description is the one line to show.
public struct JSONError: Error, Equatable, CustomStringConvertible {
  /// What is wrong ("expected ':'").
  public let reason: String
  /// The 1-based position of the character where parsing stopped.
  public let position: Int

  /// An error of `reason` at `position`.
  public init(_ reason: String, at position: Int) {
    self.reason = reason
    self.position = position
  }

  /// "`reason` at character `position`".
  public var description: String { "\(reason) at character \(position)" }
}
