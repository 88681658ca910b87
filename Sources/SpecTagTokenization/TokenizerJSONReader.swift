import Foundation

// MARK: - Reading tokenizer.json

/// Builds a `UnigramTokenizer` from the parsed JSON of a Hugging Face `tokenizer.json`, with
/// errors that name the file and the key at fault.
struct TokenizerJSONReader {
    let json: [String: Any]
    let path: String

    func unigramTokenizer() throws -> UnigramTokenizer {
        let model = try unigramModel()
        let addedTokens = try specialAddedTokens(model: model)
        let specialTokens = try resolveSpecialTokens(model: model, addedTokens: addedTokens)
        return UnigramTokenizer(
            model: model, normalizer: try normalizerSteps(), metaspace: try metaspace(),
            addedTokens: addedTokens, specialTokens: specialTokens)
    }

    // MARK: Model

    private func unigramModel() throws -> UnigramModel {
        guard let model = json["model"] as? [String: Any] else {
            throw invalid("the \"model\" object is missing")
        }
        let type = model["type"] as? String ?? "(none)"
        guard type == "Unigram" else {
            throw TokenizerError.unsupportedComponent(path: path, component: "model type \"\(type)\" (expected \"Unigram\")")
        }
        guard let vocabulary = model["vocab"] as? [Any], !vocabulary.isEmpty else {
            throw invalid("\"model.vocab\" is missing or empty")
        }

        var pieces: [String] = []
        var scores: [Double] = []
        pieces.reserveCapacity(vocabulary.count)
        scores.reserveCapacity(vocabulary.count)
        for (index, entry) in vocabulary.enumerated() {
            guard let pair = entry as? [Any], pair.count == 2, let piece = pair[0] as? String,
                let score = (pair[1] as? NSNumber)?.doubleValue
            else {
                throw invalid("\"model.vocab\" entry \(index) is not a [piece, score] pair")
            }
            pieces.append(piece)
            scores.append(score)
        }

        guard let unknownID = (model["unk_id"] as? NSNumber)?.intValue else {
            throw invalid("\"model.unk_id\" is missing; this tokenizer needs an unknown piece")
        }
        guard pieces.indices.contains(unknownID) else {
            throw invalid("\"model.unk_id\" \(unknownID) is outside the vocabulary of \(pieces.count) pieces")
        }
        let byteFallback = (model["byte_fallback"] as? Bool) ?? false
        return UnigramModel(pieces: pieces, scores: scores, unknownID: unknownID, byteFallback: byteFallback)
    }

    // MARK: Normalizer

    private func normalizerSteps() throws -> [NormalizerStep] {
        guard let normalizer = json["normalizer"], !(normalizer is NSNull) else { return [] }
        guard let object = normalizer as? [String: Any] else {
            throw invalid("\"normalizer\" is not an object")
        }
        return try steps(of: object)
    }

    private func steps(of normalizer: [String: Any]) throws -> [NormalizerStep] {
        let type = normalizer["type"] as? String ?? "(none)"
        switch type {
        case "Sequence":
            guard let members = normalizer["normalizers"] as? [[String: Any]] else {
                throw invalid("the \"Sequence\" normalizer has no \"normalizers\" list")
            }
            return try members.flatMap { try steps(of: $0) }
        case "NFC":
            return [.unicode(.nfc)]
        case "NFD":
            return [.unicode(.nfd)]
        case "NFKC":
            return [.unicode(.nfkc)]
        case "NFKD":
            return [.unicode(.nfkd)]
        case "Precompiled":
            // NOTE: A SentencePiece `Precompiled` charsmap (XLM-R's nmt_nfkc) is approximated as
            // NFKC. The real map also rewrites some characters NFKC keeps (it turns control
            // characters into spaces or removes them), so ids can differ on such input.
            return [.unicode(.nfkc)]
        case "Lowercase":
            return [.lowercase]
        case "Strip":
            let leading = normalizer["strip_left"] as? Bool ?? true
            let trailing = normalizer["strip_right"] as? Bool ?? true
            return [.strip(leading: leading, trailing: trailing)]
        case "Replace":
            return [try replaceStep(normalizer)]
        default:
            throw TokenizerError.unsupportedComponent(path: path, component: "normalizer type \"\(type)\"")
        }
    }

    private func replaceStep(_ normalizer: [String: Any]) throws -> NormalizerStep {
        guard let pattern = normalizer["pattern"] as? [String: Any],
            let content = normalizer["content"] as? String
        else {
            throw invalid("the \"Replace\" normalizer needs \"pattern\" and \"content\"")
        }
        if let literal = pattern["String"] as? String {
            return .replace(.literal(Array(literal.unicodeScalars)), content: Array(content.unicodeScalars))
        }
        if let expression = pattern["Regex"] as? String {
            do {
                let box = try RegularExpressionBox(pattern: expression)
                return .replace(.regularExpression(box), content: Array(content.unicodeScalars))
            } catch {
                throw invalid("the \"Replace\" pattern \"\(expression)\" is not a valid regular expression (\(error))")
            }
        }
        throw invalid("the \"Replace\" pattern must have a \"String\" or \"Regex\" key")
    }

    // MARK: Pre-tokenizer

