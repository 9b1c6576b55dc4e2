import Foundation

/// How `hone dashboard` serves: where it listens, whether it takes writes, and from where it
/// may read trial logs.
public struct DashboardConfiguration: Sendable {
  /// The address to listen on: loopback by default, so only this machine can connect.
  public var host: String
  /// The port; 0 picks a free one (the URL printed at start says which).
  public var port: Int
  /// When false (the default) the dashboard only reads: every write is refused with 403.
  public var allowWrites: Bool
  /// The secret a write must carry (`Authorization: Bearer <token>`, or the cookie that
  /// opening `/login?token=<token>` sets); a new random one per start by default.
  public var token: String
  /// When set, logs are served only from inside this folder.
  public var logRoot: String?
  /// Seconds a read of the storage stays fresh: requests within it share one read.
  public var freshness: Double

  /// A configuration; the token is 32 random bytes in hex unless given.
  public init(host: String = "127.0.0.1", port: Int = 8080, allowWrites: Bool = false, token: String? = nil,
              logRoot: String? = nil, freshness: Double = 0.25) {
    self.host = host
    self.port = port
    self.allowWrites = allowWrites
    self.token = token ?? Self.randomToken()
    self.logRoot = logRoot
    self.freshness = freshness
  }

  /// 256 random bits from the system's generator, in hex.
  static func randomToken() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
  }
}
