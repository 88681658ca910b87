import Foundation

/// An error from loading a tokenizer or from invalid encoder arguments.
public enum TokenizerError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be read or decoded as UTF-8.
    case unreadableFile(path: String, reason: String)
    /// The file was read but its content is invalid; `reason` names the problem.
    case invalidFile(path: String, reason: String)
    /// The file uses a component this implementation does not support.
    case unsupportedComponent(path: String, component: String)
    /// An encoder argument is out of range.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "Tokenizer file not found: \(path). Check the model folder path."
        case .unreadableFile(let path, let reason):
            return "Cannot read tokenizer file \(path): \(reason)"
        case .invalidFile(let path, let reason):
            return "Invalid tokenizer file \(path): \(reason)"
        case .unsupportedComponent(let path, let component):
            return "Unsupported tokenizer component in \(path): \(component)"
        case .invalidArgument(let message):
            return "Invalid tokenizer argument: \(message)"
        }
    }

    public var errorDescription: String? { description }
}

// MARK: - File reading

/// Reads a UTF-8 text file.
///
/// - Throws: `TokenizerError.fileNotFound` when `url` does not exist and
///   `TokenizerError.unreadableFile` when it cannot be read or is not UTF-8.
func readTextFile(_ url: URL) throws -> String {
    let path = url.path
    guard FileManager.default.fileExists(atPath: path) else {
        throw TokenizerError.fileNotFound(path: path)
    }
    let data: Data
    do {
        data = try Data(contentsOf: url)
    } catch {
        throw TokenizerError.unreadableFile(path: path, reason: error.localizedDescription)
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw TokenizerError.unreadableFile(path: path, reason: "the content is not valid UTF-8")
    }
    return text
}

/// Reads a JSON file whose top level is an object.
///
/// - Throws: `TokenizerError.fileNotFound`, `.unreadableFile`, or `.invalidFile` when the content
///   is not a JSON object.
func readJSONObject(_ url: URL) throws -> [String: Any] {
    let path = url.path
    guard FileManager.default.fileExists(atPath: path) else {
        throw TokenizerError.fileNotFound(path: path)
    }
    let data: Data
    do {
        data = try Data(contentsOf: url)
    } catch {
        throw TokenizerError.unreadableFile(path: path, reason: error.localizedDescription)
    }
    let object: Any
    do {
        object = try JSONSerialization.jsonObject(with: data)
    } catch {
        throw TokenizerError.invalidFile(path: path, reason: "not valid JSON (\(error.localizedDescription))")
    }
    guard let dictionary = object as? [String: Any] else {
        throw TokenizerError.invalidFile(path: path, reason: "the top level is not a JSON object")
    }
    return dictionary
}
