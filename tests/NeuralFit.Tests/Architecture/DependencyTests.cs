using System.Reflection;
using NeuralFit.Networks;

namespace NeuralFit.Tests.Architecture;

/// <summary>
/// The library's folders form layers, in the order docs/architecture.md draws them: each may use the layers below
/// it and none above, so lower layers never reach up (kernels never see training, persistence never sees the
/// orchestration) and no two folders depend on each other. Checked on the compiled assembly's type references, so a
/// reference through a fully qualified name or inside a method body counts as much as a using.
/// </summary>
public class DependencyTests
{
    /// <summary>Lowest first. A namespace's folder, with its subfolders where they are listed together; references
    /// within one layer are free.</summary>
    static readonly string[][] Layers =
    [
        ["NeuralFit"], // InputError, Suggestions, ByteSize: words every layer uses
        ["NeuralFit.Files"], // reading what a user hands over, bounded; what kind of file a path is
        ["NeuralFit.Numerics"],
        ["NeuralFit.Targets", "NeuralFit.Targets.Expressions"],
        ["NeuralFit.Preprocessing"],
        ["NeuralFit.Sampling"],
        ["NeuralFit.Targets.Datasets"],
        ["NeuralFit.Networks.Kernels", "NeuralFit.Networks.Kernels.Reference", "NeuralFit.Networks.Kernels.Blocked", "NeuralFit.Networks.Kernels.OneInput"],
        ["NeuralFit.Networks"],
        ["NeuralFit.Training", "NeuralFit.Training.Schedules", "NeuralFit.Training.Optimizers", "NeuralFit.Training.Solvers", "NeuralFit.Training.Observers"],
        ["NeuralFit.Evaluation"],
        ["NeuralFit.Configuration"],
        ["NeuralFit.Persistence", "NeuralFit.Persistence.Onnx", "NeuralFit.Persistence.Checkpoints"],
        ["NeuralFit.Fitting"],
        ["NeuralFit.Diagnostics", "NeuralFit.Diagnostics.Probes", "NeuralFit.Diagnostics.Checks"],
        ["NeuralFit.Estimators"], // the array API: fit, predict, save, diagnose
        ["NeuralFit.Question"],
        ["NeuralFit.Sweeps"],
        ["NeuralFit.Results"],
        ["NeuralFit.Benchmarking"],
    ];

    /// <summary>
    /// The references that still reach up, each to one named type: words of a configuration that lower layers take
    /// as arguments but that live in Configuration/ (docs/architecture.md lists them as the next to move). Any other
    /// upward reference fails the test, including a new one to these layers.
    /// </summary>
    static readonly (string From, string To)[] KnownUpward =
    [
        ("NeuralFit.Sampling", "NeuralFit.Configuration.Interval"),
        ("NeuralFit.Targets.Datasets", "NeuralFit.Configuration.Interval"),
        ("NeuralFit.Targets.Datasets", "NeuralFit.Configuration.RunConfig"),
        ("NeuralFit.Evaluation", "NeuralFit.Configuration.Interval"),
        ("NeuralFit.Preprocessing", "NeuralFit.Configuration.NormalizeMode"),
        ("NeuralFit.Preprocessing", "NeuralFit.Configuration.NormalizerKind"),
    ];

    static readonly Assembly Library = typeof(Mlp<>).Assembly;

    /// <summary>The library's own namespaces: the compiler adds others (e.g. source-generated regular expressions).</summary>
    static bool Own(string? ns) => ns is not null && (ns == "NeuralFit" || ns.StartsWith("NeuralFit.", StringComparison.Ordinal));

    static readonly Lazy<(Type From, Type To)[]> References = new(() => TypeReferences.Of(Library)
        .Where(r => r.To.Assembly == Library && Own(r.From.Namespace) && Own(r.To.Namespace) && r.From.Namespace != r.To.Namespace)
        .ToArray());

    static int LayerOf(string ns)
    {
        int layer = Array.FindIndex(Layers, l => l.Contains(ns));
        Assert.True(layer >= 0, $"the namespace {ns} is in no layer: add it to DependencyTests.Layers (and to docs/architecture.md)");
        return layer;
    }

    /// <summary>Every reference to a layer above the one it is made from, with an example of who refers to what.</summary>
    static IEnumerable<string> UpwardReferences(Func<(Type From, Type To), bool> which) =>
        References.Value.Where(which)
            .Where(r => LayerOf(r.To.Namespace!) > LayerOf(r.From.Namespace!))
            .Where(r => !KnownUpward.Contains((r.From.Namespace!, r.To.FullName!)))
            .GroupBy(r => $"{r.From.Namespace} → {r.To.Namespace}")
            .Select(g => $"{g.Key} ({string.Join(", ", g.Select(r => $"{r.From.Name} uses {r.To.Name}").Distinct().Take(3))})");

    [Fact]
    public void EveryFolderUsesOnlyTheFoldersBelowIt()
    {
        var upward = UpwardReferences(_ => true).ToList();
        Assert.True(upward.Count == 0, "references up the layers:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void KernelsSeeNeitherTheNetworkNorTraining()
    {
        var seen = References.Value.Where(r => r.From.Namespace!.StartsWith("NeuralFit.Networks.Kernels", StringComparison.Ordinal)
            && (r.To.Namespace == "NeuralFit.Networks" || r.To.Namespace!.StartsWith("NeuralFit.Training", StringComparison.Ordinal)))
            .Select(r => $"{r.From.Name} uses {r.To.FullName}").Distinct().ToList();
        Assert.True(seen.Count == 0, "kernels work on spans; they must not see Mlp, Workspace or training:\n" + string.Join("\n", seen));
    }

    [Fact]
    public void PersistenceDoesNotSeeTheOrchestration()
    {
        var seen = References.Value.Where(r => r.From.Namespace!.StartsWith("NeuralFit.Persistence", StringComparison.Ordinal)
            && r.To.Namespace is "NeuralFit.Fitting" or "NeuralFit.Results" or "NeuralFit.Diagnostics")
            .Select(r => $"{r.From.Name} uses {r.To.FullName}").Distinct().ToList();
        Assert.True(seen.Count == 0, "model files and checkpoints are read and written without the run that made them:\n" + string.Join("\n", seen));
    }

    [Fact]
    public void EveryNamespaceIsInALayer()
    {
        foreach (var ns in Library.GetTypes().Select(t => t.Namespace).Where(Own).Distinct()) LayerOf(ns!);
    }

    /// <summary>The reading sees inside method bodies, where most references are: a test that read only signatures
    /// would pass whatever a method did.</summary>
    [Fact]
    public void ReferencesInsideMethodBodiesAreSeen()
    {
        // Mlp.Forward walks the plan's passes: IForwardPass appears only in its body, not in its signature.
        Assert.Contains(References.Value, r => r.From == typeof(Mlp<>) && r.To == typeof(NeuralFit.Networks.Kernels.IForwardPass<>));
        // ActivationDispatch names each activation's struct only in its switch.
        Assert.Contains(References.Value, r => r.From == typeof(ActivationDispatch) && r.To == typeof(NeuralFit.Networks.Kernels.Sine<>));
    }
}
