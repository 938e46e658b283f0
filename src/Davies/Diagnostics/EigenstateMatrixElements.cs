using Davies.LinearAlgebra;
using Davies.Spectral;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace Davies.Diagnostics;

/// <summary>
/// The matrix elements ⟨E_m|O|E_n⟩ of one site-basis operator O that the ETH diagnostics need, without ever forming
/// V†OV with a dense O: the level blocks Π_I O Π_I of every level I (eigenstate expectation values, diagonal ensemble)
/// and, optionally, the binned off-diagonal |O_mn|² of a window of eigenvectors [lo, hi).
/// <para>
/// O·v_n is computed column by column from O's non-zeros (a Pauli string has d of them, so O(d) per column for a
/// sum of few strings, O(d²) in all), and each level block from dot products with the eigenvectors of the same level.
/// The off-diagonal statistics need the whole window block V_w†(O V_w): one GEMM through the backend (real when H_S is
/// real: V_wᵀ(Re O)V_w, plus V_wᵀ(Im O)V_w when O has imaginary entries). A dense O (a matrix given as such) is
/// multiplied by V with the backend instead, unless it is mostly zeros.
/// </para>
/// </summary>
internal sealed class EigenstateMatrixElements
{
    private readonly int[] _sizes;

    private EigenstateMatrixElements(EigenBasis basis, Complex[][] levelBlocks, bool full, OffDiagonalBins? offDiagonal)
    {
        _sizes = basis.Levels.Select(l => l.Count).ToArray();
        LevelBlocks = levelBlocks;
        Full = full;
        OffDiagonal = offDiagonal;
    }

    /// <summary>Per level I, the block V_I† O V_I (d_I × d_I, column-major) when <see cref="Full"/>, else only its diagonal.</summary>
    public Complex[][] LevelBlocks { get; }

    /// <summary>Whether <see cref="LevelBlocks"/> hold the whole blocks.</summary>
    public bool Full { get; }

    /// <summary>The binned |O_mn|² of the window, when asked for.</summary>
    public OffDiagonalBins? OffDiagonal { get; }

    /// <summary>Tr[Π_I O] of level <paramref name="level"/> (its block's trace).</summary>
    public Complex Trace(int level)
    {
        var b = LevelBlocks[level];
        int m = _sizes[level];
        Complex t = 0;
        for (int i = 0; i < m; i++) t += b[Full ? i + i * m : i];
        return t;
    }

