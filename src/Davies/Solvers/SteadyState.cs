using Davies.Diagnostics;
using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Operators;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>
/// Steady states. For the Davies generator the state is found in the ν = 0 Bohr sector only (the Pauli rate matrix
/// for a non-degenerate H_S), never from the full d²×d² Liouvillian; for Bloch–Redfield (secular: none) from the
/// dense generator. When the steady state is not unique, the t → ∞ limit from the maximally mixed state, or from
/// <see cref="SteadyStateOptions.InitialState"/> when given (the projection onto the stationary set that keeps the
/// initial values of the conserved quantities, docs/conserved.md).
/// </summary>
public static class SteadyState
{
    /// <summary>
    /// Solves for the steady state of a model: builds its <see cref="EnergyBasisModel"/> with
    /// <see cref="SolverOptions.Backend"/>, or with <see cref="LinearAlgebraProvider.Current"/> when that is null.
    /// </summary>
    public static SteadyStateResult Solve(OpenSystemModel model, SteadyStateOptions? options = null)
    {
        options ??= new SteadyStateOptions();
        var backend = options.Backend ?? LinearAlgebraProvider.Current;
        var decomposed = EnergyBasisModel.Build(model, backend, options.Progress, options.Cancellation);
        return Solve(decomposed, options with { Backend = backend });
    }

    /// <summary>Solves for the steady state of an already decomposed model (backend null: the model's).</summary>
    public static SteadyStateResult Solve(EnergyBasisModel decomposed, ILinearAlgebraBackend? backend = null) =>
        Solve(decomposed, new SteadyStateOptions(backend));

    /// <summary>Solves for the steady state of an already decomposed model, with progress and cancellation.</summary>
    public static SteadyStateResult Solve(EnergyBasisModel decomposed, SteadyStateOptions options)
    {
        var backend = options.BackendFor(decomposed);
        var run = options.Stages;
        Matrix<Complex>? rho0Eigen = null;
        if (options.InitialState is { } rho0)
        {
            InitialStates.Validate(rho0, decomposed.Dimension);
            rho0Eigen = decomposed.Basis.ToEigenbasis(rho0, backend);
        }
        return NumericalGuard.Run(decomposed.OpenSystem, "steady state", () => !DenseGenerator.Applies(decomposed.OpenSystem)
            ? SolveDavies(decomposed, backend, run, rho0Eigen)
            : SolveDense(decomposed, backend, run, rho0Eigen), r => NumericalGuard.AllFinite(r.ShiftedEnergies) && double.IsFinite(r.Residual));
    }

