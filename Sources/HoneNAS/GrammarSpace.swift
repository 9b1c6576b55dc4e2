import Foundation
import HoneMath
import HoneNN
import HoneTune

/// A probabilistic context-free grammar over operations, in the spirit of einspace (Ericsson
/// et al. 2024, "einspace: Searching for Neural Architectures from Fundamental Operations"):
/// nonterminals rewrite by productions with probabilities; symbols without productions are
/// operations (terminals).
public struct Grammar: Sendable {
  /// One way to rewrite a nonterminal.
  public struct Production: Sendable {
    /// The symbols it rewrites into, in order.
    public var symbols: [String]
    /// Its probability among the nonterminal's productions (normalized per nonterminal).
    public var probability: Double
    /// A production.
    public init(_ symbols: [String], probability: Double = 1) { (self.symbols, self.probability) = (symbols, probability) }
  }

  /// The start symbol.
  public let start: String
  /// The productions of each nonterminal.
  public let rules: [String: [Production]]
  /// The least derivation depth below each nonterminal (a terminal needs 0).
  let minimumDepth: [String: Int]
  /// The least number of expansions of each nonterminal's derivations.
  let minimumExpansions: [String: Int]

  /// A grammar; throws when the start symbol has no productions, a probability is not positive,
  /// or some nonterminal can never finish.
  public init(start: String, rules: [String: [Production]]) throws {
    guard rules[start] != nil else { throw NASError("the start symbol \(start) has no productions") }
    for (symbol, productions) in rules.sorted(by: { $0.key < $1.key })
    where productions.isEmpty || productions.contains(where: { !($0.probability > 0) || $0.symbols.isEmpty }) {
      throw NASError("\(symbol) needs productions with positive probabilities and at least one symbol")
    }
    // Least depth by fixed-point iteration: d(A) = 1 + min over productions of max d(child).
    var depth: [String: Int] = [:]
    var changed = true
    while changed {
      changed = false
      for (symbol, productions) in rules {
        let best = productions.compactMap { p -> Int? in
          let children = p.symbols.map { rules[$0] == nil ? 0 : depth[$0] }
          return children.contains(where: { $0 == nil }) ? nil : 1 + children.map { $0! }.max()!
        }.min()
        if let best, best < depth[symbol] ?? .max { depth[symbol] = best; changed = true }
      }
    }
    if let stuck = rules.keys.sorted().first(where: { depth[$0] == nil }) { throw NASError("\(stuck) can never derive only operations") }
    // Least number of expansions likewise: e(A) = 1 + min over productions of Σ e(child).
    var expansions: [String: Int] = [:]
    changed = true
    while changed {
      changed = false
      for (symbol, productions) in rules {
        let best = productions.compactMap { p -> Int? in
          let children = p.symbols.map { rules[$0] == nil ? 0 : expansions[$0] }
          return children.contains(where: { $0 == nil }) ? nil : 1 + children.reduce(0) { $0 + $1! }
        }.min()
        if let best, best < expansions[symbol] ?? .max { expansions[symbol] = best; changed = true }
      }
    }
    (self.start, self.rules, self.minimumDepth, self.minimumExpansions) = (start, rules, depth, expansions)
  }

  /// The least number of nonterminal expansions of a derivation of the start symbol.
  public var leastExpansions: Int { minimumExpansions[start]! }

  /// The least depth of a symbol's derivation.
  func depth(of symbol: String) -> Int { rules[symbol] == nil ? 0 : minimumDepth[symbol]! }

  /// The levels production `k` of `symbol` needs at least.
  func requiredDepth(_ symbol: String, _ k: Int) -> Int { 1 + rules[symbol]![k].symbols.map(depth(of:)).max()! }

  /// The productions of `symbol` that fit in `depth` more levels, as indices.
  func allowed(_ symbol: String, depth: Int) -> [Int] { rules[symbol]!.indices.filter { requiredDepth(symbol, $0) <= depth } }

