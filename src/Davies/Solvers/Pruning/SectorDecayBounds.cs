using Davies.LinearAlgebra;
using System.Collections.Concurrent;
using Simd = System.Numerics.Vector<double>;
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
/// r_(a′_q, a′_q″). The Gram matrix is formed one row at a time (one vectorised AXPY per coupling over a contiguous
/// row of V), so the cost is Σ_ω p_ω² × couplings (the number of non-zero sector entries), writes go to one row
/// of r at a time, and the memory is O(d²) for r plus O(p_ω × couplings) per thread; the bound of one sector is then min over its elements of
/// −H_ii − r_i − margin, O(dim).
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
    // the same magnitudes). Groups run in parallel; each row of r is updated under its own lock.
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
        // A streaming build: the pairs from its connectivity table, V filled coupling by coupling from a second pass over
        // the transforms, coupling-major (V[c·kept + q]) so that each coupling writes only its own row.
        bool streaming = _couplings is null;
        var streamed = dm.Jumps.Streamed;
        var connectedTable = streaming ? streamed!.Connected! : null;
        bool real = streaming ? streamed!.Real.All(x => x) : _couplings!.All(c => c.IsReal);
        var realData = streaming ? null : _couplings!.Select(c => c.RealData).ToArray();
        var complexData = streaming ? null : _couplings!.Select(c => c.ComplexData).ToArray();

        // V of every group, gathered in two streaming passes over the couplings (sequential reads, not one random
        // read per coupling and pair): rows a in contiguous chunks, A_c[a, a′] = conj(A_c[a′, a]) read down column a (the couplings are
        // exactly Hermitian) next to row a of the id table. Pairs that no coupling connects (selection rules, e.g.
        // parity) contribute nothing and are left out. Within a group the kept pairs are ordered by a (the chunks and
        // the rows inside them are visited in ascending order), and then also by a′ (E_a′ = E_a + ω).
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
        var start = new int[P + 2];
        var offsets = new int[chunks][];
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
        counts = null;
        int kept = start[P + 1];
        // rows of V actually stored: every coupling, or only the roots when the mirror images can be folded into the Gram
        // matrix (MirrorPlan)
        var plan = MirrorPlan.For(dm.Jumps, real);
        int rows = plan.Stored;
        var rowOf = plan.RowOf;
        // pair-major: the nc values of a pair side by side (one contiguous write per pair)
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
            var slot = new long[d];
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
                    long q = slot[j];
                    rowRe.AsSpan((int)((long)j * rows), rows).CopyTo(vre.AsSpan((int)(q * rows), rows));
                    if (!real) rowIm.AsSpan((int)((long)j * rows), rows).CopyTo(vim.AsSpan((int)(q * rows), rows));
                    codes[q] = a * d + partner[j];
                }
            }
        });

        if (streaming) progress?.Report("sector decay bounds: row sums");
        var rowSums = LargeArrays.Zeroed<double>((long)d * d);
        var rowLocks = Enumerable.Range(0, d).Select(_ => new object()).ToArray();
        var ids = Enumerable.Range(1, P).Where(w => start[w + 1] - start[w] > 1).OrderByDescending(w => start[w + 1] - start[w]).ToArray();
        // No more workers than cores: the row locks are short, and a preempted holder would stall the others.
        var options = DenseKernels.Threads(cancel);
        Parallel.ForEach(Partitioner.Create(ids, EnumerablePartitionerOptions.NoBuffering), options,
            () => new Buffers(), (w, _, buf) =>
        {
            int lo = start[w], count = start[w + 1] - lo;
            buf.Ensure(rows, count, real);
            // V (couplings × count, row c contiguous): V[c, q] = b_c(a_q, a′_q). With mirror images folded (MirrorPlan),
            // the pairs are stored by class of σ_q = χ_a χ_a′, +1 first (each class keeps the order by a): entries between
            // the classes have only the unpaired rows, so with none (a reflection-symmetric chain of even length) they are
            // exact zeros, neither computed nor added.
            var from = buf.From;
            var to = buf.To;
            var chi = plan.Characters;
            int split = count; // first position of the class σ = −1
            if (chi is not null)
            {
                split = 0;
                for (int q = 0; q < count; q++)
                {
                    int code = codes[lo + q];
                    if (chi[code / d] * chi[code % d] > 0) split++;
                }
            }
            int nextPlus = 0, nextMinus = split;
            for (int q = 0; q < count; q++)
            {
                int code = codes[lo + q];
                int k = chi is null ? q : chi[code / d] * chi[code % d] > 0 ? nextPlus++ : nextMinus++;
                long at = (long)(lo + q) * rows;
                for (int c = 0; c < rows; c++)
                {
                    long v = streaming ? (long)c * kept + lo + q : at + c;
                    buf.Re[c * count + k] = vre[v];
                    if (!real) buf.Im[c * count + k] = vim![v];
                }
                from[k] = code / d;
                to[k] = code % d;
            }
            // Entries between the classes are needed when unpaired rows link them: not when those rows vanish on either
            // class (e.g. the middle site's σz of a chain of odd length is its own mirror image: no entry between pairs of
            // opposite σ), since then every such product is an exact zero.
            bool cross = chi is not null && plan.Unpaired > 0
                && !UnpairedVanish(buf.Re, plan.Unpaired, count, 0, split) && !UnpairedVanish(buf.Re, plan.Unpaired, count, split, count);
            // |G_qq″| = |Σ_c V[c,q]* V[c,q″]| couples the elements (a_q, a_q″) ← (a′_q, a′_q″) and, for the reversed
            // pairs of group −ω, (a′_q, a′_q″) ← (a_q, a_q″). The sector of −ν is the complex conjugate of the sector
            // of ν (L(ρ†) = L(ρ)†, with the same weights), so the row sums of (m, n) and (n, m) are equal and each
            // unordered pair {q, q″} is needed once: q″ < q. The contribution is stored at [a_q·d + a_q″] for the
            // unordered element {a_q, a_q″}: r_(m,n) = R[m·d + n] + R[n·d + m].
            for (int q = 1; q < count; q++)
            {
                // the q″ < q that can contribute: q's own class, and the other class when unpaired rows link them
                int first_ = q < split ? 0 : cross ? 0 : split;
                if (first_ == q) continue;
                if (chi is not null) GramRowFolded(buf, plan.Unpaired, rows, count, q, q < split ? 0 : split, first_);
                else GramRow(buf, rows, count, q, q, real);
                var mag = buf.Mag;
                int a = from[q], a2 = to[q];
                // Rows a and a′ differ (ω ≠ 0); locks are always taken in ascending order.
                var first = rowLocks[Math.Min(a, a2)];
                var second = rowLocks[Math.Max(a, a2)];
                lock (first)
                lock (second)
                {
                    var rowA = rowSums.AsSpan((int)((long)a * d), d);
                    var rowB = rowSums.AsSpan((int)((long)a2 * d), d);
                    for (int q2 = first_; q2 < q; q2++)
                    {
                        double x = mag[q2];
                        rowA[from[q2]] += x; // a_q″ = a_q (same row twice in the group): the unused diagonal slot
                        rowB[to[q2]] += x;
                    }
                }
            }
            return buf;
        }, _ => { });
        return rowSums;
    }

    // Whether rows [0, unpaired) of V are exactly zero at positions [from, to).
    private static bool UnpairedVanish(double[] v, int unpaired, int count, int from, int to)
    {
        for (int c = 0; c < unpaired; c++)
            foreach (double x in v.AsSpan(c * count + from, to - from))
                if (x != 0) return false;
        return true;
    }

    private sealed class Buffers
    {
        public double[] Re = [], Im = [], SumRe = [], SumIm = [], Mag = [];
        public int[] From = [], To = [];

        public void Ensure(int couplings, int count, bool real)
        {
            if (Re.Length < couplings * count)
            {
                Re = new double[couplings * count];
                if (!real) Im = new double[couplings * count];
            }
            if (Mag.Length < count)
            {
                SumRe = new double[count];
                SumIm = new double[count];
                Mag = new double[count];
                From = new int[count];
                To = new int[count];
            }
        }
    }

    // Mag[q″] = |Σ_c V[c,q]* V[c,q″]| for q″ < length: one AXPY per coupling over a contiguous row of V.
    private static void GramRow(Buffers buf, int couplings, int count, int q, int length, bool real)
    {
        var sr = buf.SumRe.AsSpan(0, length);
        sr.Clear();
        if (real)
        {
            int c = 0;
            for (; c + 4 <= couplings; c += 4)
            {
                var r0 = buf.Re.AsSpan(c * count, count);
                var r1 = buf.Re.AsSpan((c + 1) * count, count);
                var r2 = buf.Re.AsSpan((c + 2) * count, count);
                var r3 = buf.Re.AsSpan((c + 3) * count, count);
                Axpy4(r0[q], r0, r1[q], r1, r2[q], r2, r3[q], r3, sr);
            }
            for (; c < couplings; c++)
            {
                var row = buf.Re.AsSpan(c * count, count);
                Axpy(row[q], row, sr);
            }
            for (int i = 0; i < length; i++) buf.Mag[i] = Math.Abs(sr[i]);
            return;
        }
        var si = buf.SumIm.AsSpan(0, length);
        si.Clear();
        for (int c = 0; c < couplings; c++)
        {
            var vr = buf.Re.AsSpan(c * count, count);
            var vi = buf.Im.AsSpan(c * count, count);
            double ar = vr[q], ai = vi[q];
            // conj(a)·v = (ar vr + ai vi) + i (ar vi − ai vr)
            Axpy(ar, vr, sr);
            Axpy(ai, vi, sr);
            Axpy(ar, vi, si);
            Axpy(-ai, vr, si);
        }
        for (int i = 0; i < length; i++) buf.Mag[i] = Math.Sqrt(sr[i] * sr[i] + si[i] * si[i]);
    }

    // y += a0·x0 + a1·x1 + a2·x2 + a3·x3, vectorised (one load and store of y for four couplings).
    private static void Axpy4(double a0, ReadOnlySpan<double> x0, double a1, ReadOnlySpan<double> x1, double a2,
        ReadOnlySpan<double> x2, double a3, ReadOnlySpan<double> x3, Span<double> y)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && y.Length >= Simd.Count)
        {
            Simd v0 = new(a0), v1 = new(a1), v2 = new(a2), v3 = new(a3);
            for (; i <= y.Length - Simd.Count; i += Simd.Count)
                (new Simd(y[i..]) + v0 * new Simd(x0[i..]) + v1 * new Simd(x1[i..]) + v2 * new Simd(x2[i..])
                    + v3 * new Simd(x3[i..])).CopyTo(y[i..]);
        }
        for (; i < y.Length; i++) y[i] += a0 * x0[i] + a1 * x1[i] + a2 * x2[i] + a3 * x3[i];
    }

    // y += a·x over y's length, vectorised.
    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        if (a == 0) return;
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && y.Length >= Simd.Count)
        {
            var va = new Simd(a);
            for (; i <= y.Length - Simd.Count; i += Simd.Count)
                (new Simd(y[i..]) + va * new Simd(x[i..])).CopyTo(y[i..]);
        }
        for (; i < y.Length; i++) y[i] += a * x[i];
    }

    // F_c(a, a′) = √(½[G_c(ω) x² + G_c(−ω)/x²]) for the pair's positive id w.
    private static double Weight(double[] rates, int w, int P, double x2) =>
        Math.Sqrt(0.5 * (rates[w + P] * x2 + rates[P - w] / x2));
}
