using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>The steady state of a model and what follows from it.</summary>
public sealed class SteadyStateResult
{
    internal SteadyStateResult(EnergyBasisModel decomposed, Matrix<Complex> rhoEigen, bool unique, int kernelDimension,
        double[] shiftedEnergies, IReadOnlyDictionary<string, double> heatCurrents, double residual, SteadyStateMethod method, ILinearAlgebraBackend backend)
    {
        _backend = backend;
        Decomposed = decomposed;
        DensityMatrixEigenbasis = rhoEigen;
        Unique = unique;
        KernelDimension = kernelDimension;
        ShiftedEnergies = shiftedEnergies;
        HeatCurrents = heatCurrents;
        Residual = residual;
        Method = method;
        _densityMatrix = new Lazy<Matrix<Complex>>(() => decomposed.Basis.FromEigenbasis(rhoEigen));
        BlockDiagonal = method is not (SteadyStateMethod.RedfieldDense or SteadyStateMethod.LocalDense);
    }

    private readonly Lazy<Matrix<Complex>> _densityMatrix;
    private readonly ILinearAlgebraBackend _backend;

    /// <summary>The linear-algebra backend the state was solved with.</summary>
    internal ILinearAlgebraBackend Backend => _backend;

    /// <summary>The eigenvalues of H_S + H_LS inside each level of H_S (Davies only), as the solver computed them.</summary>
    internal double[][]? ShiftedEnergiesByLevel { get; init; }

    /// <summary>Bloch–Redfield with several steady states: the kernel of the dense generator (vec coordinates, eigenbasis).</summary>
    internal BlockKernel? RedfieldKernel { get; init; }

    /// <summary>The structure of the stationary set (Davies only): conserved quantities, invariant subspaces.</summary>
    internal Diagnostics.StationaryStructure? Structure { get; init; }

    /// <summary>
    /// True when the state is the limit reached from <see cref="SteadyStateOptions.InitialState"/>; false when it is the
    /// limit from the maximally mixed state (the default).
    /// </summary>
    public bool FromInitialState { get; internal init; }

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

    /// <summary>Which algorithm produced the state (the CLI prints its <see cref="SolverMethodNames.ToWireName(SteadyStateMethod)"/>).</summary>
    public SteadyStateMethod Method { get; }

    /// <summary>The Gibbs state e^{−βH_S}/Z (ground-level projector / degeneracy at T = 0) in the site basis, or null when the baths have different temperatures.</summary>
    public Matrix<Complex>? GibbsState => Model.IsSingleTemperature
        ? Decomposed.Basis.FromEigenbasis(Thermal.GibbsEigenbasis(Decomposed.Basis, Model.Baths[0].Beta)) : null;

    /// <summary>½‖ρ_ss − ρ_β‖₁ when all baths share one temperature, otherwise null.</summary>
    public double? GibbsTraceDistance => Model.IsSingleTemperature
        ? BlockDiagonal
            ? Thermal.TraceDistanceBlockDiagonal(DensityMatrixEigenbasis, Thermal.GibbsEigenbasis(Decomposed.Basis, Model.Baths[0].Beta, sparse: true), Decomposed.Basis)
            : Thermal.TraceDistance(DensityMatrixEigenbasis, Thermal.GibbsEigenbasis(Decomposed.Basis, Model.Baths[0].Beta), _backend)
        : null;

    /// <summary>
    /// Entropy production −Σ_k β_k J_k ≥ 0 (<see cref="Thermodynamics.EntropyProduction"/>). A bath at T = 0 contributes
    /// +∞ when heat flows into it and 0 when its current vanishes (to 1e-12 of the model's energy × rate scale).
    /// </summary>
    public double EntropyProduction =>
        Thermodynamics.EntropyProduction.Of(Model.Baths, HeatCurrents, Thermodynamics.EntropyProduction.CurrentScale(Decomposed));

    /// <summary>Tr[ρ_ss O] for an operator in the site basis (real part; O is expected Hermitian).</summary>
    public double Expectation(Matrix<Complex> op) => BlockDiagonal
        ? Thermal.ExpectationBlockDiagonal(DensityMatrixEigenbasis, op, Decomposed.Basis, _backend)
        : Thermal.Expectation(DensityMatrix, op);

    /// <summary>
    /// Tr[ρ_ss O] as a complex number, for any operator O in the site basis: for a non-Hermitian O (σ⁺, or
    /// X0 Y0 = iZ0) the imaginary part is meaningful; for a Hermitian O it is rounding and the real part equals
    /// <see cref="Expectation"/>.
    /// </summary>
    public Complex ComplexExpectation(Matrix<Complex> op) => BlockDiagonal
        ? Thermal.ComplexExpectationBlockDiagonal(DensityMatrixEigenbasis, op, Decomposed.Basis, _backend)
        : Thermal.ComplexExpectation(DensityMatrix, op);
}
