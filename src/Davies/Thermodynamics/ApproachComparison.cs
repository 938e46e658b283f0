using Davies.Models;
using Davies.Solvers;

namespace Davies.Thermodynamics;

/// <summary>One approach's steady state, summarised for a comparison.</summary>
/// <param name="Approach">How its jump operators were made.</param>
/// <param name="HeatCurrents">J_k = Tr[H_S D_k(ρ_ss)] per bath name (into the system).</param>
/// <param name="EntropyProduction">−Σ_k β_k J_k.</param>
/// <param name="Method">The solver's method.</param>
/// <param name="State">ρ_ss in the site basis.</param>
public sealed record ApproachSummary(MasterEquationApproach Approach, IReadOnlyDictionary<string, double> HeatCurrents,
    double EntropyProduction, SteadyStateMethod Method, Matrix<Complex> State);

/// <summary>
/// The steady state of one model under the global and the local master equation side by side
/// (<c>davies steady --compare-approaches</c>; docs/thermodynamics.md): heat currents, entropy production and the trace
/// distance ½‖ρ_global − ρ_local‖₁.
/// </summary>
/// <param name="Global">The global (Davies) master equation.</param>
/// <param name="Local">The local master equation.</param>
/// <param name="TraceDistance">½‖ρ_global − ρ_local‖₁.</param>
public sealed record ApproachComparison(ApproachSummary Global, ApproachSummary Local, double TraceDistance)
{
    /// <summary>
    /// Compares <paramref name="steady"/> with the steady state of the same model under the other approach, started from
    /// the same <paramref name="initialState"/> (site basis; null: the maximally mixed state).
    /// </summary>
    /// <exception cref="ModelException">The local approach does not apply (a Hamiltonian given as one matrix, or secular: none).</exception>
    public static ApproachComparison Of(SteadyStateResult steady, Matrix<Complex>? initialState = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(steady);
        var model = steady.Model;
        var otherApproach = model.Options.Approach == MasterEquationApproach.Global ? MasterEquationApproach.Local : MasterEquationApproach.Global;
        OpenSystemModel otherModel;
        try
        {
            otherModel = model.WithOptions(model.Options with { Approach = otherApproach });
        }
        catch (ModelException e)
        {
            throw new ModelException($"comparing the approaches{(model.SourceName is { } src ? $" of {src}" : "")}: {e.Message}", e);
        }
        var other = SteadyState.Solve(otherModel,
            new SteadyStateOptions { Backend = steady.Decomposed.Backend, Cancellation = cancellation, InitialState = initialState });
        var mine = Summary(steady);
        var theirs = Summary(other);
        double distance = Thermal.TraceDistance(steady.DensityMatrix, other.DensityMatrix, steady.Decomposed.Backend);
        return otherApproach == MasterEquationApproach.Local
            ? new ApproachComparison(mine, theirs, distance)
            : new ApproachComparison(theirs, mine, distance);
    }

    private static ApproachSummary Summary(SteadyStateResult r) =>
        new(r.Model.Options.Approach, r.HeatCurrents, r.EntropyProduction, r.Method, r.DensityMatrix);
}
