import HoneTensor

/// A trainable tensor of a module. Optimizers update `value` in place between steps; the
/// name it is found under (`layers.0.weight`) keys its optimizer state and its checkpoint entry.
public final class Parameter {
  /// The current value.
  public var value: Tensor<Float>
  /// False for buffers that are saved with the model but not trained (BatchNorm's running
  /// statistics).
  public let isTrainable: Bool
  /// Asks optimizers with 8-bit states to keep this parameter's state in 32 bits
  /// (StableEmbedding's weight, after Dettmers et al. 2022).
  public let keepsFullPrecisionState: Bool

  /// A parameter with an initial value.
  public init(_ value: Tensor<Float>, trainable: Bool = true, keepsFullPrecisionState: Bool = false) {
    self.value = value
    isTrainable = trainable
    self.keepsFullPrecisionState = keepsFullPrecisionState
  }
}

/// A piece of a model: the parameters, buffers and submodules stored in its properties (its
/// superclasses' first) are found by reflection and named by their property path in PyTorch's style: dotted, array
/// elements by index, camel case turned to snake case (`layers.0.weight`, `running_mean`).
public protocol Module: AnyObject {}

/// A module that behaves differently while training (Dropout, BatchNorm).
public protocol ModeDependent: Module {
  /// True in training mode (the default), false in evaluation mode.
  var isTraining: Bool { get set }
}

/// A module that maps one tensor to another.
public protocol Layer: Module {
  /// The forward pass.
  func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float>
}

extension Module {
  /// Every parameter and buffer with its dotted name, in declaration order (depth first).
  public func namedParameters() -> [(name: String, parameter: Parameter)] {
    var walker = _ModuleWalker()
    walker.visitChildren(of: self, prefix: "")
    return walker.parameters
  }

  /// The trainable parameters with their names.
  public func trainableParameters() -> [(name: String, parameter: Parameter)] {
    namedParameters().filter { $0.parameter.isTrainable }
  }

  /// The number of trainable scalars.
  public var parameterCount: Int { trainableParameters().reduce(0) { $0 + $1.parameter.value.count } }

  /// This module and every submodule, depth first.
  public func modules() -> [any Module] {
    var walker = _ModuleWalker()
    walker.visitChildren(of: self, prefix: "")
    return [self] + walker.modules
  }

  /// Training mode for every mode-dependent submodule (PyTorch's `train()`).
  public func train() { setTraining(true) }
  /// Evaluation mode for every mode-dependent submodule (PyTorch's `eval()`).
  public func eval() { setTraining(false) }

  private func setTraining(_ on: Bool) {
    for case let m as any ModeDependent in modules() { m.isTraining = on }
  }
}

/// Walks stored properties by reflection, collecting parameters by path and submodules.
private struct _ModuleWalker {
  var parameters: [(name: String, parameter: Parameter)] = []
  var modules: [any Module] = []

  mutating func visitChildren(of value: Any, prefix: String) {
    // A subclass's stored properties come after its superclasses' (declaration order).
    var mirrors = [Mirror(reflecting: value)]
    while let parent = mirrors[0].superclassMirror { mirrors.insert(parent, at: 0) }
    for (index, child) in mirrors.flatMap(\.children).enumerated() {
      let label = child.label.map { _snakeCase($0.hasPrefix("_") ? String($0.dropFirst()) : $0) } ?? String(index)
      visit(child.value, name: prefix.isEmpty ? label : "\(prefix).\(label)")
    }
  }

  mutating func visit(_ value: Any, name: String) {
    if let parameter = value as? Parameter {
      parameters.append((name, parameter))
    } else if let module = value as? any Module {
      modules.append(module)
      visitChildren(of: module, prefix: name)
    } else {
      let mirror = Mirror(reflecting: value)
      switch mirror.displayStyle {
      case .collection?:
        for (i, element) in mirror.children.enumerated() { visit(element.value, name: "\(name).\(i)") }
      case .optional?:
        if let wrapped = mirror.children.first { visit(wrapped.value, name: name) }
      default: break
      }
    }
  }
}

/// `runningMean` → `running_mean`.
func _snakeCase(_ name: String) -> String {
  var out = ""
  for c in name {
    if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
  }
  return out
}
