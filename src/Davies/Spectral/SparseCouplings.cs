using Davies.LinearAlgebra;
namespace Davies.Spectral;

/// <summary>
/// The exact non-zero entries of every coupling in the eigenbasis, column by column (compressed sparse columns):
/// column m of coupling c holds the pairs (n, A_c[n, m]) with A_c[n, m] ≠ 0, n ascending. Built once per decomposed
/// model for the structured treatment of degenerate spectra, where a permuted site basis keeps a local coupling
/// such as σx_i at one entry per column (a generic eigenbasis gives dense columns, and the same code does the
/// dense amount of work). A is Hermitian, so row n of A is column n conjugated.
/// </summary>
internal sealed class SparseCouplings
{
    private SparseCouplings(int dimension, int[][] start, int[][] rows, Complex[][] values)
    {
        Dimension = dimension;
        _start = start;
        _rows = rows;
        _values = values;
    }

    private readonly int[][] _start;
    private readonly int[][] _rows;
    private readonly Complex[][] _values;

    /// <summary>Dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Number of couplings.</summary>
    public int Count => _start.Length;

    /// <summary>Total number of stored entries over all couplings.</summary>
    public long NonZeros => _start.Sum(s => (long)s[^1]);

    /// <summary>Row indices of the non-zeros of column <paramref name="m"/> of coupling <paramref name="c"/>.</summary>
    public ReadOnlySpan<int> Rows(int c, int m) => _rows[c].AsSpan(_start[c][m], _start[c][m + 1] - _start[c][m]);

    /// <summary>The non-zero values of column <paramref name="m"/> of coupling <paramref name="c"/> (same order as <see cref="Rows"/>).</summary>
    public ReadOnlySpan<Complex> Values(int c, int m) => _values[c].AsSpan(_start[c][m], _start[c][m + 1] - _start[c][m]);

    /// <summary>Number of non-zeros of coupling <paramref name="c"/>.</summary>
    public int NonZerosOf(int c) => _start[c][^1];

    /// <summary>Counts the exact non-zeros of every coupling (for a memory estimate before <see cref="Build"/>).</summary>
    public static long CountNonZeros(JumpOperators jumps)
    {
        long total = 0;
        int d = jumps.Basis.Dimension;
        for (int c = 0; c < jumps.Count; c++)
        {
            var a = jumps.Matrix(c);
            for (long i = 0; i < (long)d * d; i++)
                if (a.Norm2((int)i) != 0) total++;
        }
        return total;
    }

    /// <summary>Bytes that <see cref="Build"/> will hold for <paramref name="nonZeros"/> entries.</summary>
    public static long EstimateBytes(long nonZeros, int couplings, int d) => nonZeros * 20 + (long)couplings * (d + 1) * 4;

    /// <summary>Collects the non-zeros of the couplings of <paramref name="jumps"/>.</summary>
    public static SparseCouplings Build(JumpOperators jumps)
    {
        int d = jumps.Basis.Dimension, nc = jumps.Count;
        var start = new int[nc][];
        var rows = new int[nc][];
        var values = new Complex[nc][];
        Parallel.For(0, nc, DenseKernels.Threads(), c =>
        {
            var a = jumps.Matrix(c);
            var s = new int[d + 1];
            for (int m = 0; m < d; m++)
            {
                int count = 0;
                for (int n = 0; n < d; n++) if (a.Norm2(n + m * d) != 0) count++;
                s[m + 1] = s[m] + count;
            }
            var r = new int[s[d]];
            var v = new Complex[s[d]];
            for (int m = 0; m < d; m++)
            {
                int k = s[m];
                for (int n = 0; n < d; n++)
                {
                    int at = n + m * d;
                    if (a.Norm2(at) == 0) continue;
                    r[k] = n;
                    v[k++] = a[at];
                }
            }
            start[c] = s;
            rows[c] = r;
            values[c] = v;
        });
        return new SparseCouplings(d, start, rows, values);
    }
}
