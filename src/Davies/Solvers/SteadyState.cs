using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>The steady state of a model and what follows from it.</summary>
public sealed class SteadyStateResult
{
    internal SteadyStateResult(EnergyBasisModel decomposed, Matrix<Complex> rhoEigen, bool unique, int kernelDimension,
        double[] shiftedEnergies, IReadOnlyDictionary<string, double> heatCurrents, double residual, string method)
    {
        Decomposed = decomposed;
        DensityMatrixEigenbasis = rhoEigen;
        Unique = unique;
        KernelDimension = kernelDimension;
        ShiftedEnergies = shiftedEnergies;
        HeatCurrents = heatCurrents;
        Residual = residual;
        Method = method;
        _densityMatrix = new Lazy<Matrix<Complex>>(() => decomposed.Basis.FromEigenbasis(rhoEigen));
        BlockDiagonal = method != "redfield-dense";
    }

    private readonly Lazy<Matrix<Complex>> _densityMatrix;

    /// <summary>True when ρ_ss is block-diagonal over the levels of H_S (always for Davies).</summary>
    public bool BlockDiagonal { get; }

    /// <summary>The model in its eigenbasis (energies, tolerance, Bohr frequencies, rates).</summary>
    public EnergyBasisModel Decomposed { get; }

    /// <summary>The model.</summary>
    public OpenSystemModel Model => Decomposed.OpenSystem;

    /// <summary>Eigenvalues of H_S, ascending.</summary>
    public double[] Energies => Decomposed.Basis.Energies;

    /// <summary>Eigenvalues of H_S + H_LS, ascending (equal to <see cref="Energies"/> without Lamb shift).</summary>
    public double[] ShiftedEnergies { get; }

    /// <summary>The absolute degeneracy-grouping tolerance used.</summary>
    public double Tolerance => Decomposed.Basis.Tolerance;

    /// <summary>ρ_ss in the model's site basis.</summary>
    public Matrix<Complex> DensityMatrix => _densityMatrix.Value;

    /// <summary>ρ_ss in the energy eigenbasis.</summary>
    public Matrix<Complex> DensityMatrixEigenbasis { get; }

    /// <summary>Whether the steady state is unique (kernel dimension 1).</summary>
    public bool Unique { get; }

    /// <summary>Dimension of the kernel of the generator (number of independent steady states).</summary>
    public int KernelDimension { get; }

    /// <summary>Heat current J_k = Tr[H_S D_k(ρ_ss)] from each bath into the system, by bath name.</summary>
    public IReadOnlyDictionary<string, double> HeatCurrents { get; }

    /// <summary>‖L(ρ_ss)‖₂ over the stationary sector: how well the steady-state equation is satisfied.</summary>
    public double Residual { get; }

    /// <summary>Which algorithm produced the state ("pauli", "sector0" (dense ν = 0 sector), "sector0-blocks" (its invariant blocks, for large degenerate levels), "redfield-dense").</summary>
    public string Method { get; }

    /// <summary>The Gibbs state e^{−βH_S}/Z (ground-level projector / degeneracy at T = 0) in the site basis, or null when the baths have different temperatures.</summary>
    public Matrix<Complex>? GibbsState => Model.IsSingleTemperature
        ? Decomposed.Basis.FromEigenbasis(Thermal.GibbsEigenbasis(Decomposed.Basis, Model.Baths[0].Beta)) : null;

    /// <summary>½‖ρ_ss − ρ_β‖₁ when all baths share one temperature, otherwise null.</summary>
    public double? GibbsTraceDistance => Model.IsSingleTemperature
        ? BlockDiagonal
            ? Thermal.TraceDistanceBlockDiagonal(DensityMatrixEigenbasis, Thermal.GibbsEigenbasis(Decomposed.Basis, Model.Baths[0].Beta), Decomposed.Basis)
            : Thermal.TraceDistance(DensityMatrixEigenbasis, Thermal.GibbsEigenbasis(Decomposed.Basis, Model.Baths[0].Beta))
        : null;

    /// <summary>
    /// Entropy production −Σ_k β_k J_k ≥ 0. A bath at T = 0 contributes +∞ when heat flows into it and 0 when its
    /// current vanishes (to 1e-12 of the model's energy × rate scale).
    /// </summary>
    public double EntropyProduction
    {
        get
        {
            double sigma = 0, scale = CurrentScale();
            foreach (var bath in Model.Baths)
            {
                double j = HeatCurrents[bath.Name];
                if (double.IsPositiveInfinity(bath.Beta))
                {
                    if (Math.Abs(j) > 1e-12 * scale) sigma += j < 0 ? double.PositiveInfinity : double.NegativeInfinity;
                }
                else sigma -= bath.Beta * j;
            }
            return sigma;
        }
    }

