using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Davies.LinearAlgebra;
using Simd = System.Numerics.Vector<double>;

namespace Davies.Solvers.Pruning;

// The Gershgorin row sums from the gathered V (docs/algorithms.md, "The row sums tile by tile"): every Gram entry
// |G_qq″| = |Σ_c V[c,q]* V[c,q″]| of a Bohr group, q″ < q, is added to R[a_q, a_q″] (the lower ends of the two pairs) and to
// R[a′_q, a′_q″] (the upper ends). Since a and a′ both grow with q inside a group and class (GroupLayout), both places lie
// in the lower triangle of R, and the entries of a group that land in one square tile of R are the Gram block of two
// ranges of its pairs. The large groups are summed tile by tile: each worker owns a tile (8 MiB: the additions stay in
// the cache instead of one memory access each) and walks every large group's two ranges for it, no locks. Groups too
// small to fill a tile's ranges are summed pair by pair into the whole of R under row locks (the direct sums, which are
// also the tests' oracle of the tiled ones). Both compute each Gram entry by the same arithmetic; only the order of the
// additions into R differs.
internal sealed partial class SectorDecayBounds
{
    /// <summary>Testing: the tile side of the tiled row sums and the fewest pairs of a group they take (null: the defaults).</summary>
    internal static readonly AsyncLocal<(int Tile, int MinimumPairs)?> TilingOverride = new();

    // 1024² doubles = 8 MiB: one tile per core stays in this machine's L3 (random additions ~1.1 ns within 8 MiB, ~17 ns
    // over the 2 GiB of R at n = 14, docs/benchmarks.md).
    private const int DefaultTile = 1024;

    private enum GramKind { Real, Complex, FoldedOwnClass, FoldedOtherClass }

    private static double[] RowSums(int d, GroupLayout layout, MirrorPlan plan, bool real, double[] vre, double[]? vim,
        int[] codes, CancellationToken cancel, out int tiledGroups)
    {
        var rowSums = LargeArrays.Zeroed<double>((long)d * d);
        int P = layout.Split.Length - 1;
        int tile = TilingOverride.Value?.Tile ?? Math.Min(DefaultTile, Math.Max(64, (d + 3) / 4));
        int tiles = (d + tile - 1) / tile;
        // a group's ranges in a tile hold count/tiles pairs on average: below a few, the walk costs more than it saves
        int minimum = TilingOverride.Value?.MinimumPairs ?? Math.Max(16, 4 * tiles);
        var large = Enumerable.Range(1, P).Where(w => layout.Count(w) >= Math.Max(2, minimum)).ToArray();
        var bounds = TileBounds(d, layout, codes, large, tile, tiles, out var monotone, cancel);
        var tiled = large.Where((_, g) => monotone[g]).ToArray();
        bounds = Compact(bounds, monotone, 4 * (tiles + 1));
        var direct = Enumerable.Range(1, P).Where(w => layout.Count(w) > 1)
            .Except(tiled).OrderByDescending(layout.Count).ToArray();
        tiledGroups = tiled.Length;
        DirectSums(d, layout, plan, real, vre, vim, codes, direct, rowSums, cancel);
        TiledSums(d, layout, plan, real, vre, vim, codes, tiled, bounds, tile, tiles, rowSums, cancel);
        return rowSums;
    }

    // For each large group, side (0: lower ends a, 1: upper ends a′) and class, the tiles' ranges of its pairs:
    // [b[I], b[I+1]) the positions (from the group's start) whose end lies in [I·tile, (I+1)·tile). A group whose ends do
    // not grow strictly with the position (not expected: a non-degenerate spectrum, groups narrower than its gaps) is
    // marked and summed directly instead.
    private static int[] TileBounds(int d, GroupLayout layout, int[] codes, int[] large, int tile, int tiles,
        out bool[] monotone, CancellationToken cancel)
    {
        int stride = tiles + 1;
        var bounds = new int[(long)large.Length * 4 * stride];
        var ok = monotone = new bool[large.Length];
        Parallel.For(0, large.Length, DenseKernels.ParallelOver(large.Length, cancel), g =>
        {
            int w = large[g], lo = layout.Start[w], count = layout.Count(w), split = layout.Split[w];
            bool good = true;
            for (int side = 0; side < 2; side++)
                for (int s = 0; s < 2; s++)
                {
                    int r0 = s == 0 ? 0 : split, r1 = s == 0 ? split : count;
                    int at = ((g * 2 + side) * 2 + s) * stride, k = r0, previous = -1;
                    for (int i = 0; i <= tiles; i++)
                    {
                        long limit = (long)i * tile;
                        for (; k < r1; k++)
                        {
                            int code = codes[lo + k], end = side == 0 ? code / d : code % d;
                            if (end >= limit) break;
                            if (end <= previous) good = false;
                            previous = end;
                        }
                        bounds[at + i] = k;
                    }
                }
            ok[g] = good;
        });
        return bounds;
    }

