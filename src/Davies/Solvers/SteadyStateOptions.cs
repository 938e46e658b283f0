using Davies.LinearAlgebra;
using Davies.Models;

namespace Davies.Solvers;

/// <summary>
/// Options of <see cref="SteadyState.Solve(OpenSystemModel, SteadyStateOptions?)"/>: the backend, progress
/// ("diagonalising H (d = 4096)", "transforming couplings 3/12", "solving the ν = 0 sector", …; synchronously on the
/// solving thread) and cancellation (between stages, couplings and blocks) of <see cref="SolverOptions"/>.
/// </summary>
public sealed record SteadyStateOptions : SolverOptions
{
    /// <summary>Default options, or options with a given <see cref="SolverOptions.Backend"/>.</summary>
    /// <param name="backend">The linear-algebra backend (null: the model's; see <see cref="SolverOptions.Backend"/>).</param>
    public SteadyStateOptions(ILinearAlgebraBackend? backend = null) => Backend = backend;

    /// <summary>
    /// The state the system starts from, in the model's site basis (a density matrix: Hermitian, trace 1, positive
    /// semidefinite, see <see cref="Operators.InitialStates.Validate"/>). The result is the t → ∞ limit reached from it,
    /// which keeps its values of the conserved quantities (docs/conserved.md); it matters only when the steady state
    /// is not unique. Null: the maximally mixed state 𝟙/d.
    /// </summary>
    public Matrix<Complex>? InitialState { get; init; }
}
