namespace Davies.Generators;

/// <summary>
/// One Bohr sector of the Davies generator: the eigenbasis coherences ρ_mn (row m, column n) whose Bohr frequency
/// Ē_level(m) − Ē_level(n) lies in the sector's group(s). The generator maps the sector into itself.
/// <para>
/// Coordinates: the sector's elements in <b>column-stacking order</b>, i.e. ascending vec index m + n·d, so a sector
/// vector is the subsequence of vec(ρ) (eigenbasis) on the sector's elements. For the ν = 0 sector this differs from
/// the level-by-level order of <see cref="PopulationSectorSpace"/> when levels are degenerate (for a non-degenerate H_S both
/// are the populations ρ_00, ρ_11, …).
/// </para>
/// <para>
/// A sector normally holds one grouped Bohr frequency (signed id). Only if tolerance grouping chains make a jump
/// term connect two different groups (possible only when <see cref="Spectral.BohrFrequencies.MaxWidth"/> exceeds the
/// tolerance) are those groups merged into one sector, so the decomposition is always exact.
/// </para>
/// </summary>
public sealed class BohrSector
{
    internal BohrSector(int index, int[] ids, double frequency, int dimension, int[] elementCodes, int offset, int count,
        (int Row, int Column)[]? levelPairs)
    {
        Index = index;
        Ids = ids;
        Frequency = frequency;
        _d = dimension;
        _codes = elementCodes;
        _offset = offset;
        Dimension = count;
        _levelPairs = levelPairs;
    }

    private readonly int _d;
    private readonly int[] _codes; // shared by all sectors of a generator: element codes m + n·d, grouped by sector
    private readonly int _offset;
    private int[]? _rows, _columns;

    /// <summary>Position of the sector in <see cref="DaviesGenerator.Sectors"/>.</summary>
    public int Index { get; }

    /// <summary>The signed Bohr-frequency ids in the sector, ascending (almost always exactly one).</summary>
    public IReadOnlyList<int> Ids { get; }

    /// <summary>The representative id: the one of smallest |id| (0 for the sector holding the populations).</summary>
    public int Id => Ids.OrderBy(Math.Abs).ThenByDescending(i => i).First();

    /// <summary>The Bohr frequency ν = Ē_m − Ē_n of the representative id (the −i ν part of −i[H_S, ·]).</summary>
    public double Frequency { get; }

    /// <summary>Number of coherences in the sector.</summary>
    public int Dimension { get; }

    /// <summary>The elements as vec indices m + n·d (d the Hilbert-space dimension), in column-stacking order.</summary>
    internal ReadOnlySpan<int> Elements => _codes.AsSpan(_offset, Dimension);

    /// <summary>Whether this is the sector of the populations (ν = 0).</summary>
    public bool IsPopulationSector => Ids.Contains(0);

    /// <summary>Eigenbasis row index m of each element, in column-stacking order (formed on first use).</summary>
    internal int[] Rows => _rows ??= Elements.ToArray().Select(x => x % _d).ToArray();

    /// <summary>Eigenbasis column index n of each element, in column-stacking order (formed on first use).</summary>
    internal int[] Columns => _columns ??= Elements.ToArray().Select(x => x / _d).ToArray();

    private (int Row, int Column)[]? _levelPairs;

    /// <summary>
    /// The (row level, column level) pairs whose blocks make up the sector. When every level is one eigenvector with
    /// level index = eigen index (non-degenerate H_S) they are the elements themselves, formed on first use.
    /// </summary>
    internal (int Row, int Column)[] LevelPairs => _levelPairs ??= Rows.Zip(Columns).ToArray();

    /// <summary>The element (m, n) with sector coordinate <paramref name="k"/>.</summary>
    public (int Row, int Column) Element(int k) => (Rows[k], Columns[k]);

    /// <summary>The sector coordinates of an eigenbasis operator (its entries on the sector's elements).</summary>
    public Vector<Complex> Restrict(Matrix<Complex> eigenbasisOperator)
    {
        var v = Vector<Complex>.Build.Dense(Dimension);
        for (int k = 0; k < Dimension; k++) v[k] = eigenbasisOperator[Rows[k], Columns[k]];
        return v;
    }

    /// <summary>Adds the sector vector <paramref name="x"/> onto the eigenbasis matrix <paramref name="target"/>.</summary>
    public void AddTo(Matrix<Complex> target, Vector<Complex> x)
    {
        for (int k = 0; k < Dimension; k++) target[Rows[k], Columns[k]] += x[k];
    }

    /// <inheritdoc />
    public override string ToString() => $"sector ν = {Frequency:G6} (ids {string.Join(",", Ids)}), dimension {Dimension}";
}
