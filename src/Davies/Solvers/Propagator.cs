using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Operators;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>
/// The exact propagator e^{Lt} of a model. For the Davies generator (<c>secular: partial</c>) L is block-diagonal
/// over the Bohr sectors (<see cref="DaviesGenerator.Sectors"/>), and each sector is propagated on its own from the
/// eigen-decomposition of its small matrix (Padé fallback when ill-conditioned); nothing d²×d² is formed. For
/// Bloch–Redfield (<c>secular: none</c>) the dense d²×d² generator in the eigenbasis is one block. There is no
/// step-size error: ρ(t) is evaluated directly at each requested time.
/// </summary>
public sealed class Propagator
{
    /// <summary>Relative threshold for a zero eigenvalue: |λ| ≤ 1e-10 × <see cref="Scale"/>.</summary>
    internal const double ZeroRelative = 1e-10;

    internal sealed record Block(int[] Rows, int[] Columns, Lazy<SectorDynamics> LazyDynamics, BohrSector? Sector, double Frequency)
    {
        public Block(int[] rows, int[] columns, SectorDynamics dynamics, BohrSector? sector, double frequency)
            : this(rows, columns, new Lazy<SectorDynamics>(dynamics), sector, frequency) { }

        /// <summary>The block's propagator (built on first use for <see cref="PropagationMethod.Blocks"/> and for large models).</summary>
        public SectorDynamics Dynamics => LazyDynamics.Value;

        /// <summary>
        /// Builds the block's generator as an operator without decomposing it (null when the block has no source other
        /// than its dynamics): what <see cref="KrylovTrajectory"/> propagates. Every call returns a new operator, which
        /// the caller disposes.
        /// </summary>
        public Func<BlockOperator>? OperatorSource { get; init; }

        /// <summary>Whether the block's propagator has been built (its decomposition is then free to reuse).</summary>
        public bool IsDecomposed => LazyDynamics.IsValueCreated;
    }

    private Propagator(EnergyBasisModel model, ILinearAlgebraBackend backend, DaviesGenerator? generator, Block[] blocks,
        PropagationMethod method, double? scale = null)
    {
        Model = model;
        Backend = backend;
        Generator = generator;
        Blocks = blocks;
        Method = method;
        if (scale is null)
        {
            double max = 0;
            foreach (var b in blocks)
                foreach (var l in b.Dynamics.Eigenvalues) max = Math.Max(max, l.Magnitude);
            scale = max;
        }
        Scale = scale > 0 ? scale.Value : 1.0;
    }

    /// <summary>The decomposed model.</summary>
    public EnergyBasisModel Model { get; }

    /// <summary>The backend of the blocks' decompositions and of the trace distances.</summary>
    internal ILinearAlgebraBackend Backend { get; }

    /// <summary>The Davies generator (null for Bloch–Redfield).</summary>
    public DaviesGenerator? Generator { get; }

    internal Block[] Blocks { get; }

    /// <summary>How the blocks were formed (the CLI prints its <see cref="SolverMethodNames.ToWireName(PropagationMethod)"/>).</summary>
    public PropagationMethod Method { get; }

    /// <summary>
    /// Number of independently propagated blocks: the Bohr sectors, each split further into the connected components
    /// of its matrix's sparsity graph (1 for Redfield).
    /// </summary>
    internal int BlockCount => Blocks.Length;

    /// <summary>Number of blocks propagated by the Padé exponential because their eigenvectors are ill-conditioned.</summary>
    internal int PadeBlockCount => Blocks.Count(b => b.Dynamics.UsesPade);

    /// <summary>
    /// The spectral radius of the generator, max |λ| (1 if L = 0): the scale of the zero test. For <see cref="PropagationMethod.Blocks"/>,
    /// whose blocks are decomposed only when the initial state reaches them, its upper bound max_k Σ_l |L_kl|.
    /// </summary>
    internal double Scale { get; }

    /// <summary>|λ| at or below which an eigenvalue counts as zero.</summary>
    internal double ZeroThreshold => ZeroRelative * Scale;