  /// A small grammar of MLPs: net → block | block net; block → linear act | linear act dropout;
  /// linear → linear32 | linear64 | linear128 | linear256; act → relu | gelu | tanh;
  /// dropout → dropout0.1 | dropout0.3.
  public static let mlp = try! Grammar(start: "net", rules: [
    "net": [Production(["block"], probability: 0.5), Production(["block", "net"], probability: 0.5)],
    "block": [Production(["linear", "act"], probability: 0.7), Production(["linear", "act", "dropout"], probability: 0.3)],
    "linear": [32, 64, 128, 256].map { Production(["linear\($0)"]) },
    "act": ["relu", "gelu", "tanh"].map { Production([$0]) },
    "dropout": ["dropout0.1", "dropout0.3"].map { Production([$0]) },
  ])
}

/// A derivation tree of a `Grammar`: a nonterminal with the production it took and one child
/// per symbol of it, or an operation (a leaf).
public struct DerivationTree: Hashable, Sendable, CustomStringConvertible {
  /// The symbol of this node.
  public var symbol: String
  /// The index of the production taken (nil for an operation).
  public var production: Int?
  /// The children, one per symbol of the production.
  public var children: [DerivationTree]

  /// A node.
  public init(symbol: String, production: Int? = nil, children: [DerivationTree] = []) {
    (self.symbol, self.production, self.children) = (symbol, production, children)
  }

  /// The canonical string: `symbol.k(child,child,…)` for a nonterminal, the name for an
  /// operation; e.g. `net.0(block.0(linear.1(linear64),act.0(relu)))`.
  public var description: String {
    guard let production else { return symbol }
    return "\(symbol).\(production)(" + children.map(\.description).joined(separator: ",") + ")"
  }

  /// The operations in order (the leaves, left to right).
  public var operations: [String] { production == nil ? [symbol] : children.flatMap(\.operations) }

  /// The height: 0 for an operation.
  public var height: Int { production == nil ? 0 : 1 + (children.map(\.height).max() ?? 0) }

  /// The nonterminal nodes in pre-order, as paths of child indices from the root.
  var nonterminalPaths: [[Int]] {
    guard production != nil else { return [] }
    return [[]] + children.enumerated().flatMap { k, child in child.nonterminalPaths.map { [k] + $0 } }
  }

  subscript(path: [Int]) -> DerivationTree {
    get { path.isEmpty ? self : children[path[0]][Array(path.dropFirst())] }
    set {
      if path.isEmpty { self = newValue } else { children[path[0]][Array(path.dropFirst())] = newValue }
    }
  }
}

/// The architectures a `Grammar` derives within `maxDepth` levels and `maxExpansions`
/// nonterminal expansions; a sample draws each production with its probability among those
/// that can still finish in the remaining depth, and a mutation redraws one random subtree
/// (Ericsson et al. 2024). Trial parameters: `rule_k` (int), the index of the k-th expansion's
/// production among the allowed ones, in pre-order (a genotype as in grammatical evolution;
/// unused positions are ignored). Operations `linearN`, activation names (`relu`, `gelu`, …)
/// and `dropoutP` build a HoneNN `Sequential` ending in a linear classifier, and are counted.
public struct GrammarSpace: ArchitectureSpace {
  /// The grammar.
  public let grammar: Grammar
  /// The most levels of nonterminals.
  public let maxDepth: Int
  /// The most nonterminal expansions of one architecture (the number of `rule_k` parameters).
  public let maxExpansions: Int
  /// Input features of built models.
  public let inputs: Int
  /// Classes of built models.
  public let classes: Int

  /// A grammar space; throws when the grammar cannot finish within `maxDepth`.
  public init(grammar: Grammar = .mlp, maxDepth: Int = 10, maxExpansions: Int = 32, inputs: Int = 64, classes: Int = 10) throws {
    guard grammar.depth(of: grammar.start) <= maxDepth, maxExpansions >= grammar.leastExpansions, inputs > 0, classes > 0 else {
      throw NASError("the grammar needs a depth of at least \(grammar.depth(of: grammar.start)) and at least \(grammar.leastExpansions) expansions")
    }
    (self.grammar, self.maxDepth, self.maxExpansions, self.inputs, self.classes) = (grammar, maxDepth, maxExpansions, inputs, classes)
  }

