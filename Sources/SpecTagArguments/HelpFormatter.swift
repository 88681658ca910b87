// MARK: - Help text

/// Builds the usage line and the help page of a command, wrapped to ``width`` columns.
enum HelpFormatter {
    static let width = 100
    /// Widest option label that still shares a line with its help text.
    static let maxLabelWidth = 30

    private struct Row {
        var label: String
        var help: String
    }

    // MARK: Usage

    /// Returns `Usage: spectag serve [<options>] --model <path> <input> [<files> ...]`, wrapped if long.
    static func usage(for path: [any Command.Type]) -> String {
        guard let command = path.last else { return "" }
        let commandName = path.map { $0.configuration.name }.joined(separator: " ")
        var parts: [String] = []

        if !command.configuration.subcommands.isEmpty {
            parts.append("<command>")
        }
        let specs = command.options
        if specs.contains(where: { !$0.isPositional && !$0.isRequired }) {
            parts.append("[<options>]")
        }
        for spec in specs where !spec.isPositional && spec.isRequired {
            parts.append("--\(spec.name) <\(spec.valueName)>")
        }
        for spec in specs {
            guard case .positional(let arity) = spec.kind else { continue }
            switch arity {
            case .required: parts.append("<\(spec.name)>")
            case .optional: parts.append("[<\(spec.name)>]")
            case .variadic: parts.append("[<\(spec.name)> ...]")
            }
        }

        let prefix = "Usage: \(commandName)"
        guard !parts.isEmpty else { return prefix }
        let indent = String(repeating: " ", count: min(prefix.count + 1, 40))
        return wrap(parts.joined(separator: " "), width: width, firstPrefix: prefix + " ", restPrefix: indent)
    }

    // MARK: Help page

    /// Returns the full help: usage, abstract, discussion, arguments, options and commands.
    static func help(for path: [any Command.Type]) -> String {
        guard let command = path.last else { return "" }
        let configuration = command.configuration
        let isRoot = path.count == 1
        var sections: [String] = [usage(for: path)]

        if !configuration.abstract.isEmpty {
            sections.append(wrap(configuration.abstract, width: width, firstPrefix: "", restPrefix: ""))
        }
        if !configuration.discussion.isEmpty {
            sections.append(wrapParagraphs(configuration.discussion))
        }

        let argumentRows = command.options.filter(\.isPositional).map(argumentRow)
        if !argumentRows.isEmpty {
            sections.append("Arguments:\n" + renderRows(argumentRows))
        }

        var optionRows = command.options.filter { !$0.isPositional }.map(optionRow)
        let declaresShortH = command.options.contains { $0.shortName == "h" }
        optionRows.append(Row(label: declaresShortH ? "    --help" : "-h, --help", help: "Show this help and exit."))
        if isRoot, configuration.version != nil {
            optionRows.append(Row(label: "    --version", help: "Show the version and exit."))
        }
        sections.append("Options:\n" + renderRows(optionRows))

        if !configuration.subcommands.isEmpty {
            let commandRows = configuration.subcommands.map { subcommand in
                Row(label: subcommand.configuration.name, help: subcommand.configuration.abstract)
            }
            let commandName = path.map { $0.configuration.name }.joined(separator: " ")
            sections.append("Commands:\n" + renderRows(commandRows))
            sections.append("Run '\(commandName) <command> --help' for more information on a command.")
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    // MARK: Rows

    private static func argumentRow(_ spec: OptionSpec) -> Row {
        var label = "<\(spec.name)>"
        if spec.kind == .positional(.variadic) {
            label += " ..."
        }
        var help = spec.help
        if spec.kind == .positional(.optional) {
            help = appendNote("optional", to: help)
        }
        return Row(label: label, help: help)
    }

    private static func optionRow(_ spec: OptionSpec) -> Row {
        var label = spec.shortName.map { "-\($0), " } ?? "    "
        switch spec.kind {
        case .flag:
            label += spec.isInvertible ? "--[no-]\(spec.name)" : "--\(spec.name)"
        case .option, .repeated, .positional:
            label += "--\(spec.name) <\(spec.valueName)>"
        }

        var notes: [String] = []
        if spec.kind == .repeated {
            notes.append("repeatable")
        }
        if spec.isRequired, spec.defaultValue == nil {
            notes.append("required")
        }
        if let defaultValue = spec.defaultValue, !(spec.kind == .flag && defaultValue == "false") {
            notes.append("default: \(defaultValue.isEmpty ? "\"\"" : defaultValue)")
        }
        if let variable = spec.environmentVariable {
            notes.append("env: \(variable)")
        }
        let help = notes.isEmpty ? spec.help : appendNote(notes.joined(separator: ", "), to: spec.help)
        return Row(label: label, help: help)
    }

    private static func appendNote(_ note: String, to help: String) -> String {
        help.isEmpty ? "(\(note))" : "\(help) (\(note))"
    }

    /// Renders rows as `  label   help`, with the help column aligned and wrapped.
    /// A label wider than ``maxLabelWidth`` gets its own line and the help starts below it.
    private static func renderRows(_ rows: [Row]) -> String {
        let labelWidth = min(rows.map(\.label.count).max() ?? 0, maxLabelWidth)
        let helpColumn = 2 + labelWidth + 2
        let helpIndent = String(repeating: " ", count: helpColumn)
        var lines: [String] = []

        for row in rows {
            let label = "  " + row.label
            if row.help.isEmpty {
                lines.append(label)
            } else if row.label.count > labelWidth {
                lines.append(label)
                lines.append(wrap(row.help, width: width, firstPrefix: helpIndent, restPrefix: helpIndent))
            } else {
                let padded = label + String(repeating: " ", count: helpColumn - label.count)
                lines.append(wrap(row.help, width: width, firstPrefix: padded, restPrefix: helpIndent))
            }
        }
        return lines.joined(separator: "\n")
    }

    // MARK: Wrapping

    /// Wraps paragraphs separated by blank lines. A paragraph whose first line starts with a
    /// space, such as an indented example, is kept as written.
    static func wrapParagraphs(_ text: String) -> String {
        let paragraphs = text.components(separatedBy: "\n\n")
        return paragraphs.map { paragraph in
            if paragraph.hasPrefix(" ") {
                return paragraph
            }
            let joined = paragraph.split(separator: "\n").joined(separator: " ")
            return wrap(joined, width: width, firstPrefix: "", restPrefix: "")
        }.joined(separator: "\n\n")
    }

    /// Wraps `text` at spaces so that no line exceeds `width` columns, unless a single word is
    /// wider than the space left.
    static func wrap(_ text: String, width: Int, firstPrefix: String, restPrefix: String) -> String {
        var lines: [String] = []
        var line = firstPrefix
        var lineHasWord = false

        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidateLength = line.count + (lineHasWord ? 1 : 0) + word.count
            if lineHasWord, candidateLength > width {
                lines.append(line)
                line = restPrefix + word
            } else {
                line += (lineHasWord ? " " : "") + word
            }
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