    private static SteadyStateResult SolveDavies(EnergyBasisModel dm, ILinearAlgebraBackend backend, Stages run, Matrix<Complex>? rho0Eigen)
    {
        run.Start("building the Davies generator blocks");
        var gen = new DaviesGenerator(dm);
        var basis = dm.Basis;
        var s0 = gen.PopulationSpace;
        int d = basis.Dimension;
        Vector<Complex> x;
        int kernel;
        SteadyStateMethod method;
        double residual;
        StationaryStructure? structure;
        bool faithful = StationaryStructure.HasFaithfulState(dm);
        run.Start($"solving the ν = 0 sector ({s0.Dimension} coordinates)");
        if (basis.IsNonDegenerate)
        {
            // Classical Pauli rate matrix on the populations; exact kernel dimension from its closed classes.
            var w = gen.SharedPauliMatrix();
            // one temperature: the Gibbs weights are tried first on each closed class (kept when their residual is rounding)
            var markov = dm.OpenSystem.IsSingleTemperature && dm.OpenSystem.Baths.Count > 0
                ? BlockKernel.Markov(w, backend, basis.Energies, dm.OpenSystem.Baths[0].Beta)
                : BlockKernel.Markov(w, backend);
            var p0 = new double[d];
            for (int m = 0; m < d; m++) p0[m] = rho0Eigen is null ? 1.0 / d : rho0Eigen[m, m].Real;
            var p = Vector<double>.Build.Dense(markov.MarkovLimit(p0));
            kernel = markov.Dimension;
            residual = GeneratorKernel.Apply(w, p).L2Norm();
            x = Vector<Complex>.Build.Dense(d, i => p[i]);
            method = SteadyStateMethod.Pauli;
            structure = kernel == 1
                ? StationaryStructure.Unique(basis, Recurrent(d, markov.Classes![0]))
                : StationaryStructure.Build(new MarkovPieces(markov), basis, faithful, backend, run.Cancellation);
        }
        else if (s0.Dimension > DaviesGenerator.StructuredPopulationSectorMinimum)
        {
            // Large degenerate levels: block by block of the sector's invariant components, never n₀×n₀.
            var start = rho0Eigen is null ? null : s0.FromEigenbasis(rho0Eigen);
            var solved = ComponentSteadyState.Solve(gen, backend, Spectrum.KmsWeights(dm), start, structure: true, run.Progress, run.Cancellation);
            (x, kernel, residual) = (solved.X, solved.KernelDimension, solved.Residual);
            method = SteadyStateMethod.PopulationSectorBlocks;
            structure = solved.Structure ?? StationaryStructure.Unique(basis, faithful ? Recurrent(d, null) : RecurrentOf(s0, x));
        }
        else
        {
            MemoryBudget.Require(16.0 * s0.Dimension * s0.Dimension * 4, $"the dense ν = 0 sector ({s0.Dimension} coordinates)");
            var l0 = gen.PopulationSectorMatrix();
            var start = s0.FromEigenbasis(rho0Eigen ?? Matrix<Complex>.Build.DenseIdentity(d) / d);
            (x, kernel) = GeneratorKernel.Solve(l0, s0.TraceFunctional(), start, 0, null, backend);
            residual = (l0 * x).L2Norm();
            method = SteadyStateMethod.PopulationSector;
            structure = kernel == 1
                ? StationaryStructure.Unique(basis, faithful ? Recurrent(d, null) : RecurrentOf(s0, x))
                : StationaryStructure.Build(DensePieces.Of(l0, s0, backend, gen.DecayScale()), basis, faithful, backend, run.Cancellation);
        }
        run.Start("heat currents");
        var xs = s0.NormalizeState(x);
        var rho = s0.ToEigenbasis(xs);
        var currents = new Dictionary<string, double>();
        var j = gen.HeatCurrents(xs);
        for (int b = 0; b < dm.OpenSystem.Baths.Count; b++) currents[dm.OpenSystem.Baths[b].Name] = j[b];
        run.Start("shifted energies (H_S + H_LS)");
        return new SteadyStateResult(dm, rho, kernel == 1, kernel, gen.ShiftedEnergies(), currents, residual, method, backend)
        {
            Structure = structure,
            ShiftedEnergiesByLevel = gen.ShiftedEnergiesByLevel(),
            FromInitialState = rho0Eigen is not null,
        };
    }

    // Every eigenvector (null) or those listed.
    private static bool[] Recurrent(int d, int[]? members)
    {
        var r = new bool[d];
        if (members is null) Array.Fill(r, true);
        else foreach (int m in members) r[m] = true;
        return r;
    }

    // The eigenvectors a (unique) stationary state puts weight on: above 1e-10 of its largest population.
    private static bool[] RecurrentOf(PopulationSectorSpace s0, Vector<Complex> x)
    {
        var basis = s0.Basis;
        int d = basis.Dimension;
        var p = new double[d];
        for (int I = 0; I < basis.Levels.Count; I++)
            for (int i = 0; i < basis.Levels[I].Count; i++) p[basis.Levels[I].Start + i] = x[s0.Index(I, i, i)].Magnitude;
        double max = p.Max();
        return p.Select(v => v > StationaryStructure.RecurrentTolerance * max).ToArray();
    }

    /// <summary>The population vector of a non-degenerate H_S as one Markov piece.</summary>
    private sealed class MarkovPieces(BlockKernel kernel) : IKernelPieces
    {
        public int Count => 1;

        public BlockKernel Kernel(int piece) => kernel;

        public (int Row, int Column) Element(int piece, int local) => (local, local);
    }

