import Foundation

/// Fresh folders under one root per test process, removed when the process exits.
public enum TemporaryFolder {
  static let root: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-test-\(ProcessInfo.processInfo.processIdentifier)")
    atexit { try? FileManager.default.removeItem(at: TemporaryFolder.root) }
    return url
  }()

  /// A new empty folder.
  public static func make() throws -> URL {
    let url = root.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
