using Davies.Diagnostics;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Cli;

/// <summary>What one `davies evolve` run prints, each part computed when it is first asked for.</summary>
internal sealed class EvolveReport
{
    private readonly Lazy<Matrix<Complex>> _initial;
    private readonly Lazy<EvolutionResult> _result;
    private readonly Lazy<PositivityReport?> _positivity;
    private readonly Lazy<ValidityReport> _validity;
    private readonly Lazy<double?> _convergence;

    public EvolveReport(EnergyBasisModel dm, string initial, double[] times, NamedOperator[] operators, bool thermo, double? until,
        IProgress<string>? progress, CancellationToken cancellation)
    {
        Decomposed = dm;
        Times = times;
        Until = until;
        Hermitian = operators.ToDictionary(o => o.Name, o => o.IsHermitian);
        _initial = new(() => InitialStates.Parse(initial, dm));
        _result = new(() => Evolution.Run(dm, _initial.Value, times, operators,
            new EvolutionOptions { Progress = progress, Cancellation = cancellation, Thermodynamics = thermo }));
        _positivity = new(() => EvolveCommand.ChecksPositivity(Result) ? Diagnostics.Positivity.Of(Result, cancellation) : null);
        _validity = new(() => Diagnostics.Validity.Evaluate(dm));
        _convergence = new(() => until is { } e ? Result.ConvergenceTime(e) : null);
    }

    public EnergyBasisModel Decomposed { get; }

    public double[] Times { get; }

    /// <summary>The --until ε, or null.</summary>
    public double? Until { get; }

    /// <summary>Whether each observable is Hermitian (a number per time) or not ([re, im] per time).</summary>
    public IReadOnlyDictionary<string, bool> Hermitian { get; }

    public Matrix<Complex> InitialState => _initial.Value;

    public EvolutionResult Result => _result.Value;

    /// <summary>The positivity of ρ(t), or null when not checked (a Davies model with d above <see cref="EvolveCommand.DaviesPositivityCap"/>).</summary>
    public PositivityReport? Positivity => _positivity.Value;

    public ValidityReport Validity => _validity.Value;

    /// <summary>The convergence time for --until, or null without it.</summary>
    public double? ConvergenceTime => _convergence.Value;
}
