import SpecTagArguments

/// The root command, `spectag`. Its subcommands are listed in ``CommandRegistry``.
struct SpecTagCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "spectag",
            abstract: "Tag streaming financial news with named entities and sentiment, using speculative tagging.",
            discussion: """
                A cheap drafter proposes the tag sequence of each sentence and a BERT-style target model \
                verifies it in one parallel pass.

                Logging goes to standard error as one JSON object per line. Set SPECTAG_LOG_LEVEL to \
                trace, debug, info, notice, warning, error or critical (default: info) and \
                SPECTAG_LOG_FORMAT to json or text (default: json).
                """,
            version: SpecTagVersion.number,
            subcommands: CommandRegistry.subcommands
        )
    }

    init(_ arguments: ParsedArguments) {}
}
