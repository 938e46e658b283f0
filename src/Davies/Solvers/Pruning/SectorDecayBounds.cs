using Davies.LinearAlgebra;
using Davies.Generators;
using Davies.Spectral;

namespace Davies.Solvers.Pruning;

/// <summary>
/// Matrix-free Gershgorin bounds on the slowest decay of every Bohr sector of a Davies generator with a non-degenerate
/// H_S whose Bohr groups are no wider than the tolerance (the common case at scale). They certify, without building a
/// sector matrix, that every eigenvalue of a sector decays faster than a threshold, so <see cref="Spectrum"/> can skip
/// the sector.
/// <para>
/// With weights w_(m,n) = (p_m p_n)^{1/4} (p the KMS weights), the Hermitian part H of the weighted sector matrix has
/// −H_ii = ½(Γ_m + Γ_n) + ½ Σ_c G_c(0) |A_mm − A_nn|² (Γ the Pauli escape rates) and, for j = (m′, n′) ≠ i,
/// H_ij = Σ_c R_c A_c[m,m′] A_c[n,n′]*, R_c = ½[G_c(ω) x y + G_c(−ω)/(x y)], x = (p_m′/p_m)^{1/4},
/// y = (p_n′/p_n)^{1/4}, ω the Bohr group of E_m′ − E_m and of E_n′ − E_n (the same group, since no group is wider
/// than the tolerance). Cauchy–Schwarz gives R_c ≤ F_c(m, m′) F_c(n, n′), F_c(m, m′)² = ½[G_c(ω) x² + G_c(−ω)/x²],
/// with equality when E_m′ − E_m = E_n′ − E_n exactly; the rounding-level difference is at most
/// √(G_c(ω) G_c(−ω)) sinh²(β_w Δ/4), Δ ≤ the widest Bohr group, and is added as a margin. With b_c = F_c ∘ A_c,
/// |H_ij| ≤ |Σ_c b_c(m, m′) b_c(n, n′)*| + margin.
/// </para>
/// <para>
/// All Gershgorin row sums r_(m,n) = Σ_j |H_ij| of all sectors are computed at once, Bohr group by Bohr group: the
/// pairs (a, a′) with E_a′ − E_a in group ω give the columns v_q = (b_c(a_q, a′_q))_c of a couplings × p_ω matrix
/// V_ω, and the Gram matrix V_ω† V_ω holds every entry of H between the elements (a_q, a_q″)
/// and (a′_q, a′_q″); its magnitudes are added to r_(a_q, a_q″) and, for the reversed pairs of group −ω, to
/// r_(a′_q, a′_q″). The cost is Σ_ω p_ω² × couplings (the number of non-zero sector entries) and the memory O(d²) for r
/// plus V; the large groups are summed into cache-sized tiles of r, the small ones row by row
/// (SectorDecayBounds.RowSums.cs). The bound of one sector is then min over its elements of −H_ii − r_i − margin, O(dim).
/// </para>
/// </summary>
internal sealed partial class SectorDecayBounds
{
    private readonly int _d;
    private readonly double[] _halfEscape;     // ½ Γ_m
    private readonly double[] _rowSums;        // r_(m,n) at [m·d + n]
    private readonly (double HalfG0, Complex[] Diagonal)[] _dephasing; // couplings with an ω = 0 rate: ½G_c(0), A_c[m,m]
    private readonly CouplingMatrix[]? _couplings; // null: a streaming build (the couplings are transformed again)
    private readonly double _marginPerElement; // per off-diagonal element of a row

