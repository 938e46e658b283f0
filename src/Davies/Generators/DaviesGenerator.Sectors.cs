using Davies.LinearAlgebra;

namespace Davies.Generators;

public sealed partial class DaviesGenerator
{
    private BohrSectorPartition? _partition;

    // Built on first use (O(d²) memory: sector index of every coherence).
    private BohrSectorPartition Partition => LazyInitializer.EnsureInitialized(ref _partition, () => new BohrSectorPartition(Model));

    /// <summary>
    /// All Bohr sectors, ordered by representative id (−P … +P); together they partition the d² eigenbasis
    /// coherences. Built on first use in O(d² + Σ_c Σ_ω n_{c,ω}²) time, where n_{c,ω} is the number of non-zero
    /// level blocks of coupling c at frequency ω ≠ 0 (generic spectra: every sector ν ≠ 0 is 1×1).
    /// </summary>
    public IReadOnlyList<BohrSector> Sectors => Partition.Sectors;

    /// <summary>The sector holding the populations (ν = 0).</summary>
    public BohrSector PopulationSector => Partition.Sectors[Partition.PopulationIndex];

    /// <summary>[m + n·d] → index of the sector holding ρ_mn.</summary>
    internal int[] SectorOfElementTable => Partition.SectorOfElement;

    /// <summary>The sector containing the eigenbasis coherence ρ_mn.</summary>
    public BohrSector SectorOf(int row, int column) =>
        Partition.Sectors[Partition.SectorOfElement[row + column * Basis.Dimension]];

    /// <summary>The sector coordinate of the eigenbasis coherence ρ_mn inside <see cref="SectorOf"/>.</summary>
    internal int SectorCoordinate(int row, int column) =>
        Partition.LocalOfElement()[row + column * Basis.Dimension];

    /// <summary>
    /// The generator restricted to a Bohr sector: a dense n×n complex matrix in the sector's coordinates
    /// (column-stacking order of its elements, see <see cref="BohrSector"/>), built from the same K and H_LS level
    /// blocks and couplings as <see cref="PopulationSectorMatrix"/>:
    /// dρ_mn/dt = −Σ_{m'} (½K + iH)_{mm'} ρ_{m'n} − Σ_{n'} ρ_{mn'} (½K − iH)_{n'n}
    ///            + Σ_b Σ_α Σ_{m',n'} G_b(ω) A_{mm'} ρ_{m'n'} conj(A_{nn'}),
    /// with H = H_S + H_LS (block-diagonal over levels) and the jump sum over source pairs of the same sector whose
    /// row and column transitions carry the same grouped frequency ω. A 1×1 sector costs O(number of couplings).
    /// </summary>
    public Matrix<Complex> SectorMatrix(BohrSector sector) => SectorMatrix(sector, scratch: false);

    /// <summary>
    /// <see cref="SectorMatrix(BohrSector)"/>; with <paramref name="scratch"/> the array of a non-degenerate sector's
    /// matrix comes from <see cref="LinearAlgebra.ScratchPool"/>, and the caller may hand it back once done with it.
    /// </summary>
    internal Matrix<Complex> SectorMatrix(BohrSector sector, bool scratch)
    {
        if (Basis.IsNonDegenerate && sector.Dimension > 1) return NonDegenerateSectorMatrix(sector.Rows, sector.Columns, scratch);
        var levels = Basis.Levels;
        int d = Basis.Dimension;
        var local = Partition.LocalOfElement();
        var mat = Matrix<Complex>.Build.Dense(sector.Dimension, sector.Dimension);
        var (left, right) = LevelGenerators();

        foreach (var (M, N) in sector.LevelPairs)
        {
            var lm = levels[M];
            var ln = levels[N];
            var lf = left[M];
            var rt = right[N];
            for (int n = 0; n < ln.Count; n++)
                for (int m = 0; m < lm.Count; m++)
                {
                    int row = local[lm.Start + m + (ln.Start + n) * d];
                    for (int m2 = 0; m2 < lm.Count; m2++)
                        mat[row, local[lm.Start + m2 + (ln.Start + n) * d]] -= lf[m, m2];
                    for (int n2 = 0; n2 < ln.Count; n2++)
                        mat[row, local[lm.Start + m + (ln.Start + n2) * d]] -= rt[n2, n];
                }
        }

        foreach (var (M, N) in sector.LevelPairs)
            foreach (var (M2, N2) in sector.LevelPairs)
            {
                int w = Model.Bohr.Id(M, M2);
                if (w != Model.Bohr.Id(N, N2)) continue;
                var lm = levels[M];
                var ln = levels[N];
                var lm2 = levels[M2];
                var ln2 = levels[N2];
                var jumps = Model.Jumps;
                for (int c = 0; c < jumps.Count; c++)
                {
                    if (!jumps.HasBlock(c, M, M2) || !jumps.HasBlock(c, N, N2)) continue;
                    double g = jumps.Rate(jumps.Bath(c), w);
                    if (g == 0) continue;
                    var a = jumps.Matrix(c);
                    for (int n = 0; n < ln.Count; n++)
                        for (int m = 0; m < lm.Count; m++)
                        {
                            int row = local[lm.Start + m + (ln.Start + n) * d];
                            for (int n2 = 0; n2 < ln2.Count; n2++)
                            {
                                var an = Complex.Conjugate(a[ln.Start + n + (ln2.Start + n2) * d]);
                                if (an == Complex.Zero) continue;
                                for (int m2 = 0; m2 < lm2.Count; m2++)
                                {
                                    var am = a[lm.Start + m + (lm2.Start + m2) * d];
                                    if (am == Complex.Zero) continue;
                                    mat[row, local[lm2.Start + m2 + (ln2.Start + n2) * d]] += g * am * an;
                                }
                            }
                        }
                }
            }
        return mat;
    }

