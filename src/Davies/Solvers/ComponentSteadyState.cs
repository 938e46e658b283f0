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
/// the block's stationary state is unique. Identical blocks (spectator copies) are solved once.
/// The state returned is the t → ∞ limit from the maximally mixed state, as for the dense path.
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

    public readonly record struct Result(Vector<Complex> X, int KernelDimension, double Residual, int Components, int Krylov);

    /// <param name="gen">The generator.</param>
    /// <param name="backend">Linear-algebra backend of the dense blocks.</param>
    /// <param name="kmsWeights">Per eigenvector, positive weights for the decay bound (the Gibbs weights make it tight).</param>
    /// <param name="progress">Stage reports.</param>
    /// <param name="cancellation">Checked between blocks.</param>
    /// <param name="denseLimit">Blocks up to this size are solved densely (tests lower it to exercise GMRES).</param>
    /// <param name="denseMarkovLimit">Population blocks up to this size are dense Markov generators.</param>
    public static Result Solve(DaviesGenerator gen, ILinearAlgebraBackend backend, double[] kmsWeights,
        IProgress<string>? progress = null, CancellationToken cancellation = default, int denseLimit = DenseLimit,
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
        var cache = new Dictionary<BlockKey, (int Kernel, Complex[] Limit, double Residual2)>();
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
                solved = SolveBlock(comps, c, m, populations, d, globalScale, kmsWeights, backend, ref krylov, denseLimit,
                    denseMarkovLimit, cancellation);
                cache[key] = solved;
            }
            kernel += solved.Kernel;
            residual2 += solved.Residual2;
            for (int k = 0; k < elems.Length; k++) x[elems[k]] = solved.Limit[k];
        }
        return new Result(Vector<Complex>.Build.Dense(x), kernel, Math.Sqrt(residual2), comps.Count, krylov);
    }

    private static (int Kernel, Complex[] Limit, double Residual2) SolveBlock(SectorComponents comps, int c, SparseSectorMatrix m,
        List<int> populations, int d, double globalScale, double[] kmsWeights, ILinearAlgebraBackend backend, ref int krylov,
        int denseLimit, int denseMarkovLimit, CancellationToken cancellation)
    {
        int n = m.Dimension;
        var limit = new Complex[n];
        double mass = populations.Count / (double)d; // what the maximally mixed state puts on the block
        double zero = GeneratorKernel.KernelRelativeTolerance * Math.Max(m.MaxAbs(), globalScale);
        if (n == 1)
        {
            var v = m.NonZeros == 0 ? Complex.Zero : m.Values[0];
            bool isZero = v.Magnitude <= zero;
            if (isZero && populations.Count == 1) limit[0] = mass;
            return (isZero ? 1 : 0, limit, 0);
        }
        if (populations.Count == n && n <= denseMarkovLimit)
        {
            var w = m.ToDenseReal();
            var (p, closed) = GeneratorKernel.MarkovLimit(w, Vector<double>.Build.Dense(n, 1.0 / d), backend);
            for (int k = 0; k < n; k++) limit[k] = p[k];
            return (closed, limit, Residual2(m, limit));
        }
        // A block without populations that provably decays holds no steady state (and the start puts nothing on it).
        if (populations.Count == 0)
        {
            double bound = m.DecayLowerBound(comps.Weights(c, kmsWeights));
            if (bound > zero) return (0, limit, 0);
            if (n <= DenseFallbackLimit) return Dense(m, populations, mass, backend, globalScale);
            throw new ResourceLimitException(
                $"the ν = 0 sector has a block of {n} coherences whose decay no bound settles; solving it densely needs {Bytes.Format(16L * n * n * 3)} (more than the dense limit of {DenseFallbackLimit} coordinates)");
        }
        if (n <= denseLimit) return Dense(m, populations, mass, backend, globalScale);
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
        if (!solved.Converged)
        {
            if (n <= DenseFallbackLimit) return Dense(m, populations, mass, backend, globalScale);
            throw new ResourceLimitException(
                $"the ν = 0 sector has a block of {n} coordinates whose steady state GMRES did not find (relative residual {solved.RelativeResidual:G3}): the block may have several steady states; solving it densely needs {Bytes.Format(16L * n * n * 3)}");
        }
        for (int k = 0; k < n; k++) limit[k] = solved.X[k] * mass;
        return (1, limit, Residual2(m, limit));
    }

    private static (int Kernel, Complex[] Limit, double Residual2) Dense(SparseSectorMatrix m, List<int> populations, double mass,
        ILinearAlgebraBackend backend, double globalScale)
    {
        int n = m.Dimension;
        var l = m.ToDense();
        var limit = new Complex[n];
        if (populations.Count == 0)
        {
            var svd = backend.Svd(l);
            double max = Math.Max(svd.S.DefaultIfEmpty(0).Max(), globalScale);
            int k = svd.S.Count(s => s <= GeneratorKernel.KernelRelativeTolerance * max);
            return (k, limit, 0);
        }
        var trace = Vector<Complex>.Build.Dense(n);
        var start = Vector<Complex>.Build.Dense(n);
        foreach (int k in populations)
        {
            trace[k] = 1;
            start[k] = mass / populations.Count;
        }
        var (x, kernel) = GeneratorKernel.Solve(l, trace, start, populations[0], null, backend);
        if (kernel <= 1) x *= mass / (trace.DotProduct(x)).Real;
        for (int k = 0; k < n; k++) limit[k] = x[k];
        return (kernel, limit, Residual2(m, limit));
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