    private static int[] Compact(int[] bounds, bool[] keep, int stride)
    {
        if (keep.All(x => x)) return bounds;
        var kept = new int[(long)keep.Count(x => x) * stride];
        for (int g = 0, to = 0; g < keep.Length; g++)
            if (keep[g]) Array.Copy(bounds, (long)g * stride, kept, (long)to++ * stride, stride);
        return kept;
    }

    // The tiled sums: every tile (I, J), I ≥ J, of R's lower triangle by one worker at a time, which walks the large
    // groups' ranges of both sides for it. Own-class entries: the ranges of I and J (I = J: q″ < q); entries between the
    // classes (folded mirror images with unpaired rows): both orders, each pair once, at R[max, min] in a diagonal tile;
    // skipped where the unpaired rows vanish on a range (every product an exact zero).
    private static void TiledSums(int d, GroupLayout layout, MirrorPlan plan, bool real, double[] vre, double[]? vim, int[] codes,
        int[] groups, int[] bounds, int tile, int tiles, double[] rowSums, CancellationToken cancel)
    {
        if (groups.Length == 0) return;
        int rows = layout.Rows, stride = tiles + 1, unpaired = plan.Unpaired, kept = layout.Kept;
        bool folded = plan.Characters is not null;
        bool cross = folded && unpaired > 0;
        var own = folded ? GramKind.FoldedOwnClass : real ? GramKind.Real : GramKind.Complex;
        int largest = groups.Max(layout.Count);
        var work = new List<(int I, int J)>();
        for (int I = 0; I < tiles; I++)
            for (int J = 0; J < I; J++) work.Add((I, J));
        for (int I = 0; I < tiles; I++) work.Add((I, I)); // half the entries: last, to even out the two workers
        // One tile buffer per worker (a fixed number: a Parallel.ForEach replica would allocate another 8 MiB each time
        // the loop replaces it), workers taking tiles from a shared counter.
        int workers = Math.Max(1, Math.Min(work.Count, Environment.ProcessorCount));
        int next = -1;
        Parallel.For(0, workers, DenseKernels.Threads(cancel), _ =>
        {
            var buf = new Buffers(largest, rows, tile);
            for (int item = Interlocked.Increment(ref next); item < work.Count; item = Interlocked.Increment(ref next))
            {
                cancel.ThrowIfCancellationRequested();
                Tile(work[item], buf);
            }
        });

        void Tile((int I, int J) ij, Buffers buf)
        {
            var (I, J) = ij;
            bool diagonal = I == J;
            var end = buf.End;
            // the tile's sums in a contiguous array (rows of R lie d apart: a power of two at scale, so a tile of R
            // itself would use a fraction of the cache's sets), added to R at the end
            var sums = buf.Tile.AsSpan();
            int rowBase = I * tile, colBase = J * tile;
            for (int g = 0; g < groups.Length; g++)
            {
                if (g + PrefetchAhead < groups.Length)
                    Prefetch(vre, vim, codes, layout, groups[g + PrefetchAhead], bounds, (g + PrefetchAhead) * 4 * stride, I, J, stride, rows);
                int w = groups[g], lo = layout.Start[w], count = layout.Count(w);
                // V from the group's first pair on: row c at c·kept
                var re = vre.AsSpan(lo, (rows - 1) * kept + count);
                var im = real ? default : vim.AsSpan(lo, (rows - 1) * kept + count);
                for (int side = 0; side < 2; side++)
                {
                    int at = (g * 2 + side) * 2 * stride;
                    int i0 = bounds[at + I], i1 = bounds[at + I + 1], j0 = bounds[at + J], j1 = bounds[at + J + 1];
                    at += stride;
                    int k0 = bounds[at + I], k1 = bounds[at + I + 1], l0 = bounds[at + J], l1 = bounds[at + J + 1];
                    if (i0 == i1 && k0 == k1) continue; // (the J ranges lie in the same class runs)
                    Ends(codes, lo, d, side, i0, i1, rowBase, end);
                    Ends(codes, lo, d, side, k0, k1, rowBase, end);
                    if (!diagonal)
                    {
                        Ends(codes, lo, d, side, j0, j1, colBase, end);
                        Ends(codes, lo, d, side, l0, l1, colBase, end);
                    }
                    // own class: class +1 (or every pair), then class −1
                    Block(re, im, kept, rows, unpaired, own, i0, i1, diagonal ? i0 : j0, j1, diagonal, false, end, tile, sums, buf);
                    Block(re, im, kept, rows, unpaired, own, k0, k1, diagonal ? k0 : l0, l1, diagonal, false, end, tile, sums, buf);
                    if (!cross) continue;
                    if (diagonal)
                    {
                        if (!UnpairedVanish(re, unpaired, kept, k0, k1) && !UnpairedVanish(re, unpaired, kept, i0, i1))
                            Block(re, im, kept, rows, unpaired, GramKind.FoldedOtherClass, k0, k1, i0, i1, false, true, end, tile, sums, buf);
                        continue;
                    }
                    if (!UnpairedVanish(re, unpaired, kept, k0, k1) && !UnpairedVanish(re, unpaired, kept, j0, j1))
                        Block(re, im, kept, rows, unpaired, GramKind.FoldedOtherClass, k0, k1, j0, j1, false, false, end, tile, sums, buf);
                    if (!UnpairedVanish(re, unpaired, kept, i0, i1) && !UnpairedVanish(re, unpaired, kept, l0, l1))
                        Block(re, im, kept, rows, unpaired, GramKind.FoldedOtherClass, i0, i1, l0, l1, false, false, end, tile, sums, buf);
                }
            }
            int height = Math.Min(tile, d - rowBase), width = Math.Min(tile, d - colBase);
            for (int i = 0; i < height; i++)
            {
                var from = sums.Slice(i * tile, width);
                var to = rowSums.AsSpan((int)((long)(rowBase + i) * d + colBase), width);
                for (int j = 0; j < width; j++) to[j] += from[j];
                from.Clear();
            }
        }
    }

