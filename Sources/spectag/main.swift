import Foundation
import SpecTagArguments
import SpecTagLogging

// Logging is configured before parsing so that every command logs in the requested format.
do {
    try LoggingSystem.bootstrapFromEnvironment()
} catch {
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    exit(ExitCode.usage.status)
}

await CommandLineTool.main(root: SpecTagCommand.self)
