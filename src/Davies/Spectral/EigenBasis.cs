using Davies.LinearAlgebra;

namespace Davies.Spectral;

/// <summary>A group of (numerically) degenerate eigenvalues: eigenvectors <c>Start … Start+Count−1</c>.</summary>
/// <param name="Start">Index of the first eigenvector of the level.</param>
/// <param name="Count">Degeneracy.</param>
/// <param name="Energy">The level's energy: the mean of its eigenvalues.</param>
public readonly record struct Level(int Start, int Count, double Energy);

/// <summary>
/// The eigen-decomposition H_S = V diag(E) V† with eigenvalues ascending, grouped into degenerate
/// <see cref="Levels"/> with an explicit absolute <see cref="Tolerance"/>: consecutive eigenvalues closer than the
/// tolerance belong to one level (single linkage). The default tolerance is
/// <see cref="DefaultRelativeTolerance"/> × max(|E_min|, |E_max|, E_max − E_min), scaled to the spectrum, so levels
/// split only by rounding are always one level (unlike a cutoff relative to the smallest gap).
/// Results built on it do not depend on which orthonormal basis the eigensolver picks inside a level.
/// </summary>
public sealed partial class EigenBasis
{
    /// <summary>Default grouping tolerance relative to the spectrum's scale: 1e-9.</summary>
    public const double DefaultRelativeTolerance = 1e-9;

    private readonly int[] _levelOf;

    private Matrix<Complex>? _vectors;

    private Matrix<double>? _realVectors;

    private EigenBasis(double[] energies, Matrix<Complex>? vectors, Matrix<double>? realVectors, double tolerance,
        SymmetryBlocks? blocks = null)
    {
        Energies = energies;
        _vectors = vectors;
        _realVectors = realVectors;
        HasRealVectors = realVectors is not null || blocks is { IsReal: true };
        Blocks = blocks;
        Tolerance = tolerance;
        var levels = new List<Level>();
        _levelOf = new int[energies.Length];
        int start = 0;
        for (int i = 1; i <= energies.Length; i++)
        {
            if (i == energies.Length || energies[i] - energies[i - 1] > tolerance)
            {
                double mean = 0;
                for (int k = start; k < i; k++) mean += energies[k];
                mean /= i - start;
                for (int k = start; k < i; k++) _levelOf[k] = levels.Count;
                levels.Add(new Level(start, i - start, mean));
                start = i;
            }
        }
        Levels = levels;
    }

    /// <summary>Eigenvalues of H_S, ascending.</summary>
    public double[] Energies { get; }

    /// <summary>
    /// Orthonormal eigenvectors (columns), in the model's site basis. For a basis built block by block of symmetries
    /// (<see cref="Symmetries"/>) the d×d matrix is formed on first use.
    /// </summary>
    public Matrix<Complex> Vectors =>
        LazyInitializer.EnsureInitialized(ref _vectors, () => HasRealVectors ? RealVectors!.ToComplex() : Blocks!.ComplexSiteVectors());

    /// <summary>
    /// Real orthogonal eigenvectors when H_S is real symmetric (then the real LAPACK/BLAS kernels are used, with half
    /// the memory and a quarter of the work); null otherwise. Formed on first use for a basis built by symmetry blocks.
    /// </summary>
    public Matrix<double>? RealVectors =>
        !HasRealVectors ? null : _realVectors ?? LazyInitializer.EnsureInitialized(ref _realVectors, () => Blocks!.RealSiteVectors());

    /// <summary>Whether the eigenvectors are real (H_S real symmetric).</summary>
    internal bool HasRealVectors { get; }

    /// <summary>The absolute grouping tolerance actually used.</summary>
    public double Tolerance { get; }

    /// <summary>Degenerate levels in ascending energy.</summary>
    public IReadOnlyList<Level> Levels { get; }

    /// <summary>Dimension d.</summary>
    public int Dimension => Energies.Length;

    /// <summary>True when every level is non-degenerate.</summary>
    public bool IsNonDegenerate => Levels.Count == Energies.Length;

    /// <summary>Level index of eigenvector <paramref name="index"/>.</summary>
    public int LevelOf(int index) => _levelOf[index];

    /// <summary>The default absolute tolerance for a spectrum.</summary>
    public static double DefaultTolerance(IReadOnlyList<double> sortedEnergies)
    {
        double lo = sortedEnergies[0], hi = sortedEnergies[^1];
        double scale = Math.Max(Math.Max(Math.Abs(lo), Math.Abs(hi)), hi - lo);
        return DefaultRelativeTolerance * (scale > 0 ? scale : 1.0);
    }

