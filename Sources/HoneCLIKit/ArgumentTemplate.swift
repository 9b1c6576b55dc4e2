/// One argument of a `hone tune` command, with `{name}` placeholders: `{lr}` becomes the
/// trial's value of `lr`, `{trial}` the trial number. As in Python's `str.format`, `{{` and
/// `}}` stand for literal braces, so `'{{"lr": {lr}}}'` becomes `{"lr": 0.01}`. A lone `}` or
/// an unclosed `{` is refused. Parsing is one pass over the argument, O(length).
struct ArgumentTemplate: Equatable {
  /// A piece of the argument: text as it is, or a placeholder's name.
  enum Piece: Equatable {
    case text(String)
    case placeholder(String)
  }

  /// The pieces, in order.
  let pieces: [Piece]

  /// Parses `argument`; throws a `CLIError` that quotes it when a brace is unbalanced.
  init(_ argument: String) throws {
    var pieces: [Piece] = []
    var text = ""
    var index = argument.startIndex
    func fail(_ why: String) -> CLIError {
      CLIError("cannot read the argument '\(argument)': \(why); write {{ and }} for literal braces")
    }
    while index < argument.endIndex {
      let character = argument[index]
      let next = argument.index(after: index)
      let following = next < argument.endIndex ? argument[next] : nil
      switch character {
      case "{" where following == "{", "}" where following == "}":
        text.append(character)
        index = argument.index(after: next)
      case "{":
        guard let close = argument[next...].firstIndex(of: "}") else { throw fail("a { is not closed") }
        let name = String(argument[next..<close])
        guard !name.isEmpty, !name.contains("{") else { throw fail("'{\(name)}' is not a parameter name") }
        if !text.isEmpty { pieces.append(.text(text)) }
        text = ""
        pieces.append(.placeholder(name))
        index = argument.index(after: close)
      case "}":
        throw fail("a } has no {")
      default:
        text.append(character)
        index = next
      }
    }
    if !text.isEmpty { pieces.append(.text(text)) }
    self.pieces = pieces
  }

  /// The names of the placeholders, in order.
  var names: [String] {
    pieces.compactMap { if case .placeholder(let name) = $0 { name } else { nil } }
  }

  /// The argument with each placeholder replaced by `values[name]`; nil names the first
  /// placeholder that has no value.
  func render(_ values: [String: String]) -> Result<String, MissingPlaceholder> {
    var result = ""
    for piece in pieces {
      switch piece {
      case .text(let text): result += text
      case .placeholder(let name):
        guard let value = values[name] else { return .failure(MissingPlaceholder(name: name)) }
        result += value
      }
    }
    return .success(result)
  }

  /// A placeholder whose parameter the trial does not have.
  struct MissingPlaceholder: Error, Equatable {
    let name: String
  }
}
