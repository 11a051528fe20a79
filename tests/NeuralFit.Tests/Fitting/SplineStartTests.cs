using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Networks;

namespace NeuralFit.Tests.Fitting;

/// <summary>
/// A one-input ReLU network of the user's starts as a whole linear spline (<see cref="SplineKnots"/>, then
/// <see cref="LeastSquaresStart"/>): before any step, its worst error is about that of the piecewise-linear
/// interpolant on knots that share ∫√|f''| equally, (∫√|f''| / pieces)² / 8.
/// </summary>
public class SplineStartTests
{
    [Theory]
    [InlineData("ln(x)", 0.01, 1.0)]       // ∫√|f''| = ln(100): knots crowd toward 0.01
    [InlineData("exp(3*x)", -1.0, 1.0)]    // ∫√|f''| = 2(e^1.5 − e^−1.5)
    public void BeforeAnyStepASmallNetworkIsTheSplineOnCurvatureSpacedKnots(string target, double from, double to)
    {
        var r = FitRunner.Run(FitOptions.ForTarget(target, new Interval(from, to)) with { Layers = [12, 4], Activation = Activation.Relu, Steps = 0 });
        Assert.Equal(0, r.Steps);
        double curvature = target == "ln(x)" ? Math.Log(to / from) : 2 * (Math.Exp(1.5 * to) - Math.Exp(1.5 * from));
        int pieces = (12 - 1) + (4 - 1) + 1;
        double interpolant = Math.Pow(curvature / pieces, 2) / 8;
        Assert.True(r.Evaluation.MaxAbsError <= 1.5 * interpolant, $"max |error| {r.Evaluation.MaxAbsError:G3} before any step; the interpolant's {interpolant:G3}");
    }
}
