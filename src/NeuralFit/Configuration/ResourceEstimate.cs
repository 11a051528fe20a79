using System.Globalization;
using NeuralFit.Sampling;

namespace NeuralFit.Configuration;

/// <summary>
/// The memory and time a run will need, estimated from its configuration alone, before anything is allocated: a
/// run that cannot fit in memory, or would not finish in any reasonable time, is refused with the numbers rather
/// than failing hours in (or taking the machine down with it). Sizes are computed in floating point, so absurd
/// settings (a 10^9-wide layer) give an absurd estimate, never an overflow.
/// </summary>
internal sealed record ResourceEstimate(double Parameters, double Bytes, double Seconds, double LargestArray, string Network, string Breakdown)
{
    /// <summary>Multiply-adds per second assumed for the time estimate: a modest single core. Wide layers run
    /// faster than this; narrow ones pay per-step overhead instead, counted separately.</summary>
    public const double MultiplyAddsPerSecond = 5e9;

    /// <summary>Batch drawing, loss, optimizer update and observers: paid every step whatever the network.</summary>
    const double StepOverheadSeconds = 2e-6;

    /// <summary>A run estimated to train longer than this is refused unless --max-seconds bounds it.</summary>
    public static readonly TimeSpan LongestUnbounded = TimeSpan.FromDays(30);

    /// <summary>Reference sample standing for fresh batches when the normaliser is fitted (see Problem).</summary>
    const int ReferenceSampleSize = 4096;

    /// <summary>The prediction workspace's batch (see FittedModel).</summary>
    const int PredictionChunk = 1024;

    /// <param name="steps">Overrides the configuration's steps (for a value it could not hold).</param>
    /// <param name="layers">Overrides the hidden widths (for a value they could not hold).</param>
    public static ResourceEstimate For(RunConfig c, double? steps = null, IReadOnlyList<double>? layers = null)
    {
        double inputs = c.InputCount;
        double[] widths = [inputs, .. layers ?? c.Layers.Select(w => (double)w), 1];
        double multiplyAdds = 0, parameters = 0, perSample = inputs + 1, widest = 0;
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            multiplyAdds += widths[l] * widths[l + 1];
            parameters += widths[l] * widths[l + 1] + widths[l + 1];
            bool hidden = l + 2 < widths.Length;
            perSample += widths[l + 1] * (hidden ? (c.Dropout > 0 ? 5 : 3) : 2); // z, a, delta (+ mask, dropped); the output's a is its z
            widest = Math.Max(widest, widths[l + 1]);
        }
        double element = c.Precision == Precision.Float64 ? 8 : 4;
        bool fresh = c.Sampler == SamplerKind.FreshUniform, wholeBatch = c.Optimizer.IsWholeBatch();
        double samples = fresh ? ReferenceSampleSize : TensorPoints(c.Sampler is SamplerKind.Grid or SamplerKind.Chebyshev or SamplerKind.LogGrid, c.Samples, c.InputCount);
        double batch = fresh ? c.BatchSize : Math.Min(c.BatchSize, samples);
        double evalPoints = TensorPoints(true, c.EvalPoints, c.InputCount);

        // Parameter-shaped vectors: parameters, gradient, the best model and its candidate, the divergence guard's last
        // good state and its candidate, optimizer state (twice more for rollbacks), and the float64 draw they start
        // from; a checkpoint copies several of them to float64 and encodes them.
        double optimizerVectors = c.Optimizer switch { OptimizerKind.Sgd => 0, OptimizerKind.Adam or OptimizerKind.AdamW => 2, _ => 1 };
        double copies = 6 + optimizerVectors * (c.OnDivergence == DivergencePolicy.Rollback ? 3 : 1);
        double parameterBytes = parameters * (element * copies + 8);
        double checkpointBytes = c.Checkpoint is null ? 0 : parameters * 8 * (5 + 3 * optimizerVectors) * 2;
        double workspaceBytes = (batch + Math.Min(PredictionChunk, evalPoints)) * perSample * element;
        double dataBytes = (samples * 2 + evalPoints * 2) * (inputs + 1) * 8;
        var solver = Solver(c.Optimizer, parameters, samples, multiplyAdds, perSample);
        double bytes = parameterBytes + checkpointBytes + workspaceBytes + dataBytes + solver.Bytes;