    /// <summary>
    /// Builds the propagator of a model: builds its <see cref="EnergyBasisModel"/> with
    /// <see cref="SolverOptions.Backend"/>, or with <see cref="LinearAlgebraProvider.Current"/> when that is null.
    /// </summary>
    public static Propagator Create(OpenSystemModel model, EvolutionOptions? options = null)
    {
        options ??= new EvolutionOptions();
        var backend = options.Backend ?? LinearAlgebraProvider.Current;
        return Create(EnergyBasisModel.Build(model, backend, options.Progress, options.Cancellation), options with { Backend = backend });
    }

    /// <summary>Builds the propagator of a decomposed model (with its backend unless the options name another).</summary>
    public static Propagator Create(EnergyBasisModel dm, EvolutionOptions? options = null)
    {
        options ??= new EvolutionOptions();
        var backend = options.BackendFor(dm);
        var run = options.Stages;
        int d = dm.Dimension;
        if (DenseGenerator.Applies(dm.OpenSystem))
        {
            run.Start($"dense {DenseGenerator.Name(dm.OpenSystem)} generator ({d * d}×{d * d})");
            var l = DenseGenerator.Of(dm);
            var rows = new int[d * d];
            var cols = new int[d * d];
            for (int k = 0; k < d * d; k++)
            {
                rows[k] = k % d;
                cols[k] = k / d;
            }
            var dyn = SectorDynamics.Create(l, options.ConditionLimit, options.ForcePade, backend);
            return new Propagator(dm, backend, null, [new Block(rows, cols, dyn, null, double.NaN)],
                DenseGenerator.IsLocal(dm.OpenSystem) ? PropagationMethod.LocalDense : PropagationMethod.RedfieldDense);
        }
        run.Start("Bohr sectors");
        var gen = new DaviesGenerator(dm);
        var blocks = new List<Block>();
        long largest = gen.Sectors.Max(x => (long)x.Dimension);
        if (!dm.Basis.IsNonDegenerate && largest > Spectrum.StructuredSectorMinimum)
            return Structured(dm, gen, options, backend, run);
        double squares = gen.Sectors.Sum(x => (double)x.Dimension * x.Dimension);
        if (squares > options.EagerSectorLimit) return LazySectors(dm, gen, options, backend);
        MemoryBudget.Require(16.0 * largest * largest * 4,
            $"the time evolution of the largest Bohr sector ({largest} coherences) as a dense matrix and its exponential");
        run.Start("propagators 0 %");
        var done = run.Counter("propagators", gen.Sectors.Count);
        foreach (var s in gen.Sectors)
        {
            run.ThrowIfCancelled();
            var a = gen.SectorMatrix(s);
            foreach (var comp in BlockSplitting.Components(a))
                blocks.Add(new Block(comp.Select(k => s.Rows[k]).ToArray(), comp.Select(k => s.Columns[k]).ToArray(),
                    SectorDynamics.Create(BlockSplitting.Sub(a, comp), options.ConditionLimit, options.ForcePade, backend), s, s.Frequency));
            done.Step();
        }
        return new Propagator(dm, backend, gen, blocks.ToArray(), PropagationMethod.Sectors);
    }

    /// <summary>
    /// Σ_s n_s² over the Bohr sectors above which the sectors are not decomposed when the propagator is built: each
    /// becomes one block (not split into components) decomposed on first use, or propagated by
    /// <see cref="KrylovTrajectory"/> without a decomposition (<see cref="Evolution"/>). Below it (all models up to
    /// d ≈ 180; the σz chain to n = 6), every sector is split and decomposed at once.
    /// </summary>
    internal const double DefaultEagerSectorLimit = 1 << 16;

    // Large non-degenerate models: one block per Bohr sector, decomposed on first use; the scale of the zero test is a
    // bound of the spectral radius from the sector frequencies and the level decay rates and Lamb shifts.
    private static Propagator LazySectors(EnergyBasisModel dm, DaviesGenerator gen, EvolutionOptions options,
        ILinearAlgebraBackend backend)
    {
        var blocks = new Block[gen.Sectors.Count];
        for (int i = 0; i < blocks.Length; i++)
        {
            var s = gen.Sectors[i];
            blocks[i] = new Block(s.Rows, s.Columns,
                new Lazy<SectorDynamics>(() => SectorDynamics.Create(gen.SectorMatrix(s), options.ConditionLimit, options.ForcePade, backend)),
                s, s.Frequency) { OperatorSource = IsPopulations(s, dm.Dimension) ? () => new BlockOperator(gen.SharedPauliMatrix()) : () => SectorOperator(gen, s) };
        }
        double frequency = gen.Sectors.Max(x => Math.Abs(x.Frequency));
        return new Propagator(dm, backend, gen, blocks, PropagationMethod.Sectors, frequency + 2 * gen.DecayScale() + 2 * gen.LambScale());
    }

