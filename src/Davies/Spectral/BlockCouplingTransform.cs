using Davies.LinearAlgebra;
using Davies.Symmetries;

namespace Davies.Spectral;

/// <summary>
/// A = V† S V for an eigenbasis found by symmetry blocks (<see cref="SymmetryBlocks"/>): with V = B U block-diagonal in
/// the symmetry-adapted basis B, A_λμ = U_λ† (B_λᵀ S B_μ) U_μ, and a coupling maps between known blocks: only the pairs
/// (λ, μ) where S̃_λμ = B_λᵀ S B_μ (sparse, from S's non-zeros) is non-zero are multiplied, λ ≤ μ (S is Hermitian:
/// A_μλ = A_λμ†). A σz_i under the flip joins only the even and odd blocks; with the reflection as well, the work is a
/// quarter of the plain product. A coupling that is the image of an earlier one under an involution g of the basis
/// (g S_α g = S_β, e.g. Z_i and Z_{n−1−i} under the reflection) is not transformed again: g is diagonal in the
/// eigenbasis with characters χ = ±1, so A_β[n, m] = χ_n χ_m A_α[n, m].
/// </summary>
internal static class BlockCouplingTransform
{
    /// <param name="s">The coupling in the site basis (Hermitian).</param>
    /// <param name="blocks">The symmetry blocks of the eigenbasis.</param>
    /// <param name="be">The backend of the products.</param>
    /// <param name="into">
    /// A coupling array of the same dimension and kind (real or complex) to overwrite instead of allocating one (the
    /// streaming build reuses one d × d array for all couplings: fresh memory costs its page faults, ~1.8 s/GiB on a VM
    /// that returns freed memory to its host, docs/benchmarks.md); null: a new array.
    /// </param>
    /// <param name="scratch">Work arrays kept across the couplings of one build (the native backend's real products).</param>
    public static CouplingMatrix ToEigenbasis(Matrix<Complex> s, SymmetryBlocks blocks, ILinearAlgebraBackend be,
        CouplingMatrix? into = null, ScratchArrays? scratch = null)
    {
        var adapted = blocks.Adapted;
        int d = adapted.Dimension, nb = blocks.Count;
        var rows = SparseRows.Of(s);
        bool real = blocks.IsReal && EigenBasis.IsReal(s);
        if (into is not null && (into.Dimension != d || into.IsReal != real)) into = null;
        var re = real ? Reuse(into?.RealData, (long)d * d) : null;
        var z = real ? null : Reuse(into?.ComplexData, (long)d * d);
        // the native real products write into two work arrays of the largest block product, kept across couplings
        bool direct = real && be is NativeBackend && scratch is not null;
        long most = 0;
        for (int b = 0; b < nb; b++) most = Math.Max(most, blocks.Size(b));
        double[]? xWork = direct ? scratch!.Take(ScratchSlotX, most * most) : null;
        double[]? yWork = direct ? scratch!.Take(ScratchSlotY, most * most) : null;
        var complexU = real ? null : new Matrix<Complex>?[nb];
        Matrix<Complex> U(int b) => blocks.ComplexVectors[b] ?? (complexU![b] ??= blocks.RealVectors[b]!.ToComplex());
        for (int mu = 0; mu < nb; mu++)
        {
            var entries = Projected(rows, adapted, mu);
            for (int lambda = 0; lambda <= mu; lambda++)
            {
                var list = entries[lambda];
                if (list is null || list.Count == 0) continue;
                int ml = blocks.Size(lambda), mm = blocks.Size(mu);
                if (direct)
                {
                    LeftProduct(list, DenseKernels.Data(blocks.RealVectors[mu]!), ml, mm, xWork!);
                    NativeBackend.DgemmInto(true, DenseKernels.Data(blocks.RealVectors[lambda]!), xWork!, ml, mm, ml, yWork!);
                    if (lambda == mu) DenseKernels.Hermitize(yWork!, ml);
                    Scatter(yWork!, re!, blocks.GlobalIndex[lambda], blocks.GlobalIndex[mu], d, lambda != mu, v => v);
                }
                else if (real)
                {
                    var x = LeftProduct(list, DenseKernels.Data(blocks.RealVectors[mu]!), ml, mm);
                    var y = DenseKernels.Data(be.TransposeMultiply(blocks.RealVectors[lambda]!, Matrix<double>.Build.Dense(ml, mm, x)));
                    if (lambda == mu) DenseKernels.Hermitize(y, ml);
                    Scatter(y, re!, blocks.GlobalIndex[lambda], blocks.GlobalIndex[mu], d, lambda != mu, v => v);
                }
                else
                {
                    var x = LeftProduct(list, DenseKernels.Data(U(mu)), ml, mm);
                    var y = DenseKernels.Data(be.AdjointMultiply(U(lambda), Matrix<Complex>.Build.Dense(ml, mm, x)));
                    if (lambda == mu) DenseKernels.Hermitize(y, ml);
                    Scatter(y, z!, blocks.GlobalIndex[lambda], blocks.GlobalIndex[mu], d, lambda != mu, Complex.Conjugate);
                }
            }
        }
        if (direct)
        {
            scratch!.Return(ScratchSlotX, xWork!);
            scratch.Return(ScratchSlotY, yWork!);
        }
        if (into is not null) return into;
        // exactly Hermitian, as S is: the diagonal blocks were made Hermitian, the others are written as mirror images
        return re is not null
            ? CouplingMatrix.Of(Matrix<double>.Build.Dense(d, d, re))
            : CouplingMatrix.Of(Matrix<Complex>.Build.Dense(d, d, z!));
    }

