import Foundation
import HoneCLIKit

#if HONE_LIBFUZZER
/// libFuzzer's entry: the target named by `$HONE_FUZZ_TARGET`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  FuzzDriver.target.run(Data(bytes: bytes, count: count))
  return 0
}

/// libFuzzer's driver, for a program that has its own `main` (as a SwiftPM executable does).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// The executable's entry (SwiftPM links `main` to `<module>_main`): hands over to libFuzzer.
@_cdecl("HoneFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var count = argc
  var arguments = argv
  return runFuzzerDriver(&count, &arguments) { bytes, length in fuzzOneInput(bytes, length) }
}

enum FuzzDriver {
  static let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["HONE_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
      fatalError("set HONE_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return target
  }()
}
#else
/// Without libFuzzer: `HoneFuzz TARGET FILE…` runs each file through the target once, as
/// libFuzzer would (to reproduce a crash with a normal build).
@main
enum FuzzReplay {
  static func main() throws {
    let arguments = CommandLine.arguments.dropFirst()
    guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
      FileHandle.standardError.write(Data("usage: HoneFuzz TARGET FILE…; targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
      exit(64)
    }
    for path in arguments.dropFirst() { target.run(try Data(contentsOf: URL(fileURLWithPath: path))) }
  }
}
#endif
