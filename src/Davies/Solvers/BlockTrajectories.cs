using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>
/// The expectation values Tr[O ρ(t)] = Σ_{mn} O_nm ρ_mn(t) and the populations ρ_mm(t) at many times, block by block of
/// the propagator, without forming ρ(t):
/// <list type="bullet">
/// <item>only the blocks that the initial state reaches and that hold a population or an entry of an observable are
/// propagated at all (for a non-degenerate spectrum an observable with few Bohr frequencies reaches few sectors; see
/// <see cref="SkipRelative"/> for entries that vanish only up to rounding);</item>
/// <item>of a block and its mirror image (the transposed elements: the sector −ν of a sector ν) only one is propagated,
/// since L preserves Hermiticity and ρ₀ is Hermitian: ρ_nm(t) = conj ρ_mn(t);</item>
/// <item>a block is propagated from its decomposition (eigen-modes or Padé, as <see cref="Propagator"/>) when that is
/// already built or the block is small, and otherwise by <see cref="KrylovTrajectory"/> from its matrix, with no
/// decomposition (the large Bohr sectors of big chains).</item>
/// </list>
/// The sums over blocks run in a fixed order of fixed chunks, so the result does not depend on the number of threads.
/// </summary>
internal static class BlockTrajectories
{
    private const int Chunks = 64;

    /// <summary>Largest ‖O_skipped‖_F / ‖O‖_F of the entries of an observable that are not propagated.</summary>
    internal const double SkipRelative = 1e-12;

    /// <summary>A block to propagate: its index, its mirror's (−1: none), and which observables read it.</summary>
    private sealed record Work(int Block, int Mirror, bool[] Reads);

    /// <summary>[observable][time] complex expectations and [time][state] populations; <paramref name="ops"/> are the
    /// observables in the eigenbasis.</summary>
    public static (Complex[][] Expectations, double[][] Populations) Compute(Propagator propagator, Propagator.Prepared prepared,
        IReadOnlyList<double> times, CouplingMatrix[] ops, int krylovMinimum, Stages run)
    {
        int d = propagator.Model.Dimension, nt = times.Count, no = ops.Length;
        var populations = new double[nt][];
        for (int i = 0; i < nt; i++) populations[i] = new double[d];
        if (nt == 0) return (ops.Select(_ => Array.Empty<Complex>()).ToArray(), populations);
        var work = Plan(propagator, prepared, ops, d);
        long largest = work.Select(w => (long)propagator.Blocks[w.Block].Rows.Length).DefaultIfEmpty(0).Max();
        MemoryBudget.Require(24.0 * largest * largest * Math.Min(Environment.ProcessorCount, Math.Max(work.Count, 1)),
            $"the time evolution of the largest block reached ({largest} coherences) as a dense matrix, on each thread");
        int chunkCount = Math.Min(Chunks, Math.Max(work.Count, 1));
        var partial = new Complex[chunkCount][][];
        var done = run.Counter("blocks", work.Count);
        run.Start($"blocks 0 % ({work.Count} propagated)");
        // chunk c: work items c, c + chunks, … (interleaved, so that the few large blocks spread over the chunks)
        Parallel.For(0, chunkCount, DenseKernels.Threads(run.Cancellation), c =>
        {
            var sums = new Complex[no][];
            for (int k = 0; k < no; k++) sums[k] = new Complex[nt];
            for (int w = c; w < work.Count; w += chunkCount)
            {
                run.ThrowIfCancelled();
                Block(propagator, prepared, work[w], times, ops, d, krylovMinimum, sums, populations, run.Cancellation);
                done.Step();
            }
            partial[c] = sums;
        });
        ScratchPool.Clear();
        var expectations = new Complex[no][];
        for (int k = 0; k < no; k++)
        {
            expectations[k] = new Complex[nt];
            for (int c = 0; c < chunkCount; c++)
                for (int i = 0; i < nt; i++) expectations[k][i] += partial[c][k][i];
        }
        return (expectations, populations);
    }

