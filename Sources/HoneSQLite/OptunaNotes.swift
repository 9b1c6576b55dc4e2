/// The warnings of a transfer between Hone and Optuna: one line per kind of change, with the
/// trials it concerns ("trials 4, 5: …"), in the order they first occurred.
struct _OptunaNotes {
  private var order: [String] = []
  private var trials: [String: [Int]] = [:]

  /// Records a warning about the whole study (a repeated message is kept once).
  mutating func add(_ message: String) {
    if trials[message] == nil {
      order.append(message)
      trials[message] = []
    }
  }

  /// Records a warning about trial `number`.
  mutating func add(_ message: String, trial number: Int) {
    add(message)
    if trials[message]!.last != number { trials[message]!.append(number) }
  }

  /// The warnings, one line each; at most 10 trial numbers are listed per line.
  var lines: [String] {
    order.map { message in
      let numbers = trials[message]!
      guard !numbers.isEmpty else { return message }
      var list = numbers.prefix(10).map(String.init).joined(separator: ", ")
      if numbers.count > 10 { list += ", … (\(numbers.count) trials)" }
      return "trial\(numbers.count > 1 ? "s" : "") \(list): \(message)"
    }
  }
}
