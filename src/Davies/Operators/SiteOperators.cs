using Davies.Spaces;

namespace Davies.Operators;

/// <summary>
/// Local operators on one site and their embedding into a <see cref="HilbertSpace"/>.
/// Conventions: the local basis of a site is |0⟩, |1⟩, …, |d−1⟩; Pauli Z = diag(1, −1), so |0⟩ has Z = +1;
/// the truncated boson lowering operator acts as a|n⟩ = √n |n−1⟩; site 0 is the leftmost tensor factor.
/// </summary>
public static class SiteOperators
{
    /// <summary>Pauli X = [[0, 1], [1, 0]].</summary>
    public static Matrix<Complex> PauliX() =>
        Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { 0, 1 }, { 1, 0 } });

    /// <summary>Pauli Y = [[0, −i], [i, 0]].</summary>
    public static Matrix<Complex> PauliY() =>
        Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { 0, -Complex.ImaginaryOne }, { Complex.ImaginaryOne, 0 } });

    /// <summary>Pauli Z = diag(1, −1): |0⟩ is the +1 eigenstate.</summary>
    public static Matrix<Complex> PauliZ() =>
        Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { 1, 0 }, { 0, -1 } });

    /// <summary>Truncated boson lowering operator a on a site of dimension <paramref name="dimension"/>: a|n⟩ = √n |n−1⟩.</summary>
    public static Matrix<Complex> Annihilation(int dimension)
    {
        CheckDimension(dimension);
        var m = Matrix<Complex>.Build.Dense(dimension, dimension);
        for (int n = 1; n < dimension; n++) m[n - 1, n] = Math.Sqrt(n);
        return m;
    }

    /// <summary>Truncated boson raising operator a† (the adjoint of <see cref="Annihilation"/>): a†|n⟩ = √(n+1) |n+1⟩ for n &lt; d−1.</summary>
    public static Matrix<Complex> Creation(int dimension)
    {
        CheckDimension(dimension);
        var m = Matrix<Complex>.Build.Dense(dimension, dimension);
        for (int n = 1; n < dimension; n++) m[n, n - 1] = Math.Sqrt(n);
        return m;
    }

    /// <summary>Number operator n = a†a = diag(0, 1, …, d−1).</summary>
    public static Matrix<Complex> Number(int dimension)
    {
        CheckDimension(dimension);
        var m = Matrix<Complex>.Build.Dense(dimension, dimension);
        for (int n = 0; n < dimension; n++) m[n, n] = n;
        return m;
    }

    /// <summary>The identity on a site of dimension <paramref name="dimension"/>.</summary>
    public static Matrix<Complex> Identity(int dimension)
    {
        CheckDimension(dimension);
        return Matrix<Complex>.Build.DenseIdentity(dimension);
    }

    /// <summary>The identity on the whole space.</summary>
    public static Matrix<Complex> Identity(HilbertSpace space) => space.Dimension > SparseThreshold
        ? Matrix<Complex>.Build.SparseIdentity(space.Dimension)
        : Matrix<Complex>.Build.DenseIdentity(space.Dimension);

    /// <summary>
    /// Embeds the local operator <paramref name="local"/> acting on site <paramref name="site"/> into the full space:
    /// 1 ⊗ … ⊗ local ⊗ … ⊗ 1 with site 0 the leftmost factor.
    /// </summary>
    /// <exception cref="ModelException">The site is out of range or the local operator has the wrong dimension.</exception>
    public static Matrix<Complex> Embed(HilbertSpace space, int site, Matrix<Complex> local)
    {
        CheckSite(space, site);
        int dk = space.Dimensions[site];
        if (local.RowCount != dk || local.ColumnCount != dk)
            throw new ModelException($"a {local.RowCount}×{local.ColumnCount} operator cannot act on site {site}, which has dimension {dk}");
        var factors = new Matrix<Complex>?[space.SiteCount];
        factors[site] = local;
        return Product(space, factors);
    }

    /// <summary>
    /// The tensor product ⊗_k factors[k] over all sites (site 0 leftmost); a null factor stands for the identity.
    /// </summary>
    /// <exception cref="ModelException">The number of factors or a factor's dimension does not match the space.</exception>
    public static Matrix<Complex> Product(HilbertSpace space, IReadOnlyList<Matrix<Complex>?> factors)
    {
        // (ProductEntries checks the factors against the space)
        // Large spaces get sparse storage: a product of local operators has Π nnz_k entries (d for a Pauli string).
        if (space.Dimension > SparseThreshold) return SparseProduct(space, factors);
        // Dense: the same non-zero entries written into one zeroed array (a chain of Kronecker products allocates every
        // intermediate matrix, which dominated the start-up of small models)
        int d = space.Dimension;
        var data = new Complex[(long)d * d];
        foreach (var (r, c, v) in ProductEntries(space, factors)) data[r + (long)c * d] = v;
        return Matrix<Complex>.Build.Dense(d, d, data);
    }

    /// <summary>Spaces larger than this get operators with sparse storage (same values, O(nnz) memory).</summary>
    internal const int SparseThreshold = 256;

    private static Matrix<Complex> SparseProduct(HilbertSpace space, IReadOnlyList<Matrix<Complex>?> factors) =>
        SparseEntries.Matrix(space.Dimension, ProductEntries(space, factors));

    /// <summary>The non-zero entries (row, column, value) of ⊗_k factors[k], site 0 leftmost: Π nnz_k of them.</summary>
    /// <exception cref="ModelException">The number of factors or a factor's dimension does not match the space.</exception>
    internal static List<(int, int, Complex)> ProductEntries(HilbertSpace space, IReadOnlyList<Matrix<Complex>?> factors)
    {
        CheckFactors(space, factors);
        var entries = new List<(int, int, Complex)> { (0, 0, Complex.One) };
        for (int k = 0; k < factors.Count; k++)
        {
            int dk = space.Dimensions[k];
            var local = factors[k] is { } f
                ? f.EnumerateIndexed(Zeros.AllowSkip).Where(e => e.Item3 != Complex.Zero).ToArray()
                : Enumerable.Range(0, dk).Select(a => (a, a, Complex.One)).ToArray();
            var next = new List<(int, int, Complex)>(entries.Count * local.Length);
            foreach (var (r, c, v) in entries)
                foreach (var (a, b, w) in local) next.Add((r * dk + a, c * dk + b, v * w));
            entries = next;
        }
        return entries;
    }

    private static void CheckFactors(HilbertSpace space, IReadOnlyList<Matrix<Complex>?> factors)
    {
        if (factors.Count != space.SiteCount)
            throw new ModelException($"a tensor product over {space.SiteCount} sites needs {space.SiteCount} factors, got {factors.Count}");
        for (int k = 0; k < factors.Count; k++)
        {
            int dk = space.Dimensions[k];
            var f = factors[k];
            if (f is not null && (f.RowCount != dk || f.ColumnCount != dk))
                throw new ModelException($"factor {k} is {f.RowCount}×{f.ColumnCount}, but site {k} has dimension {dk}");
        }
    }

    private static void CheckDimension(int dimension)
    {
        if (dimension < 1) throw new ModelException($"a site dimension must be ≥ 1, got {dimension}");
    }

    private static void CheckSite(HilbertSpace space, int site)
    {
        if (site < 0 || site >= space.SiteCount)
            throw new ModelException($"site {site} is out of range: the space has {space.SiteCount} site{(space.SiteCount == 1 ? "" : "s")} (0–{space.SiteCount - 1})");
    }
}
