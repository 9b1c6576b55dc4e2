import Foundation
import Testing
import HoneMath
@testable import HoneTensor

@Suite("Tensor values, shapes and semantics")
struct TensorTests {
  @Test func broadcastingArithmetic() {
    let a = Tensor<Float>([[1, 2, 3], [4, 5, 6]])
    let b = Tensor<Float>([10, 20, 30])
    #expect((a + b).scalars == [11, 22, 33, 14, 25, 36])
    #expect((a * Tensor<Float>(shape: [2, 1], scalars: [2, 3])).scalars == [2, 4, 6, 12, 15, 18])
    #expect((1 - a).scalars == [0, -1, -2, -3, -4, -5])
    #expect(Tensor.where(a.greater(Tensor(3)), a, Tensor(0)).scalars == [0, 0, 0, 4, 5, 6])
  }

  @Test func reductions() {
    let a = Tensor<Double>(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
    #expect(a.sum().scalar == 21)
    #expect(a.sum(alongAxis: 0).scalars == [5, 7, 9])
    #expect(a.mean(alongAxis: 1).scalars == [3, 4])
    #expect(a.max(alongAxis: 1).scalars == [5, 6])
    #expect(a.argmax(alongAxis: 1) == [1, 2])
    #expect(a.argmax(alongAxis: 0) == [1, 0, 1])
    let lse = a.logSumExp(alongAxis: 1).scalars
    #expect(Swift.abs(lse[0] - Foundation.log(Foundation.exp(1.0) + Foundation.exp(5.0) + Foundation.exp(3.0))) < 1e-12)
    let big = Tensor<Float>([1000, 1000])
    #expect(Swift.abs(big.logSumExp(alongAxis: 0).scalar - (1000 + 0.6931472)) < 1e-3)
    let softmax = a.softmax(alongAxis: 1).sum(alongAxis: 1).scalars
    #expect(softmax.allSatisfy { Swift.abs($0 - 1) < 1e-12 })
  }

  @Test func matrixProducts() {
    let a = Tensor<Float>([[1, 2], [3, 4], [5, 6]])
    let b = Tensor<Float>([[1, 0, 2], [0, 1, 3]])
    #expect(matmul(a, b).scalars == [1, 2, 8, 3, 4, 18, 5, 6, 28])
    #expect(matmul(a, a, transposeA: true).scalars == [35, 44, 44, 56])
    let batched = matmul(Tensor.stack([a, a * 2]), b)
    #expect(batched.shape == [2, 3, 3])
    #expect(batched.slice(alongAxis: 0, 1..<2).scalars == [2, 4, 16, 6, 8, 36, 10, 12, 56])
    let y = linear(a, weight: b.transposed(), bias: Tensor([1, 1, 1]))
    #expect(y.scalars == matmul(a, b).scalars.map { $0 + 1 })
  }

  @Test func convolutionAndPooling() {
    // A 3×3 image convolved with a 2×2 kernel of ones sums each 2×2 window.
    let image = Tensor<Float>(shape: [1, 1, 3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
    let ones = Tensor<Float>.ones([1, 1, 2, 2])
    #expect(conv2d(image, weight: ones).scalars == [12, 16, 24, 28])
    #expect(conv2d(image, weight: ones, bias: Tensor([1]), padding: 1).shape == [1, 1, 4, 4])
    #expect(conv2d(image, weight: ones, stride: 2, padding: 1).scalars == [1, 5, 11, 28])
    #expect(maxPool2d(image, kernelSize: 2, stride: 1).scalars == [5, 6, 8, 9])
    #expect(avgPool2d(image, kernelSize: 2, stride: 1).scalars == [3, 4, 6, 7])
    // Dilation 2 spreads the 2×2 kernel over the corners: 1 + 3 + 7 + 9.
    #expect(conv2d(image, weight: ones, dilation: 2).scalars == [20])
    #expect(conv2d(image, weight: ones, padding: 1, dilation: 2).scalars == [5, 10, 5, 10, 20, 10, 5, 10, 5])
  }

  @Test func groupedConvolutionIsOneConvolutionPerGroup() {
    let x = Tensor<Double>.randomNormal([2, 4, 5, 5], seed: 1)
    let w = Tensor<Double>.randomNormal([6, 2, 3, 3], seed: 2)
    let b = Tensor<Double>.randomNormal([6], seed: 3)
    let grouped = conv2d(x, weight: w, bias: b, padding: 1, groups: 2)
    let separate = Tensor.concatenate((0..<2).map { k in
      conv2d(x.slice(alongAxis: 1, 2 * k..<(2 * k + 2)), weight: w.slice(alongAxis: 0, 3 * k..<(3 * k + 3)),
             bias: b.slice(alongAxis: 0, 3 * k..<(3 * k + 3)), padding: 1)
    }, alongAxis: 1)
    #expect(grouped.shape == [2, 6, 5, 5])
    #expect(zip(grouped.scalars, separate.scalars).allSatisfy { abs($0 - $1) < 1e-12 })
  }

  @Test func shapesAndLayout() {
    let a = Tensor<Float>.arange(0, 24).reshaped(to: [2, 3, 4])
    #expect(a.permuted([2, 0, 1])[3, 1, 2] == a[1, 2, 3])
    #expect(a.transposed().shape == [2, 4, 3])
    #expect(a.slice(alongAxis: 2, 1..<3).scalars.prefix(4) == [1, 2, 5, 6])
    #expect(Tensor.concatenate([a, a], alongAxis: 1).shape == [2, 6, 4])
    #expect(a.gathering([2, 0], alongAxis: 1)[0, 0, 1] == 9)
    #expect(Tensor<Float>.oneHot([2, 0], classes: 3).scalars == [0, 0, 1, 1, 0, 0])
    #expect(a.reshaped(to: [-1, 6]).shape == [4, 6])
    #expect(a.flattened().shape == [2, 12])
  }

  @Test func copyOnWrite() {
    let a = Tensor<Float>([1, 2, 3])
    var b = a
    b.withUnsafeMutableBufferPointer { $0[0] = 9 }
    #expect(a.scalars == [1, 2, 3])
    #expect(b.scalars == [9, 2, 3])
  }

  @Test func seededRandomTensorsRepeat() {
    let a = Tensor<Float>.randomNormal([1000], seed: 7)
    #expect(a == Tensor<Float>.randomNormal([1000], seed: 7))
    #expect(a != Tensor<Float>.randomNormal([1000], seed: 8))
    let mean = a.mean().scalar
    let std = (a - mean).squared().mean().sqrt().scalar
    #expect(Swift.abs(mean) < 0.1 && Swift.abs(std - 1) < 0.1)
    let u = Tensor<Double>.randomUniform([1000], low: -2, high: 3, seed: 1).scalars
    #expect(u.allSatisfy { $0 >= -2 && $0 < 3 })
  }

  @Test func gradientsAccumulateAndTheGraphIsFreed() {
    weak var inner: _GradientNode<Double>?
    let g: Tensor<Double>
    do {
      let x = Tensor<Double>([1, 2, 3]).tracked()
      let y = x * x + x
      inner = y.node
      let loss = y.sum()
      loss.backward()
      g = x.gradient!
    }
    #expect(g.scalars == [3, 5, 7])
    #expect(inner == nil)
  }

  @Test func untrackedTensorsRecordNothing() {
    let x = Tensor<Float>([1, 2])
    #expect(!(x * x).isTracked)
    #expect((x.tracked() * x).isTracked)
    #expect(!(x.tracked() * x).detached.isTracked)
  }

  @Test func floatAgreesWithDouble() {
    let x = Tensor<Double>.randomNormal([4, 6], seed: 3)
    let w = Tensor<Double>.randomNormal([5, 6], seed: 4)
    let d = linear(x, weight: w, bias: nil).gelu().logSoftmax(alongAxis: 1)
    let f = linear(Tensor<Float>(x), weight: Tensor<Float>(w), bias: nil).gelu().logSoftmax(alongAxis: 1)
    for (a, b) in zip(d.scalars, f.scalars) { #expect(Swift.abs(a - Double(b)) < 1e-5) }
  }

  @Test func shapeMismatchStopsWithBothShapes() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor<Float>.zeros([2, 3]) + Tensor<Float>.zeros([4])
    }
    await #expect(processExitsWith: .failure) {
      _ = matmul(Tensor<Float>.zeros([2, 3]), Tensor<Float>.zeros([2, 3]))
    }
    // A window larger than the padded input is refused for any stride (PyTorch does too).
    await #expect(processExitsWith: .failure) {
      _ = maxPool2d(Tensor<Float>.zeros([1, 1, 1, 1]), kernelSize: 2)
    }
  }
}
