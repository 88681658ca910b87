import Foundation

// MARK: - Errors

/// An invalid use of a lexical drafter or invalid training data.
public enum LexicalDrafterError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The drafter's tags or sentiment labels differ from the target model's, so its class ids
    /// would mean other classes.
    case incompatibleLabels(kind: String, drafter: [String], target: [String])
    /// The training data or settings cannot train a drafter; the message names the value.
    case invalidTrainingData(String)
    /// The target model returned output that does not fit the sentences it was given.
    case invalidTargetOutput(String)

    public var description: String {
        switch self {
        case let .incompatibleLabels(kind, drafter, target):
            return "the lexical drafter's \(kind) \(drafter) differ from the target model's \(target); "
                + "train the drafter with the model's \(kind)"
        case let .invalidTrainingData(message):
            return "invalid drafter training data: \(message)"
        case let .invalidTargetOutput(message):
            return "invalid target output during distillation: \(message)"
        }
    }

    public var errorDescription: String? { description }
}

/// A lexical drafter file that cannot be read or written.
public struct LexicalDrafterFileError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The file path as the caller passed it.
    public let path: String
    /// The problem, in one sentence without the path.
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }

    public var errorDescription: String? { description }
}