    /// <summary>
    /// <see cref="SectorMatrix(BohrSector)"/> for a non-degenerate H_S (every level one eigenvector, level index = eigen index): entry
    /// [i, j] = Σ_c G_c(ω) A_c[m_i, m_j] conj(A_c[n_i, n_j]) when the transitions m_j → m_i and n_j → n_i carry the same
    /// grouped frequency ω (negligible entries are exact zeros), plus −(½K + iH)_mm − (½K − iH)_nn on the diagonal.
    /// Column by column: the couplings' columns m_j and n_j and the id table's rows m_j and n_j are read at the sector's
    /// rows (contiguous arrays, no block flags; Id(m_i, m_j) = −Id(m_j, m_i)), and the column is written contiguously.
    /// </summary>
    /// <summary>
    /// The sector matrix split by the classes of eigenvectors that no coupling joins (<see cref="Spectral.JumpOperators.Classes"/>:
    /// e.g. the flip parities of couplings that keep it): the elements (m, n) with the same pair of classes form an
    /// invariant block, built on its own (non-degenerate H_S; otherwise the whole sector as one block). Each block: its
    /// local coordinates in the sector and its matrix, whose array comes from <see cref="LinearAlgebra.ScratchPool"/>:
    /// the caller may hand it back once done with the block (before the next one is built).
    /// </summary>
    internal IEnumerable<(int[] Coordinates, Matrix<Complex> Matrix)> SectorClassBlocks(BohrSector sector)
    {
        if (!Basis.IsNonDegenerate || sector.Dimension == 1)
        {
            yield return (Enumerable.Range(0, sector.Dimension).ToArray(), SectorMatrix(sector));
            yield break;
        }
        var classes = Model.Jumps.Classes;
        var rows = sector.Rows;
        var cols = sector.Columns;
        var groups = new Dictionary<(int, int), List<int>>();
        for (int i = 0; i < sector.Dimension; i++)
        {
            var key = (classes[rows[i]], classes[cols[i]]);
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
            list.Add(i);
        }
        foreach (var list in groups.Values)
        {
            var idx = list.ToArray();
            yield return (idx, NonDegenerateSectorMatrix(idx.Select(i => rows[i]).ToArray(), idx.Select(i => cols[i]).ToArray(), scratch: true));
        }
    }

