using System.Text.Json.Nodes;
using CsCheck;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Training.Schedules;

namespace NeuralFit.Tests.Fuzzing;

/// <summary>
/// Property-based tests of the configuration reader: random settings files are read or refused with an
/// <see cref="InputError"/>; what is read survives writing and reading back unchanged (checkpoints rely on that);
/// and every setting's own little parser (ranges, schedules, inits, sizes) refuses garbage the same clean way.
/// </summary>
public class ConfigFuzzTests
{
    const int Objects = 12_000, Texts = 10_000, SettingTexts = 8_000;

    static readonly string[] Meaningful =
    [
        "ln(x)", "sin(3*x)", "x1*x2", "0:1", "0.01:1", "-1:1", "1:0", "NaN:1", "0:Infinity", "relu", "tanh", "rellu", "adam", "sgd", "lbfgs",
        "cosine", "cosine:0.1+warmup:10", "step:100:0.5", "plateau:0:2", "uniform:0:1", "normal:0.1", "he-normal", "zeros", "constant:0.1",
        "fresh-uniform", "grid", "both", "float64", "float32", "stop", "rollback", "2GB", "1MB", "4", "-1", "", " ", "none", "50,10", "1e9",
    ];

    static readonly Gen<JsonNode?> Scalar = Gen.Frequency(
        (3, Gen.OneOf(Meaningful.Select(m => Gen.Const<JsonNode?>(JsonValue.Create(m))).ToArray())),
        (2, Gen.Int[-10, 5000].Select(i => (JsonNode?)JsonValue.Create(i))),
        (1, Gen.Long.Select(i => (JsonNode?)JsonValue.Create(i))),
        (1, Gen.Double.Where(double.IsFinite).Select(d => (JsonNode?)JsonValue.Create(d))),
        (1, Gen.Double[-2, 2].Select(d => (JsonNode?)JsonValue.Create(d))),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (1, Gen.String.Select(s => (JsonNode?)JsonValue.Create(s))),
        (1, Gen.Const<JsonNode?>(() => null)));

    static readonly Gen<JsonNode?> Value = Gen.Recursive<JsonNode?>((depth, self) => depth >= 3 ? Scalar : Gen.Frequency(
        (6, Scalar),
        (1, self.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray()))),
        (1, Gen.Select(Gen.String[0, 8], self).Array[0, 3].Select(props =>
        {
            var o = new JsonObject();
            foreach (var (k, v) in props) o[k] = v?.DeepClone();
            return (JsonNode?)o;
        }))));

    static readonly Gen<string> Key = Gen.Frequency(
        (8, Gen.OneOf(Settings.All.Select(s => Gen.Const(s.Key)).ToArray())),
        (1, Gen.OneOf(Gen.Const("learningRte"), Gen.Const("batchsize"), Gen.Const("Steps"), Gen.Const("description"), Gen.Const("$schema"))),
        (1, Gen.String[0, 12]));

    static readonly Gen<JsonObject> ConfigObject = Gen.Select(Key, Value).Array[0, 8].Select(props =>
    {
        var o = new JsonObject();
        foreach (var (k, v) in props) o[k] = v?.DeepClone();
        return o;
    });

    [Fact]
    public void RandomSettingsAreReadOrRefusedAndWhatIsReadRoundTrips()
    {
        int accepted = 0;
        ConfigObject.Sample(o =>
        {
            RunConfig config;
            try
            {
                // A target to start from, so that files without one are read through rather than refused at once.
                config = Defaults.Complete(ConfigReader.FromJson(o.ToJsonString(), "fuzz.json", new FitOptions { Target = "ln(x)" }));
                ResourceEstimate.Check(config);
            }
            catch (InputError) { return; }
            Interlocked.Increment(ref accepted);
            string written = ConfigReader.ToJson(config).ToJsonString();
            string again = ConfigReader.ToJson(ConfigReader.FromJson(written, "again.json", new FitOptions())).ToJsonString();
            if (written != again) throw new Exception($"{o.ToJsonString()} was read as {written}, which reads back as {again}");
        }, iter: Objects);
        Assert.True(accepted > Objects / 10, $"only {accepted} of {Objects} random files were valid: the generator tests little beyond refusal");
    }

    [Fact]
    public void MangledConfigFilesAreReadOrRefused()
    {
        const string valid = """
            { "target": "ln(x)", "domain": ["0.01:1"], "layers": [50, 10], "activation": "relu", "init": "uniform:0:1",
              "optimizer": "adam", "learningRate": 1e-3, "schedule": "cosine:0.1+warmup:100", "batchSize": 500, "steps": 20000,
              "checkpoint": "ck", "checkpointEvery": 100, "onDivergence": "rollback", "maxSeconds": 60, "maxMemory": "2GB" }
            """;
        Gen.Select(Gen.Int[0, 3].Array[1, 5], Gen.Int.Positive.Array[5], Gen.Char).Sample(t =>
        {
            var s = new System.Text.StringBuilder(valid);
            for (int i = 0; i < t.Item1.Length && s.Length > 0; i++)
            {
                int at = t.Item2[i] % s.Length;
                switch (t.Item1[i])
                {
                    case 0: s.Remove(at, Math.Min(s.Length - at, 1 + t.Item2[(i + 1) % 5] % 8)); break;
                    case 1: s.Insert(at, t.Item3); break;
                    case 2: s.Insert(at, s.ToString(at, Math.Min(6, s.Length - at))); break;
                    default: s.Length = at; break;
                }
            }
            try { ResourceEstimate.Check(Defaults.Complete(ConfigReader.FromJson(s.ToString(), "fuzz.json", new FitOptions()))); }
            catch (InputError) { }
        }, iter: Texts);
    }

    [Fact]
    public void EverySettingsParserRefusesGarbageWithAnInputError()
    {
        var text = Gen.Frequency(
            (2, Gen.OneOf(Meaningful.Select(Gen.Const).ToArray())),
            (3, Gen.Char["0123456789.:+-eE,warmupconstepxlinfNaIyGBMKi "].Array[0, 24].Select(c => new string(c))),
            (1, Gen.String));
        text.Sample(t =>
        {
            Try(() => Interval.Parse(t, "--domain"));
            Try(() => ScheduleSpec.Parse(t, "--schedule"));
            Try(() => InitSpec.Parse(t, "--init"));
            Try(() => ByteSize.Parse(t, new FlagValue("--max-memory", [t]).Error));
            foreach (var setting in Settings.All) Try(() => setting.Read(new FitOptions(), new FlagValue(setting.Flag, [t])));
        }, iter: SettingTexts);
    }

    static void Try(Action read)
    {
        try { read(); }
        catch (InputError) { }
    }
}