        double totalSteps = steps ?? c.Steps;
        double seconds = totalSteps * (wholeBatch ? solver.MultiplyAdds / MultiplyAddsPerSecond : 3 * batch * multiplyAdds / MultiplyAddsPerSecond + StepOverheadSeconds);
        double largest = Math.Max(Math.Max(parameters, batch * widest), Math.Max(samples, evalPoints) * inputs);
        largest = Math.Max(largest, solver.LargestArray);
        string network = string.Join("-", widths.Select(w => w.ToString("0", CultureInfo.InvariantCulture)));
        string breakdown = $"parameters and optimizer state {ByteSize.Format(parameterBytes + checkpointBytes)} for {Count(parameters)} parameters, " +
                           (wholeBatch ? $"{c.Optimizer.Name()}'s own {ByteSize.Format(solver.Bytes)} ({solver.What}), " : $"training batch of {Count(batch)} {ByteSize.Format(batch * perSample * element)}, ") +
                           $"data {ByteSize.Format(dataBytes)}";
        return new ResourceEstimate(parameters, bytes, seconds, largest, network, breakdown);
    }

    /// <summary>
    /// What a whole-batch solver holds and does per iteration, in float64 whatever the precision.
    /// Levenberg–Marquardt: JᵀJ and the damped system it factors (P² each), the Jacobian (kept whole up to 4 million
    /// entries, else one block of rows at a time) and its residuals; an iteration forms JᵀJ (P²·N/2 multiply-adds),
    /// factors the system (P³/3, counted twice for the damping's retries) and computes J (a forward and backward pass
    /// per sample, about 3·N·(multiply-adds of a pass)). L-BFGS: 10 pairs of correction vectors and a few more; an
    /// iteration costs the objective and its gradient about twice (the line search), 3·N·(a pass) each.
    /// </summary>
    static (double Bytes, double MultiplyAdds, double LargestArray, string What) Solver(OptimizerKind optimizer, double p, double n, double multiplyAdds, double perSample)
    {
        const double KeptJacobian = 4_000_000, BlockRows = 2048, LbfgsVectors = 2 * 10 + 9;
        return optimizer switch
        {
            OptimizerKind.Lm => (8 * (2 * p * p + Math.Min(p * n, KeptJacobian + p * BlockRows) + 2 * n + BlockRows * perSample),
                p * p * n / 2 + 2 * p * p * p / 3 + 3 * n * multiplyAdds, p * p, "Jacobian and normal equations"),
            OptimizerKind.Lbfgs => (8 * (LbfgsVectors * p + 1024 * perSample), 2 * 3 * n * multiplyAdds, p, "10 correction pairs"),
            _ => (0, 0, 0, ""),
        };
    }

    /// <summary>Refuses, with the estimate, a run that cannot be held in memory or would not finish.</summary>
    public static void Check(RunConfig c)
    {
        var e = For(c);
        if (e.LargestArray > Array.MaxLength)
            throw new InputError($"the network {e.Network} at batch {c.BatchSize} needs a buffer of {Count(e.LargestArray)} values, " +
                                 $"more than one array can hold ({Count(Array.MaxLength)}); the whole run would need about {ByteSize.Format(e.Bytes)}");
        var (limit, source) = c.MaxMemory is long max ? (max, "FitOptions.MaxMemory") : (AvailableBytes(), "the memory available");
        if (e.Bytes > limit)
            throw new InputError($"the run would need about {ByteSize.Format(e.Bytes)} of memory ({e.Breakdown}), more than {source} " +
                                 $"({ByteSize.Format(limit)}); use a smaller network, batch or data set");
        if (c.MaxSeconds is null && e.Seconds > LongestUnbounded.TotalSeconds)
            throw new InputError($"the run would train for about {Duration(e.Seconds)} ({e.Network}, " +
                                 $"{(c.Optimizer.IsWholeBatch() ? $"{c.Optimizer.Name()} on the whole training set" : $"batch {c.BatchSize}")}, {c.Steps:N0} steps, " +
                                 $"estimated at {MultiplyAddsPerSecond / 1e9:0.#} billion multiply-adds a second); bound it with FitOptions.MaxSeconds, or use fewer steps or a smaller network");
    }

    /// <summary>What this process may allocate: the machine's memory, or the container's limit when there is one.</summary>
    public static long AvailableBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>"45 s", "12 minutes", "3.2 hours", "5.1 days", "8 months", "6,300 years".</summary>
    public static string Duration(double seconds) => seconds switch
    {
        < 120 => $"{seconds.ToString("0", CultureInfo.InvariantCulture)} s",
        < 7200 => $"{(seconds / 60).ToString("0", CultureInfo.InvariantCulture)} minutes",
        < 172_800 => $"{(seconds / 3600).ToString("0.#", CultureInfo.InvariantCulture)} hours",
        < 5_184_000 => $"{(seconds / 86_400).ToString("0.#", CultureInfo.InvariantCulture)} days",
        < 63_072_000 => $"{(seconds / 2_629_800).ToString("0.#", CultureInfo.InvariantCulture)} months",
        _ => $"{(seconds / 31_557_600).ToString(seconds < 3e15 ? "N0" : "0.#e+0", CultureInfo.InvariantCulture)} years",
    };

    static string Count(double n) => n < 1e15 ? n.ToString("N0", CultureInfo.InvariantCulture) : n.ToString("0.#e+0", CultureInfo.InvariantCulture);

    /// <summary>Points a grid or Chebyshev set of about n points holds over d inputs (see PointSets.PerAxis).</summary>
    static double TensorPoints(bool tensor, int n, int d) => tensor ? Math.Pow(PointSets.PerAxis(n, d), d) : n;
}
