import Foundation

/// A seeded random number generator that gives the same stream on every platform.
///
/// The generator is xoshiro256** (Blackman & Vigna 2021, "Scrambled linear pseudorandom
/// number generators", ACM TOMS 47(4)); its 256-bit state is filled from the 64-bit seed
/// with SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
/// generators"). Every derived draw (`nextDouble`, `nextInt(below:)`, `nextNormal`) is
/// defined here, not by the standard library, so a seed means the same numbers everywhere.
public struct SeededRNG: RandomNumberGenerator, Sendable {
  private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

  /// A generator whose state is four SplitMix64 outputs of `seed`.
  public init(seed: UInt64) {
    var mixer = SplitMix64(state: seed)
    s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
  }

  /// An independent stream for one purpose within a seeded run: the seed mixed with the
  /// stream identifiers (for example a trial number and the stable hash of a parameter name).
  public init(seed: UInt64, stream: UInt64...) {
    var mixed = seed
    for part in stream { mixed = SplitMix64.mix(mixed ^ SplitMix64.mix(part &+ 0x9E37_79B9_7F4A_7C15)) }
    self.init(seed: mixed)
  }

  /// The next 64 random bits: `rotl(s1·5, 7)·9`, then the xoshiro256 state transition.
  public mutating func next() -> UInt64 {
    let result = rotateLeft(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
    s2 ^= t
    s3 = rotateLeft(s3, 45)
    return result
  }

  /// A uniform double in [0, 1): the top 53 bits of `next()` times 2⁻⁵³.
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform double in `range` (lower bound included, upper excluded).
  public mutating func nextDouble(in range: ClosedRange<Double>) -> Double {
    range.lowerBound + (range.upperBound - range.lowerBound) * nextDouble()
  }

  /// A uniform integer in 0..<n without modulo bias (Lemire 2019, "Fast random integer
  /// generation in an interval", ACM TOMACS 29(1)).
  public mutating func nextInt(below n: Int) -> Int {
    precondition(n > 0, "nextInt(below:) needs a positive bound")
    let bound = UInt64(n)
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return Int(product.high)
  }

  /// 0..<count in a uniformly random order (Fisher–Yates, from the last position down).
  public mutating func permutation(_ count: Int) -> [Int] {
    var order = Array(0..<count)
    for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, nextInt(below: i + 1)) }
    return order
  }

  /// A standard normal draw by the Box–Muller transform (one of the pair is used, so the
  /// stream position does not depend on earlier calls).
  public mutating func nextNormal() -> Double {
    let u1 = 1.0 - nextDouble()  // (0, 1]
    let u2 = nextDouble()
    return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
  }

  @inline(__always) private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
  }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit counter passed through a bijective mixer.
/// Used to seed `SeededRNG` and to derive independent seeds from stream identifiers.
public struct SplitMix64: Sendable {
  /// The counter; each `next()` adds the golden-ratio increment 0x9E3779B97F4A7C15.
  public var state: UInt64

  /// A generator starting at `state`.
  public init(state: UInt64) { self.state = state }

  /// Advances the counter and returns its mixed value.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return SplitMix64.mix(state)
  }

  /// The SplitMix64 finalizer: xor-shift-multiply by 0xBF58476D1CE4E5B9 and 0x94D049BB133111EB.
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A hash of a string that is the same in every process and on every platform (64-bit
/// FNV-1a over its UTF-8 bytes; Fowler, Noll & Vo). Swift's `Hasher` is seeded per process,
/// so it cannot derive reproducible random streams from parameter names.
public func stableHash(_ text: String) -> UInt64 {
  var hash: UInt64 = 0xCBF2_9CE4_8422_2325
  for byte in text.utf8 {
    hash ^= UInt64(byte)
    hash &*= 0x0000_0100_0000_01B3
  }
  return hash
}
