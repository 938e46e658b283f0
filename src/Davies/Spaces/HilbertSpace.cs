namespace Davies.Spaces;

/// <summary>
/// A tensor product of sites with local dimensions <see cref="Dimensions"/>. Ordering convention: site 0 is the
/// leftmost (most significant) tensor factor, so the basis index of the product state |i_0 i_1 … i_{n−1}⟩ is
/// Σ_k i_k Π_{l&gt;k} d_l, and a label such as "101" lists the sites from 0 upwards.
/// </summary>
public sealed class HilbertSpace : IEquatable<HilbertSpace>
{
    private readonly int[] _dims;

    /// <summary>Creates the space of sites with the given local dimensions (each ≥ 1).</summary>
    public HilbertSpace(IEnumerable<int> dimensions)
    {
        _dims = dimensions.ToArray();
        if (_dims.Length == 0) throw new ModelException("a Hilbert space needs at least one site");
        long total = 1;
        for (int i = 0; i < _dims.Length; i++)
        {
            if (_dims[i] < 1) throw new ModelException($"site {i} has dimension {_dims[i]}; dimensions must be ≥ 1");
            total *= _dims[i];
            if (total > 1 << 20) throw new ModelException($"the Hilbert space dimension exceeds 2^20 (sites {string.Join(",", _dims)})");
        }
        Dimension = (int)total;
    }

    /// <summary>A single site of dimension <paramref name="dimension"/> (used when a model gives a plain matrix).</summary>
    public static HilbertSpace Single(int dimension) => new([dimension]);

    /// <summary>Local dimensions, site 0 first.</summary>
    public IReadOnlyList<int> Dimensions => _dims;

    /// <summary>Number of sites.</summary>
    public int SiteCount => _dims.Length;

    /// <summary>Total dimension d = Π d_k.</summary>
    public int Dimension { get; }

    /// <summary>Product of the dimensions of the sites after <paramref name="site"/> (the stride of that site's index).</summary>
    public int Stride(int site)
    {
        int s = 1;
        for (int k = site + 1; k < _dims.Length; k++) s *= _dims[k];
        return s;
    }

    /// <summary>The basis index of a product state given one local index per site.</summary>
    public int IndexOf(IReadOnlyList<int> localIndices)
    {
        if (localIndices.Count != _dims.Length)
            throw new ModelException($"a product state needs {_dims.Length} site indices, got {localIndices.Count}");
        int idx = 0;
        for (int k = 0; k < _dims.Length; k++)
        {
            if (localIndices[k] < 0 || localIndices[k] >= _dims[k])
                throw new ModelException($"site {k} has dimension {_dims[k]}; local index {localIndices[k]} is out of range");
            idx = idx * _dims[k] + localIndices[k];
        }
        return idx;
    }

    /// <inheritdoc />
    public bool Equals(HilbertSpace? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as HilbertSpace);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", _dims) + "]";
}
