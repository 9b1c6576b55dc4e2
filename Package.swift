// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Hone",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "Hone", targets: ["Hone"]),
    .library(name: "HoneCore", targets: ["HoneCore"]),
    .library(name: "HoneMath", targets: ["HoneMath"]),
    .library(name: "HoneTune", targets: ["HoneTune"]),
    .library(name: "HoneSQLite", targets: ["HoneSQLite"]),
    .library(name: "HoneOptim", targets: ["HoneOptim"]),
    .library(name: "HoneTensor", targets: ["HoneTensor"]),
    .library(name: "HoneBayes", targets: ["HoneBayes"]),
    .library(name: "HoneNN", targets: ["HoneNN"]),
    .library(name: "HoneBayesNN", targets: ["HoneBayesNN"]),
    .library(name: "HoneReport", targets: ["HoneReport"]),
    .library(name: "HoneNAS", targets: ["HoneNAS"]),
    .library(name: "HoneDashboard", targets: ["HoneDashboard"]),
    .executable(name: "hone", targets: ["HoneCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // `swift package generate-documentation`: the DocC catalogs in Sources/*/*.docc.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    // The PostgreSQL wire protocol, for HonePostgres.
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    // HTTP for `hone dashboard` (HoneDashboard).
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CLAPACK",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
    // JSON, locks, the seeded RNG and catalogs: no BLAS, no other Hone module.
    .target(name: "HoneCore"),
    .target(name: "HoneMath", dependencies: ["HoneCore", "CLAPACK"]),
    .target(name: "CHoneKernels"),
    .target(name: "HoneOptim", dependencies: ["HoneCore", "HoneMath", "CLAPACK", "CHoneKernels"]),
    .target(name: "HoneBayes", dependencies: ["HoneMath", "CLAPACK"]),
    .target(name: "HoneTune", dependencies: ["HoneCore", "HoneMath", "HoneBayes"]),
    .target(name: "HoneTensor", dependencies: ["HoneCore", "HoneMath", "CLAPACK", "CHoneKernels"]),
    .target(
      name: "HoneNN",
      dependencies: ["HoneCore", "HoneTensor", "HoneOptim", "HoneMath"],
      resources: [.copy("Resources/digits.csv"), .copy("Resources/breast_cancer.csv")]),
    // The network surrogates of Bayesian optimization: HoneBayes's protocol on the tensor engine.
    .target(name: "HoneBayesNN", dependencies: ["HoneBayes", "HoneTensor", "HoneOptim", "HoneMath", "CLAPACK"]),
    .target(
      name: "HoneSQLite",
      dependencies: ["HoneTune", .product(name: "GRDB", package: "GRDB.swift")]),
    .target(name: "HoneReport", dependencies: ["HoneTune", "HoneMath"]),
    .target(name: "HonePostgres", dependencies: ["HoneTune", .product(name: "PostgresNIO", package: "postgres-nio")]),
    .target(name: "HoneNAS", dependencies: ["HoneTune", "HoneNN", "HoneMath", "HoneOptim", "HoneTensor"]),
    .target(
      name: "HoneDashboard",
      dependencies: [
        "HoneTune", "HoneReport", .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ]),
    .target(name: "Hone", dependencies: ["HoneCore", "HoneMath", "HoneBayes", "HoneTune", "HoneSQLite", "HoneOptim", "HoneTensor", "HoneNN", "HoneBayesNN", "HoneReport", "HoneNAS", "HonePostgres"]),
    .target(
      name: "HoneCLIKit",
      dependencies: ["Hone", "HoneDashboard", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    .executableTarget(
      name: "HoneCLI", dependencies: ["HoneCLIKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    // The fuzz driver: replays inputs in a normal build; with `make fuzz` (-sanitize=fuzzer
    // -D HONE_LIBFUZZER) it is libFuzzer's target.
    .executableTarget(name: "HoneFuzz", dependencies: ["HoneCLIKit"], path: "Fuzz/HoneFuzz"),
    .executableTarget(
      name: "OptimizerBenchmark",
      dependencies: ["HoneOptim", "HoneMath", "CHoneKernels"],
      path: "Benchmarks/OptimizerBenchmark"),
    .executableTarget(
      name: "PruningBenchmark",
      dependencies: ["HoneTune", "HoneMath"],
      path: "Benchmarks/PruningBenchmark"),
    .executableTarget(
      name: "SamplerBenchmark",
      dependencies: ["HoneTune", "HoneMath"],
      path: "Benchmarks/SamplerBenchmark"),
    .executableTarget(
      name: "BayesBenchmark",
      dependencies: ["HoneTune", "HoneBayes", "HoneBayesNN", "HoneMath"],
      path: "Benchmarks/BayesBenchmark"),
    .executableTarget(
      name: "TrainingBenchmark",
      dependencies: ["HoneNN", "HoneTensor", "HoneMath"],
      path: "Benchmarks/TrainingBenchmark"),
    .executableTarget(
      name: "NASBenchmark",
      dependencies: ["HoneNAS", "HoneTune", "HoneMath", "HoneNN"],
      path: "Benchmarks/NASBenchmark"),
    .executableTarget(
      name: "DashboardBenchmark",
      dependencies: ["HoneTune", "HoneSQLite", "HoneReport"],
      path: "Benchmarks/DashboardBenchmark"),
    .executableTarget(
      name: "StorageBenchmark",
      dependencies: ["Hone"],
      path: "Benchmarks/StorageBenchmark"),
    .testTarget(name: "HoneCoreTests", dependencies: ["HoneCore"]),
    .testTarget(name: "HoneMathTests", dependencies: ["HoneMath"]),
    .testTarget(name: "HoneTuneTests", dependencies: ["HoneTune"], exclude: ["Fixtures"]),
    .testTarget(name: "HoneTensorTests", dependencies: ["HoneTensor", "HoneMath"]),
    .testTarget(name: "HoneBayesTests", dependencies: ["HoneBayes", "HoneMath"]),
    .testTarget(name: "HoneBayesNNTests", dependencies: ["HoneBayesNN", "HoneBayes", "HoneTune", "HoneMath"]),
    .testTarget(name: "HoneNNTests", dependencies: ["HoneNN", "HoneTensor", "HoneOptim"], exclude: ["Fixtures"]),
    .testTarget(name: "HoneOptimTests", dependencies: ["HoneOptim", "HoneMath"], exclude: ["Fixtures"]),
    .systemLibrary(name: "CZlib", path: "Tests/CZlib", providers: [.apt(["zlib1g-dev"])]),
    .testTarget(name: "HoneNASTests", dependencies: ["HoneNAS", "HoneTune", "HoneNN", "HoneMath"]),
    .testTarget(name: "HoneReportTests", dependencies: ["HoneReport", "HoneTune", "CZlib"]),
    .testTarget(
      name: "HoneDashboardTests",
      dependencies: [
        "HoneDashboard", "HoneTune", "HonePostgres", "HoneTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]),
    // Throwaway PostgreSQL clusters and temporary folders, for the storage and CLI tests.
    .target(name: "HoneTestSupport", path: "Tests/HoneTestSupport"),
    .testTarget(name: "HoneSQLiteTests", dependencies: ["HoneSQLite", "HoneTune", "HoneTestSupport"]),
    .testTarget(name: "HoneStorageTests", dependencies: ["HoneSQLite", "HonePostgres", "HoneTune", "HoneTestSupport"]),
    .testTarget(name: "HoneCLITests", dependencies: ["Hone", "HoneCLIKit", "HoneTestSupport", .product(name: "GRDB", package: "GRDB.swift")], exclude: ["Fixtures"]),
  ],
  swiftLanguageModes: [.v6]
)
