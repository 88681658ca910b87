import SpecTagArguments

/// Version of the spectag tool and of the compiler that built it.
enum SpecTagVersion {
    static let number = "0.1.0"

    /// Swift compiler version at build time, to the minor version.
    static var compiler: String {
        #if compiler(>=7.0)
        "7.0 or later"
        #elseif compiler(>=6.5)
        "6.5"
        #elseif compiler(>=6.4)
        "6.4"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }
}

/// `spectag version`: prints the tool version and the Swift version it was built with.
struct VersionCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(name: "version", abstract: "Print the spectag version and the Swift version it was built with.")
    }

    init(_ arguments: ParsedArguments) {}

    func run() async throws {
        print("spectag \(SpecTagVersion.number)")
        print("built with Swift \(SpecTagVersion.compiler)")
    }
}