    /// <summary>Diagonalises a Hermitian matrix with the current backend and groups its levels.</summary>
    /// <param name="hamiltonian">H_S (Hermitian).</param>
    /// <param name="tolerance">Absolute grouping tolerance, or null for the default.</param>
    /// <param name="backend">Backend (null: <see cref="LinearAlgebraProvider.Current"/>).</param>
    public static EigenBasis Compute(Matrix<Complex> hamiltonian, double? tolerance = null, ILinearAlgebraBackend? backend = null) =>
        Compute(hamiltonian, [], tolerance, backend);

    /// <summary>
    /// As <see cref="Compute(Matrix{Complex}, double?, ILinearAlgebraBackend?)"/>, block by block of the given commuting
    /// symmetries of H (verified by the caller; none: one matrix). A Hamiltonian diagonal in the site basis is never
    /// diagonalised (<see cref="Permutation"/>).
    /// </summary>
    internal static EigenBasis Compute(Matrix<Complex> hamiltonian, IReadOnlyList<Symmetries.SiteSymmetry> symmetries,
        double? tolerance, ILinearAlgebraBackend? backend, IProgress<string>? progress = null, SymmetryBlocks.Problem? prepared = null)
    {
        var be = backend ?? LinearAlgebraProvider.Current;
        if (DiagonalOf(hamiltonian) is { } diagonal) return FromDiagonal(diagonal, tolerance);
        if (symmetries.Count > 0)
        {
            var problem = prepared is not null && ReferenceEquals(prepared.Hamiltonian, hamiltonian) && ReferenceEquals(prepared.Symmetries, symmetries)
                ? prepared
                : SymmetryBlocks.Prepare(hamiltonian, symmetries, formBlocks: false);
            var (blocks, energies) = SymmetryBlocks.Compute(problem, be, progress);
            return new EigenBasis(energies, null, null, tolerance ?? DefaultTolerance(energies), blocks);
        }
        if (IsReal(hamiltonian))
        {
            var real = SymmetricRealPart(hamiltonian); // a fresh array: the native eigensolver may overwrite it
            var sym = be is NativeBackend native ? native.EigenSymmetricOverwriting(real) : be.EigenSymmetric(real);
            return new EigenBasis(sym.Values, null, sym.Vectors, tolerance ?? DefaultTolerance(sym.Values));
        }
        var eig = be.EigenHermitian(hamiltonian);
        double tol = tolerance ?? DefaultTolerance(eig.Values);
        return new EigenBasis(eig.Values, eig.Vectors, null, tol);
    }

    /// <summary>
    /// For a Hamiltonian diagonal in the site basis (H[i, i] real, every other entry exactly zero), the eigenbasis is the
    /// site basis itself: eigenvector k is the site-basis vector <see cref="Permutation"/>[k] (a stable sort by energy).
    /// Null when this basis is not such a permutation. Couplings and observables are then transformed exactly by
    /// re-indexing, and every exact zero of a site-basis operator stays an exact zero in the eigenbasis, which is what
    /// makes the sparse (structured) treatment of highly degenerate models (free spins, spectator sites) possible.
    /// </summary>
    internal int[]? Permutation { get; private init; }

    /// <summary>The inverse of <see cref="Permutation"/>: the eigen index of each site-basis vector (null likewise).</summary>
    internal int[]? InversePermutation { get; private init; }

    /// <summary>Whether H is diagonal in the site basis (real diagonal, exact zeros elsewhere): then it is never diagonalised.</summary>
    internal static bool IsDiagonal(Matrix<Complex> h) => DiagonalOf(h) is not null;

    /// <summary>The diagonal of H when H is diagonal (real entries, exact zeros elsewhere), else null.</summary>
    private static double[]? DiagonalOf(Matrix<Complex> h)
    {
        int d = h.RowCount;
        var diag = new double[d];
        for (int i = 0; i < d; i++)
        {
            var z = h[i, i];
            if (z.Imaginary != 0) return null;
            diag[i] = z.Real;
        }
        if (h.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<Complex> dense)
        {
            var data = dense.Data;
            for (int j = 0; j < d; j++)
                for (int i = 0; i < d; i++)
                    if (i != j && data[i + (long)j * d] != Complex.Zero) return null;
            return diag;
        }
        foreach (var (i, j, z) in h.EnumerateIndexed(Zeros.AllowSkip))
            if (i != j && z != Complex.Zero) return null;
        return diag;
    }

