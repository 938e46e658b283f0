using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>
/// Steady states. For the Davies generator the state is found in the ν = 0 Bohr sector only (the Pauli rate matrix
/// for a non-degenerate H_S), never from the full d²×d² Liouvillian; for Bloch–Redfield (secular: none) from the
/// dense generator. When the steady state is not unique, the t → ∞ limit from the maximally mixed state.
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
        return NumericalGuard.Run(decomposed.OpenSystem, "steady state", () => !DenseGenerator.Applies(decomposed.OpenSystem)
            ? SolveDavies(decomposed, backend, run)
            : SolveDense(decomposed, backend, run), r => NumericalGuard.AllFinite(r.ShiftedEnergies) && double.IsFinite(r.Residual));
    }

    private static SteadyStateResult SolveDavies(EnergyBasisModel dm, ILinearAlgebraBackend backend, Stages run)
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
        run.Start($"solving the ν = 0 sector ({s0.Dimension} coordinates)");
        if (basis.IsNonDegenerate)
        {
            // Classical Pauli rate matrix on the populations; exact kernel dimension from its closed classes.
            var w = gen.SharedPauliMatrix();
            var (p, closed) = GeneratorKernel.MarkovLimit(w, Vector<double>.Build.Dense(d, 1.0 / d), backend);
            kernel = closed;
            residual = GeneratorKernel.Apply(w, p).L2Norm();
            x = Vector<Complex>.Build.Dense(d, i => p[i]);
            method = SteadyStateMethod.Pauli;
        }
        else if (s0.Dimension > DaviesGenerator.StructuredPopulationSectorMinimum)
        {
            // Large degenerate levels: block by block of the sector's invariant components, never n₀×n₀.
            var solved = ComponentSteadyState.Solve(gen, backend, Spectrum.KmsWeights(dm), run.Progress, run.Cancellation);
            (x, kernel, residual) = (solved.X, solved.KernelDimension, solved.Residual);
            method = SteadyStateMethod.PopulationSectorBlocks;
        }
        else
        {
            MemoryBudget.Require(16.0 * s0.Dimension * s0.Dimension * 4, $"the dense ν = 0 sector ({s0.Dimension} coordinates)");
            var l0 = gen.PopulationSectorMatrix();
            var start = s0.FromEigenbasis(Matrix<Complex>.Build.DenseIdentity(d) / d);
            (x, kernel) = GeneratorKernel.Solve(l0, s0.TraceFunctional(), start, 0, null, backend);
            residual = (l0 * x).L2Norm();
            method = SteadyStateMethod.PopulationSector;
        }
        run.Start("heat currents");
        var xs = s0.NormalizeState(x);
        var rho = s0.ToEigenbasis(xs);
        var currents = new Dictionary<string, double>();
        var j = gen.HeatCurrents(xs);
        for (int b = 0; b < dm.OpenSystem.Baths.Count; b++) currents[dm.OpenSystem.Baths[b].Name] = j[b];
        run.Start("shifted energies (H_S + H_LS)");
        return new SteadyStateResult(dm, rho, kernel == 1, kernel, gen.ShiftedEnergies(), currents, residual, method, backend);
    }

    // Bloch–Redfield or the local master equation: the dense generator in the eigenbasis.
    private static SteadyStateResult SolveDense(EnergyBasisModel dm, ILinearAlgebraBackend backend, Stages run)
    {
        int d = dm.Dimension;
        bool local = DenseGenerator.IsLocal(dm.OpenSystem);
        run.Start($"solving the dense {DenseGenerator.Name(dm.OpenSystem)} generator ({d * d}×{d * d})");
        var l = DenseGenerator.Of(dm);
        var trace = Vector<Complex>.Build.Dense(d * d);
        for (int i = 0; i < d; i++) trace[i + i * d] = 1;
        var start = Vectorization.Vec(Matrix<Complex>.Build.DenseIdentity(d) / d);
        var (x, kernel) = GeneratorKernel.Solve(l, trace, start, 0, null, backend);
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
            local ? SteadyStateMethod.LocalDense : SteadyStateMethod.RedfieldDense, backend);
    }

    private static Matrix<Complex> Normalize(Matrix<Complex> rho)
    {
        rho = 0.5 * (rho + rho.ConjugateTranspose());
        return rho / rho.Trace();
    }
}