    // one group's walk (a few hundred ns) covers a memory access
    private const int PrefetchAhead = 1;

    // Software prefetch (x86) of what a tile's walk reads for a group (its bounds at bounds[at]): its pairs' codes and
    // every row of V over its ranges of rows I and J, both classes and sides. The ranges are short runs of several rows
    // of V, too short for the hardware's stream prefetch; the walk asks for the group PrefetchAhead places ahead.
    private static unsafe void Prefetch(double[] vre, double[]? vim, int[] codes, GroupLayout layout, int w, int[] bounds, int at,
        int I, int J, int stride, int rows)
    {
        if (!Sse.IsSupported) return;
        int lo = layout.Start[w], kept = layout.Kept;
        fixed (double* re0 = vre)
        fixed (double* im0 = vim)
        fixed (int* cd0 = codes)
        {
            double* re = re0 + lo, im = im0 is null ? null : im0 + lo;
            int* cd = cd0 + lo;
            for (int r = 0; r < 4; r++, at += stride) // (side, class)
                for (int t = 0; t < 2; t++)
                {
                    int p0 = bounds[at + (t == 0 ? I : J)], p1 = bounds[at + (t == 0 ? I : J) + 1];
                    if (p0 >= p1) continue;
                    Lines(cd + p0, cd + p1);
                    for (int c = 0; c < rows; c++)
                    {
                        Lines(re + (long)c * kept + p0, re + (long)c * kept + p1);
                        if (im is not null) Lines(im + (long)c * kept + p0, im + (long)c * kept + p1);
                    }
                }
        }
    }

