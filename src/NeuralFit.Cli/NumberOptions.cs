using System.CommandLine;
using NeuralFit.Configuration;

namespace NeuralFit.Cli;

/// <summary>
/// Command options that take a number (--rounds, --seeds, --runs, --seconds) are read as text and checked here, the
/// way settings are: a value out of range gets one line with the range and the value ("--rounds: must be at most 10,
/// got 99,999,999,999"), not the parser's "cannot parse as expected type 'System.Int32'".
/// </summary>
static class NumberOptions
{
    public static Option<string> Create(string name, string description, object defaultValue, string helpName) =>
        new(name) { Description = $"{description} (default {defaultValue})", HelpName = helpName };

    /// <summary>The whole number given, from <paramref name="lo"/> to <paramref name="hi"/>, or <paramref name="fallback"/>.</summary>
    public static int Count(ParseResult parse, Option<string> option, int fallback, int lo, int hi) =>
        parse.GetValue(option) is string text ? (int)new FlagValue(option.Name, [text]).Integer(lo, hi) : fallback;

    /// <summary>The number given, in (<paramref name="above"/>, <paramref name="atMost"/>], or <paramref name="fallback"/>.</summary>
    public static double Number(ParseResult parse, Option<string> option, double fallback, double above, double atMost)
    {
        if (parse.GetValue(option) is not string text) return fallback;
        var value = new FlagValue(option.Name, [text]);
        double x = value.Number();
        return x > above && x <= atMost ? x : throw value.Error($"must be in ({above}, {atMost}], got {text.Trim()}");
    }
}
