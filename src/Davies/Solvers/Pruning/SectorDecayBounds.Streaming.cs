using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Solvers.Pruning;

// The bounds of a streaming build (docs/algorithms.md, "Streaming build"): V gathered from a second pass over the
// transformed couplings, mirror images folded into their roots' rows.
internal sealed partial class SectorDecayBounds
{
    // The streaming gather: the kept pairs' slots and codes from one walk over the connectivity table (the walk of the
    // kept gather: rows a in chunks, a′ ascending). Without the roots' entries from the build (direct: the groups read
    // those instead of V), the same walk for each coupling of a second pass over the transforms then writes
    // V[c·kept + slot] = F_c(a, a′) A_c[a′, a] (A_c[a, a′] = conj(A_c[a′, a]): the imaginary part negated).
    private static void GatherStreaming(EnergyBasisModel dm, MirrorPlan plan, CancellationToken cancel, int chunks, int[] rowStart,
        int[][] offsets, int kept, double[]? vre, double[]? vim, int[] codes, double[] sq, int P, bool direct)
    {
        int d = dm.Dimension;
        var bohr = dm.Bohr;
        var connected = dm.Jumps.Streamed!.Connected!;
        var parallel = DenseKernels.Threads(cancel);
        Parallel.For(0, chunks, parallel, t =>
        {
            var pos = (int[])offsets[t].Clone();
            for (int a = rowStart[t]; a < rowStart[t + 1]; a++)
            {
                long col = (long)a * d;
                for (int a2 = 0; a2 < d; a2++)
                {
                    int w = bohr.Id(a, a2);
                    if (w <= 0 || connected[a2 + col] == 0) continue;
                    codes[pos[w]++] = a * d + a2;
                }
            }
        });
        if (direct) return;
        var V = vre!;
        dm.Jumps.ForEachCoupling((c, A) =>
        {
            var rates = dm.Jumps.RateTable(dm.Jumps.Bath(c));
            var re = A.RealData;
            var z = A.ComplexData;
            long row = (long)plan.RowOf[c] * kept;
            Parallel.For(0, chunks, parallel, t =>
            {
                var pos = (int[])offsets[t].Clone();
                for (int a = rowStart[t]; a < rowStart[t + 1]; a++)
                {
                    long col = (long)a * d;
                    for (int a2 = 0; a2 < d; a2++)
                    {
                        int w = bohr.Id(a, a2);
                        if (w <= 0 || connected[a2 + col] == 0) continue;
                        long q = row + pos[w]++;
                        double f = Weight(rates, w, P, sq[a2] / sq[a]);
                        if (re is not null)
                        {
                            V[q] = f * re[a2 + col];
                            if (vim is not null) vim[q] = 0;
                        }
                        else
                        {
                            var x = z![a2 + col];
                            V[q] = f * x.Real;
                            vim![q] = -f * x.Imaginary;
                        }
                    }
                }
            });
        }, cancel, wanted: c => plan.RowOf[c] >= 0); // a mirror image is folded into its root's row: not visited, not signed
    }

    /// <summary>
    /// The columns of V read straight from the roots' entries the streaming build kept (<see cref="PairValues"/>), so that
    /// V (n = 14: 3.7 GiB) is never formed: for the pair (a, a′) of a group, each root's entry A_r[a′, a] where its bit is
    /// set (0 elsewhere: a pair another coupling connects), signed for an image by χ_a χ_a′ (the same products as signing
    /// the transform in place), times the weight F of the coupling's rate table — the values the second pass writes into
    /// V, bit for bit.
    /// </summary>
    private sealed class DirectPairs
    {
        private readonly int _d, _words, _p;
        private readonly int[] _rowOfStored, _rootOf, _tableOf;
        private readonly sbyte[]?[] _signs;
        private readonly ulong[][] _index;
        private readonly double[]?[] _real;
        private readonly Complex[]?[] _complex;
        private readonly double[][] _rates;

