import Foundation
import SpecTagModels
import SpecTagSpeculation

/// Creates drafters by the names users pass to `--drafter`.
enum DrafterFactory {
    static let names = ["head", "lexical", "none"]
    /// The shipped lexical drafter's file under `models/`.
    static let defaultLexicalFile = "lexical-drafter.bin"

    /// Returns the drafter called `name`, or nil for `none` (greedy decoding).
    /// - Throws: `CLIError` when the model has no drafting head or the drafter file is missing.
    static func make(_ name: String, model: TargetModel, lexicalPath: String?) throws -> (any Drafter)? {
        switch name {
        case "none":
            return nil
        case "head":
            guard let drafter = HeadDrafter(model: model) else {
                throw CLIError("the model in \(model.folder.path) has no drafting head; use --drafter lexical or none")
            }
            return drafter
        default:
            guard let file = ModelLocator.resolve(lexicalPath, relativePath: defaultLexicalFile) else {
                throw CLIError("no lexical drafter found: pass --lexical-drafter FILE (spectag train-drafter makes one)")
            }
            let drafter = try LexicalDrafter(contentsOf: file)
            try drafter.checkCompatibility(tags: model.tags, sentimentLabels: model.sentimentLabels)
            return drafter
        }
    }
}
