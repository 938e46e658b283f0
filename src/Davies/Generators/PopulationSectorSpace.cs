using Davies.Spectral;

namespace Davies.Generators;

/// <summary>
/// The ν = 0 Bohr sector: block-diagonal operators ⊕_I X_I over the degenerate levels I of H_S (populations, plus
/// coherences inside degenerate levels). Coordinates: level by level, each block column-stacked,
/// x[Offset(I) + i + j·d_I] = (X_I)[i, j]. For a non-degenerate H_S this is the vector of populations.
/// </summary>
internal sealed class PopulationSectorSpace
{
    private readonly int[] _offset;

    /// <summary>Creates the sector of a basis.</summary>
    public PopulationSectorSpace(EigenBasis basis)
    {
        Basis = basis;
        var levels = basis.Levels;
        _offset = new int[levels.Count + 1];
        for (int I = 0; I < levels.Count; I++) _offset[I + 1] = _offset[I] + levels[I].Count * levels[I].Count;
    }

    /// <summary>The basis.</summary>
    public EigenBasis Basis { get; }

    /// <summary>Dimension n₀ = Σ_I d_I².</summary>
    public int Dimension => _offset[^1];

    /// <summary>First coordinate of level <paramref name="level"/>'s block.</summary>
    public int Offset(int level) => _offset[level];

    /// <summary>Coordinate of entry (i, j) (level-local indices) of level <paramref name="level"/>'s block.</summary>
    public int Index(int level, int i, int j) => _offset[level] + i + j * Basis.Levels[level].Count;

    /// <summary>The linear functional x ↦ Tr X (coefficient 1 on each diagonal entry).</summary>
    public Vector<Complex> TraceFunctional()
    {
        var t = Vector<Complex>.Build.Dense(Dimension);
        for (int I = 0; I < Basis.Levels.Count; I++)
            for (int i = 0; i < Basis.Levels[I].Count; i++) t[Index(I, i, i)] = 1;
        return t;
    }

    /// <summary>Sector coordinates of the eigenbasis operator X (its off-sector part is dropped).</summary>
    public Vector<Complex> FromEigenbasis(Matrix<Complex> x)
    {
        var v = Vector<Complex>.Build.Dense(Dimension);
        for (int I = 0; I < Basis.Levels.Count; I++)
        {
            var l = Basis.Levels[I];
            for (int j = 0; j < l.Count; j++)
                for (int i = 0; i < l.Count; i++) v[Index(I, i, j)] = x[l.Start + i, l.Start + j];
        }
        return v;
    }

    /// <summary>
    /// x made Hermitian block by block ((X_I + X_I†)/2) and normalised to trace 1: the clean-up of a computed
    /// stationary vector, done in sector coordinates (O(n₀), no d×d work).
    /// </summary>
    public Vector<Complex> NormalizeState(Vector<Complex> x)
    {
        var y = Vector<Complex>.Build.Dense(Dimension);
        Complex trace = 0;
        for (int I = 0; I < Basis.Levels.Count; I++)
        {
            int dI = Basis.Levels[I].Count;
            for (int j = 0; j < dI; j++)
                for (int i = 0; i < dI; i++)
                    y[Index(I, i, j)] = 0.5 * (x[Index(I, i, j)] + Complex.Conjugate(x[Index(I, j, i)]));
            for (int i = 0; i < dI; i++) trace += y[Index(I, i, i)];
        }
        return y / trace;
    }

    /// <summary>
    /// The block-diagonal eigenbasis operator with sector coordinates <paramref name="x"/> (sparse storage for
    /// d &gt; 256, where it has only Σ_I d_I² non-zeros).
    /// </summary>
    public Matrix<Complex> ToEigenbasis(Vector<Complex> x)
    {
        int d = Basis.Dimension;
        if (d > 256)
        {
            var entries = new List<(int, int, Complex)>(Dimension);
            for (int I = 0; I < Basis.Levels.Count; I++)
            {
                var l = Basis.Levels[I];
                for (int j = 0; j < l.Count; j++)
                    for (int i = 0; i < l.Count; i++) entries.Add((l.Start + i, l.Start + j, x[Index(I, i, j)]));
            }
            return Matrix<Complex>.Build.SparseOfIndexed(d, d, entries);
        }
        var m = Matrix<Complex>.Build.Dense(d, d);
        for (int I = 0; I < Basis.Levels.Count; I++)
        {
            var l = Basis.Levels[I];
            for (int j = 0; j < l.Count; j++)
                for (int i = 0; i < l.Count; i++) m[l.Start + i, l.Start + j] = x[Index(I, i, j)];
        }
        return m;
    }
}
