import Foundation

/// The results of the two halves of `inParallel`, each written by one thread only.
private final class ParallelResults<A, B>: @unchecked Sendable {
  var first: A?
  var second: B?
}

/// Runs `first` and `second` at the same time, on two threads when the machine has them, and
/// returns both results: for two computations that share nothing but what they read (TPE's
/// two density estimators, each over every dimension of a wide space).
func inParallel<A, B>(_ first: () -> A, _ second: () -> B) -> (A, B) {
  let results = ParallelResults<A, B>()
  withoutActuallyEscaping(first) { first in
    withoutActuallyEscaping(second) { second in
      nonisolated(unsafe) let (first, second) = (first, second)
      DispatchQueue.concurrentPerform(iterations: 2) { k in
        if k == 0 { results.first = first() } else { results.second = second() }
      }
    }
  }
  return (results.first!, results.second!)
}

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