    private Matrix<Complex> NonDegenerateSectorMatrix(int[] rows, int[] cols, bool scratch = false)
    {
        int dim = rows.Length, d = Basis.Dimension;
        var jumps = Model.Jumps;
        var bohr = Model.Bohr;
        int nc = jumps.Count, P = bohr.PositiveCount;
        var groups = jumps.ByRateTable(null);
        var (left, right) = LevelGenerators();
        var data = scratch ? LinearAlgebra.ScratchPool.RentZeroed<Complex>((long)dim * dim) : new Complex[(long)dim * dim];
        var realData = Enumerable.Range(0, nc).Select(c => jumps.Matrix(c).RealData).ToArray();
        var complexData = Enumerable.Range(0, nc).Select(c => jumps.Matrix(c).ComplexData).ToArray();
        // column j: the id of every transition m_j → m_i whose column partner n_j → n_i carries the same id, then per rate
        // table the coupling products A[m_i, m_j]·conj(A[n_i, n_j]) summed over its couplings (one tight gather pass per
        // coupling over its columns m_j and n_j), weighted by the rate of each id
        Parallel.For(0, dim, DenseKernels.ParallelOver(dim), () => (new int[dim], new Complex[dim]), (j, _, local) =>
        {
            var (ids, acc) = local;
            int mj = rows[j], nj = cols[j];
            long mCol = (long)mj * d, nCol = (long)nj * d, at = (long)j * dim;
            for (int i = 0; i < dim; i++)
            {
                int w = bohr.Id(mj, rows[i]);
                ids[i] = w == bohr.Id(nj, cols[i]) ? -w : int.MinValue; // the id of m_j → m_i
            }
            foreach (var (rates, _, couplings) in groups)
            {
                Array.Clear(acc);
                foreach (int c in couplings)
                {
                    if (realData[c] is { } re)
                    {
                        var am = re.AsSpan((int)mCol, d);
                        var an = re.AsSpan((int)nCol, d);
                        for (int i = 0; i < dim; i++)
                        {
                            double x = am[rows[i]];
                            if (x != 0) acc[i] += x * an[cols[i]];
                        }
                    }
                    else
                    {
                        var am = complexData[c]!.AsSpan((int)mCol, d);
                        var an = complexData[c]!.AsSpan((int)nCol, d);
                        for (int i = 0; i < dim; i++)
                        {
                            var x = am[rows[i]];
                            if (x != Complex.Zero) acc[i] += x * Complex.Conjugate(an[cols[i]]);
                        }
                    }
                }
                for (int i = 0; i < dim; i++)
                {
                    int w = ids[i];
                    if (w == int.MinValue || acc[i] == Complex.Zero) continue;
                    double g = rates[w + P];
                    if (g == 0 || double.IsNaN(g)) continue; // NaN: G(0) of a bath none of whose couplings has an ω = 0 part
                    data[i + at] += g * acc[i];
                }
            }
            data[j + at] -= left[mj][0, 0] + right[nj][0, 0];
            return local;
        }, _ => { });
        return Matrix<Complex>.Build.Dense(dim, dim, data);
    }

    private (Matrix<Complex>[] Left, Matrix<Complex>[] Right)? _levelGenerators;

    /// <summary>Per level: ½K + iH and ½K − iH (read-only), as used by <see cref="SectorComponents"/>.</summary>
    internal (Matrix<Complex>[] Left, Matrix<Complex>[] Right) LevelGeneratorsInternal() => LevelGenerators();

    // Per level: ½K + iH and ½K − iH, with H = H_S + H_LS and K summed over all baths.
    private (Matrix<Complex>[] Left, Matrix<Complex>[] Right) LevelGenerators()
    {
        if (_levelGenerators is { } cached) return cached;
        var levels = Basis.Levels;
        int L = levels.Count;
        var left = new Matrix<Complex>[L];
        var right = new Matrix<Complex>[L];
        for (int I = 0; I < L; I++)
        {
            var l = levels[I];
            bool sparse = Blocks.K.Length > 0 && !Blocks.K[0][I].Storage.IsDense;
            var k = sparse ? Matrix<Complex>.Build.Sparse(l.Count, l.Count) : Matrix<Complex>.Build.Dense(l.Count, l.Count);
            var h = sparse
                ? Matrix<Complex>.Build.SparseOfDiagonalArray(Enumerable.Range(0, l.Count).Select(i => new Complex(Basis.Energies[l.Start + i], 0)).ToArray())
                : Matrix<Complex>.Build.Dense(l.Count, l.Count);
            if (!sparse) for (int i = 0; i < l.Count; i++) h[i, i] = Basis.Energies[l.Start + i];
            for (int b = 0; b < Blocks.K.Length; b++)
            {
                k += Blocks.K[b][I];
                h += Blocks.Lamb[b][I];
            }
            left[I] = 0.5 * k + Complex.ImaginaryOne * h;
            right[I] = 0.5 * k - Complex.ImaginaryOne * h;
        }
        _levelGenerators = (left, right);
        return (left, right);
    }
}