        public DirectPairs(EnergyBasisModel dm, PairValues pairs, MirrorPlan plan)
        {
            var jumps = dm.Jumps;
            var mirrors = jumps.Mirrors!;
            _d = dm.Dimension;
            _words = pairs.Words;
            _p = dm.Bohr.PositiveCount;
            var stored = Enumerable.Range(0, jumps.Count).Where(c => plan.RowOf[c] >= 0).ToArray();
            var roots = stored.Select(mirrors.RootOf).Distinct().ToArray();
            var tables = roots.Select(pairs.Of).ToArray();
            _index = tables.Select(x => x.Index).ToArray();
            _real = tables.Select(x => x.Real).ToArray();
            _complex = tables.Select(x => x.Complex).ToArray();
            _rates = stored.Select(c => jumps.RateTable(jumps.Bath(c))).Distinct(ReferenceEqualityComparer.Instance).Cast<double[]>().ToArray();
            _rowOfStored = stored.Select(c => plan.RowOf[c]).ToArray();
            _rootOf = stored.Select(c => Array.IndexOf(roots, mirrors.RootOf(c))).ToArray();
            _tableOf = stored.Select(c => Array.IndexOf(_rates, jumps.RateTable(jumps.Bath(c)))).ToArray();
            _signs = stored.Select(mirrors.SignsOf).ToArray();
        }

        /// <summary>Whether <paramref name="pairs"/> holds every root that <paramref name="plan"/>'s rows need.</summary>
        public static bool Covers(EnergyBasisModel dm, PairValues pairs, MirrorPlan plan) =>
            dm.Jumps.Mirrors is { } mirrors
            && Enumerable.Range(0, dm.Jumps.Count).Where(c => plan.RowOf[c] >= 0).All(c => pairs.Holds(mirrors.RootOf(c)));

        /// <summary>Column <paramref name="k"/> of the group's V (rows × count in <paramref name="buf"/>): the pair <paramref name="code"/> = a·d + a′ of group <paramref name="w"/>.</summary>
        public void Load(Buffers buf, int count, int k, int w, int code, double[] sq, bool real)
        {
            int a = code / _d, a2 = code % _d;
            long word = (long)a * _words + (a2 >> 6);
            ulong bit = 1UL << (a2 & 63);
            int nr = _index.Length;
            var re = buf.RootRe;
            var im = buf.RootIm;
            for (int r = 0; r < nr; r++)
            {
                var index = _index[r];
                ulong bits = index[2 * word];
                if ((bits & bit) == 0)
                {
                    re[r] = 0;
                    im[r] = 0;
                    continue;
                }
                int at = (int)index[2 * word + 1] + System.Numerics.BitOperations.PopCount(bits & (bit - 1));
                if (_real[r] is { } values)
                {
                    re[r] = values[at];
                    im[r] = 0;
                }
                else
                {
                    var z = _complex[r]![at];
                    re[r] = z.Real;
                    im[r] = z.Imaginary;
                }
            }
            double x2 = sq[a2] / sq[a];
            var f = buf.Weights;
            for (int g = 0; g < _rates.Length; g++) f[g] = Weight(_rates[g], w, _p, x2);
            for (int i = 0; i < _rowOfStored.Length; i++)
            {
                double fi = f[_tableOf[i]];
                int r = _rootOf[i];
                double s = _signs[i] is { } chi ? chi[a] * chi[a2] : 1;
                int at = _rowOfStored[i] * count + k;
                if (real)
                {
                    double x = re[r];
                    if (s != 1) x = DenseKernels.Scaled(x, s);
                    buf.Re[at] = fi * x;
                }
                else
                {
                    var x = new Complex(re[r], im[r]);
                    if (s != 1) x = DenseKernels.Scaled(x, s);
                    buf.Re[at] = fi * x.Real;
                    buf.Im[at] = -fi * x.Imaginary;
                }
            }
        }
    }

    /// <summary>Testing: false keeps every coupling's row of V (the plain Gram sums, the oracle of the folded ones).</summary>
    internal static readonly AsyncLocal<bool?> FoldOverride = new();

