using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Networks.Kernels;
using NeuralFit.Networks.Kernels.Blocked;

namespace NeuralFit.Tests.Networks;

/// <summary>
/// The forward activation pass of the blocked kernels gives the same bits wherever its rows lie in memory. Arrays
/// land at other addresses from run to run in one process (the large object heap, ArrayPool, the GC), and
/// TensorPrimitives' exp-based kernels (tanh, sigmoid) cut a long span into vectors at the destination's address,
/// while a vector holding an out-of-range exp argument (a unit saturated far past use, |z| over 354 for tanh) is
/// computed another way as a whole, which moves its other lanes' last bit. Before the pass handed such rows over in
/// pieces at fixed indices, one ln(x) fit by lm gave three different results in three runs of one process.
/// </summary>
public class ActivationRowTests
{
    public static TheoryData<Activation> Activations() => new(Enum.GetValues<Activation>());

    // Lengths below one vector, around 8 vectors (where TensorPrimitives starts to align), and a layer of a few rows.
    static readonly int[] Lengths = [3, 31, 32, 33, 65, 683, 3 * 679];

    [Theory, MemberData(nameof(Activations))]
    public void DoubleRowsGiveTheSameBitsAtEveryAddress(Activation act) => act.Visit(new SameBitsAtEveryAddress<double>());

    [Theory, MemberData(nameof(Activations))]
    public void FloatRowsGiveTheSameBitsAtEveryAddress(Activation act) => act.Visit(new SameBitsAtEveryAddress<float>());

    sealed class SameBitsAtEveryAddress<T> : IActivationVisitor<T, bool> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public bool Visit<TAct>() where TAct : struct, IActivation<T>
        {
            var random = new Random(5);
            foreach (int length in Lengths)
                foreach (bool saturated in new[] { false, true })
                {
                    // moderate pre-activations; in the saturated rows, every 37th is one a unit reaches far past use
                    var z = Enumerable.Range(0, length).Select(i => T.CreateChecked(saturated && i % 37 == 11
                        ? (random.Next(2) == 0 ? -1 : 1) * (360 + 500 * random.NextDouble())
                        : 12 * random.NextDouble() - 6)).ToArray();
                    var expected = Forward<TAct>(z, 0, 0);
                    int offsets = 2 * Vector<T>.Count; // every alignment of the destination and the source, twice over
                    for (int from = 0; from < 4; from++)
                        for (int to = 0; to < offsets; to++)
                            AssertSameBits(expected, Forward<TAct>(z, from, to), $"{typeof(TAct).Name}, length {length}, saturated {saturated}, source +{from}, destination +{to}");
                    for (int at = 0; at < offsets; at++)
                        AssertSameBits(expected, InPlace<TAct>(z, at), $"{typeof(TAct).Name}, length {length}, saturated {saturated}, in place at +{at}");
                }
            return true;
        }

        // z copied to `from` elements into a fresh array, a written `to` elements into another
        static T[] Forward<TAct>(T[] z, int from, int to) where TAct : struct, IActivation<T>
        {
            var source = new T[z.Length + from];
            var destination = new T[z.Length + to];
            z.CopyTo(source, from);
            ActivationPasses<T, Vector<T>, VectorOps<T>>.Forward<TAct>(source.AsSpan(from, z.Length), destination.AsSpan(to, z.Length));
            return destination.AsSpan(to).ToArray();
        }

        // z and a one buffer, as a workspace keeps them when only a is stored
        static T[] InPlace<TAct>(T[] z, int at) where TAct : struct, IActivation<T>
        {
            var buffer = new T[z.Length + at];
            z.CopyTo(buffer, at);
            var row = buffer.AsSpan(at, z.Length);
            ActivationPasses<T, Vector<T>, VectorOps<T>>.Forward<TAct>(row, row);
            return row.ToArray();
        }

        static void AssertSameBits(T[] expected, T[] actual, string what)
        {
            for (int i = 0; i < expected.Length; i++)
                if (!expected[i].Equals(actual[i]))
                    Assert.Fail($"{what}: element {i} is {actual[i]:R}, not {expected[i]:R}");
        }
    }
}