    private SectorDecayBounds(EnergyBasisModel dm, double[] pauliDiagonal, double[] p, CancellationToken cancel, IProgress<string>? progress)
    {
        int d = dm.Dimension;
        _d = d;
        _halfEscape = pauliDiagonal.Select(x => -0.5 * x).ToArray();
        var jumps = dm.Jumps;
        int nc = jumps.Count;
        _couplings = jumps.KeepsCouplings ? Enumerable.Range(0, nc).Select(jumps.Matrix).ToArray() : null;
        var g0s = new double[nc];
        double margin = 0;
        for (int c = 0; c < nc; c++)
        {
            int bath = jumps.Bath(c);
            double g0 = jumps.Rate(bath, 0);
            g0s[c] = double.IsNaN(g0) ? 0 : g0; // NaN: no coupling of the bath has an ω = 0 part
            double gmax = 0;
            foreach (var r in jumps.RateTable(bath)) if (!double.IsNaN(r)) gmax = Math.Max(gmax, r);
            margin += gmax * jumps.MaxNorm2(c);
        }
        // sinh²(β_w Δ/4), with β_w the inverse temperature of the weights: p = e^{−β_w (E − E_0)}
        var e = dm.Basis.Energies;
        double betaW = e[^1] > e[0] ? -Math.Log(p[^1] / p[0]) / (e[^1] - e[0]) : 0;
        double s = Math.Sinh(betaW * dm.Bohr.MaxWidth / 4);
        _marginPerElement = margin * s * s;
        _dephasing = Enumerable.Range(0, nc).Where(c => g0s[c] != 0)
            .Select(c => (0.5 * g0s[c], _couplings is null
                ? (Complex[])jumps.Streamed!.Diagonal[c]!.Clone()
                : Enumerable.Range(0, d).Select(m => _couplings[c][m + m * d]).ToArray())).ToArray();
        _rowSums = AccumulateRowSums(dm, p, cancel, progress);
    }

    /// <summary>The bounds, or null when they do not apply (degenerate H_S, Bohr groups wider than the tolerance).</summary>
    public static SectorDecayBounds? TryCreate(EnergyBasisModel dm, double[] pauliDiagonal, double[] p,
        CancellationToken cancel = default, IProgress<string>? progress = null)
    {
        if (!dm.Basis.IsNonDegenerate || dm.Bohr.MaxWidth > dm.Basis.Tolerance) return null;
        if (!dm.Jumps.KeepsCouplings && dm.Jumps.Streamed?.Connected is null) return null;
        for (int a = 0; a < dm.Dimension; a++) if (dm.Basis.LevelOf(a) != a) return null; // level index = eigen index
        if (p.Any(x => !(x > 0) || !double.IsFinite(x))) return null;
        return new SectorDecayBounds(dm, pauliDiagonal, p, cancel, progress);
    }

    /// <summary>Testing: the row sum r_(m,n) = Σ_j |H_ij| bound of the element (m, n), without the rounding margin.</summary>
    internal double RowSum(int m, int n) => _rowSums[(long)m * _d + n] + _rowSums[(long)n * _d + m];

    /// <summary>Testing: the rounding margin per off-diagonal element of a row.</summary>
    internal double MarginPerElement => _marginPerElement;

    /// <summary>Testing: how many Bohr groups the row sums summed tile by tile (the others pair by pair).</summary>
    internal int TiledGroups { get; private set; }

    /// <summary>The Gershgorin lower bound on −Re λ over the sector's eigenvalues.</summary>
    public double LowerBound(BohrSector sector)
    {
        int d = _d;
        double bound = double.PositiveInfinity;
        foreach (int code in sector.Elements) bound = Math.Min(bound, Element(code % d, code / d));
        return bound - (sector.Dimension - 1) * _marginPerElement;
    }

    // −H_ii − r_i of the element (m, n) (without the rounding margin): ½(Γ_m + Γ_n) + ½ Σ_c G_c(0) |A_c[m,m] − A_c[n,n]|²
    // − r_(m,n), with r_(m,n) = R[m·d + n] + R[n·d + m]. Negligible blocks are stored as zeros.
    private double Element(int m, int n)
    {
        double diag = _halfEscape[m] + _halfEscape[n];
        foreach (var (g, a) in _dephasing)
        {
            var z = a[m] - a[n];
            diag += g * (z.Real * z.Real + z.Imaginary * z.Imaginary);
        }
        return diag - _rowSums[(long)m * _d + n] - _rowSums[(long)n * _d + m];
    }

