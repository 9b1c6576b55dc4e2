import HoneCLIKit

// `hone`: every command lives in HoneCLIKit, so that tests and the fuzz driver reach them too.
await HoneCommand.main()
