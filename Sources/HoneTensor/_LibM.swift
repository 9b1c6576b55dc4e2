#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Thin names for the C math library on Double.
@inline(__always) func _cLog(_ x: Double) -> Double { log(x) }
@inline(__always) func _cCos(_ x: Double) -> Double { cos(x) }
@inline(__always) func _cSin(_ x: Double) -> Double { sin(x) }
