import SpecTagArguments

/// The subcommands of `spectag`, in the order the help lists them.
///
/// To add a command, write `Commands/<Name>Command.swift` and add its type here.
enum CommandRegistry {
    static let subcommands: [any Command.Type] = [
        TagCommand.self,
        EvalCommand.self,
        EncodeCommand.self,
        ServeCommand.self,
        ProduceCommand.self,
        ConsumeCommand.self,
        BenchCommand.self,
        TrainDrafterCommand.self,
        AlertsCommand.self,
        MonitorCommand.self,
        VersionCommand.self,
    ]
}
