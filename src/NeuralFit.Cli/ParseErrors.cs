using System.CommandLine;

namespace NeuralFit.Cli;

/// <summary>Turns the parser's complaints into one line that names the bad token and suggests the right one.</summary>
static class ParseErrors
{
    public static string Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var unknown = parse.UnmatchedTokens.FirstOrDefault();
        if (unknown is not null)
        {
            if (unknown.StartsWith('-'))
            {
                var names = command.Options.SelectMany(o => o.Aliases.Append(o.Name)).Where(n => n.StartsWith("--"));
                return $"unknown option '{unknown}'{Suggestions.Nearest(unknown, names)}; see 'neuralfit {command.Name} --help'";
            }
            if (command.Name == App.Name)
                return $"unknown command '{unknown}'{Suggestions.Nearest(unknown, command.Subcommands.Select(c => c.Name))}; see 'neuralfit --help'";
            return $"unexpected argument '{unknown}' (did you forget the option name before it?); see 'neuralfit {command.Name} --help'";
        }
        return parse.Errors[0].Message.ReplaceLineEndings(" ");
    }
}