    private static EigenBasis FromDiagonal(double[] diagonal, double? tolerance)
    {
        int d = diagonal.Length;
        var order = Enumerable.Range(0, d).OrderBy(i => diagonal[i]).ToArray(); // stable: site order inside a level
        var inverse = new int[d];
        for (int k = 0; k < d; k++) inverse[order[k]] = k;
        var energies = order.Select(i => diagonal[i]).ToArray();
        var v = LargeArrays.Zeroed<double>((long)d * d);
        for (int k = 0; k < d; k++) v[order[k] + (long)k * d] = 1;
        return new EigenBasis(energies, null, Matrix<double>.Build.Dense(d, d, v), tolerance ?? DefaultTolerance(energies))
        {
            Permutation = order,
            InversePermutation = inverse,
        };
    }

    // ½(Re H + Re Hᵀ) in one tiled pass (no d×d temporaries).
    private static Matrix<double> SymmetricRealPart(Matrix<Complex> h)
    {
        int d = h.RowCount;
        var hd = DenseKernels.Data(h);
        var s = LargeArrays.Zeroed<double>((long)d * d);
        DenseKernels.LowerTriangleTiles(d, (i, j) =>
        {
            long ij = i + (long)j * d, ji = j + (long)i * d;
            s[ij] = s[ji] = 0.5 * (hd[ij].Real + hd[ji].Real);
        });
        return Matrix<double>.Build.Dense(d, d, s);
    }

    /// <summary>Creates a basis from given eigenvalues (ascending) and eigenvectors (used by tests and by callers with a known basis).</summary>
    public static EigenBasis FromDecomposition(double[] energies, Matrix<Complex> vectors, double? tolerance = null)
        => new(energies, vectors, null, tolerance ?? DefaultTolerance(energies));

    /// <summary>True when every entry has a zero imaginary part.</summary>
    internal static bool IsReal(Matrix<Complex> m)
    {
        if (m.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<Complex> dense)
        {
            foreach (var z in dense.Data) if (z.Imaginary != 0) return false;
            return true;
        }
        foreach (var z in m.Enumerate(Zeros.AllowSkip)) if (z.Imaginary != 0) return false;
        return true;
    }

    /// <summary>V† A V: an operator of the site basis written in the eigenbasis.</summary>
    public Matrix<Complex> ToEigenbasis(Matrix<Complex> op, ILinearAlgebraBackend? backend = null)
    {
        var be = backend ?? LinearAlgebraProvider.Current;
        if (Permutation is { } p)
        {
            int d = Dimension;
            var inverse = InversePermutation!;
            if (!op.Storage.IsDense)
            {
                var entries = op.EnumerateIndexed(Zeros.AllowSkip).Select(e => (inverse[e.Item1], inverse[e.Item2], e.Item3));
                return Matrix<Complex>.Build.SparseOfIndexed(d, d, entries);
            }
            return Matrix<Complex>.Build.Dense(d, d, (n, m) => op[p[n], p[m]]);
        }
        if (RealVectors is { } rv && IsReal(op))
        {
            var r = op.Map(z => z.Real);
            return be.TransposeMultiply(rv, r.Storage.IsDense ? be.Multiply(r, rv) : r * rv).ToComplex();
        }
        return be.AdjointMultiply(Vectors, op.Storage.IsDense ? be.Multiply(op, Vectors) : op * Vectors);
    }

    /// <summary>V A V†: an operator of the eigenbasis written in the site basis.</summary>
    public Matrix<Complex> FromEigenbasis(Matrix<Complex> op, ILinearAlgebraBackend? backend = null)
    {
        var be = backend ?? LinearAlgebraProvider.Current;
        if (Permutation is { } p)
        {
            int d = Dimension;
            if (!op.Storage.IsDense)
                return Matrix<Complex>.Build.SparseOfIndexed(d, d,
                    op.EnumerateIndexed(Zeros.AllowSkip).Select(e => (p[e.Item1], p[e.Item2], e.Item3)));
            var inverse = InversePermutation!;
            return Matrix<Complex>.Build.Dense(d, d, (i, j) => op[inverse[i], inverse[j]]);
        }
        return be.Multiply(be.Multiply(Vectors, op), Vectors.ConjugateTranspose());
    }
}
