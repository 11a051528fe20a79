using System.CommandLine;
using NeuralFit.Configuration;

namespace NeuralFit.Cli;

/// <summary>
/// The run-configuration flags, one per <see cref="Settings"/> entry, plus --config. Flags override the file.
/// Values are read as text and checked by the settings table, so a flag and a JSON key give the same errors.
/// </summary>
sealed class ConfigOptions
{
    readonly Option<string> _config = new("--config") { Description = "JSON file with any of the settings below (flags override it)", HelpName = "file" };
    readonly List<(Setting Setting, Option<string[]> Option)> _settings;

    public ConfigOptions()
    {
        // one option per flag: a flag two keys share (--y: targetColumn, targetColumns) is read by the first, which reads both
        _settings = Settings.All.DistinctBy(s => s.Flag).Select(s => (s, new Option<string[]>(s.Flag)
        {
            Description = $"{s.Help}  [JSON: {s.Key}]",
            HelpName = ValueNames.GetValueOrDefault(s.Key, "value"),
            AllowMultipleArgumentsPerToken = false,
        })).ToList();
    }

    /// <summary>What each flag's value is, for --help's `--steps &lt;steps&gt;`; a key not listed shows &lt;value&gt;.</summary>
    static readonly Dictionary<string, string> ValueNames = new()
    {
        ["target"] = "expression", ["domain"] = "lo:hi", ["data"] = "file", ["targetColumn"] = "column",
        ["inputColumns"] = "column", ["dropColumns"] = "column", ["layers"] = "widths", ["activation"] = "name",
        ["init"] = "init", ["biasInit"] = "init", ["optimizer"] = "name", ["learningRate"] = "rate", ["schedule"] = "schedule",
        ["batchSize"] = "size", ["steps"] = "steps", ["sampler"] = "name", ["samples"] = "count", ["normalize"] = "what",
        ["normalizer"] = "how", ["dropout"] = "p", ["weightDecay"] = "lambda", ["clipNorm"] = "norm", ["regularization"] = "kind",
        ["validationFraction"] = "fraction", ["earlyStopping"] = "checks", ["subsample"] = "rows", ["precision"] = "type", ["seed"] = "seed",
        ["displayStep"] = "steps", ["testFraction"] = "fraction", ["evalDomain"] = "lo:hi", ["evalPoints"] = "count",
        ["lossGoal"] = "loss", ["goalMse"] = "mse", ["goalMaxError"] = "error", ["checkpoint"] = "folder",
        ["checkpointEvery"] = "steps", ["onDivergence"] = "policy", ["maxSeconds"] = "seconds", ["maxMemory"] = "size",
        ["objective"] = "name", ["folds"] = "K",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_config);
        foreach (var (_, option) in _settings) command.Options.Add(option);
    }

    /// <summary>The run the file and flags describe, NeuralFit choosing what neither sets.</summary>
    public RunConfig Read(ParseResult parse) => RunConfig.From(ReadOptions(parse));

    /// <summary>The options set by the file and the flags, which override it.</summary>
    public FitOptions ReadOptions(ParseResult parse) => Read(parse, parse.GetValue(_config) is string path ? ConfigReader.FromFile(path) : new FitOptions());

    public bool HasConfigFile(ParseResult parse) => parse.GetValue(_config) is not null;

    /// <summary>The files this configuration reads: the config file itself and its data file.</summary>
    public void Claim(FileRoles roles, ParseResult parse, RunConfig run)
    {
        if (parse.GetValue(_config) is string path) roles.Input("--config", path);
        if (run.Data is not null) roles.Input("--data", run.Data, NeuralFit.Targets.Datasets.Dataset.PathOf(run));
    }

    /// <summary>The keys set by flags.</summary>
    public IReadOnlyList<string> FlagKeys(ParseResult parse) =>
        _settings.Where(s => parse.GetValue(s.Option) is { Length: > 0 }).Select(s => s.Setting.Key).ToList();

    /// <summary>The flags applied on top of <paramref name="config"/>.</summary>
    public FitOptions Read(ParseResult parse, FitOptions config)
    {
        foreach (var (setting, option) in _settings)
        {
            var values = parse.GetValue(option);
            if (values is null || values.Length == 0) continue;
            if (values.Length > 1 && !setting.Repeatable)
                throw new InputError($"{setting.Flag} is given {values.Length} times; give it once");
            config = ConfigReader.Apply(config, setting.Key, new FlagValue(setting.Flag, values), "flags");
        }
        return config;
    }
}
