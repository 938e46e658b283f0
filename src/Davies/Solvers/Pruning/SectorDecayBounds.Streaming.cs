using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Solvers.Pruning;

// The bounds of a streaming build (docs/algorithms.md, "Streaming build"): V gathered from a second pass over the
// transformed couplings, mirror images folded into their roots' rows.
internal sealed partial class SectorDecayBounds
{
    // The streaming gather: the kept pairs' slots and codes from one walk over the connectivity table (the same walk as
    // the kept gather: rows a in chunks, a′ ascending), then for each coupling of a second pass over the transforms the
    // same walk writes V[c·kept + slot] = F_c(a, a′) A_c[a′, a] (A_c[a, a′] = conj(A_c[a′, a]): the imaginary part negated).
    private static void GatherStreaming(EnergyBasisModel dm, MirrorPlan plan, CancellationToken cancel, int chunks, int[] rowStart,
        int[][] offsets, int kept, double[] vre, double[]? vim, int[] codes, double[] sq, int P)
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
        var source = dm.Jumps.Source!;
        int nc = dm.Jumps.Count;
        var stored = Enumerable.Range(0, nc).Where(c => plan.RowOf[c] >= 0).ToArray();
        if (dm.Jumps.Streamed!.TakePairs() is { } pairs)
        {
            if (stored.All(c => pairs.Holds(source.RootOf(c))))
            {
                // The entries the build kept (no second pass): each root's values, signed for an image, weighted as below.
                foreach (int c in stored)
                {
                    int root = source.RootOf(c);
                    FromPairs(dm, pairs.Of(root), source.SignsOf(c), (long)plan.RowOf[c] * kept, chunks, rowStart, offsets, vre, vim, sq, P, c, parallel);
                    if (!stored.Any(x => x > c && source.RootOf(x) == root)) pairs.Release(root); // its last reader
                }
                return;
            }
            pairs.Clear();
        }
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

    // Row c of V from a root's kept entries (PairValues: column a, a′ ascending, the entries marked by the bits): the walk
    // of the second pass, reading the next kept value where the root's bit is set and 0 elsewhere (a pair another coupling
    // connects). An image's entries are the root's times χ_a χ_a′ (the same products as signing the transform in place).
    private static void FromPairs(EnergyBasisModel dm, (ulong[] Bits, int[] ColumnStart, double[]? Real, Complex[]? Complex) root,
        sbyte[]? signs, long row, int chunks, int[] rowStart, int[][] offsets, double[] vre, double[]? vim, double[] sq, int P, int c,
        ParallelOptions parallel)
    {
        int d = dm.Dimension;
        var bohr = dm.Bohr;
        var connected = dm.Jumps.Streamed!.Connected!;
        var rates = dm.Jumps.RateTable(dm.Jumps.Bath(c));
        var (bits, columnStart, re, z) = root;
        int words = (d + 63) / 64;
        Parallel.For(0, chunks, parallel, t =>
        {
            var pos = (int[])offsets[t].Clone();
            for (int a = rowStart[t]; a < rowStart[t + 1]; a++)
            {
                long col = (long)a * d, bitsAt = (long)a * words;
                int next = columnStart[a];
                double sa = signs is null ? 1 : signs[a];
                for (int a2 = 0; a2 < d; a2++)
                {
                    int w = bohr.Id(a, a2);
                    if (w <= 0 || connected[a2 + col] == 0) continue;
                    long q = row + pos[w]++;
                    double f = Weight(rates, w, P, sq[a2] / sq[a]);
                    bool held = (bits[bitsAt + (a2 >> 6)] & (1UL << (a2 & 63))) != 0;
                    double s = signs is null ? 1 : sa * signs[a2];
                    if (re is not null)
                    {
                        double x = held ? re[next++] : 0;
                        if (s != 1) x = DenseKernels.Scaled(x, s);
                        vre[q] = f * x;
                        if (vim is not null) vim[q] = 0;
                    }
                    else
                    {
                        var x = held ? z![next++] : Complex.Zero;
                        if (s != 1) x = DenseKernels.Scaled(x, s);
                        vre[q] = f * x.Real;
                        vim![q] = -f * x.Imaginary;
                    }
                }
            }
        });
    }

    /// <summary>
    /// The rows of V a streaming build stores. When every coupling is a root or the single mirror image of a root
    /// (<see cref="Spectral.CouplingSource"/>: A_c′[n, m] = χ_n χ_m A_r[n, m], one involution χ for all, the same rate table so
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
            if (!real || jumps.Source is not { } source) return identity;
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