    /// <summary>
    /// <see cref="LowerBound"/> of every sector of <paramref name="gen"/> at once (indexed like its
    /// <see cref="DaviesGenerator.Sectors"/>): one pass over the elements in 64×64 tiles, so that r_(m,n) and r_(n,m)
    /// are read from cache, instead of one scattered pass per sector.
    /// </summary>
    public double[] LowerBounds(DaviesGenerator gen)
    {
        int d = _d;
        var sectorOf = gen.SectorOfElementTable;
        var sectors = gen.Sectors;
        int ns = sectors.Count;
        const int Tile = 64;
        int tiles = (d + Tile - 1) / Tile;
        // One minimum array per worker (a fixed number, not one per task replica: each holds every sector, 38 MB at n = 14),
        // workers taking tiles from a shared counter.
        int workers = Math.Max(1, Math.Min(tiles, Environment.ProcessorCount));
        var mins = new double[workers][];
        int next = -1;
        Parallel.For(0, workers, DenseKernels.ParallelOver(d), k =>
        {
            var min = mins[k] = Fill(new double[ns], double.PositiveInfinity);
            for (int tn = Interlocked.Increment(ref next); tn < tiles; tn = Interlocked.Increment(ref next))
            {
                int n0 = tn * Tile, n1 = Math.Min(d, n0 + Tile);
                for (int m0 = 0; m0 < d; m0 += Tile)
                {
                    int m1 = Math.Min(d, m0 + Tile);
                    for (int n = n0; n < n1; n++)
                        for (int m = m0; m < m1; m++)
                        {
                            double value = Element(m, n);
                            int c = sectorOf[m + n * d];
                            if (value < min[c]) min[c] = value;
                        }
                }
            }
        });
        var bounds = Fill(new double[ns], double.PositiveInfinity);
        foreach (var min in mins)
            for (int c = 0; c < ns; c++) bounds[c] = Math.Min(bounds[c], min[c]);
        for (int c = 0; c < ns; c++) bounds[c] -= (sectors[c].Dimension - 1) * _marginPerElement;
        return bounds;
    }

    private static double[] Fill(double[] a, double value)
    {
        Array.Fill(a, value);
        return a;
    }

