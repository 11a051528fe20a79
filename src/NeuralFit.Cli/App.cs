using System.CommandLine;
using System.CommandLine.Help;
using NeuralFit.Cli.Commands;

namespace NeuralFit.Cli;

/// <summary>The `neuralfit` command: its subcommands, and parse errors turned into one clean line.</summary>
public static class App
{
    public const string Name = "neuralfit";

    public static int Run(string[] args)
    {
        // A plain command named for the tool, not a RootCommand, whose name is the running file's: `NeuralFit.Cli`
        // under `dotnet run` or `dotnet NeuralFit.Cli.dll`, where the usage line should still say `neuralfit`.
        var root = new Command(Name, "NeuralFit: fit functions with small neural networks, and find out why a fit fails.")
        {
            Options = { new HelpOption(), new VersionOption() },
        };
        root.Subcommands.Add(FitCommand.Create());
        root.Subcommands.Add(DiagnoseCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(SeedCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        // A bare `neuralfit` lists the commands, as --help does. No response files: System.CommandLine would otherwise
        // read any argument starting with '@' as a file of more arguments, so `--target @/secret` would print the
        // secret's words in its error.
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
            throw new InputError(ParseErrors.Describe(parse));
        return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }
}
