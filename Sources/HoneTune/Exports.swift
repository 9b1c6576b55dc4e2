// The core types (JSON, locks, the seeded RNG, catalogs) come with every Hone module.
@_exported import HoneCore
