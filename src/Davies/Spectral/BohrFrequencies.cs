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
        var diffs = new double[(long)L * (L - 1) / 2];
        long p = 0;
        for (int i = 0; i < L; i++)
            for (int j = i + 1; j < L; j++)
                diffs[p++] = levels[j].Energy - levels[i].Energy;
        Array.Sort(diffs);
        var lo = new List<double>();
        var hi = new List<double>();
        var val = new List<double>();
        long s = 0;
        for (long i = 1; i <= diffs.LongLength; i++)
        {
            if (i == diffs.LongLength || diffs[i] - diffs[i - 1] > tol)
            {
                double sum = 0;
                for (long k = s; k < i; k++) sum += diffs[k];
                lo.Add(diffs[s]);
                hi.Add(diffs[i - 1]);
                val.Add(sum / (i - s));
                s = i;
            }
        }
        _lo = lo.ToArray();
        _hi = hi.ToArray();
        _value = val.ToArray();
        MaxWidth = 0;
        for (int k = 0; k < _lo.Length; k++) MaxWidth = Math.Max(MaxWidth, _hi[k] - _lo[k]);

        _pairId = new int[L * L];
        for (int n = 0; n < L; n++)
            for (int m = 0; m < L; m++)
                _pairId[n * L + m] = n == m ? 0 : Find(levels[m].Energy - levels[n].Energy);
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

    private int Find(double diff)
    {
        double a = Math.Abs(diff);
        int lo = 0, hi = _lo.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            if (a < _lo[mid]) hi = mid - 1;
            else if (a > _hi[mid]) lo = mid + 1;
            else return diff > 0 ? mid + 1 : -(mid + 1);
        }
        throw new InvalidOperationException($"Bohr frequency {diff} is not in any group (internal error)");
    }
}