    /// <summary>
    /// The entries (row i of block λ, column c of block μ, value) of S̃_λμ = B_λᵀ S B_μ for every λ ≤ μ, indexed by λ:
    /// column by column of B_μ, y = S b_c from the rows of S (S Hermitian: column s is the conjugate of row s), then its
    /// coefficients on the basis vectors that touch y's support.
    /// </summary>
    private static List<(int Row, int Column, Complex Value)>?[] Projected(SparseRows rows, SymmetryAdaptedBasis adapted, int mu)
    {
        var block = adapted.Blocks[mu];
        int d = adapted.Dimension, nb = adapted.Blocks.Count;
        var result = new List<(int, int, Complex)>?[nb];
        var y = new Complex[d];
        var seen = new bool[d];
        var touched = new List<int>();
        var acc = new Dictionary<(int Block, int Row), Complex>();
        for (int c = 0; c < block.Size; c++)
        {
            SymmetryBlocks.AddColumnImage(rows, block, c, y, seen, touched);
            foreach (int r in touched)
            {
                if (y[r] != Complex.Zero)
                    for (int e = adapted.RowStart[r]; e < adapted.RowStart[r + 1]; e++)
                    {
                        int lambda = adapted.RowBlock[e];
                        if (lambda > mu) continue;
                        var key = (lambda, adapted.RowColumn[e]);
                        acc[key] = acc.GetValueOrDefault(key) + adapted.RowCoefficient[e] * y[r];
                    }
                y[r] = Complex.Zero;
                seen[r] = false;
            }
            touched.Clear();
            foreach (var ((lambda, row), v) in acc)
            {
                if (v == Complex.Zero) continue;
                (result[lambda] ??= []).Add((row, c, v));
            }
            acc.Clear();
        }
        return result;
    }

    // The scratch slots of the two work arrays (CouplingTransform's local path uses 0 and 1).
    private const int ScratchSlotX = 2, ScratchSlotY = 3;

    // The d² array of a reused coupling, cleared (its blocks that the coupling does not reach must read zero), or a new one.
    private static T[] Reuse<T>(T[]? array, long length) where T : unmanaged
    {
        if (array is null || array.LongLength != length) return LargeArrays.Zeroed<T>(length);
        LargeArrays.Clear(array);
        return array;
    }

    // X = S̃ U_μ (ml × mm, column-major) from the entries of S̃.
    private static double[] LeftProduct(List<(int Row, int Column, Complex Value)> entries, double[] u, int ml, int mm,
        double[]? into = null)
    {
        var x = into ?? LargeArrays.Zeroed<double>((long)ml * mm);
        if (into is not null) Array.Clear(into, 0, ml * mm);
        var rowsOf = entries.Select(e => e.Row).ToArray();
        var colsOf = entries.Select(e => e.Column).ToArray();
        var values = entries.Select(e => e.Value.Real).ToArray();
        Parallel.For(0, mm, DenseKernels.ParallelOver(mm), j =>
        {
            long xc = (long)j * ml, uc = (long)j * mm;
            for (int e = 0; e < values.Length; e++) x[rowsOf[e] + xc] += values[e] * u[colsOf[e] + uc];
        });
        return x;
    }

