import Foundation

// MARK: - File format

/// The lexical drafter file, version 1. All numbers are little-endian.
///
/// | bytes | contents |
/// |---|---|
/// | 8 | magic `SPTGLEX\n` |
/// | 4 | `UInt32` byte count of the JSON header |
/// | n | JSON header: `format_version`, `tags`, `sentiment_labels`, `entity_types`, `metadata` |
/// | … | tagger weights, tag transitions, sentiment weights, gazetteer, word lexicon |
/// | 8 | `UInt64` FNV-1a 64 checksum of every byte before it |
///
/// A weight table is a varint row count, then per row: the feature name (varint UTF-8 byte
/// count and bytes), a `UInt16` mask of the classes with a non-zero weight, and those weights
/// as `Float32` in class order. Transitions are `(tags + 1) * tags` bytes, 1 when the tag may
/// follow the previous tag (the last previous value is the sentence start). The gazetteer is a
/// varint count of `(entity string, type mask byte)` pairs, then the same for single entity
/// words; bit `i` of a mask is `entity_types[i]`. The lexicon is a varint count of
/// `(lowercased word, usage byte)` pairs. Equal drafters write equal bytes, because every
/// dictionary is written in sorted order.
enum LexicalDrafterFile {
    static let magic: [UInt8] = Array("SPTGLEX\n".utf8)
    static let formatVersion = 1

    struct Header: Codable {
        var formatVersion: Int
        var tags: [String]
        var sentimentLabels: [String]
        var entityTypes: [String]
        var metadata: [String: String]

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version"
            case tags
            case sentimentLabels = "sentiment_labels"
            case entityTypes = "entity_types"
            case metadata
        }
    }

    /// The part of the header that every version has, read first to reject other versions.
    struct VersionHeader: Decodable {
        var formatVersion: Int
        enum CodingKeys: String, CodingKey { case formatVersion = "format_version" }
    }
}

// MARK: - Writing

extension LexicalDrafter {
    /// Returns the drafter in the lexical drafter file format (see `LexicalDrafterFile`).
    public func serialized() -> Data {
        let header = LexicalDrafterFile.Header(
            formatVersion: LexicalDrafterFile.formatVersion, tags: tags, sentimentLabels: sentimentLabels,
            entityTypes: gazetteer.types, metadata: metadata)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // JSONEncoder throws only for non-finite floating-point values, and the header has none.
        let headerBytes = (try? encoder.encode(header)).map { [UInt8]($0) } ?? []

        var writer = LexicalByteWriter()
        writer.append(contentsOf: LexicalDrafterFile.magic)
        writer.append(UInt32(headerBytes.count))
        writer.append(contentsOf: headerBytes)
        tagger.write(to: &writer)
        for allowed in allowedTransitions { writer.append(allowed ? UInt8(1) : 0) }
        sentiment.write(to: &writer)
        writeMasks(gazetteer.entries, to: &writer)
        writeMasks(gazetteer.entityWords, to: &writer)
        writeMasks(lexicon.usage.mapValues(\.rawValue), to: &writer)
        writer.append(lexicalChecksum(writer.bytes[...]))
        return Data(writer.bytes)
    }

    /// Writes the drafter to `url`, replacing any file there.
    ///
    /// - Throws: `LexicalDrafterFileError` naming the file when it cannot be written.
    public func write(to url: URL) throws {
        do {
            try serialized().write(to: url, options: .atomic)
        } catch {
            throw LexicalDrafterFileError(path: url.path, problem: "cannot write the file (\(error.localizedDescription))")
        }
    }

    private func writeMasks(_ masks: [String: UInt8], to writer: inout LexicalByteWriter) {
        writer.appendVarint(masks.count)
        for key in masks.keys.sorted() {
            writer.append(key)
            writer.append(masks[key] ?? 0)
        }
    }
}

// MARK: - Reading

