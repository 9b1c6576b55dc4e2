import Testing
@testable import HoneNN
import HoneOptim
import HoneTensor

@Suite("Training")
struct TrainingTests {
  @Test func mlpLearnsDigits() async throws {
    let (train, validation, test) = try Dataset.digits().split(seed: 0)
    let scaler = Standardizer(fitting: train)
    let model = Sequential.mlp(inputs: 64, hidden: [64], outputs: 10, seed: 0)
    var epochs: [Int] = []
    let result = try await fit(model, on: scaler.transform(train), validation: scaler.transform(validation),
                               options: TrainingOptions(epochs: 8, batchSize: 32)) { report in
      epochs.append(report.epoch)
      return .continue
    }
    #expect(epochs == Array(1...8))
    #expect(result.history.last!.trainLoss < result.history.first!.trainLoss)
    let accuracy = evaluate(model, on: scaler.transform(test)).accuracy
    #expect(accuracy >= 0.93, "test accuracy \(accuracy)")
  }

  @Test func callbackStopsAndEarlyStoppingStops() async throws {
    let (train, validation, _) = try Dataset.digits().split(seed: 1)
    let model = Sequential.mlp(inputs: 64, hidden: [16], outputs: 10, seed: 1)
    let stopped = try await fit(model, on: train, validation: validation, options: TrainingOptions(epochs: 5)) { report in
      report.epoch == 2 ? .stop : .continue
    }
    #expect(stopped.history.count == 2 && stopped.stoppedEarly)
    // A learning rate of zero never improves after the first epoch: patience 2 stops at epoch 3.
    let frozen = try await fit(model, on: train, validation: validation,
                               options: TrainingOptions(epochs: 10, optimizer: OptimizerSpec("sgd", learningRate: 0),
                                                        earlyStoppingPatience: 2))
    #expect(frozen.history.count == 3 && frozen.bestEpoch == 1)
  }

  @Test func divergenceIsReported() async throws {
    let (train, _, _) = try Dataset.digits().split(seed: 2)
    let model = Sequential.mlp(inputs: 64, hidden: [16], outputs: 10, seed: 1)
    await #expect(throws: NNError.self) {
      try await fit(model, on: train, options: TrainingOptions(epochs: 3, optimizer: OptimizerSpec("sgd", learningRate: 1e30)))
    }
  }

  @Test func sharpnessAwareTrainingAndAnyLoss() async throws {
    let (train, validation, test) = try Dataset.breastCancer().split(seed: 0)
    let scaler = Standardizer(fitting: train)
    let model = Sequential.mlp(inputs: 30, hidden: [32], outputs: 2, seed: 0)
    _ = try await fit(model, on: scaler.transform(train), validation: scaler.transform(validation),
                      options: TrainingOptions(epochs: 15, batchSize: 32, optimizer: OptimizerSpec("adamw", learningRate: 3e-3),
                                               loss: .anyLoss(AnyLoss(.fBeta(1))), sharpnessAware: (0.05, false)))
    let f1 = evaluate(model, on: scaler.transform(test)).f1
    #expect(f1 >= 0.93, "F1 \(f1)")
  }

  @Test func eightBitStatesAndEpochSchedulesTrain() async throws {
    let (train, validation, _) = try Dataset.digits().split(seed: 3)
    let scaler = Standardizer(fitting: train)
    // Hidden width 128: the 64×128 weight has 8,192 values, above the 8-bit threshold (4,096).
    let model = Sequential.mlp(inputs: 64, hidden: [128], outputs: 10, seed: 3)
    let stepsPerEpoch = (train.count + 63) / 64
    let schedule = Schedule.perEpoch(try .cosinePowerAnnealing(epochs: 6, maxLR: 3e-3, minLR: 3e-6), stepsPerEpoch: stepsPerEpoch)
    #expect(schedule(0) == 3e-3 && schedule(stepsPerEpoch - 1) == 3e-3 && schedule(stepsPerEpoch) < 3e-3)
    #expect(Swift.abs(schedule(6 * stepsPerEpoch - 1) - 3e-6) < 1e-12)
    let optimizer = try ParameterOptimizer(OptimizerSpec("adamw8bit", learningRate: schedule), model: model)
    #expect(!optimizer.states["layers.0.weight"]!.codes.isEmpty)
    // The 8-bit run ends close to the same run with 32-bit states.
    var accuracy: [Double] = []
    for kind in ["adamw8bit", "adamw"] {
      let model = Sequential.mlp(inputs: 64, hidden: [128], outputs: 10, seed: 3)
      _ = try await fit(model, on: scaler.transform(train), validation: scaler.transform(validation),
                        options: TrainingOptions(epochs: 6, optimizer: OptimizerSpec(kind, learningRate: schedule)))
      accuracy.append(evaluate(model, on: scaler.transform(validation)).accuracy)
    }
    #expect(accuracy[0] >= 0.9 && Swift.abs(accuracy[0] - accuracy[1]) <= 0.02, "8-bit \(accuracy[0]), 32-bit \(accuracy[1])")
  }
}
