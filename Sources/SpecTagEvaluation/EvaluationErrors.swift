import Foundation

// MARK: - Input file errors

/// An error in an input file: a data set, a predictions file or a CSV file.
///
/// The description has the compiler-style form `FILE:LINE: PROBLEM`, or `FILE: PROBLEM` when
/// the problem concerns the whole file, so that an editor or a terminal can jump to the line.
public struct EvaluationInputError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The file name or path as the caller passed it.
    public var file: String
    /// The 1-based line number, or `nil` when the problem concerns the whole file.
    public var line: Int?
    /// The problem, in one sentence without the file name.
    public var problem: String

    public init(file: String, line: Int?, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String {
        if let line {
            return "\(file):\(line): \(problem)"
        }
        return "\(file): \(problem)"
    }

    public var errorDescription: String? { description }
}

// MARK: - Argument errors

/// An invalid argument passed to an evaluation function, such as predictions whose count
/// does not match the gold data, or an empty label list.
public struct EvaluationArgumentError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The problem and the value that caused it.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    public var errorDescription: String? { message }
}
