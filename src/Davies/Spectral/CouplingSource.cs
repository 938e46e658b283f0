using Davies.LinearAlgebra;
using Davies.Spaces;

namespace Davies.Spectral;

/// <summary>
/// How to form the couplings A_α = V† S_α V again when a streaming build did not keep them (issue 16: at d = 16384 the
/// n couplings of a chain are n × 2 GiB). A coupling that is the image of another under an involution of the symmetry
/// blocks (<see cref="BlockCouplingTransform.Mirror"/>) is its root's transform signed by the characters χ_n χ_m, so a
/// stream over all couplings transforms each root once and signs it in place for its images. Every transform is cleaned
/// with the block flags the build found (<see cref="EnergyBasisModel.NegligibleRelative"/>), so it is the array the
/// build saw.
/// </summary>
internal sealed class CouplingSource
{
    private readonly Matrix<Complex>[] _operators;
    private readonly EigenBasis _basis;
    private readonly HilbertSpace _space;
    private readonly ILinearAlgebraBackend _backend;
    private readonly CouplingMirrors _mirrors;

    public CouplingSource(Matrix<Complex>[] operators, EigenBasis basis, HilbertSpace space, ILinearAlgebraBackend backend)
    {
        _operators = operators;
        _basis = basis;
        _space = space;
        _backend = backend;
        _mirrors = CouplingMirrors.Of(operators, basis);
    }

    /// <summary>Which couplings are mirror images of which.</summary>
    public CouplingMirrors Mirrors => _mirrors;

    /// <summary>The block flags of every coupling (set by the build after its pass).</summary>
    public BlockFlags[] Flags { get; set; } = [];

    /// <summary>Number of couplings.</summary>
    public int Count => _operators.Length;

    /// <summary>The coupling whose transform gives coupling <paramref name="c"/> (c itself unless c is a mirror image).</summary>
    public int RootOf(int c) => _mirrors.RootOf(c);

    /// <summary>The characters χ with A_c[n, m] = χ_n χ_m A_root[n, m] (null: c is a root).</summary>
    public sbyte[]? SignsOf(int c) => _mirrors.SignsOf(c);

    /// <summary>
    /// The transform of a root coupling, not yet cleaned; <paramref name="into"/>, an array no longer needed, is overwritten
    /// when the transform can (symmetry blocks), so that a stream touches fresh memory once.
    /// </summary>
    public CouplingMatrix TransformRoot(int root, CouplingMatrix? into = null) =>
        CouplingTransform.ToEigenbasis(_operators[root], _basis, _space, _backend, into: into);

    /// <summary>Coupling <paramref name="c"/>, transformed again and cleaned with the build's flags: a new array.</summary>
    public CouplingMatrix Transform(int c)
    {
        int root = RootOf(c);
        var a = TransformRoot(root);
        Mask(a, Flags[root], _basis);
        if (SignsOf(c) is { } signs) SignInPlace(a, signs);
        return a;
    }

    /// <summary>
    /// Visits every coupling: roots in ascending order, each followed by its images (signed in place). A coupling that
    /// <paramref name="kept"/> returns is visited as it is; otherwise at most one transform is held at a time. Couplings
    /// that <paramref name="wanted"/> refuses are skipped (no transform or signs for them alone).
    /// </summary>
    public void Stream(Action<int, CouplingMatrix> visit, Func<int, CouplingMatrix?> kept, CancellationToken cancel,
        Func<int, bool>? wanted = null)
    {
        int nc = Count;
        CouplingMatrix? spare = null; // the previous root's transform, overwritten by the next one
        for (int r = 0; r < nc; r++)
        {
            if (RootOf(r) != r) continue;
            CouplingMatrix? work = null;
            sbyte[]? applied = null;
            for (int c = r; c < nc; c++)
            {
                if (RootOf(c) != r || (wanted is not null && !wanted(c))) continue;
                cancel.ThrowIfCancellationRequested();
                if (kept(c) is { } k)
                {
                    visit(c, k);
                    continue;
                }
                if (work is null)
                {
                    work = kept(r) is { } kr ? Copy(kr) : TransformRoot(r, spare);
                    if (kept(r) is null) Mask(work, Flags[r], _basis);
                }
                if (applied is not null) SignInPlace(work, applied); // back to the root (χ² = 1)
                applied = SignsOf(c);
                if (applied is not null) SignInPlace(work, applied);
                visit(c, work);
            }
            if (work is null) continue;
            spare = work; // our own array (a transform or a copy): the next root's transform overwrites it
            LargeArrays.Reclaim();
        }
        CouplingTransform.ReleaseScratch(_basis);
    }

