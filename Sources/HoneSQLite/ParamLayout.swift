import Foundation
import HoneTune

/// The names and distributions of one batch of parameters, in order: a row of
/// `param_layouts`, shared by every trial whose batch has the same names and distributions.
///
/// A batch of parameters (one `Storage.setParams` call, or a template's parameters) is stored
/// as one row of `trial_param_blocks`: the layout's id and the internal values
/// (`Distribution.internalValue(of:)`) as little-endian IEEE 754 doubles in the layout's
/// order. A trial of 20,000 parameters is then one row and one 160 KB blob instead of
/// 20,000 rows that repeat each distribution's JSON, and every trial of a study with a fixed
/// space shares one parsed layout and one distributions dictionary.
final class ParamLayout: Sendable {
  let names: [String]
  let distributions: [Distribution]
  /// The distributions by name, shared (copy-on-write) by every trial read with this layout.
  let byName: [String: Distribution]

  init(names: [String], distributions: [Distribution]) {
    precondition(names.count == distributions.count, "one distribution per name")
    self.names = names
    self.distributions = distributions
    byName = Dictionary(zip(names, distributions)) { first, _ in first }
  }

  /// The layout as stored: `names`, each name's UTF-8 length (UInt32, little-endian) then
  /// its bytes; `distributions`, a JSON array of the distinct distributions; `choice`, the
  /// index (UInt32, little-endian) of each name's distribution in that array.
  struct Stored {
    var names: Data
    var distributions: String
    var choice: Data
  }

  /// The stored form of `names` and `distributions`.
  static func stored(names: [String], distributions: [Distribution]) -> Stored {
    var distinct: [Distribution] = [], position: [Distribution: Int] = [:]
    var nameBytes = Data(), choice = Data(capacity: 4 * names.count)
    for (name, distribution) in zip(names, distributions) {
      let utf8 = Array(name.utf8)
      withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { nameBytes.append(contentsOf: $0) }
      nameBytes.append(contentsOf: utf8)
      let k = position[distribution] ?? {
        distinct.append(distribution)
        position[distribution] = distinct.count - 1
        return distinct.count - 1
      }()
      withUnsafeBytes(of: UInt32(k).littleEndian) { choice.append(contentsOf: $0) }
    }
    return Stored(names: nameBytes, distributions: JSONValue.array(distinct.map(\.json)).description, choice: choice)
  }

  /// The layout of a stored row.
  convenience init(_ stored: Stored) throws {
    func corrupt(_ reason: String) -> StorageError { .backend("corrupt parameter layout: \(reason)") }
    guard case .array(let values) = try JSONValue.parse(stored.distributions) else { throw corrupt("distributions are not an array") }
    let distinct = try values.map { try Distribution(json: $0) }
    var names: [String] = [], distributions: [Distribution] = []
    try stored.names.withUnsafeBytes { bytes in
      var offset = 0
      while offset < bytes.count {
        guard bytes.count - offset >= 4 else { throw corrupt("a name's length is cut short") }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        offset += 4
        guard length <= bytes.count - offset else { throw corrupt("a name is cut short") }
        names.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self))
        offset += length
      }
    }
    guard stored.choice.count == 4 * names.count else { throw corrupt("\(names.count) names but \(stored.choice.count / 4) distributions") }
    try stored.choice.withUnsafeBytes { bytes in
      distributions.reserveCapacity(names.count)
      for k in names.indices {
        let index = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)))
        guard index < distinct.count else { throw corrupt("a distribution index is out of range") }
        distributions.append(distinct[index])
      }
    }
    self.init(names: names, distributions: distributions)
  }

  /// FNV-1a (64-bit) over the names, each followed by a zero byte: the lookup key of a
  /// layout (the layouts of equal digests are then compared in full).
  static func digest(names: [String]) -> Int64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for name in names {
      for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
      hash = hash &* 0x100_0000_01b3
    }
    return Int64(bitPattern: hash)
  }

  /// Internal values as a blob of little-endian doubles.
  static func encode(_ values: [Double]) -> Data {
    var data = Data(count: values.count * 8)
    data.withUnsafeMutableBytes { bytes in
      for (k, value) in values.enumerated() {
        bytes.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: k * 8, as: UInt64.self)
      }
    }
    return data
  }

  /// The internal values of a blob of this layout.
  func decode(_ blob: Data) throws -> [Double] {
    guard blob.count == names.count * 8 else {
      throw StorageError.backend("corrupt parameter block: \(blob.count) bytes for \(names.count) parameters")
    }
    return blob.withUnsafeBytes { bytes in
      (0..<names.count).map { k in Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self))) }
    }
  }
}

/// The layouts a storage has read, by id (ids are never reused: `AUTOINCREMENT`).
final class ParamLayoutCache: Sendable {
  private let layouts = Locked<[Int: ParamLayout]>([:])

  /// The cached layout `id`, or `load()`'s, cached.
  func layout(_ id: Int, load: () throws -> ParamLayout) throws -> ParamLayout {
    if let known = layouts.withLock({ $0[id] }) { return known }
    let loaded = try load()
    layouts.withLock { $0[id] = loaded }
    return loaded
  }

  /// Forgets every layout: after a rolled-back write, whose new layouts' ids will be reused.
  func removeAll() { layouts.withLock { $0.removeAll() } }
}
