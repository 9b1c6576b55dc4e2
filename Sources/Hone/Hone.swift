/// Hone: optimizing neural networks, inside the training loop and around it.
///
/// `import Hone` brings every public module: the numerics (`HoneMath`), the study engine
/// (`HoneTune`), the SQLite storage (`HoneSQLite`) and the optimizers (`HoneOptim`).
@_exported import HoneMath
@_exported import HoneTune
@_exported import HoneSQLite
@_exported import HoneOptim
