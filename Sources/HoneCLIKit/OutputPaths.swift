import Foundation

/// Where the CLI writes files, checked before anything else is written, so that a bad path
/// fails with one clear line and leaves no study behind.
enum OutputPaths {
  /// A study name as one safe file name: letters, digits, `.`, `_` and `-` are kept, any
  /// other character becomes `_`, and a leading `.` becomes `_` (so `../../x` stays inside
  /// the log folder). A name that had to change, or is longer than 64 bytes, is cut to 64
  /// and gets an 8-digit hash of the whole name (FNV-1a), so distinct names stay distinct.
  static func fileName(forStudy name: String) -> String {
    var safe = String(name.unicodeScalars.map { scalar -> Character in
      let ok = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
      return ok ? Character(scalar) : "_"
    })
    if safe.hasPrefix(".") { safe = "_" + safe.dropFirst() }
    guard safe != name || safe.utf8.count > 64 || safe.isEmpty else { return safe }
    var hash: UInt32 = 0x811C_9DC5
    for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
    return String(safe.prefix(64)) + "-" + String(format: "%08x", hash)
  }

  /// Creates `path` (and its parents) as a folder if needed and checks that a file can be
  /// written in it; throws one line that says why not.
  static func prepareFolder(_ path: String, purpose: String) throws -> URL {
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
      throw CLIError("cannot use \(path) as the \(purpose): it is a file, not a folder")
    }
    // Folder by folder with mkdir(2), so that the error is the system's own reason.
    var prefix = url.path.hasPrefix("/") ? "" : "."
    for component in url.path.split(separator: "/") {
      prefix += "/" + component
      if mkdir(prefix, 0o755) != 0, errno != EEXIST {
        throw CLIError("cannot create the \(purpose) \(path): \(String(cString: strerror(errno)))")
      }
    }
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw CLIError("cannot create the \(purpose) \(path): a part of it is a file")
    }
    guard access(url.path, W_OK | X_OK) == 0 else {
      throw CLIError("cannot write in the \(purpose) \(path): \(String(cString: strerror(errno)))")
    }
    return url
  }

  /// Checks that a file can be written at `path` (its folder exists and is writable, and
  /// the path is not a folder) without creating it.
  static func checkWritableFile(_ path: String) throws {
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
      guard !isDirectory.boolValue else { throw CLIError("cannot write \(path): it is a folder") }
      guard access(url.path, W_OK) == 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
      return
    }
    let folder = url.deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw CLIError("cannot write \(path): the folder \(folder) does not exist")
    }
    guard access(folder, W_OK | X_OK) == 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
    guard url.lastPathComponent.utf8.count <= 255 else { throw CLIError("cannot write \(path): the file name is longer than 255 bytes") }
  }

  /// The one-line reason of a Foundation file error (its POSIX cause when there is one).
  static func reason(_ error: Error) -> String {
    let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
    if let posix = underlying, posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    return ns.localizedDescription
  }
}
