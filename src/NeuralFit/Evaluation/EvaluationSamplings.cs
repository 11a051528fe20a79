namespace NeuralFit.Evaluation;

/// <summary>The names of the ways evaluation points are placed, as the result JSON writes them (<c>evaluation.sampling</c>).</summary>
internal static class EvaluationSamplings
{
    /// <summary>An even grid over the evaluation ranges: 1 or 2 inputs.</summary>
    public const string Grid = "grid";

    /// <summary>The first points of the Sobol sequence, plus a search for the worst point: 3 or more inputs.</summary>
    public const string Sobol = "sobol";

    /// <summary>A data file's held-out test rows (or its training rows when none are held out).</summary>
    public const string Rows = "rows";
}