    // The sector's matrix as an operator (its array goes back to the scratch pool at once).
    private static BlockOperator SectorOperator(DaviesGenerator gen, BohrSector s)
    {
        var matrix = gen.SectorMatrix(s, scratch: true);
        var op = new BlockOperator(matrix);
        ScratchPool.Return(DenseKernels.Data(matrix));
        return op;
    }

    // The ν = 0 sector of a non-degenerate H_S holds the d populations in order (coordinate k = ρ_kk): its matrix is the
    // Pauli matrix W, which the model already builds (faster, from contiguous coupling columns) and shares.
    private static bool IsPopulations(BohrSector s, int d)
    {
        if (!s.IsPopulationSector || s.Dimension != d) return false;
        for (int k = 0; k < d; k++)
            if (s.Rows[k] != k || s.Columns[k] != k) return false;
        return true;
    }

    /// <summary>Largest invariant block of a degenerate model propagated densely (its eigen-decomposition or Padé exponential).</summary>
    internal const int StructuredBlockLimit = 4096;

    // Large degenerate levels: block by block of the invariant components of the Bohr sectors (SectorComponents), each
    // block's small dense matrix exponentiated on its own; identical blocks (spectator copies) share one decomposition.
    private static Propagator Structured(EnergyBasisModel dm, DaviesGenerator gen, EvolutionOptions options,
        ILinearAlgebraBackend backend, Stages run)
    {
        run.Start("invariant blocks of the Bohr sectors");
        var comps = SectorComponents.Build(gen, sector0: false, run.Cancellation);
        int d = dm.Dimension, largestBlock = 0;
        for (int c = 0; c < comps.Count; c++) largestBlock = Math.Max(largestBlock, comps.Size(c));
        if (largestBlock > StructuredBlockLimit)
            throw new ResourceLimitException(
                $"the time evolution has an invariant block of {largestBlock} coherences, more than the {StructuredBlockLimit} Davies propagates densely ({Bytes.Format(16.0 * largestBlock * largestBlock * 4)}); the steady state and the spectrum of this model are available");
        MemoryBudget.Require(16.0 * largestBlock * largestBlock * 4 + 48.0 * d * d,
            $"the time evolution block by block (largest block {largestBlock} coherences, d² = {(long)d * d})");
        var sectorOf = gen.SectorOfElementTable;
        var weights = Spectrum.KmsWeights(dm);
        var blocks = new Block[comps.Count];
        var cache = new System.Collections.Concurrent.ConcurrentDictionary<BlockKey, Lazy<SectorDynamics>>();
        var rowSums = new double[comps.Count];
        // Each block's propagator is built on first use (only blocks the initial state reaches are ever decomposed);
        // identical blocks share one. The scale of the zero test is the ∞-norm bound of the spectral radius.
        run.Start($"block norms ({comps.Count} blocks)");
        Parallel.For(0, comps.Count, DenseKernels.Threads(run.Cancellation), c =>
        {
            var elems = comps.Elements(c);
            var m = comps.Matrix(c);
            for (int r = 0; r < m.Dimension; r++)
            {
                double sum = 0;
                for (int k = m.RowStart[r]; k < m.RowStart[r + 1]; k++) sum += m.Values[k].Magnitude;
                rowSums[c] = Math.Max(rowSums[c], sum);
            }
            var t = comps.Weights(c, weights);
            var dyn = cache.GetOrAdd(new BlockKey(m, []), _ => new Lazy<SectorDynamics>(() =>
                m.Dimension > 1 && ComponentSpectrum.KmsNormal(m, t, out double shift) is { } h
                    ? SectorDynamics.FromKmsNormal(m.ToDense(), t, h.ToDense(), shift, options.ConditionLimit, options.ForcePade, backend)
                    : SectorDynamics.Create(m.ToDense(), options.ConditionLimit, options.ForcePade, backend)));
            var sector = gen.Sectors[sectorOf[elems[0]]];
            var rows = new int[elems.Length];
            var cols = new int[elems.Length];
            for (int k = 0; k < elems.Length; k++)
            {
                rows[k] = elems[k] % d;
                cols[k] = elems[k] / d;
            }
            blocks[c] = new Block(rows, cols, dyn, sector, sector.Frequency);
        });
        return new Propagator(dm, backend, gen, blocks, PropagationMethod.Blocks, rowSums.DefaultIfEmpty(0).Max());
    }

