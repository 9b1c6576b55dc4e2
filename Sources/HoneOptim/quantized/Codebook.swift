import CHoneKernels
import Foundation

/// A 256-value codebook for 8-bit states with its nearest-code search structures.
///
/// `dynamic(signed:)` is the dynamic tree quantization map of Dettmers et al. 2021 ("8-bit
/// Optimizers via Block-wise Quantization"), built as bitsandbytes' `create_dynamic_map`
/// with 7 exponent bits: for i = 0…6, the midpoints of linspace(0.1, 1, n_i) times 10^(i−6),
/// n_i = 2^i + 1 (signed, mirrored to negative values) or 2^(i+1) + 1 (unsigned); then 0 and
/// 1; sorted. Every value is rounded to float32 exactly as that code does, so the 256 values
/// match bit for bit.
public struct Codebook: Sendable, Equatable {
  /// The 256 values, ascending.
  public let values: [Float]
  /// The 255 midpoints between consecutive values (a value equal to a midpoint takes the lower code).
  let midpoints: [Float]
  /// The nearest-code table, one 32-bit entry per top-16-bit prefix of a float: bits 0–7 hold
  /// the number of midpoints below the most negative float with that prefix, bit 8 says
  /// whether the next midpoint has the same prefix, bits 16–31 hold that midpoint's low 16
  /// bits. The codebook's values are spaced further apart than a prefix range (2^-7 relative),
  /// so a range holds at most one midpoint, and one integer comparison of the low bits finishes
  /// an exact nearest-code search — a single table read per value.
  let lookup: [UInt32]

  /// A codebook of 256 ascending values in [−1, 1].
  public init(values: [Float]) throws {
    guard values.count == 256, zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }),
          values.first! >= -1, values.last! <= 1 else {
      throw OptimError.invalidHyperparameter("a codebook needs 256 strictly ascending values in [-1, 1]")
    }
    self.values = values
    let mids = (0..<255).map { Float(0.5) * (values[$0] + values[$0 + 1]) }
    self.midpoints = mids
    self.lookup = (0..<65536).map { prefix -> UInt32 in
      // The most negative float with this prefix: the low bits all 0 for positive, all 1 for negative.
      let bits = UInt32(prefix) << 16 | (prefix & 0x8000 != 0 ? 0xFFFF : 0)
      let x = Float(bitPattern: bits)
      guard !x.isNaN else { return prefix & 0x8000 != 0 ? 0 : 255 }
      var count = 0
      while count < 255, mids[count] < x { count += 1 }
      var entry = UInt32(count)
      if count < 255, mids[count].bitPattern >> 16 == UInt32(prefix) {
        precondition(count == 254 || mids[count + 1].bitPattern >> 16 != UInt32(prefix), "two midpoints share a prefix")
        entry |= 0x100 | (mids[count].bitPattern & 0xFFFF) << 16
      }
      return entry
    }
  }

  /// The signed dynamic map (first moments, Lion and momentum states).
  public static let signed = try! Codebook(values: dynamicValues(signed: true))
  /// The unsigned dynamic map (second moments).
  public static let unsigned = try! Codebook(values: dynamicValues(signed: false))

  /// The dynamic tree quantization values (see the type's documentation).
  public static func dynamicValues(signed: Bool) -> [Float] {
    var data: [Float] = []
    for i in 0..<7 {
      let n = signed ? (1 << i) + 1 : (1 << (i + 1)) + 1
      let bounds = linspace32(start: 0.1, end: 1, count: n)
      let scale = Float(pow(10.0, Double(i - 6)))
      for k in 0..<(n - 1) {
        let v = ((bounds[k] + bounds[k + 1]) / 2) * scale
        data.append(v)
        if signed { data.append(-v) }
      }
    }
    data += [0, 1]
    return data.sorted()
  }

  /// torch's float32 linspace: step = f32((end − start)/(n − 1)); the first half counts up
  /// from start, the second half down from end, each value rounded once.
  private static func linspace32(start: Float, end: Double, count n: Int) -> [Float] {
    let s = Double(start)
    let step = Double(Float((end - s) / Double(n - 1)))
    return (0..<n).map { k in Float(k < n / 2 ? s + step * Double(k) : end - step * Double(n - 1 - k)) }
  }

  /// The index of the value nearest to `x` (x in [−1, 1]; ties take the lower index).
  public func nearestCode(_ x: Float) -> UInt8 {
    let entry = lookup[Int(x.bitPattern >> 16)]
    let low = x.bitPattern & 0xFFFF, midLow = entry >> 16
    let above = x.sign == .minus ? midLow > low : midLow < low
    return UInt8(entry & 0xFF) + (entry & 0x100 != 0 && above ? 1 : 0)
  }
}

/// Block-wise quantization (Dettmers et al. 2021): each block of `blockSize` values is
/// scaled by its absolute maximum and every value replaced by its nearest code.
public enum BlockwiseQuantization {
  /// Codes and per-block absolute maxima of `x`.
  public static func quantize(_ x: [Float], blockSize: Int = 256, codebook: Codebook = .signed) throws -> (codes: [UInt8], absmax: [Float]) {
    try checkBlockSize(blockSize)
    var codes = [UInt8](repeating: 0, count: x.count)
    var absmax = [Float](repeating: 0, count: (x.count + blockSize - 1) / blockSize)
    codebook.lookup.withUnsafeBufferPointer { lut in
      hone_quantize_blockwise_f32(x, &codes, &absmax, x.count, blockSize, lut.baseAddress)
    }
    return (codes, absmax)
  }

  /// The values the codes stand for: value[code] × absmax of the block.
  public static func dequantize(_ codes: [UInt8], absmax: [Float], blockSize: Int = 256, codebook: Codebook = .signed) -> [Float] {
    codes.enumerated().map { codebook.values[Int($0.element)] * absmax[$0.offset / blockSize] }
  }

  static func checkBlockSize(_ blockSize: Int) throws {
    guard blockSize >= 64, blockSize <= Int(HONE_MAX_BLOCK), blockSize & (blockSize - 1) == 0 else {
      throw OptimError.invalidHyperparameter("block size must be a power of two in 64...\(HONE_MAX_BLOCK) (256 or 2048 are usual), got \(blockSize)")
    }
  }
}
