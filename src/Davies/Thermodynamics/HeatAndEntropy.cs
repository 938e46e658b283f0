using Davies.Generators;
using Davies.Solvers;

namespace Davies.Thermodynamics;

/// <summary>
/// Heat and entropy along a trajectory ρ(t) = e^{Lt}ρ₀: energy, von Neumann entropy, heat currents, cumulative heat,
/// entropy production rate and cumulative entropy production, and the relative entropy to the Gibbs state
/// (docs/thermodynamics.md). The energy, the currents and the heat are linear in ρ(t) and read from the propagator's
/// mode expansion: on each block x(t) = Σ_j c_j v_j e^{λ_j t}, so Q_k(t) = ∫₀ᵗ J_k has the closed form
/// Σ_j (f_k·v_j) c_j (e^{λ_j t} − 1)/λ_j (no quadrature); blocks propagated by Padé integrate through the augmented
/// exponential exp(t[[A, x₀], [0, 0]]). The entropy needs the spectrum of ρ(t): per level block when the trajectory
/// has no coherences between levels (an initial state diagonal in the levels stays so), else of the whole matrix.
/// </summary>
public static class HeatAndEntropy
{
    /// <summary>Eigenvalues of ρ below this are zeros (rounding) in S and dS/dt.</summary>
    internal const double ZeroProbability = 1e-14;

    /// <summary>A current below this fraction of the model's current scale vanishes (a T = 0 bath then adds 0, not ∞).</summary>
    internal const double NegligibleCurrent = 1e-12;

    /// <summary>The thermodynamic account of <paramref name="evolution"/> at each of its times.</summary>
    public static ThermodynamicTrajectory Along(EvolutionResult evolution)
    {
        ArgumentNullException.ThrowIfNull(evolution);
        var propagator = evolution.Propagator;
        var prepared = evolution.Prepared;
        var dm = propagator.Model;
        var baths = dm.OpenSystem.Baths;
        int nb = baths.Count, nt = evolution.Times.Count;
        var linear = TrajectoryFunctionals.Build(propagator, prepared);
        var notes = new List<string>();

        var energy = new double[nt];
        var entropy = new double[nt];
        var currents = Enumerable.Range(0, nb).Select(_ => new double[nt]).ToArray();
        var heat = Enumerable.Range(0, nb).Select(_ => new double[nt]).ToArray();
        var rate = new double?[nt];
        var production = new double?[nt];
        double scale = EntropyProduction.CurrentScale(dm);
        bool oneTemperature = dm.OpenSystem.IsSingleTemperature && double.IsFinite(baths[0].Beta);
        var relative = oneTemperature ? new double?[nt] : null;
        double beta0 = baths[0].Beta, logZ = oneTemperature ? LogPartition(dm.Basis.Energies, beta0) : 0;

        double s0 = VonNeumann.Of(propagator, prepared, 0, linear.HasCoherences).Entropy;
        for (int i = 0; i < nt; i++)
        {
            double t = evolution.Times[i];
            var (values, integrals) = linear.At(t);
            energy[i] = values[0];
            for (int b = 0; b < nb; b++)
            {
                currents[b][i] = values[1 + b];
                heat[b][i] = integrals[1 + b];
            }
            var (s, dsdt, rhoEigen) = VonNeumann.Of(propagator, prepared, t, linear.HasCoherences);
            entropy[i] = s;
            double? bj = Flow(baths, currents, i, scale, 1, notes, t, "heat current");
            double? bq = Flow(baths, heat, i, scale, Math.Max(t, 0), notes, t, "heat");
            if (dsdt is null) Note(notes, $"t = {t:G6}: dS/dt = +∞ (ρ has a zero eigenvalue that starts to be populated), so the entropy production rate is null");
            rate[i] = dsdt is { } r && bj is { } x ? r - x : null;
            production[i] = bq is { } q ? s - s0 - q : null;
            if (relative is not null)
                relative[i] = -s + beta0 * EnergyOfEigenvalues(rhoEigen, dm.Basis.Energies) + logZ;
        }
        if (!oneTemperature)
            Note(notes, dm.OpenSystem.IsSingleTemperature
                ? "the baths are at T = 0: D(ρ‖ρ_β) is infinite for every state off the ground level, so relative_entropy is null"
                : "the baths have different temperatures: there is no Gibbs state to compare with, so relative_entropy is null");
        var names = baths.Select(b => b.Name).ToArray();
        return new ThermodynamicTrajectory(evolution.Times, energy, entropy,
            Enumerable.Range(0, nb).ToDictionary(b => names[b], b => currents[b]),
            Enumerable.Range(0, nb).ToDictionary(b => names[b], b => heat[b]),
            rate, production, relative, notes);
    }

    // Σ_k β_k X_k at time index i for flows X (currents, or heat over a time span `span`): null when a T = 0 bath has a
    // non-negligible flow (β_k X_k = ±∞), with a note.
    private static double? Flow(IReadOnlyList<Models.Bath> baths, double[][] x, int i, double scale, double span,
        List<string> notes, double t, string what)
    {
        double sum = 0;
        for (int b = 0; b < baths.Count; b++)
        {
            double beta = baths[b].Beta, v = x[b][i];
            if (double.IsPositiveInfinity(beta))
            {
                if (Math.Abs(v) <= NegligibleCurrent * scale * span) continue;
                Note(notes, $"bath '{baths[b].Name}' is at T = 0 (β = ∞): β·{what} is infinite where its {what} is not zero (from t = {t:G6}), so the entropy production there is null");
                return null;
            }
            sum += beta * v;
        }
        return sum;
    }

    private static void Note(List<string> notes, string note)
    {
        // one note per kind: the first time it happens
        string key = note.Contains(':') ? note[(note.IndexOf(':') + 1)..] : note;
        if (!notes.Any(n => n.EndsWith(key, StringComparison.Ordinal))) notes.Add(note);
    }

    private static double EnergyOfEigenvalues(Matrix<Complex> rhoEigen, double[] e)
    {
        double x = 0;
        for (int n = 0; n < e.Length; n++) x += e[n] * rhoEigen[n, n].Real;
        return x;
    }

    // ln Z = ln Σ_n e^{−βE_n}, shifted by the ground energy against overflow.
    private static double LogPartition(double[] e, double beta)
    {
        double e0 = e.Min(), z = 0;
        foreach (var x in e) z += Math.Exp(-beta * (x - e0));
        return Math.Log(z) - beta * e0;
    }
}
