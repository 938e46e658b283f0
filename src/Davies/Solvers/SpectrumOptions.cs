using Davies.Models;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>
/// Options of <see cref="Spectrum.Compute(EnergyBasisModel, SpectrumOptions?)"/>, with the backend, progress
/// ("Bohr sectors", "population block (d = 4096)", "sector decay bounds", "sectors 40 %", …; from worker threads,
/// one at a time) and cancellation (between stages and sectors) of <see cref="SolverOptions"/>.
/// </summary>
/// <param name="Modes">How many of the slowest decaying modes to report (default 10).</param>
/// <param name="UseDetailedBalance">
/// Use the KMS-symmetrised Pauli matrix for the ν = 0 sector when it applies (default true; false forces the
/// general non-symmetric eigensolver, for cross-checks).
/// </param>
/// <param name="Full">
/// Diagonalise every Bohr sector (all d² eigenvalues in <see cref="SpectrumResult.Eigenvalues"/>). Default false:
/// for d &gt; 16, a coherence sector is skipped when a rigorous lower bound on its decay rates exceeds the
/// <paramref name="Modes"/>-th slowest decay of the ν = 0 sector, so it cannot hold one of the reported modes; the
/// gap, the slowest modes, the kernel and the persistent oscillations are exact either way. A KMS-symmetrised population
/// block with d ≥ 2048 then has only its slow end found, by block Lanczos (<see cref="SpectrumMethod.KmsLanczos"/>); Full
/// keeps the dense symmetric eigensolver.
/// </param>
public sealed record SpectrumOptions(int Modes = 10, bool UseDetailedBalance = true, bool Full = false) : SolverOptions
{
    /// <summary>
    /// Invariant blocks of large sectors from this dimension on, not settled by the bounds, have their slow modes found by
    /// Krylov–Schur with shift-invert (<see cref="RightmostModes"/>) instead of a dense general eigensolver; tests lower
    /// it to exercise the Krylov path on small models and raise it to <see cref="int.MaxValue"/> for the dense oracle.
    /// </summary>
    internal int KrylovMinimum { get; init; } = RightmostModes.KrylovMinimum;

    /// <summary>
    /// Without <see cref="SpectrumOptions.Full"/>, a KMS-symmetrised population block from this dimension on has only its slow
    /// end found, by block Lanczos (<see cref="PopulationLanczos"/>); tests lower it to exercise Lanczos on small models.
    /// </summary>
    internal int PopulationLanczosMinimum { get; init; } = PopulationLanczos.Minimum;

    /// <summary>The Lanczos basis budget (columns) before falling back to the dense eigensolver; tests shrink it.</summary>
    internal int PopulationLanczosBudget { get; init; } = PopulationLanczos.DefaultBudget;

    /// <summary>
    /// The Lanczos search's margin above the zero threshold of ‖S‖ for a decay to count (<see cref="PopulationLanczos.ZeroGuard"/>);
    /// tests set 1 to reach the re-check against the spectrum's final scale.
    /// </summary>
    internal double PopulationLanczosZeroGuard { get; init; } = PopulationLanczos.ZeroGuard;
}
