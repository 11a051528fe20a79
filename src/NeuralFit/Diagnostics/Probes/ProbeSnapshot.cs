namespace NeuralFit.Diagnostics.Probes;

/// <summary>One hidden or output layer's state at one probe step. Norms are in the network's (normalised) units.</summary>
internal sealed record LayerSnapshot
{
    public required int Layer { get; init; }          // 1-based, as people count layers
    public required int Units { get; init; }
    public required int FanIn { get; init; }
    public required bool IsOutput { get; init; }

    /// <summary>For each unit, on how many probe inputs it is active (pre-activation > 0).</summary>
    public required int[] ActiveCounts { get; init; }

    /// <summary>
    /// Whether each unit is active on each probe input: unit u's bits start at word u·<see cref="PatternWords"/>;
    /// bit i stands for probe input i (the domain grid first, then the training sample).
    /// </summary>
    public required ulong[] ActivePattern { get; init; }
    public required int PatternWords { get; init; }

    public bool IsActive(int unit, int probe) => (ActivePattern[unit * PatternWords + (probe >> 6)] >> (probe & 63) & 1) != 0;

    /// <summary>ReLU-family units active on no probe input: zero output, zero gradient, everywhere.</summary>
    public required int DeadUnits { get; init; }

    /// <summary>tanh/sigmoid units whose derivative is below 2 % of its peak on at least 95 % of probe inputs.</summary>
    public required int SaturatedUnits { get; init; }

    /// <summary>
    /// The saturated units whose pre-activation also keeps one sign over the whole domain grid: pinned at the same
    /// bound everywhere, so they add a constant and learn from almost no sample: stuck. The other saturated units are
    /// steep: each switches from one bound to the other inside the domain, a step placed where the target needs
    /// detail (Nguyen–Widrow starts wide layers so, and fitting fine detail makes them so).
    /// </summary>
    public required int StuckUnits { get; init; }

    /// <summary>Units whose pre-activation keeps one sign over the whole domain grid.</summary>
    public required int OneSignUnits { get; init; }

    public required double ActivationMean { get; init; }
    public required double ActivationStd { get; init; }
    public required double PreActivationMean { get; init; }
    public required double PreActivationStd { get; init; }
    public required double WeightNorm { get; init; }
    public required double WeightMean { get; init; }
    public required double NegativeWeightFraction { get; init; }

    /// <summary>‖dL/dθ‖ of the layer's weights and biases on the probe training sample.</summary>
    public required double GradientNorm { get; init; }

    /// <summary>Root mean square of the gradient per parameter: comparable across layers of different size.</summary>
    public required double GradientRms { get; init; }

    /// <summary>‖θ_step − θ_step−1‖ / ‖θ_step−1‖ for the layer: how far the last update moved it. NaN when the
    /// layer's norm was below 1 % of a Glorot-initialised layer's (√(2·fanIn·fanOut/(fanIn + fanOut))): a ratio to
    /// such a norm measures the degenerate init (all zeros, say), not the step.</summary>
    public required double UpdateRatio { get; init; }

    public double DeadFraction => Units == 0 ? 0 : (double)DeadUnits / Units;
    public double SaturatedFraction => Units == 0 ? 0 : (double)SaturatedUnits / Units;
    public double StuckFraction => Units == 0 ? 0 : (double)StuckUnits / Units;
}

/// <summary>The network's state at one step, measured on the fixed probe set.</summary>
internal sealed record ProbeSnapshot
{
    public required int Step { get; init; }
    public required LayerSnapshot[] Layers { get; init; }

    /// <summary>Output over the domain grid, in the user's units.</summary>
    public required double OutputMean { get; init; }
    public required double OutputStd { get; init; }
    public required double OutputMin { get; init; }
    public required double OutputMax { get; init; }

    /// <summary>Squared error on the probe training sample, in the user's units, and the targets' variance there
    /// (what the best constant achieves).</summary>
    public required double ProbeMse { get; init; }
    public required double TargetVariance { get; init; }

    /// <summary>For ReLU-family networks with one input: places on the domain grid where the activation pattern
    /// changes, i.e. kinks of the fitted curve (a lower bound on their number).</summary>
    public int? Kinks { get; init; }

    /// <summary>The step whose weights these are, when early stopping put the best weights back at the end.</summary>
    public int? RestoredFrom { get; init; }

    /// <summary>Every parameter and every probe activation finite.</summary>
    public required bool AllFinite { get; init; }

    public double GradientNorm => Math.Sqrt(Layers.Sum(l => l.GradientNorm * l.GradientNorm));
    public IEnumerable<LayerSnapshot> Hidden => Layers.Where(l => !l.IsOutput);
}