    /// <summary>ρ(t) = e^{Lt}ρ₀ in the site basis, for ρ₀ in the site basis.</summary>
    public Matrix<Complex> Evolve(Matrix<Complex> rho0, double t)
    {
        InitialStates.CheckTime(t);
        var s = Prepare(Model.Basis.ToEigenbasis(rho0));
        return Model.Basis.FromEigenbasis(StateEigenbasis(s, t));
    }

    /// <summary>The initial state on the blocks: coordinates x₀, which blocks it leaves empty, and the mode
    /// coefficients c = V⁻¹x₀ (null on Padé blocks and on empty blocks), each computed on first use, so that a block is
    /// decomposed only when something reads its modes.</summary>
    internal sealed class Prepared(Propagator propagator, Vector<Complex>[] x0)
    {
        private readonly Lazy<Vector<Complex>?>[] _coefficients = Enumerable.Range(0, x0.Length)
            .Select(b => new Lazy<Vector<Complex>?>(() => IsZero(x0[b]) || propagator.Blocks[b].Dynamics.UsesPade
                ? null : propagator.Blocks[b].Dynamics.Coefficients(x0[b]))).ToArray();

        public Vector<Complex>[] X0 { get; } = x0;

        public bool[] Empty { get; } = x0.Select(IsZero).ToArray();

        /// <summary>c = V⁻¹x₀ on block <paramref name="b"/> (decomposes the block on first use).</summary>
        public Vector<Complex>? Coefficients(int b) => _coefficients[b].Value;
    }

    internal Prepared Prepare(Matrix<Complex> rho0Eigen, CancellationToken cancellation = default) =>
        Prepare((m, n) => rho0Eigen[m, n], cancellation);

    /// <summary>The initial state on the blocks from its eigenbasis entries (m, n) → ⟨m|ρ₀|n⟩.</summary>
    internal Prepared Prepare(Func<int, int, Complex> rho0Eigen, CancellationToken cancellation = default)
    {
        var x0 = new Vector<Complex>[Blocks.Length];
        for (int b = 0; b < Blocks.Length; b++)
        {
            cancellation.ThrowIfCancellationRequested();
            var blk = Blocks[b];
            var x = Vector<Complex>.Build.Dense(blk.Rows.Length);
            for (int k = 0; k < x.Count; k++) x[k] = rho0Eigen(blk.Rows[k], blk.Columns[k]);
            x0[b] = x;
        }
        return new Prepared(this, x0);
    }

    internal Matrix<Complex> StateEigenbasis(Prepared s, double t)
    {
        int d = Model.Dimension;
        var rho = new Complex[d * d];
        StateInto(s, t, rho, null);
        return Matrix<Complex>.Build.Dense(d, d, rho);
    }

    /// <summary>ρ(t) and ρ̇(t) = L(ρ(t)) in the eigenbasis, from one pass over the blocks.</summary>
    internal (Matrix<Complex> Rho, Matrix<Complex> RhoDot) StateAndDerivativeEigenbasis(Prepared s, double t)
    {
        int d = Model.Dimension;
        var rho = new Complex[d * d];
        var dot = new Complex[d * d];
        StateInto(s, t, rho, dot);
        return (Matrix<Complex>.Build.Dense(d, d, rho), Matrix<Complex>.Build.Dense(d, d, dot));
    }

