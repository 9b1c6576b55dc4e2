import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster for tests: `initdb` in a temporary folder (as the `postgres`
/// user when the tests run as root, since initdb refuses root), a free port on the given
/// addresses, stopped and removed when the test process exits — also when it crashes, by a
/// watchdog that waits for the process to end.
///
/// Roles: `hone` (superuser, no password from the listen addresses) and `hone_pw` (superuser,
/// password `hone-secret`, checked with SCRAM), for the tests of credentials.
public final class ThrowawayCluster: @unchecked Sendable {
  /// The cluster's folder (data, log, socket).
  public let folder: URL
  /// Its port.
  public let port: Int
  /// The addresses it listens on.
  public let addresses: [String]
  private let bin: String

  /// The folder of PostgreSQL's server programs, if PostgreSQL is installed.
  public static let binFolder: String? = {
    let root = "/usr/lib/postgresql"
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    return versions.compactMap(Int.init).sorted().last.map { "\(root)/\($0)/bin" }
      .flatMap { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") ? $0 : nil }
  }()

  /// Why the PostgreSQL tests cannot run here, or nil when they can.
  public static var unavailableReason: String? {
    binFolder == nil ? "PostgreSQL is not installed (make test installs it with apt-get when run as root; or apt-get install postgresql)" : nil
  }

  /// One cluster on 127.0.0.1 shared by the tests of this process, started on first use.
  public static let shared: Result<ThrowawayCluster, Error> = Result { try ThrowawayCluster() }

  /// `shared`, started (the first time) off the cooperative pool.
  public static func sharedCluster() async throws -> ThrowawayCluster { try await offThePool { try shared.get() } }

  /// Starts a cluster listening on `addresses`; `durable` keeps fsync and synchronous commits on
  /// (off by default: tests need no durability across power loss, and commits are faster).
  public init(addresses: [String] = ["127.0.0.1"], durable: Bool = false) throws {
    guard let bin = Self.binFolder else { throw ClusterError(Self.unavailableReason!) }
    self.bin = bin
    self.addresses = addresses
    folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("hone-pg-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    port = try Self.freePort()
    if getuid() == 0 { try Self.run(["/usr/bin/chown", "postgres:postgres", folder.path], asServer: false) }
    let data = folder.appendingPathComponent("data").path
    try Self.run([bin + "/initdb", "-D", data, "-A", "trust", "-U", "hone", "--no-sync"])
    let hba = ["local all all trust"] + addresses.flatMap { address in
      ["host all hone_pw \(address)/32 scram-sha-256", "host all all \(address)/32 trust"]
    } + ["host all all 10.77.0.0/16 trust"]
    try Self.run(["/bin/sh", "-c", "printf '%s\\n' \"$@\" > \(data)/pg_hba.conf", "sh"] + hba)
    var options = "-p \(port) -k \(folder.path) -c listen_addresses=\(addresses.joined(separator: ",")) -c max_connections=200"
    if !durable { options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" }
    try Self.run([bin + "/pg_ctl", "-D", data, "-o", options, "-l", folder.appendingPathComponent("log").path, "-w", "start"])
    startWatchdog()
    Self.registry.lock()
    if Self.started.isEmpty { atexit { ThrowawayCluster.stopAll() } }
    Self.started.append(self)
    Self.registry.unlock()
    try psql("CREATE ROLE hone_pw LOGIN SUPERUSER PASSWORD 'hone-secret'")
  }

  /// The clusters this process started (suites start theirs in parallel), behind `registry`;
  /// stopped at exit.
  nonisolated(unsafe) private static var started: [ThrowawayCluster] = []
  private static let registry = NSLock()

  private static func stopAll() {
    registry.lock()
    defer { registry.unlock() }
    for cluster in started { cluster.stop() }
  }

  /// A new, empty database; returns its name.
  public func createDatabase() throws -> String {
    let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    try psql("CREATE DATABASE \(name)")
    return name
  }

  /// The storage URL of `database` as `user` on `host` (the first address by default).
  public func url(_ database: String, host: String? = nil, user: String = "hone", password: String? = nil, options: String = "") -> String {
    let credentials = password.map { "\(user):\($0)" } ?? user
    return "postgresql://\(credentials)@\(host ?? addresses[0]):\(port)/\(database)" + (options.isEmpty ? "" : "?\(options)")
  }

  /// Runs `sql` with psql in `database` and returns its unaligned output.
  @discardableResult
  public func psql(_ sql: String, database: String = "postgres") throws -> String {
    try Self.run([bin + "/psql", "-h", folder.path, "-p", "\(port)", "-U", "hone", "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                 asServer: false)
  }

  /// Restarts the server (`pg_ctl restart -m fast`): every connection is dropped.
  public func restart() throws {
    try Self.run([bin + "/pg_ctl", "-D", folder.appendingPathComponent("data").path, "-m", "fast", "-w", "restart"])
  }

  /// Stops the server and removes its folder.
  public func stop() {
    let data = folder.appendingPathComponent("data").path
    if FileManager.default.fileExists(atPath: data + "/postmaster.pid") {
      _ = try? Self.run([bin + "/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
    }
    try? FileManager.default.removeItem(at: folder)
  }

  /// A shell that waits for this test process to end, then stops the server and removes the
  /// folder, so that a crashed test leaves nothing running.
  private func startWatchdog() {
    let data = folder.appendingPathComponent("data").path
    let stop = (getuid() == 0 ? "/usr/sbin/runuser -u postgres -- " : "") + "\(bin)/pg_ctl -D \(data) -m immediate -w stop"
    let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; [ -f \(data)/postmaster.pid ] && \(stop) >/dev/null 2>&1; rm -rf \(folder.path)"
    _ = try? Subprocess.run(["/usr/bin/setsid", "/bin/sh", "-c", script], wait: false)
  }

  /// Runs `argv` (as `postgres` when root and `asServer`) and returns its output; throws with
  /// the output unless it exits 0.
  @discardableResult
  static func run(_ argv: [String], asServer: Bool = true) throws -> String {
    let full = (getuid() == 0 && asServer ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []) + argv
    return try Subprocess.run(full)
  }

  /// A port that was free a moment ago.
  public static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    guard bound == 0 else { throw ClusterError("no free port") }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}

/// A cluster that could not be made or driven, with what went wrong.
public struct ClusterError: Error, CustomStringConvertible {
  /// What went wrong.
  public let description: String
  init(_ description: String) { self.description = description }
}
