/// A Sobol low-discrepancy sequence in up to 1,024 dimensions, optionally scrambled.
///
/// Points are built from the Joe–Kuo direction numbers (Joe & Kuo 2008, "Constructing Sobol
/// sequences with better two-dimensional projections"): x_k = ⊕_j b_j(g(k))·v_j, the XOR of
/// the direction numbers v_j selected by the bits of the Gray code g(k) = k ⊕ (k >> 1) of the
/// index (Antonov & Saleev 1979; the order scipy and Joe–Kuo use), 32 bits per coordinate.
/// Any index can be read directly in O(32·d), so a study can take point n for trial n.
///
/// Scrambling is Matoušek's linear matrix scramble plus a digital shift (Matoušek 1998,
/// "On the L2-discrepancy for anchored boxes"; Owen 2003): a random lower-triangular bit
/// matrix with unit diagonal multiplies each direction number and a random 32-bit word is
/// XORed onto every point. It keeps the (t, m, s)-net property and is fixed by the seed.
public struct SobolSequence: Sendable {
  /// The largest dimension available.
  public static let maxDimension = _SobolDirectionNumbers.polynomials.count

  /// How many coordinates each point has.
  public let dimension: Int
  /// Whether the points are scrambled.
  public let scrambled: Bool
  private let directions: [UInt32]  // dimension × 32, row-major by dimension
  private let shifts: [UInt32]

  /// A sequence in `dimension` dimensions; `seed` fixes the scramble (ignored unscrambled).
  public init(dimension: Int, scramble: Bool = true, seed: UInt64 = 0) throws {
    guard dimension >= 1, dimension <= SobolSequence.maxDimension else {
      throw MathError.invalidArgument(
        "Sobol dimension must be in 1...\(SobolSequence.maxDimension), got \(dimension)")
    }
    self.dimension = dimension
    self.scrambled = scramble
    var directions = SobolSequence.directionNumbers(dimension: dimension)
    var shifts = [UInt32](repeating: 0, count: dimension)
    if scramble {
      var rng = SeededRNG(seed: seed, stream: 0x50B0_1000)
      for d in 0..<dimension {
        let matrix = SobolSequence.randomLowerTriangular(&rng)
        for j in 0..<32 {
          directions[d * 32 + j] = SobolSequence.multiply(matrix, directions[d * 32 + j])
        }
        shifts[d] = UInt32(truncatingIfNeeded: rng.next() >> 32)
      }
    }
    self.directions = directions
    self.shifts = shifts
  }

  /// The point at `index` (0-based) in [0, 1)^d. Unscrambled, point 0 is the origin.
  public func point(at index: Int) -> [Double] {
    precondition(index >= 0 && index < (1 << 32), "Sobol index must be in 0..<2^32")
    var result = [Double](repeating: 0, count: dimension)
    for d in 0..<dimension {
      var x = shifts[d]
      var k = UInt64(index) ^ (UInt64(index) >> 1)
      var j = 0
      while k != 0 {
        if k & 1 == 1 { x ^= directions[d * 32 + j] }
        k >>= 1
        j += 1
      }
      result[d] = Double(x) * 0x1.0p-32
    }
    return result
  }

  /// The direction numbers v_j = m_j · 2^(32−j), j = 1…32, with the Joe–Kuo recurrence
  /// m_k = 2^s·m_{k−s} ⊕ m_{k−s} ⊕ ⊕_{i=1}^{s−1} 2^i·a_i·m_{k−i} for k > s.
  static func directionNumbers(dimension: Int) -> [UInt32] {
    var result = [UInt32](repeating: 0, count: dimension * 32)
    var offset = 0
    for d in 0..<dimension {
      let polynomial = _SobolDirectionNumbers.polynomials[d]
      let degree = max(1, UInt32.bitWidth - polynomial.leadingZeroBitCount - 1)
      var m = [UInt32](repeating: 1, count: 33)  // m[1...32]
      if d > 0 {
        for k in 1...degree { m[k] = _SobolDirectionNumbers.initialNumbers[offset + k - 1] }
        if degree < 32 {
          for k in (degree + 1)...32 {
            var value = (m[k - degree] << UInt32(degree)) ^ m[k - degree]
            for i in 1..<degree where (polynomial >> UInt32(degree - i)) & 1 == 1 {
              value ^= m[k - i] << UInt32(i)
            }
            m[k] = value
          }
        }
      }
      offset += degree
      for j in 1...32 { result[d * 32 + j - 1] = m[j] << UInt32(32 - j) }
    }
    return result
  }

  /// Rows of a random lower-triangular 32×32 bit matrix with unit diagonal; row r (from
  /// the most significant bit) has random bits left of its diagonal bit.
  private static func randomLowerTriangular(_ rng: inout SeededRNG) -> [UInt32] {
    (0..<32).map { r in
      let diagonal = UInt32(1) << UInt32(31 - r)
      let above = r == 0 ? 0 : ~(UInt32.max >> UInt32(r))  // the r most significant bits
      return diagonal | (UInt32(truncatingIfNeeded: rng.next()) & above)
    }
  }

  /// The bit-matrix product L·v over GF(2), bit r from the top being parity(row_r ∧ v).
  private static func multiply(_ rows: [UInt32], _ v: UInt32) -> UInt32 {
    var result: UInt32 = 0
    for r in 0..<32 where (rows[r] & v).nonzeroBitCount & 1 == 1 {
      result |= UInt32(1) << UInt32(31 - r)
    }
    return result
  }
}