    private static Complex[] LeftProduct(List<(int Row, int Column, Complex Value)> entries, Complex[] u, int ml, int mm)
    {
        var x = LargeArrays.Zeroed<Complex>((long)ml * mm);
        var rowsOf = entries.Select(e => e.Row).ToArray();
        var colsOf = entries.Select(e => e.Column).ToArray();
        var values = entries.Select(e => e.Value).ToArray();
        Parallel.For(0, mm, DenseKernels.ParallelOver(mm), j =>
        {
            long xc = (long)j * ml, uc = (long)j * mm;
            for (int e = 0; e < values.Length; e++) x[rowsOf[e] + xc] += values[e] * u[colsOf[e] + uc];
        });
        return x;
    }

    // A[gλ[i], gμ[j]] = Y[i, j] and, off the diagonal blocks, A[gμ[j], gλ[i]] = conj(Y[i, j]), in 64×64 tiles.
    private static void Scatter<T>(T[] y, T[] a, int[] gl, int[] gm, int d, bool mirror, Func<T, T> conjugate)
    {
        int ml = gl.Length, mm = gm.Length;
        const int Tile = 64;
        Parallel.For(0, (mm + Tile - 1) / Tile, DenseKernels.ParallelOver(mm / Tile + 1), tj =>
        {
            int j0 = tj * Tile, j1 = Math.Min(mm, j0 + Tile);
            for (int i0 = 0; i0 < ml; i0 += Tile)
            {
                int i1 = Math.Min(ml, i0 + Tile);
                for (int j = j0; j < j1; j++)
                {
                    long col = (long)gm[j] * d, yc = (long)j * ml;
                    for (int i = i0; i < i1; i++) a[gl[i] + col] = y[i + yc];
                }
                if (!mirror) continue;
                for (int i = i0; i < i1; i++)
                {
                    long col = (long)gl[i] * d;
                    for (int j = j0; j < j1; j++) a[gm[j] + col] = conjugate(y[i + (long)j * ml]);
                }
            }
        });
    }

    /// <summary>
    /// Whether coupling <paramref name="beta"/> is the image g S_α g of an earlier coupling α under an involution g
    /// (flip, reflection) of the basis; then the eigen index signs χ_n (the character of n's block) with the source α.
    /// </summary>
    public static (int Source, sbyte[] Signs)? Mirror(IReadOnlyList<Matrix<Complex>> couplings, int beta, SymmetryBlocks blocks)
    {
        var syms = blocks.Adapted.Symmetries;
        var s = couplings[beta];
        double scale = 0;
        foreach (var z in s.Enumerate(Zeros.AllowSkip)) scale = Math.Max(scale, z.Magnitude);
        double tol = 1e-14 * Math.Max(scale, double.Epsilon);
        for (int g = 0; g < syms.Count; g++)
        {
            if (!syms[g].IsPermutation || syms[g].Order != 2) continue;
            for (int alpha = 0; alpha < beta; alpha++)
            {
                if (!syms[g].MapsOnto(couplings[alpha], s, tol)) continue;
                int d = blocks.Adapted.Dimension;
                var signs = new sbyte[d];
                for (int k = 0; k < d; k++) signs[k] = (sbyte)blocks.Adapted.Character(g, blocks.BlockOf[k]);
                return (alpha, signs);
            }
        }
        return null;
    }

    /// <summary>A_β[n, m] = χ_n χ_m A_α[n, m].</summary>
    public static CouplingMatrix Signed(CouplingMatrix source, sbyte[] signs) =>
        source.RealData is { } re
            ? CouplingMatrix.Of(Matrix<double>.Build.Dense(source.Dimension, source.Dimension, Signed(re, signs, source.Dimension)))
            : CouplingMatrix.Of(Matrix<Complex>.Build.Dense(source.Dimension, source.Dimension, Signed(source.ComplexData!, signs, source.Dimension)));

    private static T[] Signed<T>(T[] source, sbyte[] signs, int d) where T : unmanaged
    {
        var a = LargeArrays.Zeroed<T>((long)d * d);
        Parallel.For(0, d, DenseKernels.ParallelOver(d), m =>
        {
            long col = (long)m * d;
            double sm = signs[m];
            for (int n = 0; n < d; n++) a[n + col] = DenseKernels.Scaled(source[n + col], signs[n] * sm);
        });
        return a;
    }
}
