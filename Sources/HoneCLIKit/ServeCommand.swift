import ArgumentParser
import Foundation
import Hone

/// `hone serve --stdio`: Hone for any language, as JSON lines on stdin and stdout (see
/// `ServeSession`). Every line gets exactly one response line — an empty line, invalid JSON,
/// binary bytes or a line over `maxRequestBytes` get an error — and the next request works.
/// Ends at the end of stdin, or on SIGINT, SIGTERM or SIGHUP (exit 128 + the signal); either
/// way, the trials asked on the connection and not yet told are failed.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve", abstract: "Serve ask/tell as JSON lines on stdin/stdout, one response per request.",
    discussion: "A request line may hold at most \(maxRequestBytes) bytes (1 MiB); a longer one gets an error response.")
  @Option(name: .customLong("storage"), help: "Storage URL (default: $HONE_STORAGE, else sqlite:///hone.db).") var storageURL: String?
  var storage: String { storageURL ?? storageFromEnvironment() }
  @Flag(help: "Use stdin and stdout (the only transport so far).") var stdio = false

  /// The longest request line, in bytes.
  static let maxRequestBytes = 1 << 20

  func run() throws {
    guard stdio else { throw ValidationError("give --stdio: requests come on stdin, responses go to stdout") }
    let session = ServeSession(storage: try Catalogs.storage(storage))
    signal(SIGPIPE, SIG_IGN)
    let handlers = [SIGINT, SIGTERM, SIGHUP].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
      source.setEventHandler {
        session.close(reason: "hone serve was stopped by signal \(number)")
        Foundation.exit(128 + number)
      }
      source.resume()
      return source
    }
    defer { handlers.forEach { $0.cancel() } }
    // Requests are read on a thread of their own, so the main queue stays free for signals.
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      Self.serve(session, input: 0)
      session.close(reason: "the hone serve client went away before telling the trial")
      done.signal()
    }
    // Off the main thread (as under the async root), the main thread serves the main queue and
    // this one sleeps; on it, the run loop serves the queue between checks. (Running the main
    // run loop from another thread returns at once: that loop spun a core for the whole session.)
    if Thread.isMainThread {
      while done.wait(timeout: .now()) == .timedOut { RunLoop.main.run(until: Date(timeIntervalSinceNow: 0.05)) }
    } else {
      done.wait()
    }
  }

  /// Answers each line of `input` on stdout until end of file.
  static func serve(_ session: ServeSession, input: Int32) {
    var splitter = LineSplitter(maxLength: maxRequestBytes + 1)
    var buffer = [UInt8](repeating: 0, count: 65_536)
    func answer(_ line: LineSplitter.Line) {
      let response = line.text.utf8.count > maxRequestBytes
        ? session.errorResponse("the request line has \(line.text.utf8.count + line.droppedBytes) bytes, over the maximum of \(maxRequestBytes)")
        : session.respond(to: line.text)
      if !closed, !writeAll(1, response.description + "\n") { closed = true }  // the client closed its end
    }
    var closed = false
    while !closed {
      let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { break }
      buffer.withUnsafeBytes { splitter.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n]), answer) }
    }
    if !closed { splitter.finish(answer) }
  }

  /// Writes all of `text` to `fd`; false when the reader is gone.
  static func writeAll(_ fd: Int32, _ text: String) -> Bool {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { return false }
      bytes = bytes.dropFirst(n)
    }
    return true
  }
}
