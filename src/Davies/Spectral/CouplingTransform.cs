using System.Runtime.CompilerServices;
using Davies.LinearAlgebra;
using Davies.Spaces;

namespace Davies.Spectral;

/// <summary>
/// Basis change of coupling operators, A = V† S V, exploiting structure:
/// a single-site operator S = 1 ⊗ s ⊗ 1 (e.g. σz_i or σx_i) is written through the eigen-decomposition
/// s = Σ_k λ_k |u_k⟩⟨u_k|: with W = (1 ⊗ U† ⊗ 1) V (O(d² d_i)) and W_k the rows of W whose site-i index is k,
/// A = λ_0 𝟙 + Σ_{k≥1} (λ_k − λ_0) W_k† W_k — Gram matrices (BLAS syrk/herk) with d/d_i rows instead of two full
/// products. Any other operator: S V (sparse when S is sparse) and one product V†(SV). Real arithmetic whenever
/// H_S and S are real.
/// </summary>
internal static class CouplingTransform
{
    // Per basis: the work arrays reused across the couplings of one build, and the flip parity (computed once).
    private sealed class BasisState(EigenBasis basis)
    {
        public ScratchArrays Scratch { get; } = new();
        public Lazy<int[]?> FlipParity { get; } = new(() => ComputeFlipParity(basis));
    }

    private static readonly ConditionalWeakTable<EigenBasis, BasisState> States = new();

    private static BasisState StateOf(EigenBasis basis) => States.GetValue(basis, b => new BasisState(b));

    /// <summary>The work arrays of the coupling transforms of <paramref name="basis"/> (reused across one build's couplings).</summary>
    internal static ScratchArrays Scratch(EigenBasis basis) => StateOf(basis).Scratch;

    /// <summary>Drops the work arrays kept for <paramref name="basis"/> (after the last coupling of a build).</summary>
    internal static void ReleaseScratch(EigenBasis basis) => StateOf(basis).Scratch.Clear();

    /// <summary>
    /// For real eigenvectors on d = 2ⁿ states: the parity λ_k = ±1 of each eigenvector under the global spin flip
    /// |s⟩ → |s ⊕ 1…1⟩ (the Z2 symmetry Π_i X_i of Ising-type models), when every eigenvector has one (to 1e-9);
    /// null otherwise. Computed once (O(d²)): ⟨v_k| Π X |v_k⟩ = Σ_s v_k(s) v_k(d − 1 − s).
    /// </summary>
    internal static int[]? GlobalFlipParity(EigenBasis basis) => StateOf(basis).FlipParity.Value;

    private static int[]? ComputeFlipParity(EigenBasis basis)
    {
        int d = basis.Dimension;
        if (basis.RealVectors is not { } rv || d < 2 || (d & (d - 1)) != 0) return null;
        var v = DenseKernels.Data(rv);
        var parity = new int[d];
        int failed = 0;
        Parallel.For(0, d, DenseKernels.ParallelOver(d), k =>
        {
            long col = (long)k * d;
            double overlap = 0;
            for (int s = 0; s < d; s++) overlap += v[col + s] * v[col + d - 1 - s];
            if (Math.Abs(Math.Abs(overlap) - 1) > 1e-9) Interlocked.Exchange(ref failed, 1);
            parity[k] = overlap > 0 ? 1 : -1;
        });
        return failed == 0 ? parity : null;
    }

    /// <summary>
    /// From this dimension on the flip-symmetric path is used (below it the plain Gram matrix is cheaper than the
    /// extra passes and the parity check).
    /// </summary>
    internal const int FlipSymmetryMinimumDimension = 1024;

