import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Test hosts: network namespaces joined to this machine by veth pairs, each with a /24 of
/// 10.77.0.0/16 of its own. Host k is `10.77.n.2` and sees this machine as `10.77.n.1`; it
/// has no other route, so nothing it sends leaves the pair. Removed by `remove()`, and by a
/// watchdog when the test process ends without it.
public final class TestHosts: @unchecked Sendable {
  /// One test host.
  public struct Host: Sendable {
    /// The namespace (`ip netns exec <namespace> …`).
    public let namespace: String
    /// The veth end on this machine's side: down cuts the host off.
    public let link: String
    /// This machine's address as the host sees it.
    public let serverAddress: String
  }

  /// The hosts.
  public let hosts: [Host]

  /// Why test hosts cannot be made here, or nil when they can (root and iproute2).
  public static var unavailableReason: String? {
    if getuid() != 0 { return "test hosts in network namespaces need root (CI runs as root)" }
    if !FileManager.default.isExecutableFile(atPath: ip) { return "iproute2 is not installed (make test installs it as root)" }
    return nil
  }

  static let ip = FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip"

  /// Makes `count` hosts.
  public init(count: Int) throws {
    let tag = String(UUID().uuidString.prefix(4)).lowercased()
    let subnet = Int.random(in: 10...200)
    var hosts: [Host] = []
    defer { if hosts.count < count { Self.remove(hosts) } }
    for k in 1...count {
      let host = Host(namespace: "hone-\(tag)-\(k)", link: "hv\(tag)\(k)", serverAddress: "10.77.\(subnet + k).1")
      let peer = "hp\(tag)\(k)", address = "10.77.\(subnet + k).2/24"
      try Subprocess.run([Self.ip, "netns", "add", host.namespace])
      hosts.append(host)
      for argv in [
        ["link", "add", host.link, "type", "veth", "peer", "name", peer],
        ["link", "set", peer, "netns", host.namespace],
        ["addr", "add", host.serverAddress + "/24", "dev", host.link],
        ["link", "set", host.link, "up"],
        ["-n", host.namespace, "addr", "add", address, "dev", peer],
        ["-n", host.namespace, "link", "set", peer, "up"],
        ["-n", host.namespace, "link", "set", "lo", "up"],
      ] { try Subprocess.run([Self.ip] + argv) }
    }
    self.hosts = hosts
    let names = hosts.map(\.namespace).joined(separator: " ")
    let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; for n in \(names); do \(Self.ip) netns del $n; done"
    _ = try? Subprocess.run(["/usr/bin/setsid", "/bin/sh", "-c", script], wait: false)
  }

  /// Brings host `host`'s link down (cut off) or up.
  public func setLink(_ host: Host, up: Bool) throws {
    try Subprocess.run([Self.ip, "link", "set", host.link, up ? "up" : "down"])
  }

  /// The command line that runs `argv` on `host`.
  public func command(on host: Host, _ argv: [String]) -> [String] {
    [Self.ip, "netns", "exec", host.namespace] + argv
  }

  /// Removes the hosts (their namespaces, and with them the veth pairs).
  public func remove() { Self.remove(hosts) }

  private static func remove(_ hosts: [Host]) {
    for host in hosts { _ = try? Subprocess.run([ip, "netns", "del", host.namespace]) }
  }
}