    /// <summary>Tr[ρ_ss O] for an operator in the site basis (real part; O is expected Hermitian).</summary>
    public double Expectation(Matrix<Complex> op) => BlockDiagonal
        ? Thermal.ExpectationBlockDiagonal(DensityMatrixEigenbasis, op, Decomposed.Basis)
        : Thermal.Expectation(DensityMatrix, op);

    /// <summary>
    /// Tr[ρ_ss O] as a complex number, for any operator O in the site basis: for a non-Hermitian O (σ⁺, or
    /// X0 Y0 = iZ0) the imaginary part is meaningful; for a Hermitian O it is rounding and the real part equals
    /// <see cref="Expectation"/>.
    /// </summary>
    public Complex ComplexExpectation(Matrix<Complex> op) => BlockDiagonal
        ? Thermal.ComplexExpectationBlockDiagonal(DensityMatrixEigenbasis, op, Decomposed.Basis)
        : Thermal.ComplexExpectation(DensityMatrix, op);

    private double CurrentScale()
    {
        double width = Energies[^1] - Energies[0];
        double g = 0;
        for (int b = 0; b < Model.Baths.Count; b++)
            foreach (int id in Decomposed.Bohr.AllIds())
            {
                double r = Decomposed.Rate(b, id);
                if (double.IsFinite(r)) g = Math.Max(g, r);
            }
        return Math.Max(width * g, double.Epsilon);
    }
}

/// <summary>Thermal states and distances (helpers shared by solvers and diagnostics).</summary>
public static class Thermal
{
    /// <summary>The Gibbs state of H_S in its eigenbasis; at β = ∞ the uniform mixture over the ground level.</summary>
    public static Matrix<Complex> GibbsEigenbasis(EigenBasis basis, double beta)
    {
        int d = basis.Dimension;
        var p = new double[d];
        if (double.IsPositiveInfinity(beta))
        {
            var g = basis.Levels[0];
            for (int i = 0; i < g.Count; i++) p[g.Start + i] = 1.0 / g.Count;
        }
        else
        {
            double e0 = basis.Energies[0], z = 0;
            for (int i = 0; i < d; i++) z += p[i] = Math.Exp(-beta * (basis.Energies[i] - e0));
            for (int i = 0; i < d; i++) p[i] /= z;
        }
        var diag = p.Select(x => new Complex(x, 0)).ToArray();
        return d > 256 ? Matrix<Complex>.Build.SparseOfDiagonalArray(diag) : Matrix<Complex>.Build.DenseOfDiagonalArray(diag);
    }

    /// <summary>½‖A − B‖₁ for Hermitian A, B.</summary>
    public static double TraceDistance(Matrix<Complex> a, Matrix<Complex> b)
    {
        var diff = a - b;
        diff = 0.5 * (diff + diff.ConjugateTranspose());
        var eig = LinearAlgebraProvider.Current.EigenHermitian(diff);
        return 0.5 * eig.Values.Sum(Math.Abs);
    }

    /// <summary>½‖A − B‖₁ for Hermitian A, B that are block-diagonal over the levels of <paramref name="basis"/>.</summary>
    public static double TraceDistanceBlockDiagonal(Matrix<Complex> a, Matrix<Complex> b, EigenBasis basis)
    {
        double sum = 0;
        foreach (var l in basis.Levels)
        {
            if (l.Count == 1)
            {
                sum += Math.Abs((a[l.Start, l.Start] - b[l.Start, l.Start]).Real);
                continue;
            }
            var diff = a.SubMatrix(l.Start, l.Count, l.Start, l.Count) - b.SubMatrix(l.Start, l.Count, l.Start, l.Count);
            diff = 0.5 * (diff + diff.ConjugateTranspose());
            sum += diff.Evd(Symmetricity.Hermitian).EigenValues.Sum(z => Math.Abs(z.Real));
        }
        return 0.5 * sum;
    }

    /// <summary>
    /// Re Tr[ρ O] for ρ given in the eigenbasis and block-diagonal over levels, O in the site basis: computes O·V
    /// (sparse when O is) and only the level blocks of V†OV, O(d·Σ d_I²) after the product.
    /// </summary>
    public static double ExpectationBlockDiagonal(Matrix<Complex> rhoEigen, Matrix<Complex> op, EigenBasis basis) =>
        ComplexExpectationBlockDiagonal(rhoEigen, op, basis).Real;