    // r_(m,n) for every element, one positive Bohr group at a time (the negative group holds the reversed pairs and
    // the same magnitudes): V gathered row after row, each group's pairs contiguous and then ordered by class
    // (GroupLayout), then the Gram sums (RowSums).
    private double[] AccumulateRowSums(EnergyBasisModel dm, double[] p, CancellationToken cancel, IProgress<string>? progress)
    {
        int d = _d, nc = dm.Jumps.Count;
        var bohr = dm.Bohr;
        int P = bohr.PositiveCount;
        var sq = p.Select(Math.Sqrt).ToArray(); // x² = √(p_a′/p_a)
        var rates = Enumerable.Range(0, nc).Select(c => dm.Jumps.RateTable(dm.Jumps.Bath(c))).ToArray();
        // Couplings that share a rate table (identical baths) share the weight F of a pair: one square root per table.
        var tables = rates.Distinct(ReferenceEqualityComparer.Instance).Cast<double[]>().ToArray();
        var tableOf = rates.Select(r => Array.IndexOf(tables, r)).ToArray();
        // A streaming build: the pairs from its connectivity table, V from the entries the build kept or from a second
        // pass over the transforms.
        bool streaming = _couplings is null;
        var streamed = dm.Jumps.Streamed;
        var connectedTable = streaming ? streamed!.Connected! : null;
        bool real = streaming ? streamed!.Real.All(x => x) : _couplings!.All(c => c.IsReal);
        var realData = streaming ? null : _couplings!.Select(c => c.RealData).ToArray();
        var complexData = streaming ? null : _couplings!.Select(c => c.ComplexData).ToArray();
        // rows of V actually stored: every coupling, or only the roots when the mirror images can be folded into the Gram
        // matrix (MirrorPlan)
        var plan = MirrorPlan.For(dm.Jumps, real);
        int rows = plan.Stored;
        var rowOf = plan.RowOf;
        var chi = plan.Characters;

        // V of every group, gathered in streaming passes over the couplings (sequential reads, not one random read per
        // coupling and pair): rows a in contiguous chunks, A_c[a, a′] = conj(A_c[a′, a]) read down column a (the couplings
        // are exactly Hermitian) next to row a of the id table. Pairs that no coupling connects (selection rules, e.g.
        // parity) contribute nothing and are left out. Within a group the kept pairs are ordered by a (the chunks and the
        // rows inside them are visited in ascending order), and then also by a′ (E_a′ = E_a + ω); SplitClasses keeps that
        // order within each class.
        int chunks = d >= 256 ? Math.Clamp(Environment.ProcessorCount, 1, 16) : 1;
        var rowStart = Enumerable.Range(0, chunks + 1).Select(t => (int)((long)d * t / chunks)).ToArray();
        bool Connected(long at)
        {
            if (streaming) return connectedTable![at] != 0;
            for (int c = 0; c < nc; c++)
                if (real ? realData![c]![at] != 0 : complexData![c]![at] != Complex.Zero) return true;
            return false;
        }
        var counts = new int[chunks][];
        var parallel = DenseKernels.Threads(cancel);
        Parallel.For(0, chunks, parallel, t =>
        {
            var n = counts[t] = new int[P + 1];
            for (int a = rowStart[t]; a < rowStart[t + 1]; a++)
            {
                long col = (long)a * d;
                for (int a2 = 0; a2 < d; a2++)
                {
                    int w = bohr.Id(a, a2);
                    if (w > 0 && Connected(a2 + col)) n[w]++;
                }
            }
        });
        var layout = GroupLayout.From(counts, P, rows, out var offsets);
        counts = null;
        int kept = layout.Kept;
        var vre = LargeArrays.Zeroed<double>((long)kept * rows);
        var vim = real ? null : LargeArrays.Zeroed<double>((long)kept * rows);
        var codes = LargeArrays.Zeroed<int>(kept);
        // (sub-stages reported for a streaming build only, whose second pass over the couplings is long)
        if (streaming)
            progress?.Report($"sector decay bounds: gathering {kept} pairs × {rows} of {nc} couplings ({(streamed!.Pairs is null ? "the couplings transformed again" : "kept by the build")})");
        if (streaming) GatherStreaming(dm, plan, cancel, chunks, rowStart, offsets, kept, vre, vim, codes, sq, P);
        else
        Parallel.For(0, chunks, parallel, t =>
        {
            var pos = offsets[t];
            var weight = new double[tables.Length];
            // Row by row: the row's connected pairs are read and weighted into a local buffer first (sequential reads;
            // along a row the group id grows with a′, so pos and the rate tables are walked forwards), then copied to
            // their places in a tight loop of independent writes.
            var rowRe = new double[(long)d * rows];
            var rowIm = real ? null : new double[(long)d * rows];
            var slot = new int[d];
            var partner = new int[d];
            for (int a = rowStart[t]; a < rowStart[t + 1]; a++)
            {
                long col = (long)a * d;
                int k = 0;
                for (int a2 = 0; a2 < d; a2++)
                {
                    int w = bohr.Id(a, a2);
                    if (w <= 0 || !Connected(a2 + col)) continue;
                    slot[k] = pos[w]++;
                    partner[k] = a2;
                    double x2 = sq[a2] / sq[a];
                    for (int g = 0; g < tables.Length; g++) weight[g] = Weight(tables[g], w, P, x2);
                    long at = (long)k * rows;
                    for (int c = 0; c < nc; c++)
                    {
                        int r = rowOf[c];
                        if (r < 0) continue; // a mirror image folded into its root's row
                        double f = weight[tableOf[c]];
                        if (real) rowRe[at + r] = f * realData![c]![a2 + col];
                        else
                        {
                            var z = complexData![c]![a2 + col]; // A_c[a′, a] = conj(A_c[a, a′])
                            rowRe[at + r] = f * z.Real;
                            rowIm![at + r] = -f * z.Imaginary;
                        }
                    }
                    k++;
                }
                for (int j = 0; j < k; j++)
                {
                    int q = slot[j];
                    for (int r = 0; r < rows; r++)
                    {
                        long v = layout.At(q, r);
                        vre[v] = rowRe[(long)j * rows + r];
                        if (!real) vim![v] = rowIm![(long)j * rows + r];
                    }
                    codes[q] = a * d + partner[j];
                }
            }
        });

        layout.SplitClasses(chi, d, codes, vre, vim, cancel);
        if (streaming) progress?.Report("sector decay bounds: row sums");
        var sums = RowSums(d, layout, plan, real, vre, vim, codes, cancel, out int tiled);
        TiledGroups = tiled;
        return sums;
    }