  /// Implements `ArchitectureSpace.distributions`.
  public var distributions: [String: Distribution] {
    let alternatives = grammar.rules.values.map(\.count).max()!
    return Dictionary(uniqueKeysWithValues: (0..<maxExpansions).map { ("rule_\($0)", .int(low: 0, high: max(alternatives - 1, 1))) })
  }

  /// Derives `symbol` within `depth` levels by the grammar's probabilities.
  func derive(_ symbol: String, depth: Int, rng: inout SeededRNG) -> DerivationTree {
    guard let productions = grammar.rules[symbol] else { return DerivationTree(symbol: symbol) }
    let allowed = grammar.allowed(symbol, depth: depth)
    var u = rng.nextDouble() * allowed.reduce(0) { $0 + productions[$1].probability }
    var choice = allowed.last!
    for k in allowed {
      u -= productions[k].probability
      if u < 0 { choice = k; break }
    }
    return DerivationTree(symbol: symbol, production: choice,
                          children: productions[choice].symbols.map { derive($0, depth: depth - 1, rng: &rng) })
  }

  /// Implements `ArchitectureSpace.sample(using:)` (redrawn while over `maxExpansions`).
  public func sample(using rng: inout SeededRNG) -> DerivationTree {
    while true {
      let tree = derive(grammar.start, depth: maxDepth, rng: &rng)
      if tree.nonterminalPaths.count <= maxExpansions { return tree }
    }
  }

  /// Implements `ArchitectureSpace.mutate(_:using:)`: one random nonterminal's subtree redrawn
  /// (`a` itself only when 1,000 redraws found no other architecture: a space of one).
  public func mutate(_ a: DerivationTree, using rng: inout SeededRNG) -> DerivationTree {
    let paths = a.nonterminalPaths
    for _ in 0..<1000 {
      let path = paths[rng.nextInt(below: paths.count)]
      var child = a
      child[path] = derive(a[path].symbol, depth: maxDepth - path.count, rng: &rng)
      if child != a, child.nonterminalPaths.count <= maxExpansions { return child }
    }
    return a
  }

  /// Implements `ArchitectureSpace.parameters(of:)`.
  public func parameters(of a: DerivationTree) -> [String: ParamValue] {
    var params: [String: ParamValue] = [:]
    for (k, path) in a.nonterminalPaths.enumerated() {
      let node = a[path]
      params["rule_\(k)"] = .int(grammar.allowed(node.symbol, depth: maxDepth - path.count).firstIndex(of: node.production!)!)
    }
    return params
  }

  /// Implements `ArchitectureSpace.architecture(from:)`: the k-th expansion takes the allowed
  /// production `rule_k` modulo their number (so under a uniform `rule_k` the first choices of
  /// a symbol with fewer productions than the largest are a little more likely); throws when
  /// the parameters derive more than `maxExpansions` expansions (a sampler's draw can: its
  /// trial then fails).
  public func architecture(from parameters: [String: ParamValue]) throws -> DerivationTree {
    var k = 0
    func build(_ symbol: String, depth: Int) throws -> DerivationTree {
      guard let productions = grammar.rules[symbol] else { return DerivationTree(symbol: symbol) }
      let allowed = grammar.allowed(symbol, depth: depth)
      guard k < maxExpansions else {
        throw NASError("these grammar parameters derive more than \(maxExpansions) expansions")
      }
      guard case .int(let index)? = parameters["rule_\(k)"], index >= 0 else {
        throw NASError("grammar parameter rule_\(k) must be an integer ≥ 0")
      }
      let choice = allowed[index % allowed.count]
      k += 1
      return DerivationTree(symbol: symbol, production: choice, children: try productions[choice].symbols.map { try build($0, depth: depth - 1) })
    }
    return try build(grammar.start, depth: maxDepth)
  }