    /// <summary>Re Tr[ρ O].</summary>
    public static double Expectation(Matrix<Complex> rho, Matrix<Complex> op)
    {
        Complex acc = 0;
        int d = rho.RowCount;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) acc += rho[i, j] * op[j, i];
        return acc.Real;
    }

    /// <summary>
    /// Tr[ρ O] (complex; O need not be Hermitian) for ρ given in the eigenbasis and block-diagonal over levels, O in
    /// the site basis; the same computation as <see cref="ExpectationBlockDiagonal"/>, whose result is its real part.
    /// </summary>
    public static Complex ComplexExpectationBlockDiagonal(Matrix<Complex> rhoEigen, Matrix<Complex> op, EigenBasis basis)
    {
        if (basis.InversePermutation is { } inverse)
        {
            // eigenvector k is site-basis vector p[k]: (V†OV)[j, i] = O[p[j], p[i]], one pass over O's non-zeros
            Complex sum = 0;
            foreach (var (a, b, o) in op.EnumerateIndexed(Zeros.AllowSkip))
            {
                int j = inverse[a], i = inverse[b];
                if (basis.LevelOf(i) == basis.LevelOf(j)) sum += rhoEigen[i, j] * o;
            }
            return sum;
        }
        var v = basis.Vectors;
        var ov = op.Storage.IsDense ? LinearAlgebraProvider.Current.Multiply(op, v) : op * v;
        int d = basis.Dimension;
        Complex acc = 0;
        foreach (var l in basis.Levels)
            for (int i = l.Start; i < l.Start + l.Count; i++)
                for (int j = l.Start; j < l.Start + l.Count; j++)
                {
                    var r = rhoEigen[i, j];
                    if (r == Complex.Zero) continue;
                    Complex vo = 0; // (V†OV)[j, i]
                    for (int k = 0; k < d; k++) vo += Complex.Conjugate(v[k, j]) * ov[k, i];
                    acc += r * vo;
                }
        return acc;
    }

    /// <summary>Tr[ρ O] (complex; O need not be Hermitian), ρ and O in the same basis; the real part is <see cref="Expectation"/>.</summary>
    public static Complex ComplexExpectation(Matrix<Complex> rho, Matrix<Complex> op)
    {
        Complex acc = 0;
        int d = rho.RowCount;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) acc += rho[i, j] * op[j, i];
        return acc;
    }
}

/// <summary>Options of <see cref="SteadyState.Solve(OpenSystemModel, SteadyStateOptions?)"/>.</summary>
/// <param name="Backend">Linear-algebra backend (null: <see cref="LinearAlgebraProvider.Current"/>).</param>
public sealed record SteadyStateOptions(ILinearAlgebraBackend? Backend = null)
{
    /// <summary>
    /// Receives a short message as each stage starts ("diagonalising H (d = 4096)", "transforming couplings 3/12",
    /// "solving the ν = 0 sector", …), synchronously on the solving thread. Null: no reports.
    /// </summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>
    /// Checked between stages and between couplings (not inside a single LAPACK call); when cancelled the solver
    /// throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>
/// Steady states. For the Davies generator the state is found in the ν = 0 Bohr sector only (the Pauli rate matrix
/// for a non-degenerate H_S), never from the full d²×d² Liouvillian; for Bloch–Redfield (secular: none) from the
/// dense generator. When the steady state is not unique, the t → ∞ limit from the maximally mixed state.
/// </summary>
public static class SteadyState
{
    /// <summary>Solves for the steady state of a model.</summary>
    public static SteadyStateResult Solve(OpenSystemModel model, SteadyStateOptions? options = null)
    {
        options ??= new SteadyStateOptions();
        var backend = options.Backend ?? LinearAlgebraProvider.Current;
        var decomposed = EnergyBasisModel.Build(model, backend, options.Progress, options.Cancellation);
        return Solve(decomposed, options with { Backend = backend });
    }

    /// <summary>Solves for the steady state of an already decomposed model.</summary>
    public static SteadyStateResult Solve(EnergyBasisModel decomposed, ILinearAlgebraBackend? backend = null) =>
        Solve(decomposed, new SteadyStateOptions(backend));

