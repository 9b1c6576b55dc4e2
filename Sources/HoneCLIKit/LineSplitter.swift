import Foundation

/// Splits a byte stream into lines in one pass: each byte read is looked at once, whatever
/// the line lengths, so reading is linear in the bytes read, and memory is bounded by
/// `maxLength`. A line longer than that keeps its first `maxLength` bytes; the rest is
/// counted in `Line.droppedBytes`, not kept. `\n` ends a line (a `\r` before it is removed);
/// with `carriageReturnEndsLine`, a lone `\r` ends one too (a progress bar redrawn in place).
struct LineSplitter {
  /// One line, without its terminator; invalid UTF-8 is replaced by U+FFFD.
  struct Line: Equatable {
    var text: String
    /// Bytes of the line past `maxLength`, not kept.
    var droppedBytes: Int
  }

  /// The most bytes of one line that are kept.
  let maxLength: Int
  /// Whether `\r` alone ends a line.
  let carriageReturnEndsLine: Bool
  /// Bytes examined so far: equals the bytes fed, which tests check.
  private(set) var scannedBytes = 0
  private var pending: [UInt8] = []
  private var dropped = 0
  private var afterCarriageReturn = false

  init(maxLength: Int, carriageReturnEndsLine: Bool = false) {
    precondition(maxLength > 0, "a line keeps at least one byte")
    self.maxLength = maxLength
    self.carriageReturnEndsLine = carriageReturnEndsLine
  }

  /// Feeds bytes; `emit` is called for each line they complete.
  mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (Line) -> Void) {
    var start = 0
    for i in 0..<bytes.count {
      let byte = bytes[i]
      let newline = byte == UInt8(ascii: "\n")
      if newline, afterCarriageReturn {  // the \n of a \r\n whose \r already ended the line
        afterCarriageReturn = false
        start = i + 1
        continue
      }
      afterCarriageReturn = carriageReturnEndsLine && byte == UInt8(ascii: "\r")
      guard newline || afterCarriageReturn else { continue }
      keep(bytes, from: start, to: i)
      start = i + 1
      emitPending(emit)
    }
    keep(bytes, from: start, to: bytes.count)
    scannedBytes += bytes.count
  }

  /// Feeds bytes from a `Data` or an array.
  mutating func feed<Bytes: ContiguousBytes>(_ bytes: Bytes, _ emit: (Line) -> Void) {
    bytes.withUnsafeBytes { feed($0, emit) }
  }

  /// Ends the stream: a last line without a terminator is emitted.
  mutating func finish(_ emit: (Line) -> Void) {
    if !pending.isEmpty || dropped > 0 { emitPending(emit) }
  }

  private mutating func keep(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) {
    guard end > start else { return }
    let room = maxLength - pending.count
    let taken = min(room, end - start)
    if taken > 0 { pending.append(contentsOf: bytes[start..<(start + taken)]) }
    dropped += end - start - taken
  }

  private mutating func emitPending(_ emit: (Line) -> Void) {
    if !carriageReturnEndsLine, pending.last == UInt8(ascii: "\r"), dropped == 0 { pending.removeLast() }
    emit(Line(text: String(decoding: pending, as: UTF8.self), droppedBytes: dropped))
    pending.removeAll(keepingCapacity: pending.capacity <= 65_536)
    dropped = 0
  }
}
