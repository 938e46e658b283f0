using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>
/// The ν = 0 sector of a degenerate H_S solved component by component (<see cref="SectorComponents"/>), never as one
/// dense n₀×n₀ matrix: a population block is a classical Markov generator (exact kernel from its closed classes);
/// a small block is solved densely (kernel from its singular values); a larger block without populations is shown to
/// decay by a rigorous bound (<see cref="SparseSectorMatrix.DecayLowerBound"/>) or solved densely; a larger block with
/// populations is solved by GMRES on L + u tᵀ (t the trace functional of the block), which is non-singular exactly when
/// the block's stationary state is unique (checked by a second solve with a random right-hand side, which a singular
/// system does not converge on: the block then goes to the dense path). Identical blocks (spectator copies) are solved once, as a biorthogonal
/// kernel pair (<see cref="BlockKernel"/>). The state returned is the t → ∞ limit from the start (the maximally mixed
/// state by default): on each block Σ_j r_j ⟨l_j, x0⟩, as for the dense path.
/// </summary>
internal static class ComponentSteadyState
{
    /// <summary>Blocks up to this size are solved densely.</summary>
    internal const int DenseLimit = 256;

    /// <summary>Population blocks up to this size are solved as dense Markov generators (larger: GMRES).</summary>
    internal const int DenseMarkovLimit = 8192;

    /// <summary>Largest block without populations that may be solved densely when the bound does not settle it.</summary>
    internal const int DenseFallbackLimit = 2048;

    /// <summary>Relative GMRES tolerance.</summary>
    internal const double GmresTolerance = 1e-12;

    public readonly record struct Result(Vector<Complex> X, int KernelDimension, double Residual, int Components, int Krylov,
        Diagnostics.StationaryStructure? Structure);

    /// <param name="gen">The generator.</param>
    /// <param name="backend">Linear-algebra backend of the dense blocks.</param>
    /// <param name="kmsWeights">Per eigenvector, positive weights for the decay bound (the Gibbs weights make it tight).</param>
    /// <param name="start">The initial state in ν = 0 sector coordinates (null: the maximally mixed state).</param>
    /// <param name="structure">Also analyse the stationary set (<see cref="Diagnostics.StationaryStructure"/>) when the kernel is not 1.</param>
    /// <param name="progress">Stage reports.</param>
    /// <param name="cancellation">Checked between blocks.</param>
    /// <param name="denseLimit">Blocks up to this size are solved densely (tests lower it to exercise GMRES).</param>
    /// <param name="denseMarkovLimit">Population blocks up to this size are dense Markov generators.</param>
    public static Result Solve(DaviesGenerator gen, ILinearAlgebraBackend backend, double[] kmsWeights, Vector<Complex>? start = null,
        bool structure = false, IProgress<string>? progress = null, CancellationToken cancellation = default, int denseLimit = DenseLimit,
        int denseMarkovLimit = DenseMarkovLimit)
    {
        var s0 = gen.PopulationSpace;
        int d = gen.Model.Dimension;
        long nnz = SparseCouplings.CountNonZeros(gen.Model.Jumps);
        MemoryBudget.Require(SparseCouplings.EstimateBytes(nnz, gen.Model.Jumps.Count, d) + 16.0 * s0.Dimension * 3,
            $"the ν = 0 sector block by block ({s0.Dimension} coordinates, {nnz} non-zero coupling entries)");
        var run = new Stages(progress, cancellation);
        run.Start("ν = 0 sector: level blocks of K and H_LS");
        _ = gen.DecayScale();
        run.Start("ν = 0 sector: invariant blocks");
        var comps = SectorComponents.Build(gen, sector0: true, cancellation);
        run.Start($"ν = 0 sector: solving {comps.Count} blocks");
        var x = new Complex[s0.Dimension];
        double globalScale = Math.Max(gen.DecayScale(), double.Epsilon);
        int kernel = 0, krylov = 0;
        double residual2 = 0;
        var cache = new Dictionary<BlockKey, BlockKernel>();
        var mixedLimits = new Dictionary<BlockKey, (Complex[] Limit, double Residual2)>();
        var pieceComponents = new List<int>();
        var pieceKernels = new List<BlockKernel>();
        int reported = 0;
        for (int c = 0; c < comps.Count; c++)
        {
            cancellation.ThrowIfCancellationRequested();
            int percent = (int)(100L * c / comps.Count);
            if (progress is not null && percent >= reported + 10)
            {
                reported = percent;
                progress.Report($"solving the ν = 0 sector: blocks {percent} %");
            }
            var elems = comps.Elements(c);
            var m = comps.Matrix(c);
            var populations = new List<int>();
            for (int k = 0; k < elems.Length; k++)
            {
                var (r, col) = comps.Element(elems[k]);
                if (r == col) populations.Add(k);
            }
            var key = new BlockKey(m, populations.ToArray());
            if (!cache.TryGetValue(key, out var solved))
            {
                solved = SolveBlock(comps, c, m, populations, globalScale, kmsWeights, backend, ref krylov, denseLimit,
                    denseMarkovLimit, cancellation);
                cache[key] = solved;
            }
            if (solved.Dimension == 0) continue;
            kernel += solved.Dimension;
            pieceComponents.Add(c);
            pieceKernels.Add(solved);
            // the limit from the start: Σ_j r_j ⟨l_j, x0⟩ on this block (from the maximally mixed start the same for
            // identical blocks: computed once)
            Complex[] limit;
            double r2;
            if (start is null)
            {
                if (!mixedLimits.TryGetValue(key, out var cached))
                {
                    var x0 = new Complex[elems.Length];
                    foreach (int k in populations) x0[k] = 1.0 / d;
                    var l0 = solved.Limit(x0);
                    mixedLimits[key] = cached = (l0, Residual2(m, l0));
                }
                (limit, r2) = cached;
            }
            else
            {
                var x0 = new Complex[elems.Length];
                bool any = false;
                for (int k = 0; k < elems.Length; k++) any |= (x0[k] = start[elems[k]]) != Complex.Zero;
                if (!any) continue;
                limit = solved.Limit(x0);
                r2 = Residual2(m, limit);
            }
            residual2 += r2;
            for (int k = 0; k < elems.Length; k++) x[elems[k]] = limit[k];
        }
        Diagnostics.StationaryStructure? st = null;
        if (structure && kernel != 1)
        {
            run.Start($"ν = 0 sector: structure of the stationary set ({kernel} conserved quantities)");
            st = Diagnostics.StationaryStructure.Build(new ComponentPieces(comps, pieceComponents, pieceKernels), gen.Model.Basis,
                Diagnostics.StationaryStructure.HasFaithfulState(gen.Model), backend, cancellation);
        }
        return new Result(Vector<Complex>.Build.Dense(x), kernel, Math.Sqrt(residual2), comps.Count, krylov, st);
    }

