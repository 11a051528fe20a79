using NeuralFit.Training;
using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>diverged: the loss or the weights became NaN or infinite. Nothing after that point is usable.</summary>
internal static class DivergedCheck
{
    public static IEnumerable<Finding> Run(RunTrace t)
    {
        bool diverged = t.Result.StopReason == StopReason.Diverged || !t.Final.AllFinite || t.Evaluation.NonFiniteOutputs > 0;
        if (!diverged) yield break;
        yield return new Finding(FindingCodes.Diverged, Severity.Error,
            $"Training diverged: {t.Result.StopDetail ?? "the weights or outputs are no longer finite"}.")
        {
            Evidence = Of(("stopReason", t.Result.StopReason.ToString()), ("step", t.Result.Steps)),
            Fixes =
            [
                Fix.Of("take steps 10× smaller", ("learningRate", t.Config.LearningRate / 10)),
                Fix.Of("clip the gradient norm at 1", ("clipNorm", 1.0)),
            ],
        };
    }
}
