using Davies.LinearAlgebra;

namespace Davies.Solvers;

/// <summary>
/// Options of <see cref="Evolution"/> and <see cref="Propagator"/>, with the backend, progress ("Bohr sectors",
/// "propagators 40 %", "blocks 40 %" — the share of the propagated blocks done —, or "times 40 %" with the thermodynamic
/// account, …) and cancellation (between stages, sectors and times) of
/// <see cref="SolverOptions"/>.
/// </summary>
/// <param name="ConditionLimit">
/// Largest condition number κ₂(V) of a block's (unit-column) eigenvector matrix for which e^{At} = V e^{Λt} V⁻¹ is
/// used; above it the block is propagated by the scaling-and-squaring Padé exponential. 1e8.
/// </param>
/// <param name="ForcePade">Propagate every block with the Padé exponential (for cross-checks).</param>
public sealed record EvolutionOptions(double ConditionLimit = 1e8, bool ForcePade = false) : SolverOptions
{
    /// <summary>
    /// Also compute the thermodynamic account (energy, entropy, heat, entropy production; <see cref="Thermodynamics.HeatAndEntropy"/>)
    /// during the evolution, from the same ρ(t), into <see cref="EvolutionResult.Thermodynamics"/>.
    /// </summary>
    public bool Thermodynamics { get; init; }

    /// <summary>Σ_s n_s² above which Bohr sectors are decomposed only on demand (<see cref="Propagator.DefaultEagerSectorLimit"/>; tests lower it).</summary>
    internal double EagerSectorLimit { get; init; } = Propagator.DefaultEagerSectorLimit;

    /// <summary>
    /// Smallest block that <see cref="Evolution"/> propagates by <see cref="KrylovTrajectory"/> instead of decomposing it,
    /// when the block has not been decomposed already (<see cref="KrylovTrajectory.DefaultMinimum"/>; tests lower it).
    /// </summary>
    internal int KrylovMinimum { get; init; } = KrylovTrajectory.DefaultMinimum;

    /// <summary>Options with a given <see cref="SolverOptions.Backend"/> (the positional form of earlier versions).</summary>
    /// <param name="ConditionLimit">See <see cref="EvolutionOptions(double, bool)"/>.</param>
    /// <param name="ForcePade">See <see cref="EvolutionOptions(double, bool)"/>.</param>
    /// <param name="Backend">The linear-algebra backend (null: the model's; see <see cref="SolverOptions.Backend"/>).</param>
    public EvolutionOptions(double ConditionLimit, bool ForcePade, ILinearAlgebraBackend? Backend) : this(ConditionLimit, ForcePade) =>
        this.Backend = Backend;
}
