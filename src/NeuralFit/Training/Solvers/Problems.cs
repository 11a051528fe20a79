namespace NeuralFit.Training.Solvers;

/// <summary>
/// A smooth objective for L-BFGS: its value and gradient at a point. Step optimizers take one gradient per step;
/// L-BFGS must evaluate the objective itself at trial points of its line search, so it takes this instead.
/// </summary>
internal interface IObjective
{
    int ParameterCount { get; }

    // θ (P) -> f(θ); gradient (P) = ∇f(θ), overwritten
    double ValueAndGradient(ReadOnlySpan<double> theta, Span<double> gradient);
}

/// <summary>
/// A nonlinear least-squares problem for Levenberg–Marquardt: residuals r(θ) and their Jacobian ∂r/∂θ. The
/// Jacobian is handed over a block of residuals at a time, so its memory stays P × <see cref="BlockSize"/>
/// however many residuals there are; the solver accumulates the normal equations JᵀJ, Jᵀr from the blocks.
/// </summary>
internal interface ILeastSquaresProblem
{
    int ParameterCount { get; }
    int ResidualCount { get; }

    /// <summary>Most residuals per Jacobian block.</summary>
    int BlockSize { get; }

    /// <summary>Cores its passes, and the normal equations built from it, may use; the numbers are the same for any value.</summary>
    int Threads => 1;

    // θ (P) -> Σᵢ rᵢ(θ)²
    double SumOfSquares(ReadOnlySpan<double> theta);

    // θ (P) -> r (count) = r[start .. start + count); jacobian (P, count) parameter-major: jacobian[p·count + i] = ∂r_(start+i)/∂θ_p
    void ResidualsAndJacobian(ReadOnlySpan<double> theta, int start, int count, Span<double> r, Span<double> jacobian);

    /// <summary>Jacobian blocks worth asking <see cref="ResidualsAndJacobians"/> for at once, which it may compute on up
    /// to <see cref="Threads"/> cores: 1 for a problem that computes them one at a time.</summary>
    int JacobianLanes => 1;

    // θ (P) -> the residuals and Jacobians of blocks [first, first + jacobians.Length): block b's residuals into
    // r[b·BlockSize ..] (r holds every residual), its Jacobian into jacobians[b − first] laid out as ResidualsAndJacobian's.
    // The same numbers as one block at a time, whatever the cores.
    void ResidualsAndJacobians(ReadOnlySpan<double> theta, int first, Span<double> r, ReadOnlySpan<double[]> jacobians)
    {
        for (int b = 0; b < jacobians.Length; b++)
        {
            int start = (first + b) * BlockSize, count = Math.Min(BlockSize, ResidualCount - start);
            ResidualsAndJacobian(theta, start, count, r.Slice(start, count), jacobians[b].AsSpan(0, ParameterCount * count));
        }
    }

    // θ (P) -> r (m), every residual
    void Residuals(ReadOnlySpan<double> theta, Span<double> r);

    // θ (P), u (m) -> product (P) = J(θ)ᵀ u, without forming J (for a network: one backward pass)
    void JacobianTransposeTimes(ReadOnlySpan<double> theta, ReadOnlySpan<double> u, Span<double> product);
}

/// <summary>What one iteration of a whole-batch solver did.</summary>
/// <param name="LossBefore">The solver's loss (mean squared residual, plus any penalty) at the parameters it started from.</param>
/// <param name="LossAfter">The loss at the parameters it left.</param>
/// <param name="Converged">True when no further iteration can lower the loss (the reason is in <paramref name="Detail"/>).</param>
internal readonly record struct SolverStep(double LossBefore, double LossAfter, bool Converged = false, string? Detail = null);

/// <summary>
/// A whole-batch solver bound to its problem: each call to <see cref="Iterate"/> moves θ by one iteration. The
/// problem is given to the solver's constructor, typed (<see cref="IObjective"/> for L-BFGS,
/// <see cref="ILeastSquaresProblem"/> for Levenberg–Marquardt), so a solver cannot be handed the wrong kind.
/// </summary>
internal interface IWholeBatchSolver
{
    /// <summary>Iterations done so far.</summary>
    int Iterations { get; }

    // θ (P), updated in place
    SolverStep Iterate(Span<double> theta);

    /// <summary>A line of the solver's own state for progress and history, e.g. "μ 1e-3".</summary>
    string State { get; }

    /// <summary>Vectors of the parameters' length that hold the solver's state (see <see cref="SolverState"/>).</summary>
    int StateVectorCount { get; }

    /// <summary>Writes the state a continuation needs into the vectors: a checkpoint, or a rollback's snapshot.</summary>
    void SaveState(IReadOnlyList<double[]> vectors);

    /// <summary>Takes the state back; the next iteration goes on from the parameters it is given, as if never stopped.</summary>
    void LoadState(IReadOnlyList<double[]> vectors);
}

/// <summary>
/// A solver's state laid out as parameter-length vectors, the shape checkpoints keep optimizer state in: whole
/// vectors (L-BFGS's correction pairs) first, then the scalars packed into as many more vectors as they need.
/// </summary>
internal static class SolverState
{
    /// <summary>State vectors of Levenberg–Marquardt for a network of this many parameters.</summary>
    public static int LevenbergMarquardtVectors(int parameters) => ScalarVectors(LevenbergMarquardt.StateScalars, parameters);

    /// <summary>State vectors of L-BFGS for a network of this many parameters: its correction pairs, then its scalars.</summary>
    public static int LbfgsVectors(int parameters) => 2 * Lbfgs.StateHistory + ScalarVectors(Lbfgs.StateHistory + Lbfgs.StateScalars, parameters);

    /// <summary>State vectors Lawson's minimax adds to lm's for a network of this many parameters fitted to this many
    /// residuals: its scalars, a weight per residual and its best parameters.</summary>
    public static int LawsonVectors(int parameters, int residuals) =>
        (int)Math.Min(int.MaxValue, ((long)LawsonMinimax.StateScalars + residuals + parameters + Math.Max(1, parameters) - 1) / Math.Max(1, parameters));

    static int ScalarVectors(int scalars, int parameters) => (scalars + Math.Max(1, parameters) - 1) / Math.Max(1, parameters);

    public static void WriteScalars(IReadOnlyList<double[]> vectors, int first, ReadOnlySpan<double> scalars)
    {
        for (int i = 0; i < scalars.Length; i++)
        {
            var v = vectors[first + i / vectors[first].Length];
            v[i % v.Length] = scalars[i];
        }
    }

    public static void ReadScalars(IReadOnlyList<double[]> vectors, int first, Span<double> scalars)
    {
        for (int i = 0; i < scalars.Length; i++)
        {
            var v = vectors[first + i / vectors[first].Length];
            scalars[i] = v[i % v.Length];
        }
    }
}