    /// <param name="s">The coupling in the site basis.</param>
    /// <param name="basis">The eigenbasis.</param>
    /// <param name="space">The sites (for single-site couplings).</param>
    /// <param name="be">The backend of the products.</param>
    /// <param name="flipSymmetryMinimum">From this dimension on the flip-symmetric single-site path.</param>
    /// <param name="into">
    /// A coupling array no longer needed, overwritten by a symmetry-block transform instead of a new d × d array (the
    /// streaming passes); the other paths allocate. Null: a new array.
    /// </param>
    public static CouplingMatrix ToEigenbasis(Matrix<Complex> s, EigenBasis basis, HilbertSpace space, ILinearAlgebraBackend be,
        int flipSymmetryMinimum = FlipSymmetryMinimumDimension, CouplingMatrix? into = null)
    {
        if (basis.Blocks is { } blocks) return BlockCouplingTransform.ToEigenbasis(s, blocks, be, into, Scratch(basis));
        bool real = basis.RealVectors is not null && EigenBasis.IsReal(s);
        if (basis.Permutation is { } perm) return Permuted(s, perm, basis.InversePermutation!, real);
        if (space.Dimension == basis.Dimension && space.SiteCount > 1 && TryLocal(s, space, out int site, out var local))
            return Local(local, site, basis, space, be, real, flipSymmetryMinimum);
        // a model file's couplings come in sparse storage; on spaces where operators are dense the product V†SV is the
        // backend's dense one, as for a dense S (the same arithmetic)
        if (!s.Storage.IsDense && basis.Dimension <= Operators.SiteOperators.SparseThreshold) s = Matrix<Complex>.Build.DenseOfMatrix(s);
        var a = real ? CouplingMatrix.Of(ToReal(basis.ToEigenbasis(s, be))) : CouplingMatrix.Of(basis.ToEigenbasis(s, be));
        // exactly Hermitian, as S is (the sector bounds read A[m, m′] as conj(A[m′, m]))
        if (a.RealData is { } re) DenseKernels.Hermitize(re, a.Dimension);
        else DenseKernels.Hermitize(a.ComplexData!, a.Dimension);
        return a;
    }

    private static Matrix<double> ToReal(Matrix<Complex> m) => m.Map(z => z.Real);

    // A[n, m] = S[p[n], p[m]]: the eigenbasis is a permutation of the site basis (H_S diagonal). Exact, O(d² + nnz),
    // and exactly Hermitian when S is.
    private static CouplingMatrix Permuted(Matrix<Complex> s, int[] p, int[] inverse, bool real)
    {
        int d = p.Length;
        var entries = s.Storage.IsDense ? null : s.EnumerateIndexed(Zeros.AllowSkip);
        if (real)
        {
            var a = LargeArrays.Zeroed<double>((long)d * d);
            if (entries is null)
                for (int m = 0; m < d; m++)
                    for (int n = 0; n < d; n++) a[n + (long)m * d] = s[p[n], p[m]].Real;
            else
                foreach (var (i, j, z) in entries) a[inverse[i] + (long)inverse[j] * d] = z.Real;
            DenseKernels.Hermitize(a, d);
            return CouplingMatrix.Of(Matrix<double>.Build.Dense(d, d, a));
        }
        var c = LargeArrays.Zeroed<Complex>((long)d * d);
        if (entries is null)
            for (int m = 0; m < d; m++)
                for (int n = 0; n < d; n++) c[n + (long)m * d] = s[p[n], p[m]];
        else
            foreach (var (i, j, z) in entries) c[inverse[i] + (long)inverse[j] * d] = z;
        DenseKernels.Hermitize(c, d);
        return CouplingMatrix.Of(Matrix<Complex>.Build.Dense(d, d, c));
    }

