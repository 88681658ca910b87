import Foundation

/// Finds the shipped default model and drafter when no path is given.
enum ModelLocator {
    /// The default model folder's name under `models/`.
    static let defaultModelName = "spectag-e5-small"

    /// Returns `explicit` when set, otherwise the first `models/<relativePath>` that exists.
    /// The search covers the working directory, the executable's folder and its parents (so a
    /// build under `.build/` finds the repository's `models/`), and their `share/spectag` folders.
    static func resolve(_ explicit: String?, relativePath: String) -> URL? {
        if let explicit { return URL(fileURLWithPath: explicit) }
        return resolveTool("models/" + relativePath)
    }

    /// Returns the first existing `relativePath` under the working directory, the executable's
    /// folder or its parents, or their `share/spectag` folders.
    static func resolveTool(_ relativePath: String) -> URL? {
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0 ..< 6 {
            candidates.append(folder)
            candidates.append(folder.appendingPathComponent("share/spectag"))
            folder = folder.deletingLastPathComponent()
        }
        return candidates
            .map { $0.appendingPathComponent(relativePath) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }
}