  /// Implements `ArchitectureSpace.parse(_:)`: the canonical string, checked against the grammar.
  public func parse(_ text: String) throws -> DerivationTree {
    var rest = Substring(text)
    func node() throws -> DerivationTree {
      let name = rest.prefix { $0 != "(" && $0 != ")" && $0 != "," }
      rest = rest.dropFirst(name.count)
      guard !name.isEmpty else { throw NASError("'\(text)': a symbol is missing") }
      guard rest.first == "(" else {
        guard grammar.rules[String(name)] == nil else { throw NASError("'\(text)': \(name) is a nonterminal without a production") }
        return DerivationTree(symbol: String(name))
      }
      rest = rest.dropFirst()
      guard let dot = name.lastIndex(of: "."), let k = Int(name[name.index(after: dot)...]),
            let productions = grammar.rules[String(name[..<dot])], productions.indices.contains(k) else {
        throw NASError("'\(text)': '\(name)' is not symbol.production of the grammar")
      }
      var children: [DerivationTree] = []
      while true {
        children.append(try node())
        guard let c = rest.first else { throw NASError("'\(text)': unbalanced parentheses") }
        rest = rest.dropFirst()
        if c == ")" { break }
      }
      guard children.map(\.symbol) == productions[k].symbols else {
        throw NASError("'\(text)': \(name) must have the children \(productions[k].symbols.joined(separator: ", "))")
      }
      return DerivationTree(symbol: String(name[..<dot]), production: k, children: children)
    }
    let tree = try node()
    guard rest.isEmpty, tree.symbol == grammar.start else { throw NASError("'\(text)' is not one derivation of \(grammar.start)") }
    guard tree.height <= maxDepth, tree.nonterminalPaths.count <= maxExpansions else {
      throw NASError("'\(text)' is deeper or larger than the space allows (depth \(maxDepth), \(maxExpansions) expansions)")
    }
    return tree
  }

  /// The layer of an operation: `linearN`, `dropoutP` or an activation's name; nil for others.
  static func layer(_ name: String) -> LayerOperation? {
    if name.hasPrefix("linear"), let w = Int(name.dropFirst(6)), w > 0 { return .linear(w) }
    if name.hasPrefix("dropout"), let p = Double(name.dropFirst(7)), p >= 0, p < 1 { return .dropout(p) }
    return ActivationFunction(rawValue: name).map { .activation($0) }
  }

  /// Implements `ArchitectureSpace.cost(of:)`: the linear layers among the operations (others
  /// count nothing), then the classifier.
  public func cost(of a: DerivationTree) -> ArchitectureCost {
    let widths = a.operations.compactMap { name -> Int? in if case .linear(let w)? = Self.layer(name) { return w } else { return nil } }
    return .perceptron(inputs: inputs, widths: widths, classes: classes)
  }

  /// Implements `ArchitectureSpace.features(of:)`: the count of each operation and the height.
  public func features(of a: DerivationTree) -> [Double] {
    let counts = Dictionary(a.operations.map { ($0, 1.0) }, uniquingKeysWith: +)
    return terminals.map { counts[$0] ?? 0 } + [Double(a.height)]
  }

  /// The grammar's operations, sorted.
  private var terminals: [String] {
    Set(grammar.rules.values.flatMap { $0.flatMap(\.symbols) }).subtracting(grammar.rules.keys).sorted()
  }

  /// The HoneNN model of a derivation (its operations in order, then a linear classifier);
  /// throws when an operation has no HoneNN layer.
  public func model(of a: DerivationTree, seed: UInt64 = 0) throws -> Sequential {
    let operations = try a.operations.map { name in
      guard let op = Self.layer(name) else { throw NASError("operation \(name) has no HoneNN layer (linearN, dropoutP or an activation)") }
      return op
    }
    return LayerOperation.model(operations, inputs: inputs, classes: classes, seed: seed)
  }
}
