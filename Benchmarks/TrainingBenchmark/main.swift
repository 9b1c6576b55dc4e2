// Training throughput beside PyTorch (Benchmarks/peers/torch_training.py does the same work):
//
//   TrainingBenchmark --model mlp|cnn --batch B [--epochs E] [--optimizer adam|adamw|shampoo|…] [--setting NAME=VALUE] [--json]
//
// All 1,797 digits, pixels standardized per column over all rows; MLP 64-256-256-10 (ReLU) or
// the small CNN of `hone train --model cnn`; Adam (lr 1e-3, or the optimizer named, from the
// catalog with its defaults, or one setting changed), mean cross-entropy; each epoch a new shuffle; one untimed warm-up
// epoch, then E timed epochs (default 20). Reports training samples per second, the mean time
// of one optimizer step (`step_ms`, the step alone), and the resident memory after timed
// epoch 5 and after the last.
import Foundation
import HoneMath
import HoneNN
import HoneTensor

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
  guard let i = arguments.firstIndex(of: "--" + name), i + 1 < arguments.count else { return nil }
  return arguments[i + 1]
}
let modelName = option("model") ?? "mlp"
let batch = Int(option("batch") ?? "64")!
let epochs = Int(option("epochs") ?? "20")!
let json = arguments.contains("--json")
let optimizerName = option("optimizer") ?? "adam"

/// The resident set size now, in MiB (from /proc/self/statm).
func residentMiB() -> Double {
  guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
  let pages = Double(text.split(separator: " ")[1]) ?? 0
  return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

let digits = try Dataset.digits()
let data = Standardizer(fitting: digits).transform(digits)
let spec = try ModelSpec(parsing: modelName == "mlp" ? "mlp:256,256" : modelName)
let model = try spec.make(inputs: 64, classes: 10, seed: 0)
let setting = option("setting")?.split(separator: "=", maxSplits: 1).map(String.init)
let settings = setting.map { CatalogSettings([$0[0]: $0[1]]) } ?? CatalogSettings()
var optimizer = try ParameterOptimizer(OptimizerSpec(optimizerName, learningRate: 1e-3, settings: settings), model: model)
var stepSeconds = 0.0, steps = 0
var rng = SeededRNG(seed: 0)

/// A duration in seconds.
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

/// One shuffled pass; the mean of the batch losses.
@MainActor func epoch() throws -> Double {
  var total = 0.0
  let batches = data.batchIndices(size: batch, shuffle: &rng)
  for indices in batches {
    let x = data.features.gathering(indices, alongAxis: 0)
    let y = indices.map { data.labels[$0] }
    let (loss, gradients) = optimizer.valueWithGradient { crossEntropy(logits: model(x), labels: y) }
    let stepStart = ContinuousClock.now
    try optimizer.step(gradients)
    let stepTime = ContinuousClock.now - stepStart
    stepSeconds += seconds(stepTime)
    steps += 1
    total += Double(loss)
  }
  return total / Double(batches.count)
}

_ = try epoch()
(stepSeconds, steps) = (0, 0)
var rssAfter5 = 0.0
var lastLoss = 0.0
let clock = ContinuousClock()
let start = clock.now
for e in 1...epochs {
  lastLoss = try epoch()
  if e == 5 { rssAfter5 = residentMiB() }
}
let elapsed = clock.now - start
let elapsedSeconds = seconds(elapsed)
let rate = Double(epochs * data.count) / elapsedSeconds
let rssLast = residentMiB()
if json {
  print("{\"impl\": \"hone\", \"model\": \"\(modelName)\", \"optimizer\": \"\(optimizerName)\", \"batch\": \(batch), \"threads\": 1, "
    + "\"epochs\": \(epochs), \"samples_per_second\": \(rate), \"seconds\": \(elapsedSeconds), \"final_loss\": \(lastLoss), "
    + "\"step_ms\": \(stepSeconds / Double(steps) * 1e3), "
    + "\"rss_mb_epoch5\": \(rssAfter5), \"rss_mb_last\": \(rssLast)}")
} else {
  print(String(format: "hone %@ batch %d: %.0f samples/s, final loss %.4f, RSS %.1f MiB after epoch 5, %.1f MiB after epoch %d",
               modelName, batch, rate, lastLoss, rssAfter5, rssLast, epochs))
}
