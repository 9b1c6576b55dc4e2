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
  /// The nearest-code table. A float's top 16 bits (sign, exponent, 7 mantissa bits) name a
  /// range of relative width 2^-7; the codebook's values lie further apart than that, so a
  /// range holds at most one midpoint. One 32-bit entry per range: bits 0–7 count the
  /// midpoints below the range's most negative float, bits 16–31 hold the low 16 bits of the
  /// midpoint inside the range, or a value no float in the range passes (0xFFFF when positive,
  /// 0 when negative) when there is none. Only exponents 2^-24…2^0 are kept (2 × 25 × 128
  /// entries, 25.6 KB): every midpoint magnitude is above 2^-24, so smaller values clamp to
  /// the lowest range without changing their code. One table read and one integer compare
  /// give the exact nearest code.
  let lookup: [UInt32]

  /// The lowest exponent (biased) the table keeps, and the entries per sign.
  static let lowestExponent: UInt32 = 103
  static let entriesPerSign = 25 * 128

  /// A codebook of 256 ascending values in [−1, 1].
  public init(values: [Float]) throws {
    guard values.count == 256, zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }),
          values.first! >= -1, values.last! <= 1 else {
      throw OptimError.invalidHyperparameter("a codebook needs 256 strictly ascending values in [-1, 1]")
    }
    self.values = values
    let mids = (0..<255).map { Float(0.5) * (values[$0] + values[$0 + 1]) }
    self.midpoints = mids
    precondition(mids.allSatisfy { $0 == 0 || abs($0) > 0x1p-24 }, "a midpoint below the table's range")
    self.lookup = (0..<(2 * Codebook.entriesPerSign)).map { index -> UInt32 in
      let negative = index >= Codebook.entriesPerSign
      let local = UInt32(index % Codebook.entriesPerSign)
      let prefix = (negative ? 0x8000 : 0) | (local >> 7 + Codebook.lowestExponent) << 7 | local & 0x7F
      // The most negative float with this prefix: the low bits all 0 for positive, all 1 for negative.
      let x = Float(bitPattern: prefix << 16 | (negative ? 0xFFFF : 0))
      var count = 0
      while count < 255, mids[count] < x { count += 1 }
      var midLow: UInt32 = negative ? 0 : 0xFFFF
      if count < 255, mids[count].bitPattern >> 16 == prefix {
        precondition(count == 254 || mids[count + 1].bitPattern >> 16 != prefix, "two midpoints share a prefix")
        midLow = mids[count].bitPattern & 0xFFFF
      }
      return UInt32(count) | midLow << 16
    }
  }

  /// The table index of a float: sign, then the exponent clamped to 2^-24…2^0 (the mantissa
  /// bits zeroed below, set above), then 7 mantissa bits.
  static func tableIndex(_ bits: UInt32) -> Int {
    let exponent = (bits >> 23) & 0xFF
    var mantissa = (bits >> 16) & 0x7F
    if exponent < lowestExponent { mantissa = 0 } else if exponent > 127 { mantissa = 0x7F }
    let clamped = min(max(exponent, lowestExponent), 127) - lowestExponent
    return Int((bits >> 31) * UInt32(entriesPerSign) + (clamped << 7 | mantissa))
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
    let entry = lookup[Codebook.tableIndex(x.bitPattern)]
    let low = x.bitPattern & 0xFFFF, midLow = entry >> 16
    let above = x.sign == .minus ? midLow > low : midLow < low
    return UInt8(entry & 0xFF) + (above ? 1 : 0)
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