    /// <summary>
    /// The blocks to propagate. A block the initial state leaves empty is never read; every block holding a population
    /// is. An observable reads a block unless the block is among its weakest: the blocks are taken in increasing
    /// ‖O restricted to the block‖_F and skipped while the skipped entries together have
    /// ‖O_skipped‖_F ≤ <see cref="SkipRelative"/>·‖O‖_F (the rounding that the eigenbasis transform leaves on entries
    /// that vanish in exact arithmetic, as a free-fermion spectrum has by the million). The value lost is
    /// |Tr[O_skipped ρ(t)]| ≤ ‖O_skipped‖_F ‖ρ(t)‖_F ≤ ‖O_skipped‖_F at every time. A block whose mirror image is another
    /// block is propagated for both (the one of lower index).
    /// </summary>
    private static List<Work> Plan(Propagator propagator, Propagator.Prepared prepared, CouplingMatrix[] ops, int d)
    {
        var blocks = propagator.Blocks;
        int no = ops.Length;
        var norms = new double[no][];
        for (int k = 0; k < no; k++) norms[k] = new double[blocks.Length];
        var holdsPopulation = new bool[blocks.Length];
        var blockOf = new int[(long)d * d];
        for (int b = 0; b < blocks.Length; b++)
        {
            var blk = blocks[b];
            for (int i = 0; i < blk.Rows.Length; i++)
            {
                long at = blk.Columns[i] + (long)blk.Rows[i] * d;
                blockOf[blk.Rows[i] + (long)blk.Columns[i] * d] = b;
                for (int k = 0; k < no; k++) norms[k][b] += ops[k].Norm2(at);
                holdsPopulation[b] |= blk.Rows[i] == blk.Columns[i];
            }
        }
        var read = new bool[no][];
        for (int k = 0; k < no; k++)
        {
            read[k] = norms[k].Select(x => x > 0).ToArray();
            double total = norms[k].Sum(), budget = SkipRelative * SkipRelative * total, skipped = 0;
            foreach (int b in Enumerable.Range(0, blocks.Length).Where(b => norms[k][b] > 0).OrderBy(b => norms[k][b]).ThenBy(b => b))
            {
                if (skipped + norms[k][b] > budget) break;
                skipped += norms[k][b];
                read[k][b] = false;
            }
        }
        var work = new List<Work>();
        for (int b = 0; b < blocks.Length; b++)
        {
            if (prepared.Empty[b]) continue;
            var blk = blocks[b];
            int mirror = blockOf[blk.Columns[0] + (long)blk.Rows[0] * d];
            if (mirror != b && !IsMirror(blk, blocks[mirror], blockOf, mirror, d)) mirror = b;
            if (mirror < b) continue; // propagated with its mirror
            var reads = Enumerable.Range(0, no).Select(k => read[k][b] || read[k][mirror]).ToArray();
            if (holdsPopulation[b] || reads.Any(x => x)) work.Add(new Work(b, mirror == b ? -1 : mirror, reads));
        }
        return work;
    }

    // Whether block m holds exactly the transposed elements of block b.
    private static bool IsMirror(Propagator.Block b, Propagator.Block m, int[] blockOf, int mirror, int d)
    {
        if (m.Rows.Length != b.Rows.Length) return false;
        for (int i = 0; i < b.Rows.Length; i++)
            if (blockOf[b.Columns[i] + (long)b.Rows[i] * d] != mirror) return false;
        return true;
    }

