import Foundation

/// Runs the built `hone` executable (`.build/debug/hone`, or `$HONE_BIN`) in a fresh temporary
/// folder, removed with the runner.
final class CLIRunner: Sendable {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  let folder: URL

  static var binary: URL {
    if let path = ProcessInfo.processInfo.environment["HONE_BIN"] { return URL(fileURLWithPath: path) }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/hone")
  }

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
      throw CLIRunnerError("no hone executable at \(Self.binary.path); run `swift build` first (make test does)")
    }
  }

  deinit { try? FileManager.default.removeItem(at: folder) }

  /// Runs `hone args…` and waits for it.
  func callAsFunction(_ args: String...) throws -> Result { try run(args) }

  /// Runs `hone args…` with `environment` added to this process's, and waits for it.
  func run(_ args: [String], environment: [String: String] = [:]) throws -> Result {
    try Self.run(Self.binary, args, in: folder, environment: environment)
  }

  /// Starts `hone args…` in the background, its output discarded (for signal tests).
  func start(_ args: [String]) throws -> Process {
    let process = Process()
    process.executableURL = Self.binary
    process.arguments = args
    process.currentDirectoryURL = folder
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// The process id a command wrote (`echo $$ > file`) into `file` of the folder, once the
  /// line is complete; nil after a minute.
  func pid(writtenTo file: String) -> pid_t? {
    let path = folder.appendingPathComponent(file).path
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      if let text = try? String(contentsOfFile: path, encoding: .utf8), text.hasSuffix("\n") {
        return pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return nil
  }

  /// Runs `executable args…` in `folder` with `environment` added, and waits for it.
  static func run(_ executable: URL, _ args: [String], in folder: URL, environment: [String: String] = [:]) throws -> Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = args
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    process.currentDirectoryURL = folder
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                  stderr: String(decoding: stderr, as: UTF8.self))
  }
}

struct CLIRunnerError: Error, CustomStringConvertible {
  let description: String
  init(_ d: String) { description = d }
}
