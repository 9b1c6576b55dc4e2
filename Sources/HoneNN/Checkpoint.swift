import Foundation
import HoneCore
import HoneTensor

/// Saving and loading a module's parameters and buffers in the safetensors layout
/// (Hugging Face): an 8-byte little-endian header length, a JSON header mapping each name to
/// {"dtype": "F32", "shape": […], "data_offsets": [begin, end]}, then the raw little-endian
/// float32 data. Files written here open in PyTorch with `safetensors.torch.load_file`.
extension Module {
  /// Writes every parameter and buffer to `url`, atomically (a failed write leaves any
  /// previous file intact).
  public func save(to url: URL) throws {
    try Data(safetensors: namedParameters().map { ($0.name, $0.parameter.value) }).write(to: url, options: .atomic)
  }

  /// Reads parameters saved by `save(to:)` (or any safetensors file with F32 entries of the
  /// same names and shapes). Checks everything before changing anything: a missing name, an
  /// extra name or a wrong shape throws and leaves the module as it was.
  public func load(from url: URL) throws {
    let data: Data
    do { data = try Data(contentsOf: url) } catch { throw NNError.badFile("\(url.path): \(error.localizedDescription)") }
    let tensors = try Data.safetensors(data, name: url.path)
    let parameters = namedParameters()
    let expected = Set(parameters.map(\.name))
    if let extra = tensors.keys.first(where: { !expected.contains($0) }) {
      throw NNError.checkpointMismatch("the file has \(extra), which the model does not")
    }
    for (name, parameter) in parameters {
      guard let tensor = tensors[name] else { throw NNError.checkpointMismatch("the file has no \(name)") }
      guard tensor.shape == parameter.value.shape else {
        throw NNError.checkpointMismatch("\(name) has shape \(tensor.shape) in the file, \(parameter.value.shape) in the model")
      }
    }
    for (name, parameter) in parameters { parameter.value = tensors[name]! }
  }
}

extension Data {
  /// The safetensors encoding of named float32 tensors.
  init(safetensors entries: [(String, Tensor<Float>)]) throws {
    var header: [String: JSONValue] = ["__metadata__": .object(["format": "pt"])]
    var offset = 0
    for (name, tensor) in entries {
      header[name] = .object(["dtype": "F32", "shape": .array(tensor.shape.map { .int($0) }),
                              "data_offsets": .array([.int(offset), .int(offset + 4 * tensor.count)])])
      offset += 4 * tensor.count
    }
    var json = Data(JSONValue.object(header).description.utf8)  // keys sorted, compact
    while json.count % 8 != 0 { json.append(0x20) }
    self.init()
    reserveCapacity(8 + json.count + offset)
    Swift.withUnsafeBytes(of: UInt64(json.count).littleEndian) { append(contentsOf: $0) }
    append(json)
    for (_, tensor) in entries {
      tensor.withUnsafeBufferPointer { buffer in
        for value in buffer { Swift.withUnsafeBytes(of: value.bitPattern.littleEndian) { append(contentsOf: $0) } }
      }
    }
  }

  /// The float32 tensors of a safetensors file.
  static func safetensors(_ data: Data, name: String) throws -> [String: Tensor<Float>] {
    let bytes = [UInt8](data)
    guard bytes.count >= 8 else { throw NNError.badFile("\(name) is too short to be a safetensors file") }
    let rawLength = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    guard rawLength >= 2, rawLength <= UInt64(bytes.count - 8) else { throw NNError.badFile("\(name) has no valid safetensors header") }
    let headerLength = Int(rawLength)
    guard let header = (try? JSONValue.parse(String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)))?.objectValue else {
      throw NNError.badFile("\(name) has no valid safetensors header")
    }
    let base = 8 + headerLength
    var tensors: [String: Tensor<Float>] = [:]
    for (key, value) in header where key != "__metadata__" {
      func integers(_ json: JSONValue?) -> [Int]? {
        guard let items = json?.arrayValue else { return nil }
        let values = items.compactMap { item -> Int? in if case .int(let i) = item { i } else { nil } }
        return values.count == items.count ? values : nil
      }
      guard let entry = value.objectValue, let dtype = entry["dtype"]?.stringValue,
            let shape = integers(entry["shape"]), let offsets = integers(entry["data_offsets"]), offsets.count == 2
      else { throw NNError.badFile("\(name): entry \(key) is malformed") }
      guard dtype == "F32" else { throw NNError.badFile("\(name): \(key) is \(dtype); only F32 is supported") }
      var count = 1
      for dimension in shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        guard dimension >= 0, !overflow, product <= bytes.count else { throw NNError.badFile("\(name): \(key) has an impossible shape \(shape)") }
        count = product
      }
      guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= bytes.count - base, offsets[1] - offsets[0] == 4 * count else {
        throw NNError.badFile("\(name): \(key) has offsets \(offsets) that do not fit shape \(shape) and the file")
      }
      tensors[key] = Tensor(shape: shape) { out in
        for i in 0..<count {
          let p = base + offsets[0] + 4 * i
          let bits = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
          out[i] = Float(bitPattern: bits)
        }
      }
    }
    return tensors
  }
}

extension Tensor where Scalar == Float {
  /// The float32 tensors of safetensors bytes, by name — what `Module.load(from:)` reads;
  /// `NNError.badFile` for anything else.
  public static func safetensors(_ data: Data) throws -> [String: Tensor<Float>] {
    try Data.safetensors(data, name: "the safetensors data")
  }
}
