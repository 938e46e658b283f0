using Davies.LinearAlgebra;
using Davies.Models;

namespace Davies.Solvers;

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
