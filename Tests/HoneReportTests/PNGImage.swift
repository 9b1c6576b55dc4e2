import CZlib
import Foundation

/// A decoded 8-bit RGB or RGBA PNG (non-interlaced), enough to look at a screenshot.
struct PNGImage {
  let width: Int, height: Int
  /// Bytes per pixel: 3 (RGB) or 4 (RGBA).
  let channels: Int
  /// Row-major pixels, `channels` bytes each.
  let pixels: [UInt8]

  struct DecodeError: Error, CustomStringConvertible { let description: String }

  init(data: Data) throws {
    let bytes = [UInt8](data)
    guard bytes.starts(with: [137, 80, 78, 71, 13, 10, 26, 10]) else { throw DecodeError(description: "not a PNG") }
    func u32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
    var (w, h, colorType, compressed, offset) = (0, 0, 0, [UInt8](), 8)
    while offset + 8 <= bytes.count {
      let length = u32(offset)
      let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
      let body = offset + 8
      switch type {
      case "IHDR":
        (w, h) = (u32(body), u32(body + 4))
        guard bytes[body + 8] == 8, bytes[body + 12] == 0 else { throw DecodeError(description: "only 8-bit, non-interlaced PNGs") }
        colorType = Int(bytes[body + 9])
      case "IDAT": compressed += bytes[body..<(body + length)]
      default: break
      }
      offset = body + length + 4
    }
    guard colorType == 2 || colorType == 6 else { throw DecodeError(description: "color type \(colorType) is not RGB or RGBA") }
    let channels = colorType == 2 ? 3 : 4
    let stride = w * channels
    var raw = [UInt8](repeating: 0, count: h * (stride + 1))
    var size = uLongf(raw.count)
    let status = raw.withUnsafeMutableBytes { out in
      compressed.withUnsafeBytes { input in
        uncompress(out.bindMemory(to: Bytef.self).baseAddress, &size, input.bindMemory(to: Bytef.self).baseAddress, uLong(input.count))
      }
    }
    guard status == Z_OK, Int(size) == raw.count else { throw DecodeError(description: "inflate failed (\(status))") }
    // Undo the per-row filters (PNG spec §9: None, Sub, Up, Average, Paeth).
    var pixels = [UInt8](repeating: 0, count: h * stride)
    for y in 0..<h {
      let filter = raw[y * (stride + 1)]
      for x in 0..<stride {
        let value = Int(raw[y * (stride + 1) + 1 + x])
        let a = x >= channels ? Int(pixels[y * stride + x - channels]) : 0
        let b = y > 0 ? Int(pixels[(y - 1) * stride + x]) : 0
        let c = x >= channels && y > 0 ? Int(pixels[(y - 1) * stride + x - channels]) : 0
        let predicted: Int
        switch filter {
        case 1: predicted = a
        case 2: predicted = b
        case 3: predicted = (a + b) / 2
        case 4:
          let p = a + b - c
          let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
          predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
        default: predicted = 0
        }
        pixels[y * stride + x] = UInt8((value + predicted) & 0xff)
      }
    }
    (width, height, self.channels, self.pixels) = (w, h, channels, pixels)
  }

  /// The share of pixels that are not (nearly) white.
  var inkFraction: Double {
    var ink = 0
    for i in Swift.stride(from: 0, to: pixels.count, by: channels) where pixels[i] < 240 || pixels[i + 1] < 240 || pixels[i + 2] < 240 { ink += 1 }
    return Double(ink) / Double(width * height)
  }

  /// The number of distinct colors (RGB).
  var colorCount: Int {
    var seen = Set<Int>()
    for i in Swift.stride(from: 0, to: pixels.count, by: channels) { seen.insert(Int(pixels[i]) << 16 | Int(pixels[i + 1]) << 8 | Int(pixels[i + 2])) }
    return seen.count
  }
}