    private static unsafe void Lines(void* from, void* to)
    {
        for (nint x = (nint)from & ~(nint)63; x < (nint)to; x += 64) Sse.Prefetch0((void*)x);
    }

    // end[k] = a_k (side 0) or a′_k (side 1), less `origin` (a tile's first row or column), for the positions [k0, k1) of
    // the group starting at lo.
    private static void Ends(int[] codes, int lo, int d, int side, int k0, int k1, int origin, int[] end)
    {
        if (System.Numerics.BitOperations.IsPow2(d))
        {
            // (no division: at most one range of a few pairs per group and tile)
            int shift = System.Numerics.BitOperations.Log2((uint)d), mask = d - 1;
            for (int k = k0; k < k1; k++)
            {
                int code = codes[lo + k];
                end[k] = (side == 0 ? code >> shift : code & mask) - origin;
            }
            return;
        }
        for (int k = k0; k < k1; k++)
        {
            int code = codes[lo + k];
            end[k] = (side == 0 ? code / d : code % d) - origin;
        }
    }

    // The Gram entries (k, l), k in [k0, k1), l in [l0, l1) (triangle: l < k), each added to the sums at
    // [end[k]·stride + end[l]] (symmetric: the larger end first). Real V: four rows k at a time (GramReal).
    private static void Block(ReadOnlySpan<double> re, ReadOnlySpan<double> im, int kept, int rows, int unpaired, GramKind kind,
        int k0, int k1, int l0, int l1, bool triangle, bool symmetric, int[] end, int stride, Span<double> sums, Buffers buf)
    {
        int step = kind == GramKind.Complex ? 1 : GramRows;
        for (int k = k0; k < k1; k += step)
        {
            int kn = Math.Min(step, k1 - k);
            int top = triangle ? k + kn - 1 : l1; // the last row's entries end before the others'
            if (top <= l0) continue;
            int n = top - l0;
            var mag = buf.Mag.AsSpan(0, step * n);
            if (kind == GramKind.Complex) GramSegment(re, im, kept, rows, unpaired, kind, k, l0, top, mag, buf);
            else GramReal(re, kept, rows, unpaired, kind, k, kn, l0, top, mag, buf);
            ref int ends = ref MemoryMarshal.GetArrayDataReference(end);
            for (int j = 0; j < kn; j++)
            {
                int row = end[k + j], last = triangle ? k + j : l1;
                var m = mag.Slice(j * n, n);
                if (!symmetric)
                {
                    // every end lies in the tile (TileBounds), every l − l0 in m: no bounds checks in the hot loop
                    ref double r = ref sums.Slice(row * stride, stride)[0];
                    ref double x = ref MemoryMarshal.GetReference(m);
                    for (int l = l0; l < last; l++) Unsafe.Add(ref r, Unsafe.Add(ref ends, l)) += Unsafe.Add(ref x, l - l0);
                    continue;
                }
                for (int l = l0; l < last; l++)
                {
                    int col = end[l];
                    sums[row > col ? row * stride + col : col * stride + row] += m[l - l0];
                }
            }
        }
    }

