/// Reads trials' parameters as internal values (`Distribution.internalValue(of:)`), one
/// column per name — the inner loop of the model-based samplers, which read every
/// parameter of every trial on each suggestion.
///
/// A trial's `params` are walked once, each name found in a small open-addressing table by
/// a multiply–xor hash of the 16 bytes of its `String` value, instead of one `Dictionary`
/// lookup per name, each of which hashes the name with SipHash (about 400 instructions).
/// Names of up to 15 UTF-8 bytes (`x0`, `lr`, `n_layers`) are stored inline in those bytes,
/// so equal names hash equally; a longer name, stored out of line, misses the table and is
/// looked up by `Dictionary`. Either way the match is confirmed with `==`.
struct ParameterReader {
  /// The names, in column order.
  let names: [String]
  /// The distribution of each column.
  let distributions: [Distribution]
  /// Each column's continuous float range, read without going through `Distribution`; nil
  /// for the other distributions.
  private let floatRanges: [ClosedRange<Double>?]
  /// Column indices by hash slot; −1 for an empty slot.
  private let slots: [Int]
  private let mask: Int
  /// Every column by name, for names the table misses.
  private let columns: [String: Int]
  /// The column of each name of the last block layout read (see `read(_:into:)`).
  private let blockColumns = BlockColumns()

  /// Per name of a `ParamBlock` layout: its column (−1 for none) and whether the block's
  /// distribution is the column's, so its internal value is the column's as it is.
  private final class BlockColumns {
    var names: [String] = []
    var columns: [Int] = []
    var same: [Bool] = []
    var found = 0
  }

  init(names: [String], distributions: [Distribution]) {
    precondition(names.count == distributions.count, "one distribution per name")
    self.names = names
    self.distributions = distributions
    floatRanges = distributions.map { if case .float(let low, let high, _, nil) = $0 { low...high } else { nil } }
    var size = 4
    while size < 2 * names.count { size *= 2 }
    mask = size - 1
    var slots = [Int](repeating: -1, count: size)
    for (j, name) in names.enumerated() {
      var slot = Self.hash(name) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = j
    }
    self.slots = slots
    columns = Dictionary(names.enumerated().map { ($1, $0) }) { first, _ in first }
  }

  /// A hash of the two words of the `String` value (splitmix64's finalizer on their mix).
  @inline(__always) private static func hash(_ name: String) -> Int {
    guard MemoryLayout<String>.size >= 16 else { return 0 }  // other layouts: every name probes from slot 0
    return withUnsafeBytes(of: name) { bytes in
      let (a, b) = (bytes.loadUnaligned(as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
      var h = (a ^ (b &* 0x9e37_79b9_7f4a_7c15)) &* 0xbf58_476d_1ce4_e5b9
      h ^= h >> 31
      return Int(truncatingIfNeeded: h)
    }
  }

  /// The column of `name`, or nil when it is not one of `names`.
  @inline(__always) func column(of name: String) -> Int? {
    var slot = Self.hash(name) & mask
    while true {
      let j = slots[slot]
      if j < 0 { return columns[name] }
      if names[j] == name { return j }
      slot = (slot + 1) & mask
    }
  }

  /// Writes the internal value of every column of `trial` into `row`, as `read(_:into:)`
  /// with its `params`, but from its `ParamBlock` when it has one: by position, through a
  /// map from the block's names to columns built once per layout (blocks of one layout share
  /// their `names` array, recognised by its buffer), with no lookup per name.
  func read(_ trial: FrozenTrial, into row: inout [Double]) -> Bool {
    guard let block = trial.paramBlock else { return read(trial.params, into: &row) }
    let map = blockColumns
    let known = map.names.withUnsafeBufferPointer { a in block.names.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress && a.count == b.count } }
    if !known {
      map.names = block.names
      map.columns = block.names.map { column(of: $0) ?? -1 }
      map.same = block.names.indices.map { k in map.columns[k] >= 0 && block.distributions[k] == distributions[map.columns[k]] }
      map.found = map.columns.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
    }
    guard map.found == names.count else { return false }
    for k in map.columns.indices {
      let j = map.columns[k]
      guard j >= 0 else { continue }
      if map.same[k] {
        row[j] = block.internalValues[k]
      } else {
        let value = block.distributions[k].value(fromInternal: block.internalValues[k])
        guard let x = try? distributions[j].internalValue(of: value) else { return false }
        row[j] = x
      }
    }
    return true
  }

  /// Writes the internal value of every name into `row` (one entry per column); false —
  /// with `row` partly written — when a name is missing or its value lies outside its
  /// distribution.
  func read(_ params: [String: ParamValue], into row: inout [Double]) -> Bool {
    guard params.count >= names.count else { return false }
    var found = 0
    for (name, value) in params {
      guard let j = column(of: name) else { continue }
      if let range = floatRanges[j], case .double(let x) = value {
        guard range.contains(x) else { return false }
        row[j] = x
      } else {
        guard let x = try? distributions[j].internalValue(of: value) else { return false }
        row[j] = x
      }
      found += 1
    }
    return found == names.count
  }
}
