using NeuralFit.Evaluation;

namespace NeuralFit.Fitting;

/// <summary>A classical approximation measured on the same evaluation set as the network.</summary>
/// <param name="Method">"chebyshev": the interpolant at Chebyshev points of the training domain.</param>
/// <param name="Coefficients">Its number of coefficients: the network's number of parameters.</param>
internal sealed record ReferenceFit(string Method, int Coefficients, Evaluation.Evaluation Evaluation);

/// <summary>
/// The reference line of a 1-D target: how well a Chebyshev interpolant with as many coefficients as the network has
/// parameters does on the evaluation grid, so the network's error can be read against a classical approximation of
/// the same size. Not given for data files, several inputs or several outputs, or when the target is not finite at a node.
/// </summary>
internal static class ReferenceLine
{
    public static ReferenceFit? For(Problem problem, int parameters)
    {
        if (problem.IsDataset || problem.InputCount != 1 || problem.OutputCount != 1 || parameters > ChebyshevInterpolant.MaxCoefficients) return null;
        var interpolant = ChebyshevInterpolant.Fit(problem.Function, problem.Domain[0], parameters);
        if (interpolant is null) return null;
        var x = problem.EvaluationSet.X.Span;
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = interpolant.Evaluate(x[i]);
        return new ReferenceFit("chebyshev", parameters, Metrics.Compare(problem.EvaluationSet, y, problem.EvaluationLabel));
    }
}