    /// <summary>Σ_I Tr[A_I B_I] over the level blocks of two operators (e.g. ρ̃ and Õ: the diagonal-ensemble value).</summary>
    public static Complex TraceOfProducts(EigenstateMatrixElements a, EigenstateMatrixElements b)
    {
        if (!a.Full || !b.Full) throw new InvalidOperationException("the trace of products needs the full level blocks");
        Complex sum = 0;
        for (int l = 0; l < a.LevelBlocks.Length; l++)
        {
            var x = a.LevelBlocks[l];
            var y = b.LevelBlocks[l];
            int m = a._sizes[l];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) sum += x[i + j * m] * y[j + i * m];
        }
        return sum;
    }

    /// <summary>The full level blocks of an operator already written in the eigenbasis (e.g. a steady state ρ_ss).</summary>
    public static EigenstateMatrixElements FromEigenbasis(EigenBasis basis, Matrix<Complex> eigenbasisOperator)
    {
        var blocks = basis.Levels.Select(l =>
        {
            var b = new Complex[l.Count * l.Count];
            for (int c = 0; c < l.Count; c++)
                for (int j = 0; j < l.Count; j++) b[j + c * l.Count] = eigenbasisOperator[l.Start + j, l.Start + c];
            return b;
        }).ToArray();
        return new EigenstateMatrixElements(basis, blocks, true, null);
    }

    /// <summary>Levels at least this degenerate get their full block V_I†(O V_I) from one backend product (d·d_I² work in BLAS).</summary>
    internal const int LargeLevel = 16;

    /// <summary>
    /// The level blocks of <paramref name="op"/> (in full when <paramref name="fullBlocks"/>, else only their diagonals,
    /// which is all the eigenstate values need) and, when <paramref name="bins"/> &gt; 0, the mean of |O_mn|² over the
    /// pairs m &lt; n of the window [<paramref name="lo"/>, <paramref name="hi"/>) in different levels, in
    /// <paramref name="bins"/> equal bins of ω = E_n − E_m over (0, E_{hi−1} − E_lo].
    /// </summary>
    public static EigenstateMatrixElements Compute(EigenBasis basis, Matrix<Complex> op, ILinearAlgebraBackend backend,
        bool fullBlocks, int lo = 0, int hi = 0, int bins = 0, CancellationToken cancellation = default)
    {
        int d = basis.Dimension;
        if (op.RowCount != d || op.ColumnCount != d)
            throw new ArgumentException($"operator is {op.RowCount}×{op.ColumnCount}, the basis has dimension {d}", nameof(op));
        bool window = bins > 0 && hi - lo >= 2;
        var levels = basis.Levels;
        var blocks = new Complex[levels.Count][];
        for (int l = 0; l < blocks.Length; l++) blocks[l] = new Complex[fullBlocks ? levels[l].Count * levels[l].Count : levels[l].Count];
        // the entries (j, c) of level blocks formed in the column loop: all of a small level's, else only the diagonal
        bool InLoop(Level level) => fullBlocks && level.Count < LargeLevel;
        void Store(Level level, int j, int c, Complex value)
        {
            var block = blocks[basis.LevelOf(c)];
            if (fullBlocks) block[(j - level.Start) + (c - level.Start) * level.Count] = value;
            else block[c - level.Start] = value;
        }
        var sparse = Csr.From(op);
        OffDiagonalBins? off = null;
        if (basis.RealVectors is { } rv)
        {
            var v = DenseKernels.Data(rv);
            bool imaginary = sparse?.Im is not null || (sparse is null && !EigenBasis.IsReal(op));
            // Dense operator: the products (Re O)·V and (Im O)·V by the backend, read column by column below.
            double[]? denseRe = null, denseIm = null;
            if (sparse is null)
            {
                denseRe = DenseKernels.Data(backend.Multiply(op.Map(z => z.Real), rv));
                if (imaginary) denseIm = DenseKernels.Data(backend.Multiply(op.Map(z => z.Imaginary), rv));
            }
            void Column(int c, Span<double> y, Span<double> z)
            {
                if (sparse is not null) sparse.ApplyReal(v.AsSpan((int)((long)c * d), d), y, z, imaginary);
                else
                {
                    denseRe.AsSpan((int)((long)c * d), d).CopyTo(y);
                    if (imaginary) denseIm.AsSpan((int)((long)c * d), d).CopyTo(z);
                }
            }
            int h = window ? hi - lo : 0;
            var winRe = window ? LargeArrays.Zeroed<double>((long)d * h) : null;
            var winIm = window && imaginary ? LargeArrays.Zeroed<double>((long)d * h) : null;
            Parallel.For(0, d, DenseKernels.ParallelOver(d, cancellation), () => (new double[d], new double[d]), (c, _, buffers) =>
            {
                var (y, z) = buffers;
                Column(c, y, z);
                var level = levels[basis.LevelOf(c)];
                int from = InLoop(level) ? level.Start : c, to = InLoop(level) ? level.Start + level.Count : c + 1;
                for (int j = from; j < to; j++)
                {
                    var vj = v.AsSpan((int)((long)j * d), d);
                    Store(level, j, c, new Complex(DenseKernels.Dot(vj, y), imaginary ? DenseKernels.Dot(vj, z) : 0));
                }
                if (window && c >= lo && c < hi)
                {
                    y.CopyTo(winRe.AsSpan((int)((long)(c - lo) * d), d));
                    if (winIm is not null) z.CopyTo(winIm.AsSpan((int)((long)(c - lo) * d), d));
                }
                return buffers;
            }, _ => { });
            if (fullBlocks)
                foreach (var level in levels.Where(l => l.Count >= LargeLevel))
                {
                    cancellation.ThrowIfCancellationRequested();
                    int m = level.Count;
                    var yRe = new double[(long)d * m];
                    var yIm = imaginary ? new double[(long)d * m] : null;
                    Parallel.For(0, m, DenseKernels.ParallelOver(m * 16, cancellation), k =>
                        Column(level.Start + k, yRe.AsSpan(k * d, d), yIm is null ? [] : yIm.AsSpan(k * d, d)));
                    var vl = Matrix<double>.Build.Dense(d, m, v.AsSpan(level.Start * d, m * d).ToArray());
                    var re = backend.TransposeMultiply(vl, Matrix<double>.Build.Dense(d, m, yRe));
                    var im = yIm is null ? null : backend.TransposeMultiply(vl, Matrix<double>.Build.Dense(d, m, yIm));
                    for (int c = 0; c < m; c++)
                        for (int j = 0; j < m; j++)
                            Store(level, level.Start + j, level.Start + c, new Complex(re[j, c], im is null ? 0 : im[j, c]));
                }
            if (window)
            {
                cancellation.ThrowIfCancellationRequested();
                var vw = Matrix<double>.Build.Dense(d, h, v.AsSpan((int)((long)lo * d), (int)((long)h * d)).ToArray());
                var mRe = DenseKernels.Data(backend.TransposeMultiply(vw, Matrix<double>.Build.Dense(d, h, winRe!)));
                var mIm = winIm is null ? null : DenseKernels.Data(backend.TransposeMultiply(vw, Matrix<double>.Build.Dense(d, h, winIm)));
                off = OffDiagonalBins.Accumulate(basis, lo, hi, bins, (i, j) =>
                {
                    long at = i + (long)j * h;
                    double a = mRe[at], b = mIm is null ? 0 : mIm[at];
                    return a * a + b * b;
                });
            }
            return new EigenstateMatrixElements(basis, blocks, fullBlocks, off);
        }

        var vcx = DenseKernels.Data(basis.Vectors);
        Complex[]? dense = sparse is null ? DenseKernels.Data(backend.Multiply(op, basis.Vectors)) : null;
        void ComplexColumn(int c, Span<Complex> y)
        {
            if (sparse is not null) sparse.Apply(vcx.AsSpan((int)((long)c * d), d), y);
            else dense.AsSpan((int)((long)c * d), d).CopyTo(y);
        }
        int hw = window ? hi - lo : 0;
        var win = window ? LargeArrays.Zeroed<Complex>((long)d * hw) : null;
        Parallel.For(0, d, DenseKernels.ParallelOver(d, cancellation), () => new Complex[d], (c, _, y) =>
        {
            ComplexColumn(c, y);
            var level = levels[basis.LevelOf(c)];
            int from = InLoop(level) ? level.Start : c, to = InLoop(level) ? level.Start + level.Count : c + 1;
            for (int j = from; j < to; j++) Store(level, j, c, DenseKernels.ConjugateDot(vcx.AsSpan((int)((long)j * d), d), y));
            if (window && c >= lo && c < hi) y.CopyTo(win.AsSpan((int)((long)(c - lo) * d), d));
            return y;
        }, _ => { });
        if (fullBlocks)
            foreach (var level in levels.Where(l => l.Count >= LargeLevel))
            {
                cancellation.ThrowIfCancellationRequested();
                int m = level.Count;
                var y = new Complex[(long)d * m];
                Parallel.For(0, m, DenseKernels.ParallelOver(m * 16, cancellation), k => ComplexColumn(level.Start + k, y.AsSpan(k * d, d)));
                var vl = Matrix<Complex>.Build.Dense(d, m, vcx.AsSpan(level.Start * d, m * d).ToArray());
                var block = backend.AdjointMultiply(vl, Matrix<Complex>.Build.Dense(d, m, y));
                for (int c = 0; c < m; c++)
                    for (int j = 0; j < m; j++) Store(level, level.Start + j, level.Start + c, block[j, c]);
            }
        if (window)
        {
            cancellation.ThrowIfCancellationRequested();
            var vw = Matrix<Complex>.Build.Dense(d, hw, vcx.AsSpan((int)((long)lo * d), (int)((long)hw * d)).ToArray());
            var m = DenseKernels.Data(backend.AdjointMultiply(vw, Matrix<Complex>.Build.Dense(d, hw, win!)));
            off = OffDiagonalBins.Accumulate(basis, lo, hi, bins, (i, j) =>
            {
                var z = m[i + (long)j * hw];
                return z.Real * z.Real + z.Imaginary * z.Imaginary;
            });
        }
        return new EigenstateMatrixElements(basis, blocks, fullBlocks, off);
    }

    /// <summary>
    /// A site-basis operator by its non-zeros in compressed rows (real and imaginary parts apart), or null when it is
    /// stored densely and more than 1/16 of its entries are non-zero (then the backend's dense product is cheaper).
    /// </summary>
    private sealed class Csr
    {
        private int[] _rows = [];
        private int[] _cols = [];
        private double[] _re = [];

        /// <summary>The imaginary parts, or null when every entry is real.</summary>
        public double[]? Im { get; private set; }

        public static Csr? From(Matrix<Complex> op)
        {
            int d = op.RowCount;
            if (op.Storage is SparseCompressedRowMatrixStorage<Complex> s)
            {
                int nnz = s.RowPointers[d];
                return Build(d, s.RowPointers, s.ColumnIndices, s.Values, nnz);
            }
            var data = DenseKernels.Data(op);
            long count = 0;
            foreach (var z in data) if (z != Complex.Zero) count++;
            if (count * 16 > (long)d * d && d > 64) return null;
            // the non-zeros in column order (one contiguous pass), then placed row by row (a counting sort)
            var rows = new int[d + 1];
            var found = new (int Row, int Col, Complex Value)[count];
            int k = 0;
            for (int j = 0; j < d; j++)
                for (int i = 0; i < d; i++)
                {
                    var z = data[i + (long)j * d];
                    if (z == Complex.Zero) continue;
                    found[k++] = (i, j, z);
                    rows[i + 1]++;
                }
            for (int i = 0; i < d; i++) rows[i + 1] += rows[i];
            var next = rows[..d];
            var cols = new int[count];
            var vals = new Complex[count];
            foreach (var (row, col, value) in found) // columns ascending within each row
            {
                int at = next[row]++;
                cols[at] = col;
                vals[at] = value;
            }
            return Build(d, rows, cols, vals, (int)count);
        }

        private static Csr Build(int d, int[] rows, int[] cols, Complex[] values, int nnz)
        {
            var re = new double[nnz];
            double[]? im = null;
            for (int k = 0; k < nnz; k++)
            {
                re[k] = values[k].Real;
                if (values[k].Imaginary == 0) continue;
                im ??= new double[nnz];
                im[k] = values[k].Imaginary;
            }
            return new Csr { _rows = rows[..(d + 1)], _cols = cols[..nnz], _re = re, Im = im };
        }

        /// <summary>y = (Re O) x and, when <paramref name="imaginary"/>, z = (Im O) x, for a real x.</summary>
        public void ApplyReal(ReadOnlySpan<double> x, Span<double> y, Span<double> z, bool imaginary)
        {
            var im = Im;
            for (int i = 0; i < y.Length; i++)
            {
                double a = 0, b = 0;
                for (int k = _rows[i]; k < _rows[i + 1]; k++)
                {
                    double xv = x[_cols[k]];
                    a += _re[k] * xv;
                    if (im is not null) b += im[k] * xv;
                }
                y[i] = a;
                if (imaginary) z[i] = b;
            }
        }

        /// <summary>y = O x for a complex x.</summary>
        public void Apply(ReadOnlySpan<Complex> x, Span<Complex> y)
        {
            var im = Im;
            for (int i = 0; i < y.Length; i++)
            {
                double a = 0, b = 0;
                for (int k = _rows[i]; k < _rows[i + 1]; k++)
                {
                    var xv = x[_cols[k]];
                    double oi = im is null ? 0 : im[k];
                    a += _re[k] * xv.Real - oi * xv.Imaginary;
                    b += _re[k] * xv.Imaginary + oi * xv.Real;
                }
                y[i] = new Complex(a, b);
            }
        }
    }
}

