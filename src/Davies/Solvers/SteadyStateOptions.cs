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
}
