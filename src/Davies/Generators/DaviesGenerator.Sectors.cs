using Davies.LinearAlgebra;

namespace Davies.Generators;

public sealed partial class DaviesGenerator
{
    private BohrSector[]? _sectors;
    private int[]? _sectorOfElement; // [m + n·d] → sector index
    private volatile int[]? _localOfElement;  // [m + n·d] → coordinate inside the sector (built on first use)
    private int _populationSector;

    /// <summary>
    /// All Bohr sectors, ordered by representative id (−P … +P); together they partition the d² eigenbasis
    /// coherences. Built on first use in O(d² + Σ_c Σ_ω n_{c,ω}²) time, where n_{c,ω} is the number of non-zero
    /// level blocks of coupling c at frequency ω ≠ 0 (generic spectra: every sector ν ≠ 0 is 1×1).
    /// </summary>
    public IReadOnlyList<BohrSector> Sectors
    {
        get
        {
            EnsureSectors();
            return _sectors!;
        }
    }

    /// <summary>The sector holding the populations (ν = 0).</summary>
    public BohrSector PopulationSector
    {
        get
        {
            EnsureSectors();
            return _sectors![_populationSector];
        }
    }

    /// <summary>[m + n·d] → index of the sector holding ρ_mn.</summary>
    internal int[] SectorOfElementTable
    {
        get
        {
            EnsureSectors();
            return _sectorOfElement!;
        }
    }

    /// <summary>The sector containing the eigenbasis coherence ρ_mn.</summary>
    public BohrSector SectorOf(int row, int column)
    {
        EnsureSectors();
        return _sectors![_sectorOfElement![row + column * Basis.Dimension]];
    }

    /// <summary>The sector coordinate of the eigenbasis coherence ρ_mn inside <see cref="SectorOf"/>.</summary>
    public int SectorCoordinate(int row, int column)
    {
        EnsureSectors();
        return LocalOfElement()[row + column * Basis.Dimension];
    }

    private void EnsureSectors()
    {
        if (_sectors is not null) return;
        Solvers.MemoryBudget.Require(12.0 * Basis.Dimension * Basis.Dimension, $"the Bohr-sector index of the d² = {(long)Basis.Dimension * Basis.Dimension} coherences");
        var levels = Basis.Levels;
        var bohr = Model.Bohr;
        int d = Basis.Dimension, L = levels.Count, P = bohr.PositiveCount;

        // Union-find over signed ids: a jump term A_{MM'} ρ_{M'N'} A_{NN'}† (both at frequency ω) maps the level pair
        // (M', N') onto (M, N); their ids Id(N, M) and Id(N', M') agree exactly in theory, and whenever rounding
        // or tolerance chains make them differ the two groups are merged, so the decomposition is exact.
        var sets = new DisjointSets(2 * P + 1);
        int Find(int x) => sets.Find(x);
        void Union(int a, int b) => sets.Union(a, b);
        // When no group is wider than the tolerance, the raw differences E_N − E_M and E_N' − E_M' of a jump term
        // differ by at most MaxWidth ≤ tolerance, so single linkage has put them in the same group already: no
        // merging can happen and the O(Σ n_{c,ω}²) scan is skipped (it dominates for highly degenerate Bohr spectra).
        bool mayMerge = bohr.MaxWidth > Basis.Tolerance;
        var byOmega = new Dictionary<int, List<(int M, int M2)>>();
        for (int c = 0; mayMerge && c < Model.CouplingCount; c++)
        {
            var nz = Model.BlockNonZero[c];
            byOmega.Clear();
            for (int M = 0; M < L; M++)
                for (int M2 = 0; M2 < L; M2++)
                {
                    if (M == M2 || !nz[M * L + M2]) continue; // ω = 0 blocks are diagonal in levels: no mixing
                    int w = bohr.Id(M, M2);
                    if (!byOmega.TryGetValue(w, out var list)) byOmega[w] = list = [];
                    list.Add((M, M2));
                }
            foreach (var list in byOmega.Values)
            {
                if (list.Count < 2) continue;
                foreach (var (m, m2) in list)
                    foreach (var (n, n2) in list)
                        Union(bohr.Id(n, m) + P, bohr.Id(n2, m2) + P);
            }
        }

        // Classes → sectors, ordered by their smallest member id (the root: Union keeps the smaller index).
        // Counting sorts throughout: at d = 4096 there are 10⁶ classes and 1.7·10⁷ elements.
        int nIds = 2 * P + 1;
        var classOf = new int[nIds];
        int ns = 0;
        for (int i = 0; i < nIds; i++) if (Find(i) == i) classOf[i] = ns++;
        for (int i = 0; i < nIds; i++) classOf[i] = classOf[Find(i)];
        var memberCount = new int[ns];
        var rep = new int[ns];           // the member id of smallest |id|, the positive one on a tie
        Array.Fill(rep, int.MaxValue);
        for (int i = 0; i < nIds; i++)
        {
            int c = classOf[i], id = i - P;
            memberCount[c]++;
            int r = rep[c];
            if (r == int.MaxValue || Math.Abs(id) < Math.Abs(r) || (Math.Abs(id) == Math.Abs(r) && id > r)) rep[c] = id;
        }
        var members = new int[ns][];
        for (int c = 0; c < ns; c++) members[c] = new int[memberCount[c]];
        Array.Clear(memberCount);
        for (int i = 0; i < nIds; i++) members[classOf[i]][memberCount[classOf[i]]++] = i - P;

        // Level pairs: for a non-degenerate H_S with level index = eigen index they equal the elements and are formed
        // lazily by BohrSector (at d = 4096 that saves 134 MB and a pass over d² pairs).
        bool elementsAreLevels = L == d && Enumerable.Range(0, d).All(x => Basis.LevelOf(x) == x);
        (int, int)[]?[] pairs = new (int, int)[]?[ns];
        if (!elementsAreLevels)
        {
            var levelCount = new int[ns];
            for (int N = 0; N < L; N++)
                for (int M = 0; M < L; M++) levelCount[classOf[bohr.Id(N, M) + P]]++;
            for (int c = 0; c < ns; c++) pairs[c] = new (int, int)[levelCount[c]];
            Array.Clear(levelCount);
            for (int N = 0; N < L; N++)
                for (int M = 0; M < L; M++)
                {
                    int c = classOf[bohr.Id(N, M) + P];
                    pairs[c]![levelCount[c]++] = (M, N);
                }
        }

        // Elements grouped by sector (counting sort over the column-stacking order, so each sector's elements stay in
        // ascending vec index): one flat array of element codes m + n·d that every sector views by offset.
        var sectorOf = LargeArrays.Zeroed<int>((long)d * d);
        var start = new int[ns + 1];
        var levelOf = new int[d];
        for (int x = 0; x < d; x++) levelOf[x] = Basis.LevelOf(x);
        for (int n = 0; n < d; n++)
            for (int m = 0; m < d; m++)
            {
                int c = classOf[bohr.Id(levelOf[n], levelOf[m]) + P];
                sectorOf[m + n * d] = c;
                start[c + 1]++;
            }
        for (int c = 0; c < ns; c++) start[c + 1] += start[c];
        var fill = (int[])start.Clone();
        var codes = LargeArrays.Zeroed<int>((long)d * d);
        for (int code = 0; code < d * d; code++) codes[fill[sectorOf[code]]++] = code;
        var sectors = new BohrSector[ns];
        for (int c = 0; c < ns; c++)
        {
            sectors[c] = new BohrSector(c, members[c], bohr.Value(rep[c]), d, codes, start[c], start[c + 1] - start[c], pairs[c]);
            if (classOf[P] == c) _populationSector = c;
        }
        _sectorOfElement = sectorOf;
        _sectors = sectors;
    }

