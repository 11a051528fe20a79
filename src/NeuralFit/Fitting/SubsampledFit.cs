using System.Diagnostics;
using System.Globalization;
using NeuralFit.Configuration;

namespace NeuralFit.Fitting;

/// <summary>
/// L-BFGS on a data file with more rows than an iteration can afford (<see cref="Defaults.LbfgsBudget"/>): first on a
/// random subsample of <see cref="RunConfig.Subsample"/> training rows (NeuralFit's choice <see cref="Defaults.SubsampleRows"/>;
/// the same share of the validation rows), its full iteration count; then on every row, from where the first stage stopped, for as many iterations as
/// cost the first stage's work again (iterations × rows), so the whole set corrects what the subsample could not
/// tell. The normaliser is the whole training set's in both stages, so the parameters carry over as they are.
///
/// Why not Adam's minibatches over many passes: each of its steps sees 64 rows, so it needs hundreds of thousands
/// of steps to resolve a smooth target to the noise, where L-BFGS's iterations on a subsample that pins the
/// parameters down (100 rows each) get there in a few thousand. Measured on benchmarks/data/friedman8.py's file of
/// 1e6 rows (benchmarks/README.md): Adam's former default, 5000 steps at batch 64, reached test r2 0.991; this
/// reaches the 1e5-row file's r2.
/// </summary>
static class SubsampledFit
{
    /// <summary>When it runs: L-BFGS with a subsample (<see cref="RunConfig.Subsample"/>, which NeuralFit sets for a file
    /// beyond <see cref="Defaults.LbfgsBudget"/>, the rule that chose L-BFGS there, <see cref="Defaults.Solver"/>) smaller
    /// than the training rows; a file within the budget trains on every row from the start.</summary>
    public static bool Applies(RunConfig completed, Problem problem) =>
        completed.Optimizer == OptimizerKind.Lbfgs && completed.Subsample > 0 && problem.Training.Count > completed.Subsample;

    public static (FitResult Result, Stage First) Run(RunConfig completed, Problem problem, FitHooks hooks, CancellationToken cancel)
    {
        int rows = completed.Subsample, all = problem.Training.Count;
        var clock = Stopwatch.StartNew();
        CollectSetUpArrays();
        var part = problem.Subsample(rows, RandomStreams.Stage(completed.Seed, 0));
        string label = string.Create(CultureInfo.InvariantCulture, $"stage 1 (lbfgs on {part.Training.Count:N0} of {all:N0} training rows)");
        var first = FitRunner.RunProblem(completed, part, CollectingOnceSetUp(FitRunner.StageHooks(hooks, label)), cancel);
        var stage = new Stage(completed.Layers, part.Training.Count, clock.Elapsed.TotalSeconds, first.Evaluation.R2,
            first.Evaluation.Domain, "lbfgs on a subsample");
        int steps = WholeSetSteps(first.Steps - first.StartStep, part.Training.Count, all);
        CollectSetUpArrays();
        var whole = FitRunner.RunProblem(completed with { Steps = steps }, problem, CollectingOnceSetUp(hooks), cancel, first.Model.ParametersAsDouble());
        CollectSetUpArrays(); // and after the last: the whole set's solver arrays, before the result's evaluations
        // the configuration as completed, not the second stage's: rerun, it makes both stages again
        return (whole with { Config = completed, Notes = [.. whole.Notes, Note(first, part.Training.Count, all, steps)] }, stage);
    }

    /// <summary>
    /// A full collection before each stage sets up, once it is set up, and after the last, each one handing the memory
    /// it frees back to the system (<see cref="GCCollectionMode.Aggressive"/>). Setting up a run on many rows leaves
    /// large arrays behind (the split's row lists, the subsample's, the least-squares start's features, 3–8 MB each on
    /// a million rows). A collection by the runtime's own schedule frees them but keeps their memory for the heap to
    /// grow into again, and a stage that then allocates little (a solver's passes allocate nothing) holds it to the
    /// end: 16–20 MiB of empty heap through each stage. The live data are arrays of numbers, which a collection does not
    /// walk: the fit's CPU time did not change measurably (15.3–16.4 s against 15.1–17.2 s, under load). The collection after the second stage lets the result's evaluations use the
    /// memory of the whole set's solver arrays (its targets, order and lanes' workspaces, about 10 MB on 722,500 rows).
    /// Measured on benchmarks/data/friedman8.py's 1e6 rows with defaults (maximum resident set size, benchmarks/README.md,
    /// "Million-row data: Sep tried, and the memory margin"): 155,072–155,552 KiB when the collections kept the memory
    /// they freed and came before the stages only, 149,348–150,624 KiB once they give it back and each stage collects
    /// once set up.
    /// </summary>
    static void CollectSetUpArrays() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>The hooks with a collection once the stage's run is set up, before its first iteration.</summary>
    static FitHooks CollectingOnceSetUp(FitHooks hooks) => hooks with { Extensions = [.. hooks.Extensions, new CollectionOnceSetUp()] };

    sealed class CollectionOnceSetUp : IRunExtension
    {
        public void Attach<T>(RunContext<T> context) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => CollectSetUpArrays();
    }

    /// <summary>Iterations on every row that cost what the first stage's <paramref name="stepsRun"/> on <paramref name="rows"/>
    /// did; at least 20, so the whole set always has its say.</summary>
    public static int WholeSetSteps(int stepsRun, int rows, int all) => Math.Max(20, (int)((long)stepsRun * rows / Math.Max(1, all)));

    static string Note(FitResult first, int rows, int all, int steps) => string.Create(CultureInfo.InvariantCulture,
        $"lbfgs trained first on a random {rows:N0} of the {all:N0} training rows ({first.Steps:N0} iterations, {first.Evaluation.Domain} r2 {first.Evaluation.R2:G6}), then on all of them from there (up to {steps:N0} iterations, as much work again)");
}
