import CHoneKernels
import Foundation

/// How 8-bit optimizers keep their states (Dettmers et al. 2021): blocks of `blockSize`
/// values, each with one float32 absolute maximum and one byte per value; tensors with
/// fewer than `minimumSize` elements keep 32-bit states, as bitsandbytes does (its
/// `min_8bit_size`). A state then takes 1 + 4/blockSize bytes per value instead of 4.
public struct BlockwiseStateLayout: Sendable, Equatable {
  /// Values per block: 256 by default, 2048 as the other common choice.
  public let blockSize: Int
  /// Tensors smaller than this keep 32-bit states.
  public let minimumSize: Int

  /// A layout; the block size must be a power of two in 64…4096.
  public init(blockSize: Int = 256, minimumSize: Int = 4096) throws {
    try BlockwiseQuantization.checkBlockSize(blockSize)
    self.blockSize = blockSize
    self.minimumSize = minimumSize
  }

  /// Whether `count` parameters get 8-bit states.
  public func quantizes(_ count: Int) -> Bool { count >= minimumSize }

  /// A state of zero-valued 8-bit `buffers` (codes of 0 with absmax 0 stand for 0).
  func initialState(count: Int, buffers: [StateBuffer]) -> OptimizerState<Float> {
    let blocks = (count + blockSize - 1) / blockSize
    return OptimizerState(codes: Array(repeating: [UInt8](repeating: 0, count: count), count: buffers.count),
                          scales: Array(repeating: [Float](repeating: 0, count: blocks), count: buffers.count))
  }
}

extension OptimizerState {
  /// Gives `body` the codes and per-block scales of quantized buffers `i` and (if given) `j`,
  /// moved out of the state for the call as `withBuffer` does.
  mutating func withQuantized<R>(_ first: StateBuffer, _ second: StateBuffer? = nil,
                                 _ body: (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Float>,
                                          UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Float>?) -> R) -> R {
    let i = first.index, j = second?.index
    var (q1, s1) = (codes[i], scales[i])
    var (q2, s2) = j.map { (codes[$0], scales[$0]) } ?? ([], [])
    codes[i] = []
    scales[i] = []
    if let j {
      codes[j] = []
      scales[j] = []
    }
    defer {
      codes[i] = q1
      scales[i] = s1
      if let j {
        codes[j] = q2
        scales[j] = s2
      }
    }
    return q1.withUnsafeMutableBufferPointer { c1 in
      s1.withUnsafeMutableBufferPointer { a1 in
        q2.withUnsafeMutableBufferPointer { c2 in
          s2.withUnsafeMutableBufferPointer { a2 in body(c1.baseAddress!, a1.baseAddress!, c2.baseAddress, a2.baseAddress) }
        }
      }
    }
  }
}

/// Calls `body` with the codebooks' raw tables.
func _withTables<R>(_ a: Codebook, _ body: (UnsafePointer<Float>, UnsafePointer<UInt32>) -> R) -> R {
  a.values.withUnsafeBufferPointer { v in a.lookup.withUnsafeBufferPointer { l in body(v.baseAddress!, l.baseAddress!) } }
}

/// Adam with 8-bit block-wise states (bitsandbytes `Adam8bit`): the first moment in the
/// signed dynamic map, the second in the unsigned one; each step dequantizes a block,
/// applies the Adam update of `Adam` (weight decay decoupled, as bitsandbytes does),
/// writes the parameters and requantizes the block to the nearest codes with its new
/// absolute maximum — one pass over memory. Small tensors use the 32-bit `AdamW` kernel.
public struct Adam8bit: Optimizer {
  /// 8-bit states exist for float32 parameters only.
  public typealias Scalar = Float
  /// The 32-bit configuration (learning rate, betas, ε, λ).
  public let adam: AdamW<Float>
  /// Block size and the size below which states stay 32-bit.
  public let layout: BlockwiseStateLayout

  /// bitsandbytes' defaults: lr 1e-3, betas (0.9, 0.999), ε 1e-8, λ 0, blocks of 256.
  public init(learningRate: Schedule = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
              weightDecay: Double = 0, maximize: Bool = false, layout: BlockwiseStateLayout? = nil) throws {
    adam = try AdamW(learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay, maximize: maximize)
    self.layout = try layout ?? BlockwiseStateLayout()
  }

  /// AdamW8bit: the same with λ = 1e-2 by default.
  public static func adamW(learningRate: Schedule = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                           weightDecay: Double = 1e-2, maximize: Bool = false, layout: BlockwiseStateLayout? = nil) throws -> Adam8bit {
    try Adam8bit(learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay, maximize: maximize, layout: layout)
  }

  /// Implements `Optimizer.stateBuffers`: the 32-bit optimizer's, as codes and scales when quantized.
  public var stateBuffers: [StateBuffer] { adam.stateBuffers }

  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Float> {
    layout.quantizes(count) ? layout.initialState(count: count, buffers: adam.stateBuffers) : adam.initialState(count: count)
  }

