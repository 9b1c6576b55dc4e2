import Foundation

extension OptimizerState {
  private static var magic: [UInt8] { Array("HONEOPT".utf8) }

  /// The state as bytes: a header (`HONEOPT1`, or `HONEOPT2` when some state in the tree
  /// holds preconditioner matrices; then the scalar width), then recursively the step,
  /// skipped steps, buffers, codes, scales, children and (version 2) matrices,
  /// little-endian. Restoring it with `init(serialized:)` resumes bit-identically; version 1
  /// files (written before matrices existed) still read.
  public func serialized() -> [UInt8] {
    let version = hasMatrices ? 2 : 1
    var out = Self.magic + Array("\(version)".utf8)
    out.append(UInt8(MemoryLayout<Scalar>.size))
    write(to: &out, version: version)
    return out
  }

  private var hasMatrices: Bool { !matrices.isEmpty || children.contains { $0.hasMatrices } }

  private func write(to out: inout [UInt8], version: Int) {
    func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { out.append(contentsOf: $0) } }
    func raw<T>(_ array: [T]) {
      int(array.count)
      array.withUnsafeBytes { out.append(contentsOf: $0) }
    }
    int(step)
    int(skippedSteps)
    int(buffers.count)
    buffers.forEach(raw)
    int(codes.count)
    codes.forEach(raw)
    int(scales.count)
    scales.forEach(raw)
    int(children.count)
    for child in children { child.write(to: &out, version: version) }
    if version >= 2 {
      int(matrices.count)
      matrices.forEach(raw)
    }
  }

  /// A state from `serialized()` bytes; `OptimError.invalidState` for anything else
  /// (another scalar type, a truncated or foreign file).
  public init(serialized bytes: [UInt8]) throws {
    guard bytes.count > 9, Array(bytes[0..<7]) == Self.magic, bytes[7] == UInt8(ascii: "1") || bytes[7] == UInt8(ascii: "2") else {
      throw OptimError.invalidState("not a Hone optimizer state (bad header)")
    }
    guard Int(bytes[8]) == MemoryLayout<Scalar>.size else {
      throw OptimError.invalidState("the state holds \(bytes[8])-byte scalars, not \(MemoryLayout<Scalar>.size)-byte \(Scalar.self)")
    }
    var reader = _StateReader(bytes: bytes, offset: 9, version: bytes[7] == UInt8(ascii: "2") ? 2 : 1)
    self = try reader.read()
    guard reader.offset == bytes.count else { throw OptimError.invalidState("trailing bytes after the optimizer state") }
  }

  /// Writes `serialized()` to a file, atomically.
  public func write(to url: URL) throws { try Data(serialized()).write(to: url, options: .atomic) }

  /// Reads a state written by `write(to:)`.
  public init(contentsOf url: URL) throws { try self.init(serialized: [UInt8](Data(contentsOf: url))) }
}

struct _StateReader {
  let bytes: [UInt8]
  var offset: Int
  /// The format version: 2 adds each state's matrices after its children.
  let version: Int

  mutating func int() throws -> Int {
    guard offset + 8 <= bytes.count else { throw OptimError.invalidState("the optimizer state is truncated") }
    var v: Int64 = 0
    withUnsafeMutableBytes(of: &v) { $0.copyBytes(from: bytes[offset..<offset + 8]) }
    offset += 8
    let value = Int(Int64(littleEndian: v))
    guard value >= 0 else { throw OptimError.invalidState("the optimizer state is corrupt") }
    return value
  }

  mutating func array<T>(_: T.Type) throws -> [T] {
    let count = try int()
    let size = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
    guard !size.overflow, size.partialValue <= bytes.count - offset else { throw OptimError.invalidState("the optimizer state is truncated") }
    let result = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      bytes.withUnsafeBytes { src in
        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<offset + size.partialValue]))
      }
      initialized = count
    }
    offset += size.partialValue
    return result
  }

  /// A count of items that each take at least `bytesEach` bytes: more than the bytes left
  /// could hold is refused before anything is allocated for them.
  mutating func count(bytesEach: Int) throws -> Int {
    let n = try int()
    guard n <= (bytes.count - offset) / bytesEach else { throw OptimError.invalidState("the optimizer state is truncated") }
    return n
  }

  /// Nested states deeper than this are refused (no real optimizer nests so deep, and the
  /// reader must not run out of stack on a crafted file).
  static let maximumDepth = 64

  mutating func read<S>(depth: Int = 0) throws -> OptimizerState<S> {
    guard depth <= Self.maximumDepth else { throw OptimError.invalidState("the optimizer state nests deeper than \(Self.maximumDepth) levels") }
    var state = OptimizerState<S>(step: try int(), skippedSteps: try int())
    // Every array starts with its 8-byte count, every child with 6 counts.
    state.buffers = try (0..<count(bytesEach: 8)).map { _ in try array(S.self) }
    state.codes = try (0..<count(bytesEach: 8)).map { _ in try array(UInt8.self) }
    state.scales = try (0..<count(bytesEach: 8)).map { _ in try array(Float.self) }
    state.children = try (0..<count(bytesEach: 48)).map { _ in try read(depth: depth + 1) }
    if version >= 2 { state.matrices = try (0..<count(bytesEach: 8)).map { _ in try array(S.self) } }
    return state
  }
}