    /// <summary>
    /// The rows of V the bounds store. When every coupling is a root or the single mirror image of a root
    /// (<see cref="Spectral.CouplingMirrors"/>: A_c′[n, m] = χ_n χ_m A_r[n, m], one involution χ for all, the same rate table so
    /// the same weights F) and the couplings are real, only the roots are stored: V[c′, q] = σ_q V[r, q] with
    /// σ_q = χ_a χ_a′, so Σ_c V[c,q] V[c,q″] = Σ_{unpaired r} V[r,q] V[r,q″] + (1 + σ_q σ_q″) Σ_{paired r} V[r,q] V[r,q″]: half
    /// the memory of V for a reflection-symmetric chain (n = 14: 3.75 instead of 7.5 GiB). Otherwise every coupling is
    /// a row.
    /// </summary>
    private sealed class MirrorPlan
    {
        /// <summary>The stored row of each coupling (−1: a folded mirror image). Unpaired rows first, then paired.</summary>
        public required int[] RowOf { get; init; }

        public required int Stored { get; init; }

        /// <summary>Rows [0, Unpaired) have no mirror image; rows [Unpaired, Stored) have exactly one.</summary>
        public required int Unpaired { get; init; }

        /// <summary>χ of the involution (null: nothing folded).</summary>
        public sbyte[]? Characters { get; init; }

        public static MirrorPlan For(JumpOperators jumps, bool real)
        {
            int nc = jumps.Count;
            var identity = new MirrorPlan { RowOf = Enumerable.Range(0, nc).ToArray(), Stored = nc, Unpaired = nc };
            if (!real || FoldOverride.Value == false || jumps.Mirrors is not { } source) return identity;
            sbyte[]? chi = null;
            var images = new int[nc];
            for (int c = 0; c < nc; c++)
            {
                int r = source.RootOf(c);
                if (r == c) continue;
                if (source.SignsOf(c) is not { } signs || !ReferenceEquals(jumps.RateTable(jumps.Bath(c)), jumps.RateTable(jumps.Bath(r))))
                    return identity;
                if (chi is null) chi = signs;
                else if (!chi.AsSpan().SequenceEqual(signs)) return identity;
                if (++images[r] > 1) return identity;
            }
            if (chi is null) return identity;
            var rowOf = Enumerable.Repeat(-1, nc).ToArray();
            int row = 0;
            for (int c = 0; c < nc; c++) if (source.RootOf(c) == c && images[c] == 0) rowOf[c] = row++;
            int unpaired = row;
            for (int c = 0; c < nc; c++) if (source.RootOf(c) == c && images[c] == 1) rowOf[c] = row++;
            return new MirrorPlan { RowOf = rowOf, Stored = row, Unpaired = unpaired, Characters = chi };
        }
    }

    // Mag[q″] = |U[q″] + (1 + σ_q σ_q″) P[q″]| for q″ < q (real V): U over rows [0, unpaired), P over the paired rows.
    // The pairs are stored by class of σ (MirrorPlan, positions [own, q) hold q's class, positions before own the other
    // class): Mag[q″] = |U + 2P| for q″ in [own, q) and |U| for q″ in [first, own) (first = own: not needed).
    private static void GramRowFolded(Buffers buf, int unpaired, int rows, int count, int q, int own, int first)
    {
        var sr = buf.SumRe.AsSpan(first, q - first);
        var sp = buf.SumIm.AsSpan(own, q - own);
        sr.Clear();
        sp.Clear();
        for (int c = 0; c < unpaired; c++)
        {
            var row = buf.Re.AsSpan(c * count, count);
            Axpy(row[q], row[first..q], sr);
        }
        int r = unpaired;
        for (; r + 4 <= rows; r += 4)
        {
            var r0 = buf.Re.AsSpan(r * count, count);
            var r1 = buf.Re.AsSpan((r + 1) * count, count);
            var r2 = buf.Re.AsSpan((r + 2) * count, count);
            var r3 = buf.Re.AsSpan((r + 3) * count, count);
            Axpy4(r0[q], r0[own..q], r1[q], r1[own..q], r2[q], r2[own..q], r3[q], r3[own..q], sp);
        }
        for (; r < rows; r++)
        {
            var row = buf.Re.AsSpan(r * count, count);
            Axpy(row[q], row[own..q], sp);
        }
        var mag = buf.Mag;
        var sum = buf.SumRe;
        var pair = buf.SumIm;
        for (int i = first; i < own; i++) mag[i] = Math.Abs(sum[i]);
        for (int i = own; i < q; i++) mag[i] = Math.Abs(sum[i] + 2 * pair[i]);
    }
}