    /// <summary>Solves for the steady state of an already decomposed model, with progress and cancellation.</summary>
    public static SteadyStateResult Solve(EnergyBasisModel decomposed, SteadyStateOptions options)
    {
        var backend = options.Backend ?? LinearAlgebraProvider.Current;
        var run = new Stages(options.Progress, options.Cancellation);
        return NumericalGuard.Run(decomposed.OpenSystem, "steady state", () => decomposed.OpenSystem.Options.Secular == SecularMode.Partial
            ? SolveDavies(decomposed, backend, run)
            : SolveRedfield(decomposed, backend, run), r => NumericalGuard.AllFinite(r.ShiftedEnergies) && double.IsFinite(r.Residual));
    }

    private readonly record struct Stages(IProgress<string>? Progress, CancellationToken Cancellation)
    {
        public void Start(string message)
        {
            Cancellation.ThrowIfCancellationRequested();
            Progress?.Report(message);
        }
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
        string method;
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
            method = "pauli";
        }
        else if (s0.Dimension > DaviesGenerator.StructuredPopulationSectorMinimum)
        {
            // Large degenerate levels: block by block of the sector's invariant components, never n₀×n₀.
            var solved = ComponentSteadyState.Solve(gen, backend, Spectrum.KmsWeights(dm), run.Progress, run.Cancellation);
            (x, kernel, residual) = (solved.X, solved.KernelDimension, solved.Residual);
            method = "sector0-blocks";
        }
        else
        {
            MemoryBudget.Require(16.0 * s0.Dimension * s0.Dimension * 4, $"the dense ν = 0 sector ({s0.Dimension} coordinates)");
            var l0 = gen.PopulationSectorMatrix();
            var start = s0.FromEigenbasis(Matrix<Complex>.Build.DenseIdentity(d) / d);
            (x, kernel) = GeneratorKernel.Solve(l0, s0.TraceFunctional(), start, 0, null, backend);
            residual = (l0 * x).L2Norm();
            method = "sector0";
        }
        run.Start("heat currents");
        var xs = s0.NormalizeState(x);
        var rho = s0.ToEigenbasis(xs);
        var currents = new Dictionary<string, double>();
        var j = gen.HeatCurrents(xs);
        for (int b = 0; b < dm.OpenSystem.Baths.Count; b++) currents[dm.OpenSystem.Baths[b].Name] = j[b];
        run.Start("shifted energies (H_S + H_LS)");
        return new SteadyStateResult(dm, rho, kernel == 1, kernel, gen.ShiftedEnergies(), currents, residual, method);
    }

    private static SteadyStateResult SolveRedfield(EnergyBasisModel dm, ILinearAlgebraBackend backend, Stages run)
    {
        int d = dm.Dimension;
        run.Start($"solving the dense Bloch–Redfield generator ({d * d}×{d * d})");
        var l = DenseLiouvillian.RedfieldEigenbasis(dm);
        var trace = Vector<Complex>.Build.Dense(d * d);
        for (int i = 0; i < d; i++) trace[i + i * d] = 1;
        var start = Vectorization.Vec(Matrix<Complex>.Build.DenseIdentity(d) / d);
        var (x, kernel) = GeneratorKernel.Solve(l, trace, start, 0, null, backend);
        double residual = (l * x).L2Norm();
        var rho = Normalize(Vectorization.Unvec(x, d));
        // heat currents: J_b = Tr[H_S D_b(ρ)] with D_b the Redfield dissipator of bath b alone
        run.Start("heat currents");
        var currents = new Dictionary<string, double>();
        var vecRho = Vectorization.Vec(rho);
        for (int b = 0; b < dm.OpenSystem.Baths.Count; b++)
        {
            var lb = RedfieldDissipatorOfBath(dm, b);
            var y = Vectorization.Unvec(lb * vecRho, d);
            double j = 0;
            for (int i = 0; i < d; i++) j += dm.Basis.Energies[i] * y[i, i].Real;
            currents[dm.OpenSystem.Baths[b].Name] = j;
        }
        // shifted energies: H_S + H_LS, H_LS from the secular (Davies) Lamb shift
        var shifted = new DaviesGenerator(dm).ShiftedEnergies();
        return new SteadyStateResult(dm, rho, kernel == 1, kernel, shifted, currents, residual, "redfield-dense");
    }

    private static Matrix<Complex> RedfieldDissipatorOfBath(EnergyBasisModel dm, int bath) =>
        DenseLiouvillian.RedfieldEigenbasis(dm, bath);

    private static Matrix<Complex> Normalize(Matrix<Complex> rho)
    {
        rho = 0.5 * (rho + rho.ConjugateTranspose());
        return rho / rho.Trace();
    }
}