    /// <summary>
    /// Where the kept pairs and their values are. Group w holds the pairs [Start[w], Start[w+1]): first those of class
    /// σ = χ_a χ_a′ = +1 (every pair when no mirror image is folded), [Start[w], Start[w] + Split[w]), then those of
    /// σ = −1, each class ordered by a (and so by a′). V is stored row (coupling) after row: V[r, q] at r·kept + q, so
    /// that a range of a group's pairs is a contiguous run of each row, and the gathers' scattered writes need no look-up
    /// of the pair's group.
    /// </summary>
    private sealed class GroupLayout
    {
        public required int[] Start { get; init; }

        public required int[] Split { get; init; }

        public required int Rows { get; init; }

        public int Kept => Start[^1];

        public int Count(int w) => Start[w + 1] - Start[w];

        /// <summary>The place in V of row <paramref name="r"/> of the pair at <paramref name="q"/>.</summary>
        public long At(int q, int r) => (long)r * Kept + q;

        /// <summary>The layout of the pairs counted per chunk and group, and each chunk's first place per group.</summary>
        public static GroupLayout From(int[][] counts, int P, int rows, out int[][] offsets)
        {
            int chunks = counts.Length;
            var start = new int[P + 2];
            offsets = new int[chunks][];
            for (int t = 0; t < chunks; t++) offsets[t] = new int[P + 1];
            for (int w = 1; w <= P; w++)
            {
                int at = start[w];
                for (int t = 0; t < chunks; t++)
                {
                    offsets[t][w] = at;
                    at += counts[t][w];
                }
                start[w + 1] = at;
            }
            return new GroupLayout { Start = start, Split = new int[P + 1], Rows = rows };
        }

        /// <summary>
        /// Orders each group's pairs by class once V and the codes are gathered (the gathers keep the walk's order, a
        /// ascending, whose writes they were tuned for): a stable partition, σ = +1 first, of the codes and of every row
        /// of V; <see cref="Split"/> the size of the first class (every pair when <paramref name="chi"/> is null).
        /// </summary>
        public void SplitClasses(sbyte[]? chi, int d, int[] codes, double[] vre, double[]? vim, CancellationToken cancel)
        {
            int P = Split.Length - 1;
            if (chi is null)
            {
                for (int w = 1; w <= P; w++) Split[w] = Count(w);
                return;
            }
            int largest = 0;
            for (int w = 1; w <= P; w++) largest = Math.Max(largest, Count(w));
            long kept = Kept;
            Parallel.For(1, P + 1, DenseKernels.ParallelOver(P, cancel), () => (new bool[largest], new double[largest], new int[largest]),
                (w, _, buf) =>
            {
                var (plus, values, ints) = buf;
                int lo = Start[w], count = Count(w), first = 0;
                for (int k = 0; k < count; k++)
                {
                    int code = codes[lo + k];
                    plus[k] = chi[code / d] == chi[code % d];
                    if (plus[k]) first++;
                }
                Split[w] = first;
                if (first == 0 || first == count) return buf;
                Partition(codes.AsSpan(lo, count), plus, first, ints);
                for (int r = 0; r < Rows; r++)
                {
                    Partition(vre.AsSpan((int)(r * kept + lo), count), plus, first, values);
                    if (vim is not null) Partition(vim.AsSpan((int)(r * kept + lo), count), plus, first, values);
                }
                return buf;
            }, _ => { });
        }

        private static void Partition<T>(Span<T> x, bool[] plus, int first, T[] scratch)
        {
            x.CopyTo(scratch);
            int p = 0, m = first;
            for (int k = 0; k < x.Length; k++)
                if (plus[k]) x[p++] = scratch[k];
                else x[m++] = scratch[k];
        }
    }

    // F_c(a, a′) = √(½[G_c(ω) x² + G_c(−ω)/x²]) for the pair's positive id w.
    private static double Weight(double[] rates, int w, int P, double x2) =>
        Math.Sqrt(0.5 * (rates[w + P] * x2 + rates[P - w] / x2));
}
