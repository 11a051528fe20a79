using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralFit.Networks.Kernels;

namespace NeuralFit.Networks;

/// <summary>
/// The Jacobian of a network's prediction with respect to its flat parameter vector, one column per sample and
/// output: what Levenberg–Marquardt needs (residual rᵢ = outputᵢ − targetᵢ has the same Jacobian). For each output o it
/// is the backward pass of <see cref="Kernels.Reference.DenseRows.Backward{T, TAct}"/> with dL/d(output) = 1 for output o
/// of every sample and 0 for the others, where each parameter's per-sample terms are written out instead of summed
/// over the batch.
/// </summary>
internal static class OutputJacobian
{
    // After net.Forward(ws, n) without dropout: jacobian (P, k·n) parameter-major, output-major within a row:
    // jacobian[p·k·n + o·n + i] = ∂output_{o,i}/∂θ_p (the layout of ws.Output, (k, n)). Uses ws.Delta as scratch.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public static void Compute<T>(Mlp<T> net, Workspace<T> ws, int n, Span<T> jacobian) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = net.Shape;
        int outputs = shape.Outputs, columns = outputs * n;
        if (ws.DropoutRate > 0) throw new ArgumentException("the output Jacobian needs a workspace without dropout");
        if (jacobian.Length < (long)shape.ParameterCount * columns) throw new ArgumentException("the Jacobian buffer is too small");
        for (int output = 0; output < outputs; output++)
        {
            var seed = ws.Delta[^1].AsSpan(0, columns);
            seed.Clear();
            seed.Slice(output * n, n).Fill(T.One); // ∂output_o/∂z of the linear output layer
            OneOutput(net, ws, n, jacobian, columns, output * n);
        }
    }

    // Back-propagates the seed in ws.Delta[last]; row p of the Jacobian is jacobian[p·stride + offset ..][..n].
    static void OneOutput<T>(Mlp<T> net, Workspace<T> ws, int n, Span<T> jacobian, int stride, int offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = net.Shape;
        for (int l = shape.LayerCount - 1; l >= 0; l--)
        {
            var s = shape.Slots[l];
            // dz (nOut, n): in ∂output/∂a, out ∂output/∂z
            var dz = ws.Delta[l].AsSpan(0, s.FanOut * n);
            if (l < shape.LayerCount - 1)
                ActivationDerivative.MultiplyInto(shape.Activation, dz, ws.Z[l].AsSpan(0, dz.Length), ws.A[l].AsSpan(0, dz.Length));
            ReadOnlySpan<T> x = ws.LayerInput(l);
            // ∂output/∂w[o,k] = dz[o] ∘ x[k];  ∂output/∂b[o] = dz[o]
            for (int o = 0; o < s.FanOut; o++)
            {
                var dzRow = dz.Slice(o * n, n);
                for (int k = 0; k < s.FanIn; k++)
                    TensorPrimitives.Multiply(dzRow, x.Slice(k * n, n), jacobian.Slice((s.WeightOffset + o * s.FanIn + k) * stride + offset, n));
                dzRow.CopyTo(jacobian.Slice((s.BiasOffset + o) * stride + offset, n));
            }
            if (l == 0) break;
            // ∂output/∂x = wᵀ dz  -> the previous layer's ∂output/∂a
            var w = net.Weights(l);
            var dx = ws.Delta[l - 1].AsSpan(0, s.FanIn * n);
            dx.Clear();
            for (int o = 0; o < s.FanOut; o++)
                for (int k = 0; k < s.FanIn; k++)
                    TensorPrimitives.MultiplyAdd(dz.Slice(o * n, n), w[o * s.FanIn + k], dx.Slice(k * n, n), dx.Slice(k * n, n));
        }
    }
}

/// <summary>dz ← dz ∘ f'(z), by a pass made once per activation (through <see cref="ActivationDispatch"/>), so the
/// loop sees a concrete struct.</summary>
internal static class ActivationDerivative
{
    public static void MultiplyInto<T>(Activation act, Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T> =>
        Passes<T>.ByActivation[(int)act].Run(dz, z, a);

    interface IPass<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        void Run(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a);
    }

    static class Passes<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly IPass<T>[] ByActivation = Enum.GetValues<Activation>().Select(a => a.Visit(new Make())).ToArray();

        sealed class Make : IActivationVisitor<T, IPass<T>>
        {
            public IPass<T> Visit<TAct>() where TAct : struct, IActivation<T> => new Pass<T, TAct>();
        }
    }

    sealed class Pass<T, TAct> : IPass<T> where T : unmanaged, IFloatingPointIeee754<T> where TAct : struct, IActivation<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
        public void Run(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a)
        {
            if (typeof(TAct) == typeof(Identity<T>)) return; // f' = 1
            for (int i = 0; i < dz.Length; i++) dz[i] *= TAct.Derivative(z[i], a[i]);
        }
    }
}
