using Davies.LinearAlgebra;

namespace Davies.Solvers;

/// <summary>Options of <see cref="Evolution"/> and <see cref="Propagator"/>.</summary>
/// <param name="ConditionLimit">
/// Largest condition number κ₂(V) of a block's (unit-column) eigenvector matrix for which e^{At} = V e^{Λt} V⁻¹ is
/// used; above it the block is propagated by scaling-and-squaring Padé (<see cref="MatrixExponential"/>). 1e8.
/// </param>
/// <param name="ForcePade">Propagate every block with the Padé exponential (for cross-checks).</param>
/// <param name="Backend">Linear-algebra backend for the eigenbasis (null: <see cref="LinearAlgebraProvider.Current"/>).</param>
public sealed record EvolutionOptions(double ConditionLimit = 1e8, bool ForcePade = false, ILinearAlgebraBackend? Backend = null);
