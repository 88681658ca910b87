// MARK: - Strict decoding

/// A coding key for any JSON object key.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        return nil
    }
}

/// Throws when the JSON object being decoded has a key that `Keys` does not list, so a
/// misspelt setting such as `treshold` fails instead of silently keeping its default.
///
/// - Throws: `DecodingError.dataCorrupted` naming the unknown key and the known ones.
func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(in decoder: any Decoder, knownKeys: Keys.Type) throws {
    let container = try decoder.container(keyedBy: AnyCodingKey.self)
    let known = Keys.allCases.map(\.stringValue)
    let knownSet = Set(known)
    for key in container.allKeys where !knownSet.contains(key.stringValue) {
        throw DecodingError.dataCorruptedError(
            forKey: key,
            in: container,
            debugDescription: "unknown setting \"\(key.stringValue)\"; the known settings are \(known.sorted().joined(separator: ", "))"
        )
    }
}
