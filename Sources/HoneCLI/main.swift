import ArgumentParser
import HoneCLIKit

/// Runs an async root command as `@main` would. Inside this async function, constrained to
/// `AsyncParsableCommand`, `main()` is the asynchronous entry; at the top level of this file
/// it would resolve to `ParsableCommand`'s synchronous one, which does not await subcommands.
func runAsyncRoot<Command: AsyncParsableCommand>(_: Command.Type) async {
  await Command.main()
}

// `hone`: every command lives in HoneCLIKit, so that tests and the fuzz driver reach them too.
await runAsyncRoot(HoneCommand.self)
