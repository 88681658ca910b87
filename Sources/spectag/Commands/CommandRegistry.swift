import SpecTagArguments

/// The subcommands of `spectag`, in the order the help lists them.
///
/// To add a command, write `Commands/<Name>Command.swift` and add its type here.
enum CommandRegistry {
    static let subcommands: [any Command.Type] = [
        ServeCommand.self,
        DemoCommand.self,
        ProduceCommand.self,
        ConsumeCommand.self,
        MonitorCommand.self,
        AlertsCommand.self,
        TagCommand.self,
        EvalCommand.self,
        TrainDrafterCommand.self,
        BenchCommand.self,
        EncodeCommand.self,
        VersionCommand.self,
    ]
}