    // Writes x(t) = V (e^{λt} ∘ c) of every reached block into rho (column-major d×d, eigenbasis), and ẋ = V (λ e^{λt} ∘ c)
    // into dot when given; Padé blocks evolve x₀ by their exponential and ẋ = A x. Plain loops over the blocks' arrays:
    // most sectors are 1×1, where a matrix-library call per block would cost more than the arithmetic.
    private void StateInto(Prepared s, double t, Complex[] rho, Complex[]? dot)
    {
        int d = Model.Dimension;
        for (int b = 0; b < Blocks.Length; b++)
        {
            if (s.Empty[b]) continue;
            var blk = Blocks[b];
            var dyn = blk.Dynamics;
            int n = blk.Rows.Length;
            if (s.Coefficients(b) is not { } coefficients || dyn.Vectors is not { } vectors)
            {
                var x = dyn.Evolve(s.X0[b], null, t);
                var y = dot is null ? null : dyn.Generator * x;
                for (int k = 0; k < n; k++)
                {
                    int at = blk.Rows[k] + blk.Columns[k] * d;
                    rho[at] = x[k];
                    if (y is not null) dot![at] = y[k];
                }
                continue;
            }
            var lambda = dyn.Eigenvalues;
            var c = coefficients.AsArray() ?? coefficients.ToArray();
            if (n == 1)
            {
                var v0 = vectors.At(0, 0) * c[0] * Complex.Exp(lambda[0] * t);
                int at = blk.Rows[0] + blk.Columns[0] * d;
                rho[at] = v0;
                if (dot is not null) dot[at] = lambda[0] * v0;
                continue;
            }
            var v = vectors.AsColumnMajorArray() ?? vectors.ToColumnMajorArray();
            var e = new Complex[n];
            for (int j = 0; j < n; j++) e[j] = Complex.Exp(lambda[j] * t) * c[j];
            for (int k = 0; k < n; k++)
            {
                Complex x = 0, y = 0;
                for (int j = 0; j < n; j++)
                {
                    var term = v[k + j * n] * e[j];
                    x += term;
                    if (dot is not null) y += lambda[j] * term;
                }
                int at = blk.Rows[k] + blk.Columns[k] * d;
                rho[at] = x;
                if (dot is not null) dot[at] = y;
            }
        }
    }

    internal Matrix<Complex> LimitEigenbasis(Prepared s) =>
        Assemble(s, b => Blocks[b].Dynamics.Limit(s.X0[b], s.Coefficients(b), ZeroThreshold));

    /// <summary>ρ(t) − ρ∞ in the eigenbasis, from the decaying modes alone where the blocks allow (see <see cref="SectorDynamics.Deviation"/>).</summary>
    internal Matrix<Complex> DeviationEigenbasis(Prepared s, double t) =>
        Assemble(s, b => Blocks[b].Dynamics.Deviation(s.X0[b], s.Coefficients(b), t, ZeroThreshold));

    // The eigenbasis matrix whose entries on each block's elements are blockValues(block index); blocks whose initial
    // coordinates vanish stay zero.
    private Matrix<Complex> Assemble(Prepared s, Func<int, Vector<Complex>> blockValues)
    {
        int d = Model.Dimension;
        var rho = Matrix<Complex>.Build.Dense(d, d);
        for (int b = 0; b < Blocks.Length; b++)
        {
            if (IsZero(s.X0[b])) continue;
            var blk = Blocks[b];
            var x = blockValues(b);
            for (int k = 0; k < x.Count; k++) rho[blk.Rows[k], blk.Columns[k]] = x[k];
        }
        return rho;
    }

    private static bool IsZero(Vector<Complex> x)
    {
        for (int k = 0; k < x.Count; k++) if (x[k] != Complex.Zero) return false;
        return true;
    }

