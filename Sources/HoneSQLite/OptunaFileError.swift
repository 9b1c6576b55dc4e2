/// Errors of reading and writing Optuna study files. Each message is one line that says what
/// is wrong and what to do.
public enum OptunaFileError: Error, Equatable, CustomStringConvertible, Sendable {
  /// The URL or path is not one this reader takes.
  case invalidURL(String)
  /// There is no file at the path.
  case fileNotFound(String)
  /// The file is not an Optuna storage (not SQLite, a Hone database, another schema).
  case notAnOptunaFile(String)
  /// The file has another Optuna schema revision than the one this reader knows.
  case unsupportedRevision(String)
  /// The file has no study of that name, or no study at all.
  case studyNotFound(String)
  /// The target exists already: an output file, or a Hone study of the same name.
  case alreadyExists(String)
  /// The file holds values that even Optuna could not load.
  case corrupt(String)
  /// Any other failure of SQLite, with its message.
  case backend(String)

  /// The message, one line.
  public var description: String {
    switch self {
    case .invalidURL(let m), .fileNotFound(let m), .notAnOptunaFile(let m), .unsupportedRevision(let m),
         .studyNotFound(let m), .alreadyExists(let m), .corrupt(let m), .backend(let m):
      return m
    }
  }
}
