import Foundation

/// A trial's stdout or stderr as `hone tune` kept it, read safely: a request names only the
/// stream, never a path; the path is the one recorded in the trial's system attributes
/// (`stdout_path`, `stderr_path`), and it is read only when, with every symbolic link
/// resolved, it is a regular file named `trial-<number>.out` (or `.err`) of that very trial
/// and — when the dashboard was given `--log-dir` — lies inside that folder.
enum LogFile {
  /// Bytes read from the end of a log at most.
  static let tail = 256 * 1024

  enum Stream: String, CaseIterable {
    case stdout, stderr
    var attribute: String { rawValue + "_path" }
    var suffix: String { self == .stdout ? "out" : "err" }
  }

  /// The end of the log, or why it cannot be shown (`DashboardError.notFound` or `.forbidden`).
  static func read(recorded path: String?, stream: Stream, trialNumber: Int, root: String?) throws -> (text: String, truncated: Bool) {
    guard let path, path.hasPrefix("/") else {
      throw DashboardError.notFound("trial \(trialNumber) has no \(stream.rawValue) log recorded (hone tune records one per trial)")
    }
    guard let resolved = realpath(path, nil) else {
      throw DashboardError.notFound("the \(stream.rawValue) log of trial \(trialNumber) is not on this machine (\(path)); it may be on the host that ran it")
    }
    let real = String(cString: resolved)
    free(resolved)
    guard (real as NSString).lastPathComponent == "trial-\(trialNumber).\(stream.suffix)" else {
      throw DashboardError.forbidden("the recorded \(stream.rawValue) path of trial \(trialNumber) is not one of its logs")
    }
    if let root {
      guard let rootResolved = realpath(root, nil) else { throw DashboardError.notFound("the log folder \(root) does not exist") }
      let prefix = String(cString: rootResolved) + "/"
      free(rootResolved)
      guard real.hasPrefix(prefix) else { throw DashboardError.forbidden("the log of trial \(trialNumber) is outside the log folder \(root)") }
    }
    var info = stat()
    guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      throw DashboardError.notFound("the \(stream.rawValue) log of trial \(trialNumber) is not a regular file")
    }
    guard let handle = FileHandle(forReadingAtPath: real) else {
      throw DashboardError.forbidden("the \(stream.rawValue) log of trial \(trialNumber) cannot be read by the dashboard")
    }
    defer { try? handle.close() }
    let size = Int(info.st_size)
    if size > tail { try handle.seek(toOffset: UInt64(size - tail)) }
    let data = try handle.readToEnd() ?? Data()
    return (String(decoding: data, as: UTF8.self), size > tail)
  }
}