    /// <summary>The dense ν = 0 sector split into the components of its sparsity graph, each with its kernel.</summary>
    private sealed class DensePieces : IKernelPieces
    {
        private readonly List<(int Row, int Column)[]> _elements = [];
        private readonly List<BlockKernel> _kernels = [];

        public int Count => _kernels.Count;

        public BlockKernel Kernel(int piece) => _kernels[piece];

        public (int Row, int Column) Element(int piece, int local) => _elements[piece][local];

        public static DensePieces Of(Matrix<Complex> l0, PopulationSectorSpace s0, ILinearAlgebraBackend backend, double scale)
        {
            var pieces = new DensePieces();
            var basis = s0.Basis;
            var coherence = new (int, int)[s0.Dimension];
            for (int I = 0; I < basis.Levels.Count; I++)
            {
                var l = basis.Levels[I];
                for (int j = 0; j < l.Count; j++)
                    for (int i = 0; i < l.Count; i++) coherence[s0.Index(I, i, j)] = (l.Start + i, l.Start + j);
            }
            foreach (var comp in BlockSplitting.Components(l0))
            {
                var sub = BlockSplitting.Sub(l0, comp);
                var elements = comp.Select(k => coherence[k]).ToArray();
                var populations = Enumerable.Range(0, comp.Length).Where(k => elements[k].Item1 == elements[k].Item2).ToList();
                var kernel = populations.Count == comp.Length
                    ? BlockKernel.Markov(sub.Map(z => z.Real), backend)
                    : ComponentSteadyState.Dense(sub, populations, backend, scale);
                if (kernel.Dimension == 0) continue;
                pieces._elements.Add(elements);
                pieces._kernels.Add(kernel);
            }
            return pieces;
        }
    }

    // Bloch–Redfield or the local master equation: the dense generator in the eigenbasis.
    private static SteadyStateResult SolveDense(EnergyBasisModel dm, ILinearAlgebraBackend backend, Stages run, Matrix<Complex>? rho0Eigen)
    {
        int d = dm.Dimension;
        bool local = DenseGenerator.IsLocal(dm.OpenSystem);
        run.Start($"solving the dense {DenseGenerator.Name(dm.OpenSystem)} generator ({d * d}×{d * d})");
        var l = DenseGenerator.Of(dm);
        var trace = Vector<Complex>.Build.Dense(d * d);
        for (int i = 0; i < d; i++) trace[i + i * d] = 1;
        var start = Vectorization.Vec(rho0Eigen ?? Matrix<Complex>.Build.DenseIdentity(d) / d);
        var (x, kernel, pair) = GeneratorKernel.SolveWithKernel(l, trace, start, 0, null, backend);
        double residual = (l * x).L2Norm();
        var rho = Normalize(Vectorization.Unvec(x, d));
        // heat currents: J_b = Tr[H_S D_b(ρ)] with D_b the dissipator of bath b alone
        run.Start("heat currents");
        var currents = new Dictionary<string, double>();
        var vecRho = Vectorization.Vec(rho);
        for (int b = 0; b < dm.OpenSystem.Baths.Count; b++)
        {
            var lb = DenseGenerator.Of(dm, b);
            var y = Vectorization.Unvec(lb * vecRho, d);
            double j = 0;
            for (int i = 0; i < d; i++) j += dm.Basis.Energies[i] * y[i, i].Real;
            currents[dm.OpenSystem.Baths[b].Name] = j;
        }
        // shifted energies: H_S + H_LS, H_LS from the secular (Davies) Lamb shift for Bloch–Redfield, the local one for
        // the local master equation
        var shifted = local
            ? backend.EigenHermitian(LocalGenerator.ShiftedHamiltonian(dm)).Values
            : new DaviesGenerator(dm).ShiftedEnergies();
        return new SteadyStateResult(dm, rho, kernel == 1, kernel, shifted, currents, residual,
            local ? SteadyStateMethod.LocalDense : SteadyStateMethod.RedfieldDense, backend)
        {
            RedfieldKernel = pair,
            FromInitialState = rho0Eigen is not null,
        };
    }

    private static Matrix<Complex> Normalize(Matrix<Complex> rho)
    {
        rho = 0.5 * (rho + rho.ConjugateTranspose());
        return rho / rho.Trace();
    }
}
