namespace Davies.Diagnostics;

/// <summary>One criterion of the validity report (docs/validity.md).</summary>
/// <param name="Name">"markov", "secular", "weak_coupling" or "memory".</param>
/// <param name="Value">The dimensionless measure (NaN when it cannot be assessed, +∞ for infinite memory).</param>
/// <param name="Threshold">The largest value that passes (<see cref="Validity"/>).</param>
/// <param name="Ok">Value ≤ Threshold (or the criterion does not apply).</param>
/// <param name="Detail">The numbers behind the value, in words (names the bath, the frequencies, the level).</param>
/// <param name="Advice">What to do when the criterion fails.</param>
public sealed record ValidityCriterion(string Name, double Value, double Threshold, bool Ok, string Detail, string Advice);

/// <summary>
/// Whether the Born–Markov–secular approximations behind the Davies generator hold for a model (docs/validity.md).
/// </summary>
/// <param name="Markov">τ_B × Γ_max: the bath forgets faster than the system relaxes.</param>
/// <param name="Secular">Redfield coupling rate / spacing of the two closest Bohr frequencies of one coupling.</param>
/// <param name="WeakCoupling">max(Γ_max, Lamb-shift spread) / min(smallest Bohr frequency, T).</param>
/// <param name="Memory">The number of baths whose C(t) is not integrable.</param>
/// <param name="LargestDecayRate">Γ_max: the largest total decay rate out of an energy eigenstate.</param>
/// <param name="LambShiftSpread">The spread max − min of the Lamb shifts of the levels.</param>
/// <param name="CorrelationTime">The largest τ_B over the baths with a correlation function (NaN if none).</param>
public sealed record ValidityReport(ValidityCriterion Markov, ValidityCriterion Secular, ValidityCriterion WeakCoupling,
    ValidityCriterion Memory, double LargestDecayRate, double LambShiftSpread, double CorrelationTime)
{
    /// <summary>The four criteria in the order markov, secular, weak_coupling, memory.</summary>
    public IReadOnlyList<ValidityCriterion> Criteria => [Markov, Secular, WeakCoupling, Memory];

    /// <summary>Whether every criterion passes.</summary>
    public bool AllOk => Criteria.All(c => c.Ok);
}
