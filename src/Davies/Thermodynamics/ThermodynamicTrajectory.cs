namespace Davies.Thermodynamics;

/// <summary>
/// The thermodynamic account of a trajectory ρ(t) (<see cref="HeatAndEntropy.Along"/>), one value per time of the
/// evolution, in its order. Signs: heat flows are counted into the system. A value that is not a finite number (an
/// infinite β_k J_k of a T = 0 bath, an entropy rate at a time where a zero eigenvalue of ρ starts to be populated) is
/// null, and <see cref="Notes"/> says why.
/// </summary>
/// <param name="Times">The times (as in the evolution).</param>
/// <param name="Energy">E(t) = Tr[H_S ρ(t)].</param>
/// <param name="Entropy">S(t) = −Tr[ρ(t) ln ρ(t)] (natural log).</param>
/// <param name="HeatCurrents">J_k(t) = Tr[H_S D_k(ρ(t))] per bath name: heat per unit time from bath k into the system.</param>
/// <param name="Heat">Q_k(t) = ∫₀ᵗ J_k(s) ds per bath name, exact from the mode expansion of ρ(t).</param>
/// <param name="EntropyProductionRate">σ(t) = dS/dt − Σ_k β_k J_k(t) (≥ 0 for the Davies generator).</param>
/// <param name="EntropyProduction">Σ(t) = S(t) − S(0) − Σ_k β_k Q_k(t) (≥ 0 and non-decreasing for the Davies generator).</param>
/// <param name="RelativeEntropy">D(ρ(t)‖ρ_β) when all baths share one temperature T &gt; 0, else null.</param>
/// <param name="Notes">Why a quantity is null where it is (empty when none is).</param>
public sealed record ThermodynamicTrajectory(
    IReadOnlyList<double> Times,
    double[] Energy,
    double[] Entropy,
    IReadOnlyDictionary<string, double[]> HeatCurrents,
    IReadOnlyDictionary<string, double[]> Heat,
    double?[] EntropyProductionRate,
    double?[] EntropyProduction,
    double?[]? RelativeEntropy,
    IReadOnlyList<string> Notes);
