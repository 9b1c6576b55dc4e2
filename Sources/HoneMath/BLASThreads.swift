import CLAPACK

/// The threads OpenBLAS uses for one call (its `openblas_set_num_threads`); latency is
/// measured on one.
public enum BLASThreads {
  /// The current thread count.
  public static var count: Int { Int(openblas_get_num_threads()) }

  /// Runs `body` with OpenBLAS on `threads` threads, then puts the previous count back.
  public static func with<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
    let previous = openblas_get_num_threads()
    openblas_set_num_threads(Int32(threads))
    defer { openblas_set_num_threads(previous) }
    return try body()
  }
}