    private static CouplingMatrix Copy(CouplingMatrix a) =>
        a.RealData is { } re
            ? CouplingMatrix.Of(Matrix<double>.Build.Dense(a.Dimension, a.Dimension, (double[])re.Clone()))
            : CouplingMatrix.Of(Matrix<Complex>.Build.Dense(a.Dimension, a.Dimension, (Complex[])a.ComplexData!.Clone()));

    /// <summary>A[n, m] ← χ_n χ_m A[n, m].</summary>
    internal static void SignInPlace(CouplingMatrix a, sbyte[] signs)
    {
        int d = a.Dimension;
        var re = a.RealData;
        var z = a.ComplexData;
        Parallel.For(0, d, DenseKernels.ParallelOver(d), m =>
        {
            long col = (long)m * d;
            double sm = signs[m];
            for (int n = 0; n < d; n++)
            {
                double s = signs[n] * sm;
                if (s == 1) continue;
                if (re is not null) re[n + col] = DenseKernels.Scaled(re[n + col], s);
                else z![n + col] = DenseKernels.Scaled(z[n + col], s);
            }
        });
    }

    /// <summary>Zeroes the blocks whose flag is not set (the cleaning of the build, with its decisions).</summary>
    internal static void Mask(CouplingMatrix a, BlockFlags flags, EigenBasis basis)
    {
        int d = basis.Dimension, L = basis.Levels.Count;
        if (L == d)
        {
            Parallel.For(0, d, DenseKernels.ParallelOver(d), m =>
            {
                for (int n = 0; n < d; n++)
                    if (!flags[(long)n * L + m]) a[(int)(n + (long)m * d)] = Complex.Zero;
            });
            return;
        }
        var levels = basis.Levels;
        Parallel.For(0, L, DenseKernels.Threads(), N =>
        {
            var ln = levels[N];
            for (int I = 0; I < L; I++)
            {
                if (flags[(long)N * L + I]) continue;
                var li = levels[I];
                for (int m = li.Start; m < li.Start + li.Count; m++)
                    for (int n = ln.Start; n < ln.Start + ln.Count; n++) a[n + m * d] = Complex.Zero;
            }
        });
    }
}

/// <summary>
/// The couplings that are images of others under an involution of the symmetry blocks
/// (<see cref="BlockCouplingTransform.Mirror"/>): A_c[n, m] = χ_n χ_m A_root[n, m], the characters composed down to the
/// root (the first coupling of its chain of images). Without symmetry blocks every coupling is its own root.
/// </summary>
internal sealed class CouplingMirrors
{
    private readonly int[] _root;
    private readonly sbyte[]?[] _signs;

    private CouplingMirrors(int[] root, sbyte[]?[] signs)
    {
        _root = root;
        _signs = signs;
    }

    /// <summary>The mirror images among <paramref name="operators"/> in <paramref name="basis"/>.</summary>
    public static CouplingMirrors Of(IReadOnlyList<Matrix<Complex>> operators, EigenBasis basis)
    {
        int nc = operators.Count;
        var root = new int[nc];
        var signsOf = new sbyte[]?[nc];
        for (int c = 0; c < nc; c++)
        {
            root[c] = c;
            if (basis.Blocks is not { } blocks || BlockCouplingTransform.Mirror(operators, c, blocks) is not var (source, signs)) continue;
            // an image of an image: compose the characters down to the root
            root[c] = root[source];
            if (signsOf[source] is { } inner)
                for (int k = 0; k < signs.Length; k++) signs[k] = (sbyte)(signs[k] * inner[k]);
            signsOf[c] = signs;
        }
        return new CouplingMirrors(root, signsOf);
    }

    /// <summary>The coupling whose transform gives coupling <paramref name="c"/> (c itself unless c is a mirror image).</summary>
    public int RootOf(int c) => _root[c];

    /// <summary>The characters χ with A_c[n, m] = χ_n χ_m A_root[n, m] (null: c is a root).</summary>
    public sbyte[]? SignsOf(int c) => _signs[c];
}
