import SpecTagArguments

/// `spectag bench`: speed measurements for BENCHMARKS.md.
struct BenchCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "bench",
            abstract: "Measure speed: the encoder against sgemm and PyTorch, and speculative against greedy decoding.",
            discussion: "Build with -c release before measuring; debug builds are many times slower.",
            subcommands: [BenchEncoderCommand.self, BenchDecodeCommand.self]
        )
    }

    init(_ arguments: ParsedArguments) {}
}