/// <summary>
/// The mean of |O_mn|² over the pairs m &lt; n of a window of eigenvectors in different levels, in equal bins of
/// ω = E_n − E_m from 0 to the window's width.
/// </summary>
/// <param name="Omega">The bin centres.</param>
/// <param name="MeanSquare">The mean |O_mn|² of each bin (NaN for an empty bin).</param>
/// <param name="Count">The number of pairs in each bin.</param>
internal sealed record OffDiagonalBins(double[] Omega, double[] MeanSquare, long[] Count)
{
    /// <summary>Bins |O_ij|² (given by <paramref name="square"/>(i, j) in window coordinates, i &lt; j).</summary>
    public static OffDiagonalBins Accumulate(EigenBasis basis, int lo, int hi, int bins, Func<int, int, double> square)
    {
        var e = basis.Energies;
        int h = hi - lo;
        double width = e[hi - 1] - e[lo];
        var sums = new double[bins];
        var counts = new long[bins];
        var gate = new object();
        if (width > 0)
            Parallel.For(0, h, DenseKernels.ParallelOver(h), () => (new double[bins], new long[bins]), (j, _, local) =>
            {
                int lj = basis.LevelOf(lo + j);
                for (int i = 0; i < j; i++)
                {
                    if (basis.LevelOf(lo + i) == lj) continue;
                    double omega = e[lo + j] - e[lo + i];
                    int b = Math.Min(bins - 1, (int)(omega / width * bins));
                    local.Item1[b] += square(i, j);
                    local.Item2[b]++;
                }
                return local;
            }, local =>
            {
                lock (gate)
                    for (int b = 0; b < bins; b++)
                    {
                        sums[b] += local.Item1[b];
                        counts[b] += local.Item2[b];
                    }
            });
        var omegaCentres = Enumerable.Range(0, bins).Select(b => (b + 0.5) * width / bins).ToArray();
        var mean = Enumerable.Range(0, bins).Select(b => counts[b] > 0 ? sums[b] / counts[b] : double.NaN).ToArray();
        return new OffDiagonalBins(omegaCentres, mean, counts);
    }
}
