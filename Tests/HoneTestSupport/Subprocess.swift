import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Programs run by the tests' helpers, spawned and reaped directly: Foundation's `Process`
/// missed the exit of `runuser` once the server it started had detached, and waited for ever.
public enum Subprocess {
  /// Runs `argv` and returns its output (stdout and stderr), throwing with it unless it exits 0;
  /// with `wait: false`, starts it and returns at once, its output discarded.
  @discardableResult
  public static func run(_ argv: [String], wait: Bool = true) throws -> String {
    let output = URL(fileURLWithPath: "/tmp").appendingPathComponent("hone-pg-out-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, wait ? output.path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // Nothing else of this process is inherited: a watchdog that held the write end of another
    // test's pipe would keep that test from ever reading its end of file.
    closeFrom(3, &actions)
    let cArguments = argv.map { strdup($0) } + [nil]
    defer { cArguments.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ) == 0 else { throw ClusterError("cannot run \(argv[0])") }
    guard wait else { return "" }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    guard status == 0 else { throw ClusterError("\(argv.joined(separator: " ")) failed: \(text)") }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

  /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later; Swift's Glibc module
  /// does not declare it), looked up once.
  nonisolated(unsafe) private static let addCloseFrom: CloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
    .map { unsafeBitCast($0, to: CloseFrom.self) }

  /// Makes the spawned program close every descriptor from `lowest` on.
  private static func closeFrom(_ lowest: Int32, _ actions: inout posix_spawn_file_actions_t) {
    _ = addCloseFrom?(&actions, lowest)
  }
}
