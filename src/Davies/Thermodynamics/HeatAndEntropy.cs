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

    /// <summary>
    /// The thermodynamic account of <paramref name="evolution"/> at each of its times (computed during the evolution when
    /// its options asked for it, <see cref="EvolutionOptions.Thermodynamics"/>, else now).
    /// </summary>
    public static ThermodynamicTrajectory Along(EvolutionResult evolution)
    {
        ArgumentNullException.ThrowIfNull(evolution);
        if (evolution.Thermodynamics is { } done) return done;
        var account = new Account(evolution.Propagator, evolution.Prepared, evolution.Times);
        for (int i = 0; i < evolution.Times.Count; i++)
        {
            var (rho, dot) = evolution.Propagator.StateAndDerivativeEigenbasis(evolution.Prepared, evolution.Times[i]);
            account.Add(i, rho, dot);
        }
        return account.Result();
    }

    /// <summary>
    /// The account built time by time from ρ(t) and ρ̇(t) (eigenbasis): by <see cref="Along"/>, or by the evolution itself
    /// so that each state is formed once.
    /// </summary>
    internal sealed class Account
    {
        private readonly Propagator _propagator;
        private readonly IReadOnlyList<double> _times;
        private readonly TrajectoryFunctionals _linear;
        private readonly List<string> _notes = [];
        private readonly double[] _energy, _entropy;
        private readonly double[][] _currents, _heat;
        private readonly double?[] _rate, _production;
        private readonly double?[]? _relative;
        private readonly double _scale, _beta0, _logZ;
        private readonly double _s0;

        public Account(Propagator propagator, Propagator.Prepared prepared, IReadOnlyList<double> times)
        {
            _propagator = propagator;
            _times = times;
            var dm = propagator.Model;
            var baths = dm.OpenSystem.Baths;
            int nb = baths.Count, nt = times.Count;
            _linear = TrajectoryFunctionals.Build(propagator, prepared);
            _energy = new double[nt];
            _entropy = new double[nt];
            _currents = Enumerable.Range(0, nb).Select(_ => new double[nt]).ToArray();
            _heat = Enumerable.Range(0, nb).Select(_ => new double[nt]).ToArray();
            _rate = new double?[nt];
            _production = new double?[nt];
            _scale = EntropyProduction.CurrentScale(dm);
            bool oneTemperature = dm.OpenSystem.IsSingleTemperature && double.IsFinite(baths[0].Beta);
            _relative = oneTemperature ? new double?[nt] : null;
            _beta0 = baths[0].Beta;
            _logZ = oneTemperature ? LogPartition(dm.Basis.Energies, _beta0) : 0;
            var (rho0, dot0) = propagator.StateAndDerivativeEigenbasis(prepared, 0);
            _s0 = VonNeumann.Of(rho0, dot0, _linear.HasCoherences, propagator).Entropy;
        }

        /// <summary>Adds time index <paramref name="i"/> from ρ(t) and ρ̇(t) in the eigenbasis.</summary>
        public void Add(int i, Matrix<Complex> rho, Matrix<Complex> rhoDot)
        {
            var baths = _propagator.Model.OpenSystem.Baths;
            double t = _times[i];
            var (values, integrals) = _linear.At(t);
            _energy[i] = values[0];
            for (int b = 0; b < baths.Count; b++)
            {
                _currents[b][i] = values[1 + b];
                _heat[b][i] = integrals[1 + b];
            }
            var (s, dsdt) = VonNeumann.Of(rho, rhoDot, _linear.HasCoherences, _propagator);
            _entropy[i] = s;
            double? bj = Flow(baths, _currents, i, _scale, 1, _notes, t, "heat current");
            double? bq = Flow(baths, _heat, i, _scale, Math.Max(t, 0), _notes, t, "heat");
            if (dsdt is null) Note(_notes, $"t = {t:G6}: dS/dt = +∞ (ρ has a zero eigenvalue that starts to be populated), so the entropy production rate is null");
            _rate[i] = dsdt is { } r && bj is { } x ? r - x : null;
            _production[i] = bq is { } q ? s - _s0 - q : null;
            if (_relative is not null)
                _relative[i] = -s + _beta0 * EnergyOfEigenvalues(rho, _propagator.Model.Basis.Energies) + _logZ;
        }

        /// <summary>The account (after every time was added).</summary>
        public ThermodynamicTrajectory Result()
        {
            var model = _propagator.Model.OpenSystem;
            if (_relative is null)
                Note(_notes, model.IsSingleTemperature
                    ? "the baths are at T = 0: D(ρ‖ρ_β) is infinite for every state off the ground level, so relative_entropy is null"
                    : "the baths have different temperatures: there is no Gibbs state to compare with, so relative_entropy is null");
            var names = model.Baths.Select(b => b.Name).ToArray();
            return new ThermodynamicTrajectory(_times, _energy, _entropy,
                Enumerable.Range(0, names.Length).ToDictionary(b => names[b], b => _currents[b]),
                Enumerable.Range(0, names.Length).ToDictionary(b => names[b], b => _heat[b]),
                _rate, _production, _relative, _notes);
        }
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
