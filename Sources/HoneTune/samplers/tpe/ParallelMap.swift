import Foundation

/// `(0..<count).map(transform)`, computed in as many contiguous chunks as the machine has
/// cores (at least two) when `parallel`: for per-dimension work of wide models, each element
/// independent of the others, so the result is the same as the serial one.
func parallelMap<T>(_ count: Int, parallel: Bool, _ transform: (Int) -> T) -> [T] {
  guard parallel, count > 1 else { return (0..<count).map(transform) }
  let chunks = min(count, max(2, ProcessInfo.processInfo.activeProcessorCount))
  var results = [T?](repeating: nil, count: count)
  results.withUnsafeMutableBufferPointer { slots in
    withoutActuallyEscaping(transform) { transform in
      nonisolated(unsafe) let (slots, transform) = (slots, transform)
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        for i in (chunk * count / chunks)..<((chunk + 1) * count / chunks) { slots[i] = transform(i) }
      }
    }
  }
  return results.map { $0! }
}
