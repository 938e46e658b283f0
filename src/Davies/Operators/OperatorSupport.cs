using Davies.Spaces;

namespace Davies.Operators;

/// <summary>
/// Where an operator acts on a tensor-product space: its support (the sites it does not act on as the identity), its
/// restriction to a set of sites (O = M ⊗ 1 elsewhere ⇒ M), and the embedding of a few-site operator into the whole
/// space. Used by the local master equation (each coupling's local Hamiltonian and jump operators).
/// </summary>
internal static class OperatorSupport
{
    /// <summary>Relative tolerance of the identity test: entries differing by less than this × max|O| are equal.</summary>
    internal const double RelativeTolerance = 1e-12;

    /// <summary>
    /// The sites on which <paramref name="op"/> acts non-trivially, ascending: site k is left out when
    /// O = M ⊗ 1_k, i.e. O[i, j] = 0 unless i and j agree on site k, and the entries do not depend on that common value.
    /// </summary>
    public static int[] Support(Matrix<Complex> op, HilbertSpace space)
    {
        double max = 0;
        var entries = op.EnumerateIndexed(MathNet.Numerics.LinearAlgebra.Zeros.AllowSkip).Where(e => e.Item3 != Complex.Zero).ToList();
        foreach (var (_, _, v) in entries) max = Math.Max(max, v.Magnitude);
        double tol = RelativeTolerance * max;
        var sites = new List<int>();
        for (int k = 0; k < space.SiteCount; k++)
        {
            int dk = space.Dimensions[k], s = space.Stride(k);
            bool trivial = true;
            foreach (var (i, j, v) in entries)
            {
                if (v.Magnitude <= tol) continue;
                int xi = i / s % dk, xj = j / s % dk;
                if (xi != xj) { trivial = false; break; }
                int shift = ((xi + 1) % dk - xi) * s; // compare with the next copy (cyclically: all copies equal)
                if ((op[i + shift, j + shift] - v).Magnitude > tol) { trivial = false; break; }
            }
            if (!trivial) sites.Add(k);
        }
        return sites.ToArray();
    }

    /// <summary>Dimension Π_{k ∈ sites} d_k of a set of sites.</summary>
    public static int DimensionOf(IReadOnlyList<int> sites, HilbertSpace space) => sites.Aggregate(1, (p, k) => p * space.Dimensions[k]);

    /// <summary>M with O = M ⊗ 1 on the other sites (M indexed by the sites in ascending order, the first most significant).</summary>
    public static Matrix<Complex> Restrict(Matrix<Complex> op, IReadOnlyList<int> sites, HilbertSpace space)
    {
        var offsets = Offsets(sites, space);
        int n = offsets.Length;
        return Matrix<Complex>.Build.Dense(n, n, (a, b) => op[offsets[a], offsets[b]]);
    }

    /// <summary>M ⊗ 1 on the other sites, in the full space (sparse storage: nnz = nnz(M) × the other sites' dimension).</summary>
    public static Matrix<Complex> Embed(Matrix<Complex> local, IReadOnlyList<int> sites, HilbertSpace space)
    {
        var offsets = Offsets(sites, space);
        int n = offsets.Length, d = space.Dimension;
        var nonZero = new List<(int A, int B, Complex V)>();
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                if (local[a, b] != Complex.Zero) nonZero.Add((a, b, local[a, b]));
        // every full index is offsets[a] + r for one a and one "rest" index r (the sites outside, offsets[0] = 0)
        var rests = RestIndices(sites, space);
        var triples = new List<Tuple<int, int, Complex>>(nonZero.Count * rests.Length);
        foreach (int r in rests)
            foreach (var (a, b, v) in nonZero) triples.Add(Tuple.Create(offsets[a] + r, offsets[b] + r, v));
        return d > SiteOperators.SparseThreshold
            ? Matrix<Complex>.Build.SparseOfIndexed(d, d, triples)
            : Matrix<Complex>.Build.DenseOfIndexed(d, d, triples);
    }

    // Full index of the local basis state a (sites in ascending order, the first most significant) with every other site 0.
    private static int[] Offsets(IReadOnlyList<int> sites, HilbertSpace space)
    {
        int n = DimensionOf(sites, space);
        var offsets = new int[n];
        for (int a = 0; a < n; a++)
        {
            int rem = a, off = 0;
            for (int q = sites.Count - 1; q >= 0; q--)
            {
                int k = sites[q], dk = space.Dimensions[k];
                off += rem % dk * space.Stride(k);
                rem /= dk;
            }
            offsets[a] = off;
        }
        return offsets;
    }

    // Full indices whose digits on the given sites are all 0.
    private static int[] RestIndices(IReadOnlyList<int> sites, HilbertSpace space)
    {
        var rest = Enumerable.Range(0, space.SiteCount).Where(k => !sites.Contains(k)).ToArray();
        return Offsets(rest, space);
    }
}
