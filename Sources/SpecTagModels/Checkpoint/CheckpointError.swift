/// An error that names the checkpoint file and what is wrong with it.
public struct CheckpointError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file that could not be used.
    public let path: String
    /// The problem, in one sentence.
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
