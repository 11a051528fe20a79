using System.Numerics;
using NeuralFit.Networks.Kernels;

namespace NeuralFit.Networks;

/// <summary>Code that runs with an activation's type (<see cref="IActivation{T}"/>), which the JIT then specialises.</summary>
internal interface IActivationVisitor<T, out TResult> where T : unmanaged, IFloatingPointIeee754<T>
{
    TResult Visit<TAct>() where TAct : struct, IActivation<T>;
}

/// <summary>
/// The one place an <see cref="Activation"/> value becomes its type: every choice that depends on the activation
/// (which kernel pass, which derivative, the traits below) goes through <see cref="Visit"/>, once, when a plan or a
/// table is made; inner loops then run on the type. Adding an activation: a struct in Kernels/Activations.cs, a value
/// of <see cref="Activation"/> with its name in <see cref="ActivationNames"/>, and one line here.
/// </summary>
internal static class ActivationDispatch
{
    public static TResult Visit<T, TResult>(this Activation act, IActivationVisitor<T, TResult> visitor) where T : unmanaged, IFloatingPointIeee754<T> =>
        act switch
        {
            Activation.Relu => visitor.Visit<Relu<T>>(),
            Activation.LeakyRelu => visitor.Visit<LeakyRelu<T>>(),
            Activation.Elu => visitor.Visit<Elu<T>>(),
            Activation.Gelu => visitor.Visit<Gelu<T>>(),
            Activation.Silu => visitor.Visit<Silu<T>>(),
            Activation.Tanh => visitor.Visit<Tanh<T>>(),
            Activation.Sigmoid => visitor.Visit<Sigmoid<T>>(),
            Activation.Softplus => visitor.Visit<Softplus<T>>(),
            Activation.Sine => visitor.Visit<Sine<T>>(),
            Activation.Linear => visitor.Visit<Identity<T>>(),
            _ => throw new ArgumentOutOfRangeException(nameof(act), act, "not an activation"),
        };

    /// <summary>The activation's traits, read from its type the first time they are asked for (a run asks of one or two
    /// activations: reading every type up front cost a start-up a few milliseconds).</summary>
    public static ActivationTraits Traits(this Activation act) => Table[(int)act] ??= act.Visit(new TraitsOf());

    static readonly ActivationTraits?[] Table = new ActivationTraits?[Enum.GetValues<Activation>().Length];

    sealed class TraitsOf : IActivationVisitor<double, ActivationTraits>
    {
        public ActivationTraits Visit<TAct>() where TAct : struct, IActivation<double> => new(TAct.FusesIntoProducts,
            TAct.HasLongForwardVector, TAct.HasVectorDerivative, TAct.IsTwoPieceLinear, TAct.IsReluFamily, TAct.IsBounded, TAct.ActiveHalfWidth);
    }
}

/// <summary>What the rest of NeuralFit asks of an activation without running it (see <see cref="IActivation{T}"/>).</summary>
/// <param name="FusesIntoProducts">Applied in a matrix product's epilogue by the blocked kernels.</param>
/// <param name="HasLongForwardVector">A vector form too long for an epilogue (tanh, sigmoid): a vector pass after the product.</param>
/// <param name="HasVectorDerivative">Its derivative has a vector form (an epilogue or one pass).</param>
/// <param name="IsTwoPieceLinear">z above 0, s·z below (ReLU, leaky ReLU, linear): a shows z's sign, and the one-input
/// paths apply.</param>
internal sealed record ActivationTraits(bool FusesIntoProducts, bool HasLongForwardVector, bool HasVectorDerivative, bool IsTwoPieceLinear, bool IsReluFamily,
    bool IsBounded, double ActiveHalfWidth);
