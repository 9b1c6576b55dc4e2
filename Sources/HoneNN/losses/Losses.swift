import HoneTensor

/// Mean squared error, mean over all elements of (prediction − target)².
public func mseLoss<S>(_ prediction: Tensor<S>, _ target: Tensor<S>) -> Tensor<S> {
  precondition(prediction.shape == target.shape, "mseLoss: prediction \(prediction.shape) and target \(target.shape) differ")
  return (prediction - target).squared().mean()
}

/// Softmax cross-entropy of logits [N, C] against class labels, averaged over the batch, with
/// optional label smoothing ε (Szegedy et al. 2016, "Rethinking the Inception Architecture"):
/// the target is q = (1 − ε)·onehot + ε/C and the loss −(1/N)·Σᵢ Σ_c q_c·log softmax(zᵢ)_c,
/// as PyTorch's `cross_entropy(label_smoothing: ε)`. One fused pass; the pullback is
/// (softmax(z) − q)/N.
public func crossEntropy<S>(logits: Tensor<S>, labels: [Int], labelSmoothing: S = 0) -> Tensor<S> {
  precondition(logits.rank == 2 && logits.shape[0] == labels.count,
               "crossEntropy: logits \(logits.shape) do not match \(labels.count) labels")
  precondition(labelSmoothing >= 0 && labelSmoothing <= 1, "crossEntropy: label smoothing \(labelSmoothing) is not in [0, 1]")
  let (n, classes) = (logits.shape[0], logits.shape[1])
  let logp = logits.detached.logSoftmax(alongAxis: 1)
  let off = labelSmoothing / S(classes)
  let on = 1 - labelSmoothing + off
  var total: Double = 0
  logp.withUnsafeBufferPointer { lp in
    for (i, label) in labels.enumerated() {
      precondition(label >= 0 && label < classes, "crossEntropy: label \(label) outside 0..<\(classes)")
      let row = lp.baseAddress! + i * classes
      var rowSum: S = 0
      if off > 0 { for c in 0..<classes { rowSum += row[c] } }
      total -= Double(off * rowSum + (on - off) * row[label])
    }
  }
  let value = Tensor<S>(S(total / Double(Swift.max(n, 1))))
  return Tensor.differentiable(value, operands: [logits]) { g in
    let scale = g.scalar / S(Swift.max(n, 1))
    return [Tensor<S>(shape: [n, classes]) { out in
      logp.withUnsafeBufferPointer { lp in
        for i in 0..<(n * classes) { out[i] = scale * (S._exp(lp[i]) - off) }
        for (i, label) in labels.enumerated() { out[i * classes + label] -= scale * (on - off) }
      }
    }]
  }
}

/// Binary cross-entropy with logits, averaged: mean of max(z, 0) − z·y + log(1 + e^(−|z|)),
/// the stable form of −[y·log σ(z) + (1 − y)·log(1 − σ(z))] (PyTorch's
/// `binary_cross_entropy_with_logits`).
/// The pullback is (σ(z) − y)/N, also at z = 0.
public func binaryCrossEntropy<S>(logits: Tensor<S>, targets: Tensor<S>) -> Tensor<S> {
  precondition(logits.shape == targets.shape, "binaryCrossEntropy: logits \(logits.shape) and targets \(targets.shape) differ")
  let z = logits.detached, y = targets.detached
  let value = (z.relu() - z * y + ((-z.abs()).exp() + 1).log()).mean()
  return Tensor.differentiable(value, operands: [logits, targets]) { g in
    let scale = g / S(Swift.max(z.count, 1))
    return [(z.sigmoid() - y) * scale, targets.isTracked ? -z * scale : nil]
  }
}
