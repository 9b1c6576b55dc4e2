/// Hone: optimizing neural networks, inside the training loop and around it.
///
/// `import Hone` brings every public module: the core types — JSON, locks, the seeded RNG,
/// catalogs — (`HoneCore`), the numerics (`HoneMath`), the study engine
/// (`HoneTune`), the SQLite storage (`HoneSQLite`), the optimizers (`HoneOptim`), the tensor
/// engine with automatic differentiation (`HoneTensor`) and the layers, losses, data and
/// training loop (`HoneNN`), the network surrogates of Bayesian optimization (`HoneBayesNN`), the HTML study report (`HoneReport`), architecture search
/// (`HoneNAS`) and the PostgreSQL storage (`HonePostgres`).
@_exported import HoneCore
@_exported import HoneMath
@_exported import HoneTune
@_exported import HoneSQLite
@_exported import HoneOptim
@_exported import HoneBayes
@_exported import HoneTensor
@_exported import HoneNN
@_exported import HoneBayesNN
@_exported import HoneReport
@_exported import HoneNAS
@_exported import HonePostgres

/// Hone's version (semantic versioning), as `hone --version` prints it.
public let honeVersion = "0.2.0"