extension LexicalDrafter {
    /// Loads a drafter that `write(to:)` saved.
    ///
    /// - Throws: `LexicalDrafterFileError` naming the file when it cannot be read, is not a
    ///   lexical drafter file, has another format version, is truncated or corrupt (checksum
    ///   mismatch), or has inconsistent contents.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LexicalDrafterFileError(path: url.path, problem: "cannot read the file (\(error.localizedDescription))")
        }
        try self.init(data: data, path: url.path)
    }

    /// Parses the bytes of a lexical drafter file; `path` names the file in errors.
    ///
    /// - Throws: `LexicalDrafterFileError` as `init(contentsOf:)` does.
    public init(data: Data, path: String) throws {
        func fail(_ problem: String) -> LexicalDrafterFileError { LexicalDrafterFileError(path: path, problem: problem) }
        let bytes = [UInt8](data)
        let fixedSize = LexicalDrafterFile.magic.count + 4 + 8
        guard bytes.count >= fixedSize else {
            throw fail("is too short to be a lexical drafter file (\(bytes.count) bytes, at least \(fixedSize) needed)")
        }
        guard bytes.starts(with: LexicalDrafterFile.magic) else {
            throw fail("is not a lexical drafter file (it does not start with the bytes 'SPTGLEX')")
        }
        let header = try Self.readHeader(bytes, fail: fail)
        let checksumOffset = bytes.count - 8
        var trailer = LexicalByteReader(bytes: bytes, offset: checksumOffset)
        let stored = (try? trailer.readUInt64("checksum")) ?? 0
        guard stored == lexicalChecksum(bytes[..<checksumOffset]) else {
            throw fail("checksum mismatch: the file is truncated or corrupt")
        }
        do {
            var reader = LexicalByteReader(bytes: bytes, offset: header.bodyOffset, end: checksumOffset)
            try self.init(header: header.header, body: &reader)
            guard reader.remaining == 0 else {
                throw LexicalByteReader.Failure(problem: "has \(reader.remaining) unexpected bytes after the last section")
            }
        } catch let failure as LexicalByteReader.Failure {
            throw fail(failure.problem)
        }
    }

    /// Reads and checks the JSON header; returns it and the offset of the first section.
    private static func readHeader(
        _ bytes: [UInt8], fail: (String) -> LexicalDrafterFileError
    ) throws -> (header: LexicalDrafterFile.Header, bodyOffset: Int) {
        var reader = LexicalByteReader(bytes: bytes, offset: LexicalDrafterFile.magic.count, end: bytes.count - 8)
        guard let length = try? Int(reader.readUInt32("header length")), length <= reader.remaining else {
            throw fail("is truncated: the header length exceeds the file")
        }
        let json = Data(bytes[reader.offset ..< reader.offset + length])
        let decoder = JSONDecoder()
        guard let version = try? decoder.decode(LexicalDrafterFile.VersionHeader.self, from: json) else {
            throw fail("has an invalid JSON header or one without format_version")
        }
        guard version.formatVersion == LexicalDrafterFile.formatVersion else {
            throw fail("has format version \(version.formatVersion); this spectag reads version \(LexicalDrafterFile.formatVersion)")
        }
        guard let header = try? decoder.decode(LexicalDrafterFile.Header.self, from: json) else {
            throw fail("has a header that lacks tags, sentiment_labels, entity_types or metadata")
        }
        return (header, reader.offset + length)
    }

    /// Reads the sections after the header and checks them against it.
    private init(header: LexicalDrafterFile.Header, body reader: inout LexicalByteReader) throws {
        let scheme = LexicalTagScheme(tags: header.tags)
        let tagCount = header.tags.count
        let labelCount = header.sentimentLabels.count
        guard (1 ... FeatureWeights.maximumClassCount).contains(tagCount), (1 ... FeatureWeights.maximumClassCount).contains(labelCount) else {
            throw LexicalByteReader.Failure(
                problem: "has \(tagCount) tags and \(labelCount) sentiment labels; each must be 1 to \(FeatureWeights.maximumClassCount)")
        }
        guard scheme.entityTypes == header.entityTypes, header.entityTypes.count <= Gazetteer.maximumTypeCount else {
            throw LexicalByteReader.Failure(
                problem: "has entity_types \(header.entityTypes), but its tags define \(scheme.entityTypes)")
        }
        let tagger = try FeatureWeights.read(from: &reader, classCount: tagCount, section: "tagger")
        let transitions = try reader.readBytes((tagCount + 1) * tagCount, "tag transitions")
        guard transitions.allSatisfy({ $0 <= 1 }) else {
            throw LexicalByteReader.Failure(problem: "has a tag transition flag other than 0 or 1")
        }
        let sentiment = try FeatureWeights.read(from: &reader, classCount: labelCount, section: "sentiment")
        let typeBits = UInt8(truncatingIfNeeded: (1 << header.entityTypes.count) - 1)
        let entries = try Self.readMasks(&reader, section: "gazetteer entries", validBits: typeBits)
        let entityWords = try Self.readMasks(&reader, section: "gazetteer words", validBits: typeBits)
        let usage = try Self.readMasks(&reader, section: "word lexicon", validBits: 0b111)
        self.init(
            scheme: scheme, sentimentLabels: header.sentimentLabels, tagger: tagger,
            allowedTransitions: transitions.map { $0 == 1 }, sentiment: sentiment,
            gazetteer: Gazetteer(types: header.entityTypes, entries: entries, entityWords: entityWords),
            lexicon: WordLexicon(usage: usage.mapValues { WordLexicon.Usage(rawValue: $0) }),
            metadata: header.metadata)
    }

    private static func readMasks(_ reader: inout LexicalByteReader, section: String, validBits: UInt8) throws -> [String: UInt8] {
        // An entry takes at least a 1-byte string length and its mask byte.
        let count = try reader.readCount("\(section)", minimumBytesEach: 2)
        var masks: [String: UInt8] = [:]
        masks.reserveCapacity(count)
        for _ in 0 ..< count {
            let key = try reader.readString("\(section) string")
            let mask = try reader.readUInt8("\(section) mask")
            guard mask & ~validBits == 0 else {
                throw LexicalByteReader.Failure(problem: "has an invalid mask \(mask) for '\(key)' in the \(section)")
            }
            masks[key] = mask
        }
        return masks
    }
}