    /// <summary>The blocks of a <see cref="SectorComponents"/> that carry a kernel, as <see cref="Diagnostics.IKernelPieces"/>.</summary>
    private sealed class ComponentPieces(SectorComponents comps, List<int> components, List<BlockKernel> kernels) : Diagnostics.IKernelPieces
    {
        public int Count => components.Count;

        public BlockKernel Kernel(int piece) => kernels[piece];

        public (int Row, int Column) Element(int piece, int local) => comps.Element(comps.Elements(components[piece])[local]);
    }

    private static BlockKernel SolveBlock(SectorComponents comps, int c, SparseSectorMatrix m, List<int> populations, double globalScale,
        double[] kmsWeights, ILinearAlgebraBackend backend, ref int krylov, int denseLimit, int denseMarkovLimit,
        CancellationToken cancellation)
    {
        int n = m.Dimension;
        double zero = GeneratorKernel.KernelRelativeTolerance * Math.Max(m.MaxAbs(), globalScale);
        if (n == 1)
        {
            var v = m.NonZeros == 0 ? Complex.Zero : m.Values[0];
            return v.Magnitude <= zero ? BlockKernel.Dense(1, [[1]], [[1]]) : BlockKernel.Empty(1);
        }
        if (populations.Count == n && n <= denseMarkovLimit) return BlockKernel.Markov(m.ToDenseReal(), backend);
        // A block without populations that provably decays holds no steady state.
        if (populations.Count == 0)
        {
            double bound = m.DecayLowerBound(comps.Weights(c, kmsWeights));
            if (bound > zero) return BlockKernel.Empty(n);
            if (n <= DenseFallbackLimit) return Dense(m, populations, backend, globalScale);
            throw new ResourceLimitException(
                $"the ν = 0 sector has a block of {n} coherences whose decay no bound settles; solving it densely needs {Bytes.Format(16L * n * n * 3)} (more than the dense limit of {DenseFallbackLimit} coordinates)");
        }
        if (n <= denseLimit) return Dense(m, populations, backend, globalScale);
        // GMRES on L + u tᵀ with u = s·t/|t|²: the zero eigenvalue of L moves to s, the rest stay; the solution of
        // (L + u tᵀ) x = u has tᵀx = 1 and L x = 0.
        krylov++;
        var t = new double[n];
        foreach (int k in populations) t[k] = 1;
        double sShift = Math.Max(globalScale, m.MaxAbs()) / populations.Count;
        var u = new Complex[n];
        foreach (int k in populations) u[k] = sShift;
        var diag = m.Diagonal();
        var inv = new Complex[n];
        for (int k = 0; k < n; k++)
        {
            var dk = diag[k] + (t[k] != 0 ? u[k] : 0);
            inv[k] = dk.Magnitude > 1e-300 ? 1 / dk : 1;
        }
        void Apply(ReadOnlySpan<Complex> xs, Span<Complex> ys)
        {
            m.Multiply(xs, ys);
            Complex tx = 0;
            foreach (int k in populations) tx += xs[k];
            foreach (int k in populations) ys[k] += u[k] * tx;
        }
        var solved = Krylov.Gmres(Apply, u, inv, GmresTolerance, cancellation: cancellation);
        // L + u tᵀ is singular exactly when the block has several stationary states; GMRES may still converge on the
        // consistent right-hand side u. A random right-hand side (fixed seed) is then outside the range: no convergence.
        if (solved.Converged)
        {
            var rng = new Random(n);
            var probe = new Complex[n];
            for (int k = 0; k < n; k++) probe[k] = new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
            solved = Krylov.Gmres(Apply, probe, inv, GmresTolerance, cancellation: cancellation).Converged ? solved : solved with { Converged = false };
        }
        if (!solved.Converged)
        {
            if (n <= DenseFallbackLimit) return Dense(m, populations, backend, globalScale);
            throw new ResourceLimitException(
                $"the ν = 0 sector has a block of {n} coordinates whose steady state GMRES did not find (relative residual {solved.RelativeResidual:G3}): the block may have several steady states; solving it densely needs {Bytes.Format(16L * n * n * 3)}");
        }
        return Unique(solved.X.ToArray(), populations);
    }

