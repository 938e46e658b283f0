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
        // Every positive difference E_m − E_n (m > n) with the flat index n·L + m of its level pair. They are dealt into
        // value buckets (split points from a regular sample), each bucket sorted on its own in parallel, so that the
        // buckets in order are the sorted list: one sequential pass then forms the groups (single linkage: a gap larger
        // than the tolerance starts a new group), and the pair table is written from it in parallel (no search).
        long pairs = (long)L * (L - 1) / 2;
        var energies = levels.Select(l => l.Energy).ToArray();
        var splits = SplitPoints(energies, pairs);
        int buckets = splits.Length + 1;
        var start = new long[buckets + 1];
        for (int i = 0; i < L; i++)
            for (int j = i + 1; j < L; j++) start[Bucket(splits, energies[j] - energies[i]) + 1]++;
        for (int c = 0; c < buckets; c++) start[c + 1] += start[c];
        var diffs = LargeArrays.Zeroed<double>(pairs);
        var where = LargeArrays.Zeroed<int>(pairs);
        var next = start[..^1];
        for (int i = 0; i < L; i++)
            for (int j = i + 1; j < L; j++)
            {
                double x = energies[j] - energies[i];
                long at = next[Bucket(splits, x)]++;
                diffs[at] = x;
                where[at] = i * L + j;
            }
        Parallel.For(0, buckets, DenseKernels.ParallelOver(L), c => Array.Sort(diffs, where, (int)start[c], (int)(start[c + 1] - start[c])));

        int groups = 0;
        for (long k = 0; k < pairs; k++)
            if (k == 0 || diffs[k] - diffs[k - 1] > tol) groups++;
        _lo = new double[groups];
        _hi = new double[groups];
        _value = new double[groups];
        var groupOf = LargeArrays.Zeroed<int>(pairs); // 1-based id per sorted position
        int g = -1;
        long first = 0;
        for (long k = 0; k <= pairs; k++)
        {
            if (k < pairs && k > 0 && diffs[k] - diffs[k - 1] <= tol)
            {
                groupOf[k] = g + 1;
                continue;
            }
            if (g >= 0)
            {
                double sum = 0;
                for (long q = first; q < k; q++) sum += diffs[q];
                _lo[g] = diffs[first];
                _hi[g] = diffs[k - 1];
                _value[g] = sum / (k - first);
            }
            if (k == pairs) break;
            g++;
            first = k;
            groupOf[k] = g + 1;
        }
        _pairId = LargeArrays.Zeroed<int>((long)L * L);
        int parts = pairs >= 1 << 16 ? Math.Clamp(Environment.ProcessorCount, 1, 8) : 1;
        Parallel.For(0, parts, DenseKernels.ParallelOver(parts > 1 ? L : 1), c =>
        {
            for (long k = pairs * c / parts; k < pairs * (c + 1) / parts; k++) _pairId[where[k]] = groupOf[k];
        });
        MaxWidth = 0;
        for (int k = 0; k < _lo.Length; k++) MaxWidth = Math.Max(MaxWidth, _hi[k] - _lo[k]);
        // the lower triangle is the negated mirror
        LinearAlgebra.DenseKernels.MirrorLower(_pairId, L, static id => -id);
    }

    // Bucket split points for the parallel sort: quantiles of a regular sample of the positive differences (one bucket
    // per core; none for small spectra). Values equal to a split point go to the upper bucket.
    private static double[] SplitPoints(double[] energies, long pairs)
    {
        int buckets = pairs >= 1 << 16 ? Math.Clamp(Environment.ProcessorCount, 1, 8) : 1;
        if (buckets == 1) return [];
        int L = energies.Length;
        var sample = new List<double>(4096);
        long stride = Math.Max(1, pairs / 4096), p = 0;
        for (int i = 0; i < L; i++)
            for (int j = i + 1; j < L; j++, p++)
                if (p % stride == 0) sample.Add(energies[j] - energies[i]);
        sample.Sort();
        return Enumerable.Range(1, buckets - 1).Select(c => sample[(int)((long)sample.Count * c / buckets)]).Distinct().ToArray();
    }

    private static int Bucket(double[] splits, double x)
    {
        int b = 0;
        while (b < splits.Length && x >= splits[b]) b++;
        return b;
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