    /// <summary>Whether S acts only on one site, and the local operator there.</summary>
    internal static bool TryLocal(Matrix<Complex> s, HilbertSpace space, out int site, out Matrix<Complex> local)
    {
        site = -1;
        local = null!;
        int d = space.Dimension, n = space.SiteCount;
        var entries = new List<(int R, int C, Complex V)>();
        foreach (var e in s.EnumerateIndexed(Zeros.AllowSkip))
        {
            if (e.Item3 == Complex.Zero) continue;
            entries.Add(e);
            if (entries.Count > 4 * d) return false;
        }
        var strides = Enumerable.Range(0, n).Select(space.Stride).ToArray();
        int Digit(int index, int k) => index / strides[k] % space.Dimensions[k];
        // the site where rows and columns differ (if any entry is off-diagonal)
        int differing = -1;
        foreach (var (r, c, _) in entries)
        {
            if (r == c) continue;
            for (int k = 0; k < n; k++)
            {
                if (Digit(r, k) == Digit(c, k)) continue;
                if (differing >= 0 && differing != k) return false;
                differing = k;
            }
        }
        var candidates = differing >= 0 ? [differing] : Enumerable.Range(0, n).ToArray();
        foreach (int k in candidates)
        {
            int dk = space.Dimensions[k];
            var loc = Matrix<Complex>.Build.Dense(dk, dk);
            var seen = new bool[dk, dk];
            bool ok = true;
            foreach (var (r, c, v) in entries)
            {
                // rows and columns must agree on every other site
                if (r - Digit(r, k) * strides[k] != c - Digit(c, k) * strides[k]) { ok = false; break; }
                int a = Digit(r, k), b = Digit(c, k);
                if (!seen[a, b]) { seen[a, b] = true; loc[a, b] = v; }
                else if ((loc[a, b] - v).Magnitude > 1e-14 * Math.Max(1, v.Magnitude)) { ok = false; break; }
            }
            if (!ok) continue;
            int nnzLocal = 0;
            foreach (var b in seen) if (b) nnzLocal++;
            if ((long)nnzLocal * (d / dk) != entries.Count) continue; // every copy of each local entry must be present
            site = k;
            local = loc;
            return true;
        }
        return false;
    }

    private static CouplingMatrix Local(Matrix<Complex> local, int site, EigenBasis basis, HilbertSpace space, ILinearAlgebraBackend be, bool real,
        int flipSymmetryMinimum)
    {
        int d = basis.Dimension, dk = space.Dimensions[site], stride = space.Stride(site);
        var (lambda, u) = LocalEigen(local, real);
        int rowsPerK = d / dk, outers = d / (dk * stride);
        if (real)
        {
            var vd = DenseKernels.Data(basis.RealVectors!);
            if (dk == 2 && d >= flipSymmetryMinimum && lambda[1] != lambda[0] && space.Dimensions.All(x => x == 2) && IsBasisVector(u, 1)
                && GlobalFlipParity(basis) is { } parity)
                return LocalWithFlipSymmetry(lambda, u, vd, site, basis, space, be, parity);
            Matrix<double>? result = null;
            for (int k = 1; k < dk; k++)
                if (lambda[k] != lambda[0])
                {
                    var uk = Enumerable.Range(0, dk).Select(a => u[a, k].Real).ToArray();
                    var wk = RowsOfSiteState(vd, uk, d, dk, stride, outers, Scratch(basis).Take(3, (long)rowsPerK * d));
                    var gram = be.Gram(Matrix<double>.Build.Dense(rowsPerK, d, wk));
                    Scratch(basis).Return(3, wk);
                    gram.Multiply(lambda[k] - lambda[0], gram); // in place: no d×d temporaries
                    if (result is null) result = gram;
                    else result.Add(gram, result);
                }
            result ??= Matrix<double>.Build.Dense(d, d);
            for (int i = 0; i < d; i++) result[i, i] += lambda[0];
            return CouplingMatrix.Of(result);
        }
        else
        {
            var vd = DenseKernels.Data(basis.Vectors);
            Matrix<Complex>? result = null;
            for (int k = 1; k < dk; k++)
                if (lambda[k] != lambda[0])
                {
                    var uk = Enumerable.Range(0, dk).Select(a => Complex.Conjugate(u[a, k])).ToArray();
                    var gram = be.Gram(Matrix<Complex>.Build.Dense(rowsPerK, d, RowsOfSiteState(vd, uk, d, dk, stride, outers)));
                    gram.Multiply(lambda[k] - lambda[0], gram);
                    if (result is null) result = gram;
                    else result.Add(gram, result);
                }
            result ??= Matrix<Complex>.Build.Dense(d, d);
            for (int i = 0; i < d; i++) result[i, i] += lambda[0];
            return CouplingMatrix.Of(result);
        }
    }

