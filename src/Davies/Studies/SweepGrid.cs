namespace Davies.Studies;

/// <summary>
/// The points of a sweep: the Cartesian product of its axes in row-major order (the first axis varies slowest, the
/// last fastest, as nested loops in the order the axes are given), or, zipped, the axes paired value by value (all of
/// the same length). Point indices count from 0 in this order; shards and output files refer to them.
/// </summary>
public sealed class SweepGrid
{
    /// <summary>The most points a grid may have.</summary>
    public const int MaxPoints = 100_000_000;

    private readonly int[] _strides;

    private SweepGrid(IReadOnlyList<SweepAxis> axes, bool zipped)
    {
        if (axes.Count == 0) throw new SweepException("a sweep needs at least one parameter (name=SPEC)");
        var names = new HashSet<string>();
        foreach (var a in axes)
            if (!names.Add(a.Name)) throw new SweepException($"the parameter '{a.Name}' is swept twice; give each parameter once");
        Axes = axes.ToArray();
        Zipped = zipped;
        _strides = new int[axes.Count];
        if (zipped)
        {
            int n = axes[0].Values.Count;
            var other = axes.FirstOrDefault(a => a.Values.Count != n);
            if (other is not null)
                throw new SweepException($"zipped parameters must have as many values each: {string.Join(", ", axes.Select(a => $"{a.Name} has {a.Values.Count}"))}");
            Count = n;
            return;
        }
        long count = 1;
        for (int a = axes.Count - 1; a >= 0; a--)
        {
            _strides[a] = (int)Math.Min(count, int.MaxValue);
            count *= axes[a].Values.Count;
            if (count > MaxPoints)
                throw new SweepException($"the grid has more than {MaxPoints:N0} points ({string.Join(" × ", axes.Select(x => x.Values.Count))}); split it into several sweeps");
        }
        Count = (int)count;
    }

    /// <summary>The Cartesian product of <paramref name="axes"/>, row-major.</summary>
    /// <exception cref="SweepException">No axis, a parameter swept twice, or more than <see cref="MaxPoints"/> points.</exception>
    public static SweepGrid Cartesian(IReadOnlyList<SweepAxis> axes) => new(axes ?? throw new ArgumentNullException(nameof(axes)), false);

    /// <summary>The axes paired value by value.</summary>
    /// <exception cref="SweepException">No axis, a parameter swept twice, or axes of different lengths.</exception>
    public static SweepGrid Zip(IReadOnlyList<SweepAxis> axes) => new(axes ?? throw new ArgumentNullException(nameof(axes)), true);

    /// <summary>The swept parameters, in the order given.</summary>
    public IReadOnlyList<SweepAxis> Axes { get; }

    /// <summary>Whether the axes are paired (--zip) rather than combined.</summary>
    public bool Zipped { get; }

    /// <summary>The number of points.</summary>
    public int Count { get; }

    /// <summary>The index of each axis's value at point <paramref name="point"/>.</summary>
    public int[] IndicesAt(int point)
    {
        if ((uint)point >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(point), point, $"the grid has {Count} points");
        var idx = new int[Axes.Count];
        for (int a = 0; a < idx.Length; a++) idx[a] = Zipped ? point : point / _strides[a] % Axes[a].Values.Count;
        return idx;
    }

    /// <summary>The parameter values at point <paramref name="point"/>, one per axis in order.</summary>
    public double[] ValuesAt(int point)
    {
        var idx = IndicesAt(point);
        var v = new double[idx.Length];
        for (int a = 0; a < v.Length; a++) v[a] = Axes[a].Values[idx[a]];
        return v;
    }

    /// <summary>The parameter values at point <paramref name="point"/> by name (for <c>ModelTemplate.Instantiate</c>).</summary>
    public IReadOnlyDictionary<string, double> ParametersAt(int point)
    {
        var v = ValuesAt(point);
        var d = new Dictionary<string, double>(v.Length);
        for (int a = 0; a < v.Length; a++) d[Axes[a].Name] = v[a];
        return d;
    }

    /// <summary>The points of <paramref name="shard"/> in increasing order.</summary>
    public IEnumerable<int> Points(SweepShard shard)
    {
        int step = Math.Max(1, shard.Count);
        for (int p = shard.Count <= 1 ? 0 : shard.Index; p < Count; p += step) yield return p;
    }

    /// <summary>"T = 0.5, g = 0.1": a point's values for messages.</summary>
    public string Describe(int point)
    {
        var v = ValuesAt(point);
        return string.Join(", ", Axes.Select((a, i) => $"{a.Name} = {SweepFile.Number(v[i])}"));
    }
}
