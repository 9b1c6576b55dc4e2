import Foundation
import HoneCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command run for one trial: spawned (found on PATH) in its own process group with stdin
/// from /dev/null, its stdout read line by line and copied to a log file, its stderr copied to
/// another. `terminate(grace:)` sends SIGTERM to the whole group, then SIGKILL after the grace
/// period if it is still running.
final class ChildProcess: @unchecked Sendable {
  /// The process id, which is also its process group's id.
  let pid: pid_t
  private let stdoutFD: Int32, stderrFD: Int32
  /// What the reader threads, the waiter and `terminate` share.
  private struct Shared {
    var exited = false
    var stopReading = false
    var lastErrorLine = ""
  }
  private let shared = Locked(Shared())

  /// How the process ended.
  enum Exit: Equatable {
    case status(Int32)
    case signal(Int32)
  }

  /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
  /// module does not import: the child closes every descriptor from the given one up. Nil
  /// where the C library lacks it; Hone's own descriptors are close-on-exec in any case.
  private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
  }()

  /// Serializes pipe creation and spawning: a pipe is made close-on-exec only after `pipe()`
  /// returns, and a command spawned in between by another thread would inherit it.
  private static let spawnLock = Locked(())

  /// Spawns `arguments[0]` with the rest as its arguments and `environment` added to ours.
  init(arguments: [String], environment: [String: String], stdoutLog: URL, stderrLog: URL) throws {
    // The log files first: nothing is left to clean up if they cannot be created. Close-on-exec,
    // so that a command started meanwhile for another trial does not inherit them.
    self.stdoutLog = try Self.createLog(stdoutLog)
    do {
      self.stderrLog = try Self.createLog(stderrLog)
    } catch {
      try? self.stdoutLog.close()
      throw error
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // Its own process group (so a terminal's Ctrl-C reaches only Hone, which ends the group),
    // default signal handling and an empty signal mask.
    posix_spawnattr_setpgroup(&attributes, 0)
    var all = sigset_t(), none = sigset_t()
    sigfillset(&all)
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    let env = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }.map { "\($0.key)=\($0.value)" }
    let cArguments = arguments.map { strdup($0) } + [nil]
    let cEnvironment = env.map { strdup($0) } + [nil]
    defer { (cArguments + cEnvironment).forEach { free($0) } }

    (pid, stdoutFD, stderrFD) = try Self.spawnLock.withLock { _ in
      try Self.spawn(arguments, cArguments, cEnvironment, &actions, &attributes)
    }
  }

  /// Makes the output pipes and spawns the command with them; returns its pid and the read ends.
  private static func spawn(_ arguments: [String], _ cArguments: [UnsafeMutablePointer<CChar>?], _ cEnvironment: [UnsafeMutablePointer<CChar>?],
                            _ actions: inout posix_spawn_file_actions_t, _ attributes: inout posix_spawnattr_t) throws -> (pid_t, Int32, Int32) {
    var out: [Int32] = [-1, -1], err: [Int32] = [-1, -1]
    guard pipe(&out) == 0 else { throw CLIError("cannot create a pipe: \(String(cString: strerror(errno)))") }
    guard pipe(&err) == 0 else {
      out.forEach { close($0) }
      throw CLIError("cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, out[1], 1)
    posix_spawn_file_actions_adddup2(&actions, err[1], 2)
    // Nothing else is inherited, not even descriptors Hone was started with (as Python's
    // subprocess does by default with close_fds=True).
    _ = closeFrom?(&actions, 3)
    var child: pid_t = 0
    let result = posix_spawnp(&child, arguments[0], &actions, &attributes, cArguments, cEnvironment)
    close(out[1])
    close(err[1])
    guard result == 0 else {
      close(out[0])
      close(err[0])
      throw CLIError("cannot run \(arguments[0]): \(String(cString: strerror(result)))")
    }
    return (child, out[0], err[0])
  }

  private let stdoutLog: FileHandle, stderrLog: FileHandle

  /// Creates (or empties) a log file, opened close-on-exec.
  private static func createLog(_ url: URL) throws -> FileHandle {
    let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw CLIError("cannot create the log file \(url.path): \(String(cString: strerror(errno)))") }
    return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
  }

  /// The last non-empty line the command wrote on stderr.
  var lastStderrLine: String { shared.current.lastErrorLine }

  /// Seconds the output pipes are still read after the command exited: a background process
  /// it started may hold them open, and the trial must not wait for that one.
  static let drainSeconds = 1.0

  /// Reads the output (calling `onLine` for each stdout line, on a background thread) and
  /// waits for the process to exit. The trial ends with the command, not with the end of its
  /// output: after the exit, the pipes are drained for `drainSeconds`, then whatever is left of
  /// the process group is sent SIGKILL, so nothing it started outlives the trial.
  func run(onLine: @escaping @Sendable (String) -> Void) async -> Exit {
    await withCheckedContinuation { continuation in
      Thread.detachNewThread { [self] in
        let readers = DispatchGroup()
        for (fd, log, isStdout) in [(stdoutFD, stdoutLog, true), (stderrFD, stderrLog, false)] {
          readers.enter()
          Thread.detachNewThread { [self] in
            if isStdout {
              copy(fd, to: log) { line in onLine(line.text) }
            } else {
              copy(fd, to: log) { line in if !line.text.isEmpty { shared.withLock { $0.lastErrorLine = line.text } } }
            }
            readers.leave()
          }
        }
        // Wait for the exit without reaping, mark it, then reap: `terminate` signals under the
        // lock only while the process (and so its pid and group) still exists.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        if readers.wait(timeout: .now() + Self.drainSeconds) == .timedOut {
          shared.withLock { $0.stopReading = true }
          readers.wait()
        }
        shared.withLock {
          $0.exited = true
          _ = kill(-pid, SIGKILL)  // the leader is a zombie until reaped: only what it left behind dies
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        try? stdoutLog.close()
        try? stderrLog.close()
        // WIFEXITED / WEXITSTATUS / WTERMSIG as the C macros define them.
        let signal = status & 0x7f
        continuation.resume(returning: signal == 0 ? .status((status >> 8) & 0xff) : .signal(signal))
      }
    }
  }

  /// SIGTERM to the process group now, SIGKILL after `grace` seconds if it has not exited.
  func terminate(grace: Double) {
    let running = shared.withLock { shared -> Bool in
      if !shared.exited { kill(-pid, SIGTERM) }
      return !shared.exited
    }
    guard running else { return }
    DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in
      shared.withLock { if !$0.exited { _ = kill(-pid, SIGKILL) } }
    }
  }

  /// The most bytes of one output line that are kept (the rest still goes to the log).
  static let maxLineBytes = 1 << 20

  /// Copies a pipe to a log file until end of file (or `stopReading`), splitting lines for
  /// `onLine` in linear time with bounded memory (`LineSplitter`; `\r` ends a line, so a
  /// progress bar redrawn in place is read line by line).
  private func copy(_ fd: Int32, to log: FileHandle, onLine: (LineSplitter.Line) -> Void) {
    var splitter = LineSplitter(maxLength: Self.maxLineBytes, carriageReturnEndsLine: true)
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while !shared.current.stopReading {
      var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&request, 1, 100)
      if ready == 0 || (ready < 0 && errno == EINTR) { continue }
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { break }
      buffer.withUnsafeBytes { bytes in
        let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<n])
        log.write(Data(chunk))
        splitter.feed(chunk, onLine)
      }
    }
    splitter.finish(onLine)
    close(fd)
  }
}
