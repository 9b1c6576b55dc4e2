/// The matrix product on BLAS gemm. Rank 2 × rank 2 gives [m, n]; rank 3 × rank 3 multiplies
/// batch by batch ([b, m, k] × [b, k, n] → [b, m, n]); rank 3 × rank 2 applies one right
/// matrix to every batch. Pullbacks: ∂A = G·Bᵀ, ∂B = Aᵀ·G.
public func matmul<Scalar>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>, transposeA: Bool = false,
                           transposeB: Bool = false) -> Tensor<Scalar> {
  precondition((a.rank == 2 || a.rank == 3) && (b.rank == 2 || b.rank == 3) && !(a.rank == 2 && b.rank == 3),
               "matmul: shapes \(a.shape) and \(b.shape) are not matrices or batches of matrices")
  let batch = a.rank == 3 ? a.shape[0] : 1
  if b.rank == 3 { precondition(b.shape[0] == batch, "matmul: batch sizes of \(a.shape) and \(b.shape) differ") }
  let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
  let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
  let (m, k) = transposeA ? (ac, ar) : (ar, ac)
  let (k2, n) = transposeB ? (bc, br) : (br, bc)
  precondition(k == k2, "matmul: shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "") do not match (\(k) vs \(k2))")
  let outShape = a.rank == 3 ? [batch, m, n] : [m, n]
  let value = Tensor<Scalar>(shape: outShape) { out in
    for i in 0..<batch {
      let pa = a.storage.base + i * ar * ac
      let pb = b.storage.base + (b.rank == 3 ? i * br * bc : 0)
      if k == 0 { _fillKernel(out.baseAddress! + i * m * n, m * n, 0); continue }
      Scalar._gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                   a: pa, lda: Swift.max(ac, 1), b: pb, ldb: Swift.max(bc, 1), beta: 0,
                   c: out.baseAddress! + i * m * n, ldc: Swift.max(n, 1))
    }
  }
  let (x, y) = (a.detached, b.detached)
  return Tensor.differentiable(value, operands: [a, b]) { g in
    // C = op(A)·op(B): ∂op(A) = G·op(B)ᵀ, ∂op(B) = op(A)ᵀ·G, then undo the op.
    var da: Tensor<Scalar>? = nil
    var db: Tensor<Scalar>? = nil
    if a.isTracked {
      let gradOpA = matmul(g, y, transposeB: !transposeB)
      da = transposeA ? gradOpA.transposed() : gradOpA
    }
    if b.isTracked {
      if b.rank == 3 {
        db = transposeB ? matmul(g, x, transposeA: true, transposeB: transposeA) : matmul(x, g, transposeA: !transposeA)
      } else {
        // One right matrix for every batch: fold the batch into the rows.
        let xs = transposeA ? x.transposed() : x
        let flatX = xs.reshaped(to: [-1, k])
        let flatG = g.reshaped(to: [-1, n])
        db = transposeB ? matmul(flatG, flatX, transposeA: true) : matmul(flatX, flatG, transposeA: true)
      }
    }
    return [da, db]
  }
}

extension Tensor {
  /// The matrix product self·other (see `matmul`).
  public func matmul(_ other: Tensor) -> Tensor { HoneTensor.matmul(self, other) }
}

/// A fully connected layer's map y = x·Wᵀ + b with x [n, in], W [out, in] (PyTorch's layout)
/// and b [out], as one gemm with the bias added in place. Pullbacks: ∂x = G·W, ∂W = Gᵀ·x,
/// ∂b = Σ rows of G.
public func linear<Scalar>(_ x: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>?) -> Tensor<Scalar> {
  precondition(x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
               "linear: input \(x.shape) does not match weight \(weight.shape) (expected [n, \(weight.rank == 2 ? weight.shape[1] : 0)])")
  let (n, inputs, outputs) = (x.shape[0], x.shape[1], weight.shape[0])
  if let bias { precondition(bias.shape == [outputs], "linear: bias \(bias.shape) does not match weight \(weight.shape)") }
  let value = Tensor<Scalar>(shape: [n, outputs]) { out in
    let c = out.baseAddress!
    var beta: Scalar = 0
    if let bias {
      for r in 0..<n { (c + r * outputs).initialize(from: bias.storage.base, count: outputs) }
      beta = 1
    }
    if inputs > 0 {
      Scalar._gemm(transposeA: false, transposeB: true, m: n, n: outputs, k: inputs, alpha: 1, a: x.storage.base,
                   lda: inputs, b: weight.storage.base, ldb: inputs, beta: beta, c: c, ldc: outputs)
    } else if bias == nil {
      _fillKernel(out.baseAddress!, out.count, 0)
    }
  }
  let (xd, wd) = (x.detached, weight.detached)
  let operands = bias.map { [x, weight, $0] } ?? [x, weight]
  return Tensor.differentiable(value, operands: operands) { g in
    var grads: [Tensor<Scalar>?] = [
      x.isTracked ? matmul(g, wd) : nil,
      weight.isTracked ? matmul(g, xd, transposeA: true) : nil,
    ]
    if let bias { grads.append(bias.isTracked ? g._reduce(.sum, axis: 0).reshaped(to: [outputs]) : nil) }
    return grads
  }
}
