using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Solvers.Pruning;

// The bounds of a streaming build (docs/algorithms.md, "Streaming build"): V gathered from a second pass over the
// transformed couplings, mirror images folded into their roots' rows.
internal sealed partial class SectorDecayBounds
{
    // The streaming gather: V[c·kept + slot] = F_c(a, a′) A_c[a′, a] (A_c[a, a′] = conj(A_c[a′, a]): the imaginary part
    // negated) by the walk of the kept gather over the connectivity table (rows a in chunks, a′ ascending). From the roots'
    // entries the build kept (PairValues) when it kept them: one walk writes the pairs' codes and every stored row.
    // Otherwise the codes from one walk, then the same walk for each coupling of a second pass over the transforms.
    private static void GatherStreaming(EnergyBasisModel dm, MirrorPlan plan, CancellationToken cancel, int chunks, int[] rowStart,
        int[][] offsets, int kept, double[] vre, double[]? vim, int[] codes, double[] sq, int P)
    {
        int d = dm.Dimension;
        var bohr = dm.Bohr;
        var connected = dm.Jumps.Streamed!.Connected!;
        var parallel = DenseKernels.Threads(cancel);
        var source = dm.Jumps.Source!;
        int nc = dm.Jumps.Count;
        var stored = Enumerable.Range(0, nc).Where(c => plan.RowOf[c] >= 0).ToArray();
        if (dm.Jumps.Streamed!.TakePairs() is { } pairs)
        {
            if (stored.All(c => pairs.Holds(source.RootOf(c))))
            {
                // The entries the build kept (no second pass): each root's values, signed for an image, weighted as below,
                // and the pairs' codes, in one walk.
                FromPairs(dm, pairs, stored, plan, kept, chunks, rowStart, offsets, vre, vim, codes, sq, P, parallel);
                pairs.Clear();
                return;
            }
            pairs.Clear();
        }
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
                            vre[q] = f * re[a2 + col];
                            if (vim is not null) vim[q] = 0;
                        }
                        else
                        {
                            var x = z![a2 + col];
                            vre[q] = f * x.Real;
                            vim![q] = -f * x.Imaginary;
                        }
                    }
                }
            });
        }, cancel, wanted: c => plan.RowOf[c] >= 0); // a mirror image is folded into its root's row: not visited, not signed
    }

    // The rows of V of the stored couplings from their roots' kept entries (PairValues: column a, a′ ascending, the entries
    // marked by the bits), in one walk of the second pass's order: at each pair, the next kept value of every root whose
    // bit is set (0 elsewhere: a pair another coupling connects), signed for an image by χ_a χ_a′ (the same products as
    // signing the transform in place), times the weight of the coupling's rate table (one per table and pair).
    private static void FromPairs(EnergyBasisModel dm, PairValues pairs, int[] stored, MirrorPlan plan, int kept, int chunks,
        int[] rowStart, int[][] offsets, double[] vre, double[]? vim, int[] codes, double[] sq, int P, ParallelOptions parallel)
    {
        int d = dm.Dimension, words = pairs.Words;
        var bohr = dm.Bohr;
        var jumps = dm.Jumps;
        var connected = jumps.Streamed!.Connected!;
        var source = jumps.Source!;
        var roots = stored.Select(source.RootOf).Distinct().ToArray();
        var tables = roots.Select(pairs.Of).ToArray();
        var rates = stored.Select(c => jumps.RateTable(jumps.Bath(c))).Distinct(ReferenceEqualityComparer.Instance).Cast<double[]>().ToArray();
        int ns = stored.Length, nr = roots.Length, nt = rates.Length;
        var rootOf = stored.Select(c => Array.IndexOf(roots, source.RootOf(c))).ToArray();
        var tableOf = stored.Select(c => Array.IndexOf(rates, jumps.RateTable(jumps.Bath(c)))).ToArray();
        var signs = stored.Select(source.SignsOf).ToArray();
        var rowAt = stored.Select(c => (long)plan.RowOf[c] * kept).ToArray();
        bool real = tables.All(t => t.Real is not null);
        var bitsOf = tables.Select(x => x.Bits).ToArray();
        var realOf = tables.Select(x => x.Real).ToArray();
        var complexOf = tables.Select(x => x.Complex).ToArray();
        Parallel.For(0, chunks, parallel, t =>
        {
            var pos = (int[])offsets[t].Clone();
            var next = new int[nr];
            var re = new double[nr];
            var im = new double[nr];
            var f = new double[nt];
            for (int a = rowStart[t]; a < rowStart[t + 1]; a++)
            {
                long col = (long)a * d, bitsAt = (long)a * words;
                for (int k = 0; k < nr; k++) next[k] = tables[k].ColumnStart[a];
                for (int a2 = 0; a2 < d; a2++)
                {
                    int w = bohr.Id(a, a2);
                    if (w <= 0 || connected[a2 + col] == 0) continue;
                    int q = pos[w]++;
                    codes[q] = a * d + a2;
                    ulong bit = 1UL << (a2 & 63);
                    for (int k = 0; k < nr; k++)
                    {
                        var kr = realOf[k];
                        bool held = (bitsOf[k][bitsAt + (a2 >> 6)] & bit) != 0;
                        if (kr is not null)
                        {
                            re[k] = held ? kr[next[k]] : 0;
                            im[k] = 0;
                        }
                        else
                        {
                            var z = held ? complexOf[k]![next[k]] : Complex.Zero;
                            re[k] = z.Real;
                            im[k] = z.Imaginary;
                        }
                        if (held) next[k]++;
                    }
                    double x2 = sq[a2] / sq[a];
                    for (int g = 0; g < nt; g++) f[g] = Weight(rates[g], w, P, x2);
                    for (int i = 0; i < ns; i++)
                    {
                        double fi = f[tableOf[i]];
                        int k = rootOf[i];
                        double s = signs[i] is { } chi ? chi[a] * chi[a2] : 1;
                        long v = rowAt[i] + q;
                        if (real)
                        {
                            double x = re[k];
                            if (s != 1) x = DenseKernels.Scaled(x, s);
                            vre[v] = fi * x;
                            if (vim is not null) vim[v] = 0;
                        }
                        else
                        {
                            var x = new Complex(re[k], im[k]);
                            if (s != 1) x = DenseKernels.Scaled(x, s);
                            vre[v] = fi * x.Real;
                            vim![v] = -fi * x.Imaginary;
                        }
                    }
                }
            }
        });
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
}
