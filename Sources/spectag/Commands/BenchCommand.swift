import SpecTagArguments

/// `spectag bench`: speed measurements for BENCHMARKS.md.
struct BenchCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "bench",
            abstract: "Measure speed: the encoder against sgemm and PyTorch, speculative against greedy decoding, and the throughput of 1 to N serve instances.",
            discussion: "Build with -c release before measuring; debug builds are many times slower.",
            subcommands: [BenchEncoderCommand.self, BenchDecodeCommand.self, BenchPipelineCommand.self]
        )
    }

    init(_ arguments: ParsedArguments) {}
}