    private static void Block(Propagator propagator, Propagator.Prepared prepared, Work item, IReadOnlyList<double> times,
        CouplingMatrix[] ops, int d, int krylovMinimum, Complex[][] sums, double[][] populations, CancellationToken cancellation)
    {
        int b = item.Block;
        var blk = propagator.Blocks[b];
        int n = blk.Rows.Length, no = ops.Length;
        // ⟨O⟩ gets Σ_i O[col_i, row_i] x_i from the block and Σ_i O[row_i, col_i] conj(x_i) from its mirror
        var direct = new Complex[no][];
        var mirrored = new Complex[no][];
        for (int k = 0; k < no; k++)
        {
            direct[k] = mirrored[k] = [];
            if (!item.Reads[k]) continue;
            direct[k] = new Complex[n];
            for (int i = 0; i < n; i++) direct[k][i] = ops[k][blk.Columns[i] + (long)blk.Rows[i] * d];
            if (item.Mirror < 0) continue;
            mirrored[k] = new Complex[n];
            for (int i = 0; i < n; i++) mirrored[k][i] = ops[k][blk.Rows[i] + (long)blk.Columns[i] * d];
        }
        var diagonal = new List<int>();
        for (int i = 0; i < n; i++)
            if (blk.Rows[i] == blk.Columns[i]) diagonal.Add(i);
        var x0 = prepared.X0[b];

        if (!blk.IsDecomposed && n >= krylovMinimum && blk.OperatorSource is { } source)
        {
            using var op = source();
            KrylovTrajectory.Run(op, x0.ToArray(), times, segment =>
            {
                var basis = segment.Basis;
                var projection = new Projection(direct, mirrored, basis.Length, (i, j) => basis[j][i]);
                foreach (var (ti, y) in segment.Times)
                {
                    projection.AddTo(sums, ti, y);
                    foreach (int i in diagonal)
                    {
                        Complex s = 0;
                        for (int j = 0; j < y.Length; j++) s += basis[j][i] * y[j];
                        populations[ti][blk.Rows[i]] = s.Real;
                    }
                }
            }, cancellation);
            return;
        }

        var dyn = blk.Dynamics;
        if (prepared.Coefficients(b) is { } coefficients && dyn.Vectors is { } vectors)
        {
            // x(t) = V y with y = e^{λt} ∘ c: the projections of the weights on V once, then n terms per time
            var lambda = dyn.Eigenvalues;
            var projection = new Projection(direct, mirrored, n, vectors.At);
            var y = new Complex[n];
            for (int ti = 0; ti < times.Count; ti++)
            {
                for (int j = 0; j < n; j++) y[j] = Complex.Exp(lambda[j] * times[ti]) * coefficients[j];
                projection.AddTo(sums, ti, y);
                foreach (int i in diagonal)
                {
                    Complex s = 0;
                    for (int j = 0; j < n; j++) s += vectors.At(i, j) * y[j];
                    populations[ti][blk.Rows[i]] = s.Real;
                }
            }
            return;
        }
        var identity = new Projection(direct, mirrored, n, (i, j) => i == j ? Complex.One : Complex.Zero);
        for (int ti = 0; ti < times.Count; ti++)
        {
            var x = dyn.Evolve(x0, null, times[ti]).ToArray();
            identity.AddTo(sums, ti, x);
            foreach (int i in diagonal) populations[ti][blk.Rows[i]] = x[i].Real;
        }
    }

    /// <summary>
    /// The weights projected on a basis V (x = V y): P_k[j] = Σ_i w_k[i] V_ij and Q_k[j] = Σ_i w̃_k[i] conj(V_ij), so that
    /// observable k gets Σ_j P_k[j] y_j + Σ_j Q_k[j] conj(y_j).
    /// </summary>
    private sealed class Projection
    {
        private readonly Complex[][] _p;
        private readonly Complex[][] _q;

        public Projection(Complex[][] direct, Complex[][] mirrored, int m, Func<int, int, Complex> v)
        {
            _p = direct.Select(w => Project(w, m, v, false)).ToArray();
            _q = mirrored.Select(w => Project(w, m, v, true)).ToArray();
        }

        private static Complex[] Project(Complex[] w, int m, Func<int, int, Complex> v, bool conjugate)
        {
            if (w.Length == 0) return [];
            var p = new Complex[m];
            for (int j = 0; j < m; j++)
            {
                Complex s = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    if (w[i] == Complex.Zero) continue;
                    var z = v(i, j);
                    s += w[i] * (conjugate ? Complex.Conjugate(z) : z);
                }
                p[j] = s;
            }
            return p;
        }

        public void AddTo(Complex[][] sums, int timeIndex, Complex[] y)
        {
            for (int k = 0; k < _p.Length; k++)
            {
                Complex s = 0;
                var p = _p[k];
                var q = _q[k];
                for (int j = 0; j < p.Length; j++) s += p[j] * y[j];
                for (int j = 0; j < q.Length; j++) s += q[j] * Complex.Conjugate(y[j]);
                sums[k][timeIndex] += s;
            }
        }
    }
}
