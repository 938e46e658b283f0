using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Generators;

/// <summary>
/// The partition of the d² eigenbasis coherences ρ_mn into Bohr sectors: classes of grouped frequencies ν = Ē_n − Ē_m
/// that the jump operators never mix, ordered by representative id (−P … +P). Built in
/// O(d² + Σ_c Σ_ω n_{c,ω}²) time, where n_{c,ω} is the number of non-zero level blocks of S_c(ω), ω ≠ 0.
/// </summary>
internal sealed class BohrSectorPartition
{
    private readonly int _d;
    private volatile int[]? _localOfElement;  // [m + n·d] → coordinate inside the sector (built on first use)

    /// <summary>The sectors, ordered by representative id.</summary>
    public BohrSector[] Sectors { get; }

    /// <summary>Index of the sector holding the populations (ν = 0).</summary>
    public int PopulationIndex { get; }

    /// <summary>[m + n·d] → index of the sector holding ρ_mn.</summary>
    public int[] SectorOfElement { get; }

    public BohrSectorPartition(EnergyBasisModel model)
    {
        var basis = model.Basis;
        Solvers.MemoryBudget.Require(12.0 * basis.Dimension * basis.Dimension, $"the Bohr-sector index of the d² = {(long)basis.Dimension * basis.Dimension} coherences");
        var levels = basis.Levels;
        var bohr = model.Bohr;
        int d = basis.Dimension, L = levels.Count, P = bohr.PositiveCount;

        // Union-find over signed ids: a jump term A_{MM'} ρ_{M'N'} A_{NN'}† (both at frequency ω) maps the level pair
        // (M', N') onto (M, N); their ids Id(N, M) and Id(N', M') agree exactly in theory, and whenever rounding
        // or tolerance chains make them differ the two groups are merged, so the decomposition is exact.
        var sets = new DisjointSets(2 * P + 1);
        int Find(int x) => sets.Find(x);
        void Union(int a, int b) => sets.Union(a, b);
        // When no group is wider than the tolerance, the raw differences E_N − E_M and E_N' − E_M' of a jump term
        // differ by at most MaxWidth ≤ tolerance, so single linkage has put them in the same group already: no
        // merging can happen and the O(Σ n_{c,ω}²) scan is skipped (it dominates for highly degenerate Bohr spectra).
        bool mayMerge = bohr.MaxWidth > basis.Tolerance;
        for (int c = 0; mayMerge && c < model.Jumps.Count; c++)
        {
            // the level blocks of S_α(ω), ω ≠ 0 (ω = 0 blocks are diagonal in levels: no mixing)
            foreach (var list in model.Jumps.TransitionsByFrequency(c).Values)
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
        Parallel.For(0, ns, DenseKernels.ParallelOver(ns), c => members[c] = new int[memberCount[c]]);
        Array.Clear(memberCount);
        for (int i = 0; i < nIds; i++) members[classOf[i]][memberCount[classOf[i]]++] = i - P;

        // Level pairs: for a non-degenerate H_S with level index = eigen index they equal the elements and are formed
        // lazily by BohrSector (an O(d²) array and a pass over the d² pairs saved; measured in docs/benchmarks.md).
        bool elementsAreLevels = L == d && Enumerable.Range(0, d).All(x => basis.LevelOf(x) == x);
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
        // ascending vec index): one flat array of element codes m + n·d that every sector views by offset. In parallel
        // over ranges of columns n: each range counts its elements per sector, and writes them from its own offset in each
        // sector (the ranges in ascending order), so the result is the sequential one.
        var sectorOf = LargeArrays.Zeroed<int>((long)d * d);
        var levelOf = new int[d];
        for (int x = 0; x < d; x++) levelOf[x] = basis.LevelOf(x);
        int chunks = d >= 256 ? Math.Clamp(Environment.ProcessorCount, 1, 4) : 1;
        var columnStart = Enumerable.Range(0, chunks + 1).Select(t => (int)((long)d * t / chunks)).ToArray();
        var counts = new int[chunks][];
        var parallel = DenseKernels.Threads();
        Parallel.For(0, chunks, parallel, t =>
        {
            var count = counts[t] = new int[ns];
            for (int n = columnStart[t]; n < columnStart[t + 1]; n++)
            {
                int ln = levelOf[n];
                long col = (long)n * d;
                for (int m = 0; m < d; m++)
                {
                    int c = classOf[bohr.Id(ln, levelOf[m]) + P];
                    sectorOf[m + col] = c;
                    count[c]++;
                }
            }
        });
        var start = new int[ns + 1];
        for (int c = 0; c < ns; c++)
        {
            int at = start[c];
            for (int t = 0; t < chunks; t++)
            {
                int k = counts[t][c];
                counts[t][c] = at; // from here on: where range t writes its next element of sector c
                at += k;
            }
            start[c + 1] = at;
        }
        var codes = LargeArrays.Zeroed<int>((long)d * d);
        Parallel.For(0, chunks, parallel, t =>
        {
            var fill = counts[t];
            int end = columnStart[t + 1] * d;
            for (int code = columnStart[t] * d; code < end; code++) codes[fill[sectorOf[code]]++] = code;
        });
        var sectors = new BohrSector[ns];
        Parallel.For(0, ns, DenseKernels.ParallelOver(ns), c =>
            sectors[c] = new BohrSector(c, members[c], bohr.Value(rep[c]), d, codes, start[c], start[c + 1] - start[c], pairs[c]));
        PopulationIndex = classOf[P];
        SectorOfElement = sectorOf;
        Sectors = sectors;
        _d = d;
    }

    // [m + n·d] → coordinate of the element inside its sector, built on first use (sector matrices, SectorCoordinate).
    public int[] LocalOfElement()
    {
        if (_localOfElement is { } built) return built;
        lock (Sectors)
        {
            if (_localOfElement is { } again) return again;
            int d = _d;
            var local = LargeArrays.Zeroed<int>((long)d * d);
            foreach (var s in Sectors)
            {
                var elements = s.Elements;
                for (int k = 0; k < elements.Length; k++) local[elements[k]] = k;
            }
            return _localOfElement = local;
        }
    }
}