    // A block with one stationary state x (tᵀx = 1 on the populations): r = x, l = the populations' indicator.
    private static BlockKernel Unique(Complex[] x, List<int> populations)
    {
        var l = new Complex[x.Length];
        foreach (int k in populations) l[k] = 1;
        return BlockKernel.Dense(x.Length, [l], [x]);
    }

    /// <summary>
    /// The kernel of a dense block: from its singular values; a block with populations and one stationary state is
    /// solved with the trace condition in place of one row (LU), as <see cref="GeneratorKernel.Solve"/> does.
    /// </summary>
    internal static BlockKernel Dense(SparseSectorMatrix m, List<int> populations, ILinearAlgebraBackend backend, double globalScale) =>
        Dense(m.ToDense(), populations, backend, globalScale);

    /// <summary>As above for a dense matrix.</summary>
    internal static BlockKernel Dense(Matrix<Complex> l, List<int> populations, ILinearAlgebraBackend backend, double globalScale)
    {
        int n = l.RowCount;
        // a block without populations is judged against the generator's scale (it may be tiny on its own)
        var pair = GeneratorKernel.KernelPair(l, backend, populations.Count == 0 ? globalScale : null);
        if (populations.Count == 0 || pair.Dimension != 1) return pair;
        var trace = Vector<Complex>.Build.Dense(n);
        foreach (int k in populations) trace[k] = 1;
        var (x, _) = GeneratorKernel.Solve(l, trace, trace, populations[0], 1, backend);
        return Unique(x.ToArray(), populations);
    }

    private static double Residual2(SparseSectorMatrix m, Complex[] x)
    {
        var y = new Complex[m.Dimension];
        m.Multiply(x, y);
        double s = 0;
        foreach (var z in y) s += z.Real * z.Real + z.Imaginary * z.Imaginary;
        return s;
    }
}

/// <summary>A key under which blocks equal entry for entry (and in the extra data given) compare equal: identical copies made by spectator sites are solved once.</summary>
internal readonly struct BlockKey : IEquatable<BlockKey>
{
    private readonly SparseSectorMatrix _m;
    private readonly int[] _extra;
    private readonly int _hash;

    public BlockKey(SparseSectorMatrix m, int[] extra)
    {
        _m = m;
        _extra = extra;
        var h = new HashCode();
        h.Add(m.Dimension);
        foreach (int x in m.RowStart) h.Add(x);
        foreach (int x in m.Columns) h.Add(x);
        foreach (var v in m.Values) h.Add(v);
        foreach (int p in extra) h.Add(p);
        _hash = h.ToHashCode();
    }

    public bool Equals(BlockKey other) =>
        _hash == other._hash && _m.Dimension == other._m.Dimension && _m.RowStart.AsSpan().SequenceEqual(other._m.RowStart)
        && _m.Columns.AsSpan().SequenceEqual(other._m.Columns) && _m.Values.AsSpan().SequenceEqual(other._m.Values)
        && _extra.AsSpan().SequenceEqual(other._extra);

    public override bool Equals(object? obj) => obj is BlockKey k && Equals(k);

    public override int GetHashCode() => _hash;
}
