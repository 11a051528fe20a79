using System.CommandLine;
using NeuralFit.Cli.Commands;

namespace NeuralFit.Cli;

/// <summary>The `neuralfit` command: its subcommands, and parse errors turned into one clean line.</summary>
public static class App
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("NeuralFit: fit functions with small neural networks, and find out why a fit fails.");
        root.Subcommands.Add(FitCommand.Create());
        root.Subcommands.Add(DiagnoseCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(SeedCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        // No response files: System.CommandLine would otherwise read any argument starting with '@' as a file of more
        // arguments, so `--target @/secret` would print the secret's words in its error.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
            throw new InputError(ParseErrors.Describe(parse));
        return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }
}
