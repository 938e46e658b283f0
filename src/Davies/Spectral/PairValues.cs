using System.Numerics;
using Davies.LinearAlgebra;

namespace Davies.Spectral;

/// <summary>
/// What the sector decay bounds read of each root coupling (<see cref="CouplingSource.RootOf"/>), taken during the
/// streaming build's one pass so that the bounds need no second pass over the transforms (docs/algorithms.md,
/// "Streaming build"): the entries A_r[a′, a] with Id(a, a′) &gt; 0 that are not zero after cleaning, column a by column
/// a, a′ ascending within a column — the order of the bounds' walk over the pairs (a, a′) of positive Bohr groups.
/// Which entries are held is a bit per element (column-major, each column starting on a word), so the values are
/// packed without their indices: for the σz chain (flip-odd couplings, half the upper triangle non-zero) d²/4 reals
/// per root, 512 MiB at d = 16384, plus d²/8 bytes of bits.
/// </summary>
internal sealed class PairValues
{
    private readonly int _d;
    private readonly int _words; // words of bits per column
    private readonly ulong[]?[] _bits;
    private readonly int[]?[] _columnStart;
    private readonly double[]?[] _real;
    private readonly Complex[]?[] _complex;

    public PairValues(int d, int couplings)
    {
        _d = d;
        _words = (d + 63) / 64;
        _bits = new ulong[]?[couplings];
        _columnStart = new int[]?[couplings];
        _real = new double[]?[couplings];
        _complex = new Complex[]?[couplings];
    }

    /// <summary>Words of bits per column.</summary>
    public int Words => _words;

    /// <summary>Bytes held now.</summary>
    public long Bytes { get; private set; }

    /// <summary>Whether root <paramref name="root"/>'s entries are held.</summary>
    public bool Holds(int root) => _columnStart[root] is not null;

    /// <summary>Bytes that a root with <paramref name="entries"/> held entries takes (real or complex).</summary>
    public long BytesFor(long entries, bool real) => entries * (real ? 8 : 16) + (long)_d * _words * 8 + 4L * (_d + 1);

    /// <summary>A zeroed bit table for a root (filled by its column pass before <see cref="Fill"/>).</summary>
    public ulong[] NewBits() => LargeArrays.Zeroed<ulong>((long)_d * _words);

    /// <summary>
    /// Holds root <paramref name="root"/>: <paramref name="bits"/> marks the entries, <paramref name="counts"/> is the number
    /// per column; the values are copied from <paramref name="a"/> (the cleaned transform, before any signs).
    /// </summary>
    public void Fill(int root, CouplingMatrix a, ulong[] bits, int[] counts)
    {
        int d = _d, words = _words;
        var start = new int[d + 1];
        for (int m = 0; m < d; m++) start[m + 1] = start[m] + counts[m];
        long total = start[d];
        var re = a.RealData;
        var z = a.ComplexData;
        var real = re is not null ? LargeArrays.Zeroed<double>(total) : null;
        var complex = re is null ? LargeArrays.Zeroed<Complex>(total) : null;
        Parallel.For(0, d, DenseKernels.ParallelOver(d), m =>
        {
            int at = start[m];
            long col = (long)m * d;
            for (int k = 0; k < words; k++)
            {
                ulong word = bits[(long)m * words + k];
                while (word != 0)
                {
                    int n = k * 64 + BitOperations.TrailingZeroCount(word);
                    word &= word - 1;
                    if (real is not null) real[at++] = re![n + col];
                    else complex![at++] = z![n + col];
                }
            }
        });
        _bits[root] = bits;
        _columnStart[root] = start;
        _real[root] = real;
        _complex[root] = complex;
        Bytes += BytesFor(total, re is not null);
    }

    /// <summary>Root <paramref name="root"/>'s tables: bits (column-major), column starts, values (real or complex).</summary>
    public (ulong[] Bits, int[] ColumnStart, double[]? Real, Complex[]? Complex) Of(int root) =>
        (_bits[root]!, _columnStart[root]!, _real[root], _complex[root]);

    /// <summary>Drops root <paramref name="root"/>'s entries.</summary>
    public void Release(int root)
    {
        if (_columnStart[root] is not { } start) return;
        Bytes -= BytesFor(start[_d], _real[root] is not null);
        _bits[root] = null;
        _columnStart[root] = null;
        _real[root] = null;
        _complex[root] = null;
    }

    /// <summary>Drops everything.</summary>
    public void Clear()
    {
        for (int r = 0; r < _bits.Length; r++) Release(r);
    }
}