    // [m + n·d] → coordinate of the element inside its sector, built on first use (sector matrices, SectorCoordinate).
    private int[] LocalOfElement()
    {
        EnsureSectors();
        if (_localOfElement is { } built) return built;
        lock (_sectors!)
        {
            if (_localOfElement is { } again) return again;
            int d = Basis.Dimension;
            var local = LargeArrays.Zeroed<int>((long)d * d);
            foreach (var s in _sectors)
            {
                var elements = s.Elements;
                for (int k = 0; k < elements.Length; k++) local[elements[k]] = k;
            }
            return _localOfElement = local;
        }
    }

    /// <summary>
    /// The generator restricted to a Bohr sector: a dense n×n complex matrix in the sector's coordinates
    /// (column-stacking order of its elements, see <see cref="BohrSector"/>), built from the same K and H_LS level
    /// blocks and couplings as <see cref="PopulationSectorMatrix"/>:
    /// dρ_mn/dt = −Σ_{m'} (½K + iH)_{mm'} ρ_{m'n} − Σ_{n'} ρ_{mn'} (½K − iH)_{n'n}
    ///            + Σ_b Σ_α Σ_{m',n'} G_b(ω) A_{mm'} ρ_{m'n'} conj(A_{nn'}),
    /// with H = H_S + H_LS (block-diagonal over levels) and the jump sum over source pairs of the same sector whose
    /// row and column transitions carry the same grouped frequency ω. A 1×1 sector costs O(number of couplings).
    /// </summary>
    public Matrix<Complex> SectorMatrix(BohrSector sector)
    {
        EnsureSectors();
        var levels = Basis.Levels;
        int d = Basis.Dimension, L = levels.Count;
        var local = LocalOfElement();
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
                for (int c = 0; c < Model.CouplingCount; c++)
                {
                    var nz = Model.BlockNonZero[c];
                    if (!nz[M * L + M2] || !nz[N * L + N2]) continue;
                    double g = Model.Rate(Model.BathOf[c], w);
                    if (g == 0) continue;
                    var a = Model.Couplings[c];
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
            bool sparse = KBlocks.Length > 0 && !KBlocks[0][I].Storage.IsDense;
            var k = sparse ? Matrix<Complex>.Build.Sparse(l.Count, l.Count) : Matrix<Complex>.Build.Dense(l.Count, l.Count);
            var h = sparse
                ? Matrix<Complex>.Build.SparseOfDiagonalArray(Enumerable.Range(0, l.Count).Select(i => new Complex(Basis.Energies[l.Start + i], 0)).ToArray())
                : Matrix<Complex>.Build.Dense(l.Count, l.Count);
            if (!sparse) for (int i = 0; i < l.Count; i++) h[i, i] = Basis.Energies[l.Start + i];
            for (int b = 0; b < KBlocks.Length; b++)
            {
                k += KBlocks[b][I];
                h += LambBlocks[b][I];
            }
            left[I] = 0.5 * k + Complex.ImaginaryOne * h;
            right[I] = 0.5 * k - Complex.ImaginaryOne * h;
        }
        _levelGenerators = (left, right);
        return (left, right);
    }
}
