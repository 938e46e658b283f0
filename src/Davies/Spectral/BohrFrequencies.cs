using Davies.LinearAlgebra;
namespace Davies.Spectral;

/// <summary>
/// The Bohr frequencies ω = Ē_J − Ē_I between levels, grouped with the basis tolerance (single linkage over the
/// sorted positive differences; negative frequencies mirror the positive ones exactly, so KMS pairs G(±ω) use the
/// same |ω|). A frequency is identified by a signed id: 0 for ω = 0, +k for the k-th positive group (1-based,
/// ascending), −k for its mirror. The value of a group is the mean of its members.
/// Convention: the matrix element (n, m) of a jump operator S(ω) (row n, column m, a transition m → n) carries
/// ω = E_m − E_n, so ω &gt; 0 lowers the energy.
/// </summary>
public sealed class BohrFrequencies
{
    private readonly double[] _lo, _hi, _value;
    private readonly int[] _pairId; // levels × levels, row-major: [n * L + m] → id of Ē_m − Ē_n

    /// <summary>Groups the Bohr frequencies of a basis.</summary>
    public BohrFrequencies(EigenBasis basis)
    {
        var levels = basis.Levels;
        int L = levels.Count;
        LevelCount = L;
        double tol = basis.Tolerance;
        var diffs = LargeArrays.Zeroed<double>((long)L * (L - 1) / 2);
        long p = 0;
        for (int i = 0; i < L; i++)
            for (int j = i + 1; j < L; j++)
                diffs[p++] = levels[j].Energy - levels[i].Energy;
        // Sorted in chunks in parallel, then grouped while the chunks are merged (single linkage: a gap larger than
        // the tolerance starts a new group).
        int chunks = diffs.LongLength >= 1 << 16 ? Math.Clamp(Environment.ProcessorCount, 1, 8) : 1;
        var bounds = Enumerable.Range(0, chunks + 1).Select(c => diffs.LongLength * c / chunks).ToArray();
        Parallel.For(0, chunks, c => Array.Sort(diffs, (int)bounds[c], (int)(bounds[c + 1] - bounds[c])));
        var lo = new List<double>();
        var hi = new List<double>();
        var val = new List<double>();
        var head = bounds[..^1];
        double first = 0, last = 0, sum = 0;
        long count = 0;
        for (long i = 0; i < diffs.LongLength; i++)
        {
            int best = -1;
            for (int c = 0; c < chunks; c++)
                if (head[c] < bounds[c + 1] && (best < 0 || diffs[head[c]] < diffs[head[best]])) best = c;
            double x = diffs[head[best]++];
            if (count > 0 && x - last > tol)
            {
                lo.Add(first);
                hi.Add(last);
                val.Add(sum / count);
                count = 0;
                sum = 0;
            }
            if (count == 0) first = x;
            last = x;
            sum += x;
            count++;
        }
        if (count > 0)
        {
            lo.Add(first);
            hi.Add(last);
            val.Add(sum / count);
        }
        _lo = lo.ToArray();
        _hi = hi.ToArray();
        _value = val.ToArray();
        MaxWidth = 0;
        for (int k = 0; k < _lo.Length; k++) MaxWidth = Math.Max(MaxWidth, _hi[k] - _lo[k]);

        // Along a row n the differences Ē_m − Ē_n (m > n) increase with m, so the group is found by a galloping
        // search forward from the previous one; the lower triangle is the negated mirror.
        _pairId = LargeArrays.Zeroed<int>((long)L * L);
        var energies = levels.Select(l => l.Energy).ToArray();
        Parallel.For(0, L, DenseKernels.ParallelOver(L), n =>
        {
            int g = 0;
            for (int m = n + 1; m < L; m++)
            {
                g = Advance(energies[m] - energies[n], g);
                _pairId[n * L + m] = g + 1;
            }
        });
        LinearAlgebra.DenseKernels.MirrorLower(_pairId, L, static id => -id);
    }

    // The first group at or after g whose upper end is ≥ x (exponential then binary search); x must lie in it.
    private int Advance(double x, int g)
    {
        var hi = _hi;
        if (hi[g] < x)
        {
            int below = g, step = 1, above = g + 1; // hi[below] < x
            while (above < hi.Length && hi[above] < x)
            {
                below = above;
                step <<= 1;
                above = g + step;
            }
            above = Math.Min(above, hi.Length - 1);
            if (hi[above] < x) throw new InvalidOperationException($"Bohr frequency {x} is not in any group (internal error)");
            while (above - below > 1)
            {
                int mid = below + ((above - below) >> 1);
                if (hi[mid] < x) below = mid;
                else above = mid;
            }
            g = above;
        }
        if (x < _lo[g]) throw new InvalidOperationException($"Bohr frequency {x} is not in any group (internal error)");
        return g;
    }

    /// <summary>Number of distinct positive Bohr frequencies.</summary>
    public int PositiveCount => _value.Length;

    /// <summary>Number of levels the table covers.</summary>
    public int LevelCount { get; }

    /// <summary>Largest spread of the raw differences inside one group (0 when no group merged distinct values).</summary>
    public double MaxWidth { get; }

    /// <summary>The positive Bohr frequencies, ascending.</summary>
    public IReadOnlyList<double> Positive => _value;

    /// <summary>The value of the frequency with signed id <paramref name="id"/>.</summary>
    public double Value(int id) => id == 0 ? 0.0 : id > 0 ? _value[id - 1] : -_value[-id - 1];

    /// <summary>Signed id of ω = Ē_m − Ē_n for levels n (row) and m (column).</summary>
    public int Id(int levelN, int levelM) => _pairId[levelN * LevelCount + levelM];

    /// <summary>All signed ids, from −PositiveCount to +PositiveCount.</summary>
    public IEnumerable<int> AllIds() => Enumerable.Range(-PositiveCount, 2 * PositiveCount + 1);
}
