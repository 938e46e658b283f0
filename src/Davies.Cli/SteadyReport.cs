using Davies.Diagnostics;
using Davies.Generators;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spectral;
using Davies.Thermodynamics;

namespace Davies.Cli;

/// <summary>An expectation value Tr[ρ_ss O] and whether O is Hermitian (then only its real part is shown).</summary>
internal readonly record struct Observed(string Name, Complex Value, bool Hermitian);

/// <summary>
/// Everything one `davies steady` run prints, each part computed when it is first asked for (by the command, all of
/// them; by a sweep point, only those its quantities need). Stages report to <c>progress</c> as they start.
/// </summary>
internal sealed class SteadyReport
{
    private readonly Lazy<Matrix<Complex>?> _initial;
    private readonly Lazy<SteadyStateResult> _result;
    private readonly Lazy<ConservedQuantitiesResult> _conserved;
    private readonly Lazy<IReadOnlyList<GeneratorCheck>> _checks;
    private readonly Lazy<MachineFigures?> _machine;
    private readonly Lazy<ApproachComparison?> _comparison;
    private readonly Lazy<PositivityReport> _positivity;
    private readonly Lazy<ValidityReport> _validity;
    private readonly Lazy<Observed[]> _expectations;

    public SteadyReport(EnergyBasisModel decomposed, NamedOperator[] operators, string? start, bool compare,
        IProgress<string>? progress, CancellationToken cancellation)
    {
        Decomposed = decomposed;
        Start = start;
        var m = decomposed.OpenSystem;
        _initial = new(() => start is null ? null : InitialStates.Parse(start, decomposed));
        _result = new(() => SteadyState.Solve(decomposed, new SteadyStateOptions { Progress = progress, Cancellation = cancellation, InitialState = _initial.Value }));
        _conserved = new(() =>
        {
            var r = Result;
            progress?.Report("conserved quantities");
            return ConservedQuantities.Of(r);
        });
        _checks = new(() =>
        {
            progress?.Report("checking the generator");
            return m.Options.Secular == SecularMode.Partial && m.Options.Approach == MasterEquationApproach.Global
                ? GeneratorChecks.Run(new DaviesGenerator(decomposed)) // the result's model is this one
                : [];
        });
        _machine = new(() => Machines.Evaluate(Result));
        _comparison = new(() =>
        {
            if (!compare) return null;
            var r = Result;
            progress?.Report("the other approach");
            return ApproachComparison.Of(r, _initial.Value, cancellation);
        });
        _positivity = new(() => Diagnostics.Positivity.Of(Result));
        _validity = new(() => Diagnostics.Validity.Evaluate(decomposed));
        _expectations = new(() => operators.Select(o => new Observed(o.Name, Result.ComplexExpectation(o.Operator), o.IsHermitian)).ToArray());
    }

    /// <summary>
    /// Below this dimension the library's kernels run on one thread (its dense kernels and OpenBLAS start threads from
    /// d = 256 on), so a second core is idle while the steady state is solved: <see cref="StartModelChecks"/> uses it.
    /// </summary>
    public const int OverlapBelow = 256;

    /// <summary>From this dimension on the checks take longer than starting a thread (~0.2 ms): smaller models do them in turn.</summary>
    public const int OverlapFrom = 64;

    /// <summary>
    /// Starts the parts that need only the decomposed model, not the steady state (the generator checks and the
    /// validity report), on a background thread beside the solve (<see cref="OverlapFrom"/> ≤ d &lt;
    /// <see cref="OverlapBelow"/>; other models do them in turn). Their values, and any exception, are those of computing them on this thread: the properties wait
    /// for the background work and return (or rethrow) its outcome.
    /// </summary>
    public void StartModelChecks()
    {
        if (Decomposed.Dimension < OverlapFrom || Decomposed.Dimension >= OverlapBelow) return;
        CliContext.Prefetch(() =>
        {
            _ = _checks.Value;
            _ = _validity.Value;
        });
    }

    /// <summary>The --observe operators (default: all the model's observables), resolved before any computation.</summary>
    public static NamedOperator[] Operators(OpenSystemModel m, string[]? names)
    {
        var chosen = names is { Length: > 0 } given ? given : m.Observables.Keys.ToArray();
        return chosen.Select(o => new NamedOperator(o, Observables.Resolve(m, o))).ToArray();
    }

    public EnergyBasisModel Decomposed { get; }

    /// <summary>The --initial state as given, or null.</summary>
    public string? Start { get; }

    public SteadyStateResult Result => _result.Value;

    public ConservedQuantitiesResult Conserved => _conserved.Value;

    public IReadOnlyList<GeneratorCheck> Checks => _checks.Value;

    public MachineFigures? Machine => _machine.Value;

    public ApproachComparison? Comparison => _comparison.Value;

    public PositivityReport Positivity => _positivity.Value;

    public ValidityReport Validity => _validity.Value;

    public Observed[] Expectations => _expectations.Value;
}