    // The local operator's eigendecomposition (managed: d_k × d_k). A model's couplings are often copies of one local operator
    // on different sites (σz_i): the last one is kept per thread and reused when the next has the same entries (the same
    // deterministic computation, so the same values).
    [ThreadStatic] private static (Complex[] Entries, bool Real, double[] Lambda, Matrix<Complex> U)? _lastLocal;

    private static (double[] Lambda, Matrix<Complex> U) LocalEigen(Matrix<Complex> local, bool real)
    {
        var entries = local.ToColumnMajorArray();
        if (_lastLocal is { } last && last.Real == real && SameBits(last.Entries, entries)) return (last.Lambda, last.U);
        double[] lambda;
        Matrix<Complex> u;
        if (real)
        {
            int dk = local.RowCount;
            var eig = ManagedBackend.Instance.EigenSymmetric(Matrix<double>.Build.Dense(dk, dk, (i, j) => local[i, j].Real));
            lambda = eig.Values;
            u = eig.Vectors.ToComplex();
        }
        else
        {
            var eig = ManagedBackend.Instance.EigenHermitian(local);
            lambda = eig.Values;
            u = eig.Vectors;
        }
        _lastLocal = (entries, real, lambda, u);
        return (lambda, u);
    }

    private static bool SameBits(Complex[] a, Complex[] b) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<Complex, long>(a).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.Cast<Complex, long>(b));

    // Whether column k of the local eigenvectors is a site-basis vector (±1 in one entry): s diagonal in the site basis.
    private static bool IsBasisVector(Matrix<Complex> u, int k)
    {
        int ones = 0;
        for (int a = 0; a < u.RowCount; a++)
        {
            double x = u[a, k].Magnitude;
            if (Math.Abs(x - 1) < 1e-12) ones++;
            else if (x > 1e-12) return false;
        }
        return ones == 1;
    }

    /// <summary>
    /// A qubit-site operator diagonal in the site basis (e.g. σz_i), when every eigenvector of H_S has a parity
    /// λ_k = ±1 under the global flip F = Π_j X_j (Ising-type models): F maps the rows W of V with site state |b⟩
    /// onto those with |1 − b⟩ and multiplies column k by λ_k, so WᵀW + ΛWᵀWΛ = VᵀV = 𝟙. The Gram matrix G = WᵀW is
    /// therefore ½𝟙 between eigenvectors of equal parity and needs only its cross block C = W_Eᵀ W_O (even × odd
    /// columns): one product of half the size, half the operations of the full syrk. A = λ₀𝟙 + (λ₁ − λ₀)G.
    /// </summary>
    private static CouplingMatrix LocalWithFlipSymmetry(double[] lambda, Matrix<Complex> u, double[] vd, int site, EigenBasis basis,
        HilbertSpace space, ILinearAlgebraBackend be, int[] parity)
    {
        int d = basis.Dimension, stride = space.Stride(site), outers = d / (2 * stride), rows = d / 2;
        var uk = new[] { u[0, 1].Real, u[1, 1].Real };
        // The work arrays have the same sizes for every coupling of the basis: reused (Scratch(basis)) instead of
        // allocated per coupling.
        var scratch = Scratch(basis);
        var w = RowsOfSiteState(vd, uk, d, 2, stride, outers, scratch.Take(0, (long)rows * d)); // column k: eigenvector k on those rows
        var even = Enumerable.Range(0, d).Where(k => parity[k] > 0).ToArray();
        var odd = Enumerable.Range(0, d).Where(k => parity[k] < 0).ToArray();
        Matrix<double> Columns(int[] idx, double[] data)
        {
            Parallel.For(0, idx.Length, DenseKernels.Threads(), j => Array.Copy(w, (long)idx[j] * rows, data, (long)j * rows, rows));
            return Matrix<double>.Build.Dense(rows, idx.Length, data);
        }
        Matrix<double>? c = null;
        if (even.Length > 0 && odd.Length > 0)
        {
            var we = scratch.Take(1, (long)rows * even.Length);
            var wo = scratch.Take(2, (long)rows * odd.Length);
            c = be.TransposeMultiply(Columns(even, we), Columns(odd, wo));
            scratch.Return(1, we);
            scratch.Return(2, wo);
        }
        scratch.Return(0, w);
        double delta = lambda[1] - lambda[0];
        var a = LargeArrays.Zeroed<double>((long)d * d);
        if (c is not null)
        {
            var cd = DenseKernels.Data(c);
            int ne = even.Length, no = odd.Length;
            const int Tile = 64;
            // A[e_i, o_j] = A[o_j, e_i] = (λ₁ − λ₀) C[i, j], in tiles of C (both writes stay within 64 rows/columns)
            Parallel.For(0, (no + Tile - 1) / Tile, DenseKernels.Threads(), tj =>
            {
                int j0 = tj * Tile, j1 = Math.Min(no, j0 + Tile);
                for (int i0 = 0; i0 < ne; i0 += Tile)
                {
                    int i1 = Math.Min(ne, i0 + Tile);
                    for (int j = j0; j < j1; j++)
                    {
                        long oCol = (long)odd[j] * d;
                        for (int i = i0; i < i1; i++)
                        {
                            double x = delta * cd[i + (long)j * ne];
                            a[even[i] + oCol] = x;
                            a[odd[j] + (long)even[i] * d] = x;
                        }
                    }
                }
            });
        }
        double diagonal = lambda[0] + 0.5 * delta;
        for (int k = 0; k < d; k++) a[k + (long)k * d] = diagonal;
        return CouplingMatrix.Of(Matrix<double>.Build.Dense(d, d, a));
    }

    /// <summary>
    /// The rows of W = (1 ⊗ U† ⊗ 1) V whose site index is k, column-major (d/d_i rows × d): row (o, i) is
    /// Σ_a ū_ak V[(o, a, i), :], with <paramref name="uk"/> = conj(column k of U).
    /// </summary>
    private static T[] RowsOfSiteState<T>(T[] vd, T[] uk, int d, int dk, int stride, int outers, T[]? target = null)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        int rows = d / dk;
        var wk = target ?? LargeArrays.Zeroed<T>((long)rows * d); // every entry is written below
        Parallel.For(0, d, DenseKernels.ParallelOver(d), col =>
        {
            int baseIdx = col * d, wBase = col * rows, row = 0;
            for (int o = 0; o < outers; o++)
                for (int i = 0; i < stride; i++, row++)
                {
                    T acc = T.Zero;
                    for (int a = 0; a < dk; a++) acc += uk[a] * vd[baseIdx + o * dk * stride + a * stride + i];
                    wk[wBase + row] = acc;
                }
        });
        return wk;
    }
}

/// <summary>A few large work arrays kept between calls (take, use, return; a concurrent taker gets a new array).</summary>
internal sealed class ScratchArrays
{
    private readonly double[]?[] _slots = new double[]?[4];

    /// <summary>The array of <paramref name="slot"/> if it has <paramref name="length"/> elements (contents undefined), else a new one.</summary>
    public double[] Take(int slot, long length)
    {
        var a = Interlocked.Exchange(ref _slots[slot], null);
        return a is not null && a.LongLength == length ? a : LargeArrays.Zeroed<double>(length);
    }

    /// <summary>Keeps <paramref name="array"/> for the next <see cref="Take"/> of <paramref name="slot"/>.</summary>
    public void Return(int slot, double[] array) => Volatile.Write(ref _slots[slot], array);

    /// <summary>Drops every kept array.</summary>
    public void Clear()
    {
        for (int i = 0; i < _slots.Length; i++) Volatile.Write(ref _slots[i], null);
    }
}
