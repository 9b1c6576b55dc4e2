import Foundation
import Testing
@testable import HoneNN
import HoneTensor

@Suite("Datasets")
struct DataTests {
  @Test func bundledDatasets() throws {
    let digits = try Dataset.digits()
    #expect(digits.count == 1797 && digits.featureCount == 64 && digits.classCount == 10)
    #expect(digits.labels.prefix(5) == [0, 1, 2, 3, 4])
    let cancer = try Dataset.breastCancer()
    #expect(cancer.count == 569 && cancer.featureCount == 30 && cancer.classCount == 2)
    #expect(cancer.featureNames.first == "mean_radius")
  }

  static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../shared/data/digits.csv").standardized

  @Test(.enabled(if: FileManager.default.fileExists(atPath: DataTests.shared.path),
                 "../shared/data is absent (not on a user's machine): the comparison with the shared copy is skipped"))
  func bundledCopiesMatchTheSharedData() throws {
    let shared = Self.shared
    let fromShared = try Dataset.csv(contentsOf: shared)
    let bundled = try Dataset.digits()
    #expect(fromShared.features == bundled.features && fromShared.labels == bundled.labels)
  }

  @Test func splitIsSeededAndDisjoint() throws {
    let digits = try Dataset.digits()
    let (train, validation, test) = try digits.split(seed: 0)
    #expect(train.count == 1078 && validation.count == 359 && test.count == 360)
    let again = try digits.split(seed: 0)
    #expect(again.train.labels == train.labels)
    let other = try digits.split(seed: 1)
    #expect(other.train.labels != train.labels)
    let standardized = Standardizer(fitting: train).transform(train)
    let means = standardized.features.mean(alongAxis: 0).scalars
    #expect(means.allSatisfy { Swift.abs($0) < 1e-4 })
    // Constant columns (the corner pixels) become 0, not NaN.
    #expect(standardized.features.scalars.allSatisfy { $0.isFinite })
    #expect(throws: NNError.self) { try digits.split(train: 0.9, validation: 0.2) }
  }

  @Test func csvErrorsNameTheProblem() {
    #expect(throws: NNError.badFile("CSV line 3, column b: \"x\" is not a number")) {
      try Dataset.csv(text: "a,b,label\n1,2,0\n3,x,1\n")
    }
    #expect(throws: NNError.badFile("CSV has no column \"y\" (columns: a, b, label)")) {
      try Dataset.csv(text: "a,b,label\n1,2,0\n", label: "y")
    }
    #expect(throws: NNError.badFile("CSV line 2: label 0.5 is not a class number (0, 1, 2, …)")) {
      try Dataset.csv(text: "a,label\n1,0.5\n")
    }
    let data = try? Dataset.csv(text: "target,a,b\n1,0.5,2\n0,1,3\n", label: "target")
    #expect(data?.featureNames == ["a", "b"] && data?.labels == [1, 0])
  }
}