    /// <summary>
    /// The convergence time: the smallest t* such that ½‖ρ(t) − ρ∞‖₁ &lt; ε for all t ≥ t* (ρ∞ the t → ∞ limit from
    /// ρ₀, the steady state when it is unique). Method: ρ(t) − ρ∞ = Σ_j c_j v_j e^{λ_j t} over the non-zero modes of
    /// all blocks, so ½‖ρ(t) − ρ∞‖₁ ≤ ½√d Σ_j |c_j| e^{−g t} with g the slowest decay rate among modes present in ρ₀;
    /// this bound is below ε from t_max = ln(½√d Σ|c_j| / ε)/g on. Below t_max the exact distance is sampled on a
    /// geometric grid (ratio 2^{−1/8}, refined so that no step exceeds a quarter period of the fastest oscillation
    /// present, at most 20 000 points) from t_max downwards to the first sample with distance ≥ ε, and the crossing
    /// between that sample and the next one is located by bisection to a relative 1e-10. Returns 0 when the
    /// distance is below ε at every sample, +∞ when an undamped oscillating mode (Re λ = 0, λ ≠ 0) is present.
    /// On Padé blocks the amplitudes c_j come from the ill-conditioned eigenvectors; t_max is then enlarged ×2.
    /// </summary>
    internal double ConvergenceTime(Prepared s, double eps)
    {
        if (!(eps > 0 && eps < 1)) throw new ModelException($"convergence threshold: ε must be in (0, 1), got {eps}");
        int d = Model.Dimension;
        double zero = ZeroThreshold;
        double amp = 0, slowest = double.PositiveInfinity, fastest = 0;
        bool pade = false;
        for (int b = 0; b < Blocks.Length; b++)
        {
            var x0 = s.X0[b];
            if (IsZero(x0)) continue;
            var dyn = Blocks[b].Dynamics;
            Vector<Complex> c;
            Matrix<Complex> v;
            if (dyn.UsesPade)
            {
                pade = true;
                var evd = dyn.Generator.Evd(Symmetricity.Asymmetric);
                v = evd.EigenVectors;
                for (int j = 0; j < v.ColumnCount; j++) v.SetColumn(j, v.Column(j) / Math.Max(v.Column(j).L2Norm(), 1e-300));
                c = v.Svd(true).Solve(x0);
                if (c.Any(z => !double.IsFinite(z.Real) || !double.IsFinite(z.Imaginary)))
                    c = Vector<Complex>.Build.Dense(x0.Count, 1e8 * x0.L2Norm());
            }
            else
            {
                c = s.Coefficients(b)!;
                v = dyn.Vectors!;
            }
            for (int j = 0; j < c.Count; j++)
            {
                var l = dyn.Eigenvalues[j];
                if (l.Magnitude <= zero) continue;
                double a = c[j].Magnitude * v.Column(j).L2Norm();
                if (a <= 1e-15) continue;
                if (-l.Real <= zero) return double.PositiveInfinity; // undamped oscillation
                amp += a;
                slowest = Math.Min(slowest, -l.Real);
                fastest = Math.Max(fastest, Math.Abs(l.Imaginary));
            }
        }
        if (amp == 0) return 0;
        var zeroMatrix = Matrix<Complex>.Build.Dense(d, d);
        double Distance(double t) => Thermal.TraceDistance(DeviationEigenbasis(s, t), zeroMatrix, Backend);

        double bound = 0.5 * Math.Sqrt(d) * amp;
        double tMax = Math.Max(Math.Log(bound / eps), 0) / slowest;
        if (pade) tMax *= 2;
        if (tMax == 0) return Distance(0) < eps ? 0 : throw new InvalidOperationException("convergence bound inconsistent (internal error)");

        // Scan downwards from tMax.
        double ratio = Math.Pow(2, -1.0 / 8);
        double maxStep = fastest > 0 ? Math.PI / (2 * fastest) : double.PositiveInfinity; // quarter period
        double floor = tMax * 1e-9;
        int budget = 20000;
        double above = tMax, t = tMax; // 'above' = last sample with distance < ε
        while (true)
        {
            double next = t * ratio;
            if (t - next > maxStep) next = t - maxStep;
            if (--budget <= 0) next = Math.Min(next, t * 0.5);
            if (next < floor) next = 0;
            t = next;
            if (Distance(t) >= eps) break;
            above = t;
            if (t == 0) return 0;
        }
        double lo = t, hi = above;
        while (hi - lo > 1e-10 * hi)
        {
            double mid = 0.5 * (lo + hi);
            if (Distance(mid) >= eps) lo = mid;
            else hi = mid;
        }
        return hi;
    }
}