    private func metaspace() throws -> Metaspace {
        guard let preTokenizer = json["pre_tokenizer"] as? [String: Any] else {
            throw invalid("\"pre_tokenizer\" is missing; a Metaspace pre-tokenizer is required")
        }
        let type = preTokenizer["type"] as? String ?? "(none)"
        guard type == "Metaspace" else {
            throw TokenizerError.unsupportedComponent(
                path: path, component: "pre-tokenizer type \"\(type)\" (expected \"Metaspace\")")
        }
        var metaspace = Metaspace()
        if let replacement = preTokenizer["replacement"] as? String {
            let scalars = Array(replacement.unicodeScalars)
            guard scalars.count == 1 else {
                throw invalid("the Metaspace replacement \"\(replacement)\" must be exactly one character")
            }
            metaspace.replacement = scalars[0]
        }
        if let scheme = preTokenizer["prepend_scheme"] as? String {
            guard let parsed = Metaspace.PrependScheme(rawValue: scheme) else {
                throw invalid("the Metaspace prepend_scheme \"\(scheme)\" is not always, first or never")
            }
            metaspace.prependScheme = parsed
        } else if let addPrefixSpace = preTokenizer["add_prefix_space"] as? Bool {
            // Files written before prepend_scheme existed.
            metaspace.prependScheme = addPrefixSpace ? .always : .never
        }
        metaspace.split = preTokenizer["split"] as? Bool ?? true
        return metaspace
    }

    // MARK: Special tokens

    /// Reads the special added tokens that are matched verbatim in the input.
    ///
    /// NOTE: Only added tokens with `special: true` are matched, always on the raw text, and their
    /// `lstrip`, `rstrip` and `single_word` flags are not applied. XLM-R's `<mask>` has
    /// `lstrip: true`, so text containing `<mask>` after a space can differ from `tokenizers`.
    private func specialAddedTokens(model: UnigramModel) throws -> [SpecialToken] {
        guard let added = json["added_tokens"] as? [[String: Any]] else { return [] }
        var tokens: [SpecialToken] = []
        for (index, entry) in added.enumerated() {
            guard let content = entry["content"] as? String, let id = (entry["id"] as? NSNumber)?.intValue else {
                throw invalid("\"added_tokens\" entry \(index) needs \"content\" and \"id\"")
            }
            if entry["special"] as? Bool ?? false {
                tokens.append(SpecialToken(text: content, id: id))
            }
        }
        return tokens
    }

    private func resolveSpecialTokens(model: UnigramModel, addedTokens: [SpecialToken]) throws -> SpecialTokens {
        func lookup(_ text: String) -> SpecialToken? {
            if let added = addedTokens.first(where: { $0.text == text }) {
                return added
            }
            return model.id(of: text.unicodeScalars).map { SpecialToken(text: text, id: $0) }
        }
        let (clsText, sepText) = try clsAndSepNames()
        guard let cls = lookup(clsText) else {
            throw invalid("the start token \"\(clsText)\" is not in the vocabulary")
        }
        guard let sep = lookup(sepText) else {
            throw invalid("the end token \"\(sepText)\" is not in the vocabulary")
        }
        var pad: SpecialToken?
        if let padding = json["padding"] as? [String: Any], let padText = padding["pad_token"] as? String,
            let padID = (padding["pad_id"] as? NSNumber)?.intValue
        {
            pad = SpecialToken(text: padText, id: padID)
        }
        guard let pad = pad ?? lookup("<pad>") else {
            throw invalid("no padding token: \"padding\" is null and the vocabulary has no \"<pad>\"")
        }
        let unknown = SpecialToken(text: model.pieces[model.unknownID], id: model.unknownID)
        return SpecialTokens(
            cls: cls, sep: sep, pad: pad, unk: unknown,
            bos: lookup("<s>"), eos: lookup("</s>"), mask: lookup("<mask>"))
    }

    /// Returns the tokens the post-processor puts around a single sequence, defaulting to
    /// `<s>` and `</s>` when there is no post-processor.
    private func clsAndSepNames() throws -> (String, String) {
        guard let processor = json["post_processor"] as? [String: Any] else { return ("<s>", "</s>") }
        let type = processor["type"] as? String ?? "(none)"
        switch type {
        case "TemplateProcessing":
            guard let single = processor["single"] as? [[String: Any]] else {
                throw invalid("the TemplateProcessing post-processor has no \"single\" template")
            }
            var before: [String] = []
            var after: [String] = []
            var sawSequence = false
            for item in single {
                if item["Sequence"] != nil {
                    sawSequence = true
                } else if let special = item["SpecialToken"] as? [String: Any], let id = special["id"] as? String {
                    if sawSequence { after.append(id) } else { before.append(id) }
                }
            }
            guard before.count == 1, after.count == 1 else {
                throw TokenizerError.unsupportedComponent(
                    path: path, component: "a \"single\" template without exactly one special token on each side")
            }
            return (before[0], after[0])
        case "RobertaProcessing", "BertProcessing":
            guard let cls = (processor["cls"] as? [Any])?.first as? String,
                let sep = (processor["sep"] as? [Any])?.first as? String
            else {
                throw invalid("the \(type) post-processor needs \"cls\" and \"sep\"")
            }
            return (cls, sep)
        default:
            throw TokenizerError.unsupportedComponent(path: path, component: "post-processor type \"\(type)\"")
        }
    }

    private func invalid(_ reason: String) -> TokenizerError {
        TokenizerError.invalidFile(path: path, reason: reason)
    }
}
