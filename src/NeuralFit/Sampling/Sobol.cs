namespace NeuralFit.Sampling;

/// <summary>
/// The Sobol sequence (Sobol 1967), unscrambled, with the direction numbers of Joe and Kuo ("Constructing Sobol
/// sequences with better two-dimensional projections", SIAM J. Sci. Comput. 30, 2008; file new-joe-kuo-6.21201),
/// generated in Gray-code order (Antonov and Saleev 1979): point i+1 is point i with one direction number xor-ed in.
/// The first 2^k points fill the unit cube evenly in every input at once (each of the 2^k slabs of width 2^−k along an
/// axis holds one point), where a grid of as many points has only 2^(k/d) values per input. Deterministic: the same
/// points on every run, so an evaluation on them can be compared between runs. The points equal SciPy's
/// <c>scipy.stats.qmc.Sobol(d, scramble=False)</c>, which uses the same table.
/// </summary>
internal static class Sobol
{
    /// <summary>Primitive polynomials (degree s: the highest bit; coefficients a: the bits between) and initial
    /// direction numbers m₁..m_s of dimensions 2..20; dimension 1 is the van der Corput sequence in base 2.</summary>
    static readonly (int Polynomial, int[] M)[] Table =
    [
        (3, [1]), (7, [1, 3]), (11, [1, 3, 1]), (13, [1, 1, 1]), (19, [1, 1, 3, 3]), (25, [1, 3, 5, 13]),
        (37, [1, 1, 5, 5, 17]), (41, [1, 1, 5, 5, 5]), (47, [1, 1, 7, 11, 19]), (55, [1, 1, 5, 1, 1]),
        (59, [1, 1, 1, 3, 11]), (61, [1, 3, 5, 5, 31]), (67, [1, 3, 3, 9, 7, 49]), (91, [1, 1, 1, 15, 21, 21]),
        (97, [1, 3, 1, 13, 27, 49]), (103, [1, 1, 1, 15, 7, 5]), (109, [1, 3, 1, 15, 13, 25]), (115, [1, 1, 5, 5, 19, 61]),
        (131, [1, 3, 7, 11, 23, 15, 103]),
    ];

    const int Bits = 32;

    public static int MaxDimensions => Table.Length + 1;

    /// <summary>The first n points in [0, 1)^d, row-major (n, d); the first is the origin.</summary>
    public static double[] Points(int n, int d)
    {
        if (d < 1 || d > MaxDimensions) throw new ArgumentOutOfRangeException(nameof(d), $"the Sobol table covers 1..{MaxDimensions} dimensions");
        if (n < 0 || (long)n > 1L << Bits) throw new ArgumentOutOfRangeException(nameof(n));
        var directions = new uint[d][];
        for (int j = 0; j < d; j++) directions[j] = Directions(j);
        var x = new double[(long)n * d];
        var state = new uint[d];
        const double scale = 1.0 / (1L << Bits);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) x[(long)i * d + j] = state[j] * scale;
            int c = System.Numerics.BitOperations.TrailingZeroCount(~(uint)i); // the lowest zero bit of i
            if (c >= Bits) break;
            for (int j = 0; j < d; j++) state[j] ^= directions[j][c];
        }
        return x;
    }

    /// <summary>v_k = m_k · 2^(32−k), k = 1..32, with m_k from the recurrence
    /// m_k = 2a₁m_(k−1) ⊕ 4a₂m_(k−2) ⊕ … ⊕ 2^(s−1)a_(s−1)m_(k−s+1) ⊕ 2^s m_(k−s) ⊕ m_(k−s).</summary>
    static uint[] Directions(int dimension)
    {
        var v = new uint[Bits];
        if (dimension == 0)
        {
            for (int k = 0; k < Bits; k++) v[k] = 1u << (Bits - 1 - k);
            return v;
        }
        var (polynomial, initial) = Table[dimension - 1];
        int s = initial.Length;
        var m = new ulong[Bits];
        for (int k = 0; k < s; k++) m[k] = (ulong)initial[k];
        for (int k = s; k < Bits; k++)
        {
            ulong next = m[k - s] ^ (m[k - s] << s);
            for (int i = 1; i < s; i++)
                if (((polynomial >> (s - i)) & 1) != 0) next ^= m[k - i] << i;
            m[k] = next;
        }
        for (int k = 0; k < Bits; k++) v[k] = (uint)(m[k] << (Bits - 1 - k));
        return v;
    }
}