    // The direct sums of the groups too small (or not ordered) for the tiles, largest first: each Gram row's entries
    // added to the rows a_q and a′_q of R under their locks.
    private static void DirectSums(int d, GroupLayout layout, MirrorPlan plan, bool real, double[] vre, double[]? vim, int[] codes,
        int[] groups, double[] rowSums, CancellationToken cancel)
    {
        if (groups.Length == 0) return;
        int rows = layout.Rows, unpaired = plan.Unpaired, kept = layout.Kept;
        var chi = plan.Characters;
        var rowLocks = Enumerable.Range(0, d).Select(_ => new object()).ToArray();
        int largest = groups.Max(layout.Count);
        // No more workers than cores: the row locks are short, and a preempted holder would stall the others.
        Parallel.ForEach(Partitioner.Create(groups, EnumerablePartitionerOptions.NoBuffering), DenseKernels.Threads(cancel),
            () => new Buffers(largest, rows), (w, _, buf) =>
        {
            int lo = layout.Start[w], count = layout.Count(w);
            var re = vre.AsSpan(lo, (rows - 1) * kept + count);
            var im = real ? default : vim.AsSpan(lo, (rows - 1) * kept + count);
            var from = buf.From;
            var to = buf.To;
            Ends(codes, lo, d, 0, 0, count, 0, from);
            Ends(codes, lo, d, 1, 0, count, 0, to);
            // With mirror images folded (MirrorPlan) the pairs are stored by class of σ_q = χ_a χ_a′, +1 first: entries
            // between the classes have only the unpaired rows, so with none (a reflection-symmetric chain of even length),
            // or when those rows vanish on either class (e.g. the middle site's σz of a chain of odd length is its own
            // mirror image), they are exact zeros, neither computed nor added.
            int split = layout.Split[w];
            bool cross = chi is not null && unpaired > 0
                && !UnpairedVanish(re, unpaired, kept, 0, split) && !UnpairedVanish(re, unpaired, kept, split, count);
            var kind = chi is not null ? GramKind.FoldedOwnClass : real ? GramKind.Real : GramKind.Complex;
            // |G_qq″| couples the elements (a_q, a_q″) ← (a′_q, a′_q″) and, for the reversed pairs of group −ω,
            // (a′_q, a′_q″) ← (a_q, a_q″). The sector of −ν is the complex conjugate of the sector of ν (L(ρ†) = L(ρ)†,
            // with the same weights), so the row sums of (m, n) and (n, m) are equal and each unordered pair {q, q″} is
            // needed once: q″ < q. The contribution is stored at [a_q·d + a_q″] for the unordered element {a_q, a_q″}:
            // r_(m,n) = R[m·d + n] + R[n·d + m].
            for (int q = 1; q < count; q++)
            {
                // the q″ < q that can contribute: q's own class, and the other class when unpaired rows link them
                int ownStart = q < split ? 0 : split;
                int first = q < split ? 0 : cross ? 0 : split;
                if (first == q) continue;
                var mag = buf.Mag;
                if (ownStart > first)
                    GramSegment(re, im, kept, rows, unpaired, GramKind.FoldedOtherClass, q, first, ownStart, mag.AsSpan(first, ownStart - first), buf);
                GramSegment(re, im, kept, rows, unpaired, kind, q, ownStart, q, mag.AsSpan(ownStart, q - ownStart), buf);
                int a = from[q], a2 = to[q];
                // Rows a and a′ differ (ω ≠ 0); locks are always taken in ascending order.
                lock (rowLocks[Math.Min(a, a2)])
                lock (rowLocks[Math.Max(a, a2)])
                {
                    var rowA = rowSums.AsSpan((int)((long)a * d), d);
                    var rowB = rowSums.AsSpan((int)((long)a2 * d), d);
                    for (int q2 = first; q2 < q; q2++)
                    {
                        double x = mag[q2];
                        rowA[from[q2]] += x; // a_q″ = a_q (same row twice in the group): the unused diagonal slot
                        rowB[to[q2]] += x;
                    }
                }
            }
            return buf;
        }, _ => { });
    }

    // Whether rows [0, unpaired) of V (from a group's first pair on, row c at c·kept) are exactly zero at positions [from, to).
    private static bool UnpairedVanish(ReadOnlySpan<double> v, int unpaired, int kept, int from, int to)
    {
        for (int c = 0; c < unpaired; c++)
            foreach (double x in v.Slice(c * kept + from, to - from))
                if (x != 0) return false;
        return true;
    }

    private sealed class Buffers(int count, int rows, int tile = 0)
    {
        public readonly double[] SumRe = new double[count], SumIm = new double[count], Mag = new double[GramRows * count];
        public readonly double[] Coefficients = new double[rows * GramRows];
        public readonly Simd[] Broadcast = new Simd[rows * GramRows];
        public readonly int[] From = new int[count], To = new int[count], End = new int[count];
        public readonly double[] Tile = tile == 0 ? [] : LargeArrays.Zeroed<double>((long)tile * tile);
    }
}
