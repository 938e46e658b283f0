using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>
/// The settings every solver takes (<see cref="SteadyStateOptions"/>, <see cref="SpectrumOptions"/>,
/// <see cref="EvolutionOptions"/>): the linear-algebra backend, progress reports and cancellation.
/// </summary>
public abstract record SolverOptions
{
    /// <summary>
    /// The linear-algebra backend of every dense kernel the solver calls. Null: the backend the model was built with
    /// (<see cref="EnergyBasisModel.Backend"/>); a front door that takes an <c>OpenSystemModel</c> builds the
    /// <see cref="EnergyBasisModel"/> with this backend, or with <see cref="LinearAlgebraProvider.Current"/> (read once,
    /// there) when it is null. The solvers never read the global backend themselves.
    /// </summary>
    public ILinearAlgebraBackend? Backend { get; init; }

    /// <summary>
    /// Receives a short message as each stage starts ("diagonalising H (d = 4096)", "transforming couplings 3/12",
    /// "solving the ν = 0 sector", "sectors 40 %", …). Reports may come from worker threads, one at a time. Null: no
    /// reports.
    /// </summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>
    /// Checked between stages and between couplings, sectors, blocks or times (not inside a single LAPACK call); when
    /// cancelled the solver throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>The backend a solver uses on <paramref name="model"/>: <see cref="Backend"/>, else the model's.</summary>
    internal ILinearAlgebraBackend BackendFor(EnergyBasisModel model) => Backend ?? model.Backend;

    /// <summary>The progress and cancellation of these options as stages.</summary>
    internal Stages Stages => new(Progress, Cancellation);
}
