namespace NeuralFit.Configuration;

/// <summary>
/// Completes a configuration: settings the user did not give are chosen to suit the ones they did.
/// </summary>
public static class Defaults
{
    public static RunConfig Complete(RunConfig c)
    {
        if (c.Target is null && c.Data is null)
            throw new InputError("no target: give --target \"expression\" with --domain lo:hi, or --data file.csv");
        if (c.Target is not null && c.Data is not null)
            throw new InputError("give either a target expression or a data file, not both");
        if (c.Optimizer.IsWholeBatch())
            throw new InputError($"--optimizer {c.Optimizer.Name()}: whole-batch solvers are not available in this version; use sgd, momentum, nesterov, rmsprop, adam or adamw");
        if (c.EvalDomain is { } e && e.Count != c.Domain.Count)
            throw new InputError($"--eval-domain gives {e.Count} ranges but --domain gives {c.Domain.Count}: give one per input");
        return c;
    }
}