  /// Implements `Optimizer._step`.
  public func _step(params: UnsafeMutableBufferPointer<Float>, grads: UnsafeMutableBufferPointer<Float>,
                    state: inout OptimizerState<Float>) throws {
    guard state.codes.count == 2 else { return try adam._step(params: params, grads: grads, state: &state) }
    let a = adam.adam
    let lr = try _LearningRate.at(state.step, a.learningRate)
    // The 32-bit kernel's scalars (decay decoupled, as bitsandbytes does), with −step size.
    let k = a.scaling.kernelStep(step: state.step, lr: lr, decay: a.weightDecay, decoupled: true, maximize: a.maximize)
    state.withQuantized(.expAvg, .expAvgSq) { q1, s1, q2, s2 in
      _withTables(.signed) { c1, l1 in
        _withTables(.unsigned) { c2, l2 in
          var step = hone_adam8bit_step(beta1: Float(a.beta1), w1: k.w1, beta2: k.beta2, w2: k.w2, eps: k.eps, neg_step_size: -k.stepSize,
                                        bc2_sqrt: k.bc2Sqrt, decay_factor: k.decayFactor, maximize: a.maximize ? 1 : 0)
          hone_adam8bit_f32(params.baseAddress, grads.baseAddress, q1, q2, s1, s2, params.count, layout.blockSize, c1, l1, c2, l2, &step)
        }
      }
    }
    state.step += 1
  }
}

/// Lion with an 8-bit block-wise momentum (bitsandbytes `Lion8bit`), the update of `Lion`.
public struct Lion8bit: Optimizer {
  /// 8-bit states exist for float32 parameters only.
  public typealias Scalar = Float
  /// The 32-bit configuration.
  public let lion: Lion<Float>
  /// Block size and the size below which states stay 32-bit.
  public let layout: BlockwiseStateLayout

  /// Lion's defaults: lr 1e-4, betas (0.9, 0.99), blocks of 256.
  public init(learningRate: Schedule = 1e-4, betas: (Double, Double) = (0.9, 0.99), weightDecay: Double = 0,
              maximize: Bool = false, layout: BlockwiseStateLayout? = nil) throws {
    lion = try Lion(learningRate: learningRate, betas: betas, weightDecay: weightDecay, maximize: maximize)
    self.layout = try layout ?? BlockwiseStateLayout()
  }

  /// Implements `Optimizer.stateBuffers`: the 32-bit optimizer's, as codes and scales when quantized.
  public var stateBuffers: [StateBuffer] { lion.stateBuffers }

  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Float> {
    layout.quantizes(count) ? layout.initialState(count: count, buffers: lion.stateBuffers) : lion.initialState(count: count)
  }

  /// Implements `Optimizer._step`.
  public func _step(params: UnsafeMutableBufferPointer<Float>, grads: UnsafeMutableBufferPointer<Float>,
                    state: inout OptimizerState<Float>) throws {
    guard state.codes.count == 1 else { return try lion._step(params: params, grads: grads, state: &state) }
    let lr = try _LearningRate.at(state.step, lion.learningRate)
    state.withQuantized(.expAvg) { q1, s1, _, _ in
      _withTables(.signed) { c1, l1 in
        var step = lion.direction.kernelStep(lr: lr, weightDecay: lion.weightDecay, maximize: lion.maximize).c
        hone_lion8bit_f32(params.baseAddress, grads.baseAddress, q1, s1, params.count, layout.blockSize, c1, l1, &step)
      }
    }
    state.step += 1
  }
}

/// SGD with an 8-bit block-wise momentum buffer, the update of `SGD` (momentum required).
public struct SGD8bit: Optimizer {
  /// 8-bit states exist for float32 parameters only.
  public typealias Scalar = Float
  /// The 32-bit configuration.
  public let sgd: SGD<Float>
  /// Block size and the size below which states stay 32-bit.
  public let layout: BlockwiseStateLayout

  /// SGD with momentum μ > 0 (8-bit states need a momentum buffer).
  public init(learningRate: Schedule = 1e-3, momentum: Double, dampening: Double = 0, weightDecay: Double = 0,
              nesterov: Bool = false, maximize: Bool = false, layout: BlockwiseStateLayout? = nil) throws {
    guard momentum > 0 else { throw OptimError.invalidHyperparameter("SGD8bit needs a momentum > 0 (plain SGD keeps no state)") }
    sgd = try SGD(learningRate: learningRate, momentum: momentum, dampening: dampening, weightDecay: weightDecay,
                  nesterov: nesterov, maximize: maximize)
    self.layout = try layout ?? BlockwiseStateLayout()
  }

  /// Implements `Optimizer.stateBuffers`: the 32-bit optimizer's, as codes and scales when quantized.
  public var stateBuffers: [StateBuffer] { sgd.stateBuffers }

  /// Implements `Optimizer.initialState`.
  public func initialState(count: Int) -> OptimizerState<Float> {
    layout.quantizes(count) ? layout.initialState(count: count, buffers: sgd.stateBuffers) : sgd.initialState(count: count)
  }

  /// Implements `Optimizer._step`.
  public func _step(params: UnsafeMutableBufferPointer<Float>, grads: UnsafeMutableBufferPointer<Float>,
                    state: inout OptimizerState<Float>) throws {
    guard state.codes.count == 1 else { return try sgd._step(params: params, grads: grads, state: &state) }
    let lr = try _LearningRate.at(state.step, sgd.learningRate)
    let kernelStep = sgd.trace.kernelStep(step: state.step, lr: lr, weightDecay: sgd.weightDecay, maximize: sgd.maximize)
    state.withQuantized(.momentumBuffer) { q1, s1, _, _ in
      _withTables(.signed) { c1, l1 in
        var step = kernelStep.c
        hone_sgd8bit_f32(params.baseAddress, grads.baseAddress, q1, s1, params.count, layout.blockSize, c1, l1, &step)
      }
    }
    state.step += 1
  }
}
