import DepotCLI
import Foundation

/// `depot`: LINSTOR's command-line grammar against a Depot (or LINSTOR) controller.
let exitCode = await DepotCommandLine.run(arguments: Array(CommandLine.arguments.dropFirst()))
exit(exitCode)
