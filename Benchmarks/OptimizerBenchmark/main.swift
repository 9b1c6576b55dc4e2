// One optimizer step on N float32 parameters (default 10M), on 1 or 2 threads, in Mparam/s
// and GB/s, beside a memory-copy bandwidth measured in the same run. With 2 threads the
// parameters are two tensors of N/2, each stepped on its own thread (as a training loop
// steps its layers in parallel).
//
//   OptimizerBenchmark [--n N] [--threads T] [--repeats R] [--isa baseline|avx2|avx512] [--json]
//
// --isa lowers the kernels' instruction set, to show what a CPU without AVX2 gets.
import CHoneKernels
import Dispatch
import Foundation
import HoneMath
import HoneOptim

struct Options: Sendable {
  var n = 10_000_000, threads = 1, repeats = 10, json = false, isa: KernelInstructionSet?

  static func parse() -> Options {
    var o = Options()
    var args = Array(CommandLine.arguments.dropFirst())
    while !args.isEmpty {
      let flag = args.removeFirst()
      switch flag {
      case "--n": o.n = Int(args.removeFirst())!
      case "--threads": o.threads = Int(args.removeFirst())!
      case "--repeats": o.repeats = Int(args.removeFirst())!
      case "--json": o.json = true
      case "--isa": o.isa = ["baseline": .baseline, "avx2": .avx2, "avx512": .avx512][args.removeFirst()]!
      default: fatalError("unknown argument \(flag)")
      }
    }
    return o
  }
}

let options = Options.parse()
let n = options.n, threads = options.threads, repeats = options.repeats, json = options.json
if let isa = options.isa { KernelInstructionSet.use(isa) }
let isaName = ["baseline", "avx2", "avx512"][KernelInstructionSet.current.rawValue]

/// Bytes moved per parameter and step: reads and writes of every buffer.
let bytesPerParam: [String: Double] = ["copy": 8, "SGD momentum": 20, "Adam": 28, "Lion": 20, "EXAdam": 28, "Adam8bit": 16]

func randomBuffer(_ count: Int, seed: UInt64) -> [Float] {
  var rng = SeededRNG(seed: seed)
  return (0..<count).map { _ in Float(rng.nextNormal()) }
}

/// The median seconds of `repeats` runs of `body` (after two warm-up runs), on `threads` threads.
func time(_ body: @escaping @Sendable (Int) -> Void) -> Double {
  for _ in 0..<2 { DispatchQueue.concurrentPerform(iterations: threads, execute: body) }
  var samples: [Double] = []
  for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    DispatchQueue.concurrentPerform(iterations: threads, execute: body)
    samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
  return samples.sorted()[samples.count / 2]
}

/// Per-thread slices, each with its own parameters, gradients and optimizer state.
final class Shard<O: Optimizer<Float>>: @unchecked Sendable {
  var params: [Float]
  var grads: [Float]
  var state: OptimizerState<Float>
  let optimizer: O
  init(_ optimizer: O, count: Int, seed: UInt64) {
    self.optimizer = optimizer
    params = randomBuffer(count, seed: seed)
    grads = randomBuffer(count, seed: seed + 1)
    state = optimizer.initialState(count: count)
  }
  func step() {
    params.withUnsafeMutableBufferPointer { p in
      grads.withUnsafeMutableBufferPointer { g in try! optimizer.step(params: p, grads: g, state: &state) }
    }
  }
}

func measure<O: Optimizer<Float>>(_ name: String, _ optimizer: O) -> Double {
  let shards = (0..<threads).map { Shard(optimizer, count: n / threads, seed: UInt64(10 * $0)) }
  let box = UnsafeSendable(shards)
  return time { box.value[$0].step() }
}

struct UnsafeSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}

var results: [(String, Double)] = []
do {
  let sources = (0..<threads).map { randomBuffer(n / threads, seed: UInt64(100 + $0)) }
  var destinations = (0..<threads).map { _ in [Float](repeating: 0, count: n / threads) }
  let src = UnsafeSendable(sources.map { $0.withUnsafeBufferPointer { UnsafePointer($0.baseAddress!) } })
  let dst = UnsafeSendable((0..<threads).map { i in destinations[i].withUnsafeMutableBufferPointer { $0.baseAddress! } })
  results.append(("copy", time { hone_copy_f32(dst.value[$0], src.value[$0], n / threads) }))
  _ = destinations.count
  withExtendedLifetime(sources) {}
  destinations.removeAll()
}
results.append(("SGD momentum", measure("SGD momentum", try SGD<Float>(learningRate: 1e-3, momentum: 0.9))))
results.append(("Adam", measure("Adam", try Adam<Float>(learningRate: 1e-3))))
results.append(("Lion", measure("Lion", try Lion<Float>(learningRate: 1e-4))))
results.append(("EXAdam", measure("EXAdam", try EXAdam<Float>(learningRate: 1e-3))))
results.append(("Adam8bit", measure("Adam8bit", try Adam8bit(learningRate: 1e-3))))

for (name, seconds) in results {
  let bytes = bytesPerParam[name]!
  let mps = Double(n) / seconds / 1e6, gbps = bytes * Double(n) / seconds / 1e9
  if json {
    print("{\"peer\": \"hone.\(name)\", \"isa\": \"\(isaName)\", \"n\": \(n), \"threads\": \(threads), \"seconds\": \(seconds), \"mparams_per_s\": \(mps), \"bytes_per_param\": \(bytes), \"gb_per_s\": \(gbps)}")
  } else {
    print(String(format: "%-14@ %8.2f ms  %8.1f Mparam/s  %6.1f GB/s", name as NSString, seconds * 1e3, mps, gbps))
  }
}
