using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// unscaled-inputs and unscaled-targets: what the network is fed, after any normalisation, is far from zero mean
/// and unit scale (mean beyond ±3 or standard deviation outside [0.1, 10], as in
/// <see cref="Preprocessing.Normalization.IsFarFromUnitScale"/>). Standard inits assume inputs of order one:
/// an input of mean 500 makes every first-layer pre-activation hundreds of units wide (saturating tanh, or
/// making ReLU kinks sit far outside the data); targets of scale 1000 make the first gradients a thousand times
/// larger than the init expects. Inputs that are merely not centred (|mean| above the std) are noted as info; when
/// they are normalised already, the range was mapped onto [−1, 1] with the data crowding one end (log-spaced
/// samples, say), and the fix is to standardise instead.
/// </summary>
internal static class ScaleChecks
{
    public static IEnumerable<Finding> Inputs(RunTrace t)
    {
        for (int j = 0; j < t.Data.Inputs.Length; j++)
        {
            var c = t.Data.Inputs[j];
            string name = t.Data.Inputs.Length == 1 ? "x" : $"x{j + 1}";
            bool far = Preprocessing.Normalization.IsFarFromUnitScale(c.FedMean, c.FedStd);
            bool offCentre = Math.Abs(c.FedMean) > c.FedStd;
            if (!far && !offCentre) continue;
            var severity = far ? (t.FitFailed ? Severity.Error : Severity.Warning) : Severity.Info;
            string what = far ? "far from zero mean and unit scale" : "not centred";
            var first = t.Initial.Layers[0];
            string effect = far ? $"; layer 1's pre-activations start with mean {N(first.PreActivationMean)} and std {N(first.PreActivationStd)}" : "";
            yield return new Finding(FindingCodes.UnscaledInputs, severity,
                $"The network is fed {name} with mean {N(c.FedMean)} and std {N(c.FedStd)}: {what}{(c.Normalized ? "" : " (not normalised)")}{effect}.")
            {
                Evidence = Of(("input", name), ("fedMean", c.FedMean), ("fedStd", c.FedStd), ("normalized", c.Normalized)),
                // Already normalised yet off-centre: the range was mapped (min-max) and the data crowd one end of it.
                Fixes = c.Normalized
                    ? [Fix.Of("standardise instead of mapping the range", ("normalizer", "standardize"))]
                    : [Fix.Of("standardise inputs and targets", ("normalize", "both"))],
            };
        }
    }

    public static IEnumerable<Finding> Targets(RunTrace t)
    {
        var c = t.Data.Target;
        if (!Preprocessing.Normalization.IsFarFromUnitScale(c.FedMean, c.FedStd)) yield break;
        yield return new Finding(FindingCodes.UnscaledTargets, t.FitFailed ? Severity.Error : Severity.Warning,
            $"The network is trained on targets with mean {N(c.FedMean)} and std {N(c.FedStd)}: far from zero mean and unit scale{(c.Normalized ? "" : " (not normalised)")}.")
        {
            Evidence = Of(("fedMean", c.FedMean), ("fedStd", c.FedStd), ("normalized", c.Normalized)),
            Fixes = [Fix.Of("standardise inputs and targets", ("normalize", "both"))],
        };
    }
}
