namespace NeuralFit.Training.Schedules;

/// <summary>
/// The learning rate at each step: the base rate times a factor from the schedule, times a linear warmup ramp.
/// Factors count the steps completed before this one, as PyTorch's schedulers do (StepLR, ExponentialLR,
/// CosineAnnealingLR with T_max = the run's steps): the first step runs at the base rate.
/// Step decay with every = 0 decays at each third of the run. Reduce-on-plateau watches the training loss at each
/// history record and multiplies the factor when it has not improved by 0.1 % for <c>patience</c> records.
/// </summary>
internal sealed class Schedule(ScheduleSpec spec, double baseRate, int totalSteps)
{
    double _plateauFactor = 1.0, _best = double.PositiveInfinity;
    int _sinceBest;

    public ScheduleSpec Spec => spec;

    /// <summary>Multiplies every rate: 1 unless a divergence rollback has halved it.</summary>
    public double RateScale { get; set; } = 1.0;

    /// <summary>Learning rate for 1-based step.</summary>
    public double Rate(int step)
    {
        int done = Math.Max(0, step - 1);
        double t = Math.Clamp((double)done / Math.Max(1, totalSteps), 0, 1);
        double factor = spec.Kind switch
        {
            ScheduleKind.Step => Math.Pow(spec.B, Math.Floor(done / (spec.A > 0 ? spec.A : Math.Max(1.0, totalSteps / 3.0)))),
            ScheduleKind.Exponential => Math.Pow(spec.A, t),
            ScheduleKind.Cosine => spec.A + (1 - spec.A) * 0.5 * (1 + Math.Cos(Math.PI * t)),
            ScheduleKind.Plateau => _plateauFactor,
            _ => 1.0,
        };
        if (spec.WarmupSteps > 0 && step <= spec.WarmupSteps) factor *= (double)step / spec.WarmupSteps;
        return baseRate * factor * RateScale;
    }

    /// <summary>Feeds the training loss at a history record (used by reduce-on-plateau).</summary>
    public void Observe(double loss)
    {
        if (spec.Kind != ScheduleKind.Plateau || !double.IsFinite(loss)) return;
        if (loss < _best * (1 - 1e-3)) { _best = loss; _sinceBest = 0; return; }
        if (++_sinceBest >= spec.A)
        {
            _plateauFactor = Math.Max(1e-4, _plateauFactor * spec.B);
            _sinceBest = 0;
        }
    }

    public (double PlateauFactor, double Best, int SinceBest) State => (_plateauFactor, _best, _sinceBest);

    public void Restore((double PlateauFactor, double Best, int SinceBest) state) =>
        (_plateauFactor, _best, _sinceBest) = state;
}
