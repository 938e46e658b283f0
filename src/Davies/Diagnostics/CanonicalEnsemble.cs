using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>
/// The Gibbs states ρ_β = e^{−βH_S}/Z over the levels of an eigenbasis (weights p_I = d_I e^{−βĒ_I}/Z), for any real
/// β and for β = ±∞ (the ground or the top level alone), and the inverse problem: the β whose energy
/// E(β) = Tr[ρ_β H_S] equals a given energy. E(β) decreases strictly from E_max (β = −∞) through the mean
/// Tr H_S / d (β = 0) to E_min (β = +∞) when H_S has two levels or more, so that β is unique.
/// </summary>
internal sealed class CanonicalEnsemble
{
    private readonly double[] _energies;
    private readonly double[] _degeneracies;

    public CanonicalEnsemble(EigenBasis basis) : this(basis.Energies, basis.Tolerance)
    {
    }

    /// <summary>
    /// From ascending eigenvalues grouped into levels by the rule of <see cref="EigenBasis"/> (consecutive eigenvalues
    /// closer than <paramref name="tolerance"/> form one level, of their mean energy), so that a result holding only the
    /// energies and the tolerance gives the same levels as the eigenbasis it came from.
    /// </summary>
    public CanonicalEnsemble(IReadOnlyList<double> energies, double tolerance)
    {
        var levels = new List<double>();
        var counts = new List<double>();
        var starts = new List<int>();
        int start = 0;
        for (int i = 1; i <= energies.Count; i++)
        {
            if (i < energies.Count && energies[i] - energies[i - 1] <= tolerance) continue;
            double mean = 0;
            for (int k = start; k < i; k++) mean += energies[k];
            levels.Add(mean / (i - start));
            counts.Add(i - start);
            starts.Add(start);
            start = i;
        }
        _energies = levels.ToArray();
        _degeneracies = counts.ToArray();
        LevelStarts = starts.ToArray();
        Tolerance = tolerance;
    }

    /// <summary>The first eigenvalue index of each level.</summary>
    public int[] LevelStarts { get; }

    /// <summary>The grouping tolerance of the levels: energies within it of E_min (E_max) count as the ground (top) level.</summary>
    public double Tolerance { get; }

    /// <summary>The lowest level energy.</summary>
    public double Min => _energies[0];

    /// <summary>The highest level energy.</summary>
    public double Max => _energies[^1];

    /// <summary>The level weights p_I of ρ_β (they sum to 1); β = ±∞ puts all weight on the ground (top) level.</summary>
    public double[] Weights(double beta)
    {
        int n = _energies.Length;
        var p = new double[n];
        if (double.IsPositiveInfinity(beta)) p[0] = 1;
        else if (double.IsNegativeInfinity(beta)) p[^1] = 1;
        else
        {
            // Shifted by the level that dominates (the ground for β ≥ 0, the top for β < 0): no overflow.
            double reference = beta >= 0 ? Min : Max, z = 0;
            for (int i = 0; i < n; i++) z += p[i] = _degeneracies[i] * Math.Exp(-beta * (_energies[i] - reference));
            for (int i = 0; i < n; i++) p[i] /= z;
        }
        return p;
    }

    /// <summary>Σ_I p_I(β) x_I for per-level values x (e.g. level-averaged eigenstate values: Tr[ρ_β O]).</summary>
    public double Average(double beta, IReadOnlyList<double> levelValues)
    {
        var p = Weights(beta);
        double sum = 0;
        for (int i = 0; i < p.Length; i++) sum += p[i] * levelValues[i];
        return sum;
    }

    /// <summary>E(β) − <paramref name="reference"/>, summed in differences Ē_I − reference (no cancellation near the edges).</summary>
    private (double Value, double Variance) EnergyAbove(double beta, double reference)
    {
        var p = Weights(beta);
        double mean = 0;
        for (int i = 0; i < p.Length; i++) mean += p[i] * (_energies[i] - reference);
        double variance = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double x = _energies[i] - reference - mean;
            variance += p[i] * x * x;
        }
        return (mean, variance);
    }

    /// <summary>E(β) = Tr[ρ_β H_S].</summary>
    public double Energy(double beta) => Min + EnergyAbove(beta, Min).Value;

    /// <summary>
    /// The β with E(β) = <paramref name="energy"/>, and its regime: +∞ (<see cref="EffectiveTemperatureRegime.Ground"/>)
    /// when the energy lies within <see cref="Tolerance"/> of E_min or below, −∞ (<see cref="EffectiveTemperatureRegime.Top"/>)
    /// within it of E_max or above, 0 (<see cref="EffectiveTemperatureRegime.Infinite"/>) when it equals Tr H_S / d to
    /// 1e-13 of the width (or H_S has one level), else the root, found by Newton steps safeguarded by bisection in a
    /// bracket that doubles from ±1/(E_max − E_min), to 1e-14 of the width in energy.
    /// </summary>
    public (double Beta, EffectiveTemperatureRegime Regime) SolveBeta(double energy)
    {
        double width = Max - Min;
        if (_energies.Length == 1 || width <= 0) return (0, EffectiveTemperatureRegime.Infinite);
        if (energy <= Min + Tolerance) return (double.PositiveInfinity, EffectiveTemperatureRegime.Ground);
        if (energy >= Max - Tolerance) return (double.NegativeInfinity, EffectiveTemperatureRegime.Top);
        double mean = Energy(0);
        if (Math.Abs(energy - mean) <= 1e-13 * width) return (0, EffectiveTemperatureRegime.Infinite);
        bool positive = energy < mean;
        // f(β) = E(β) − energy, decreasing in β; measured from the edge the state lies near, for accuracy there.
        double reference = positive ? Min : Max, target = energy - reference;
        double F(double b) => EnergyAbove(b, reference).Value - target;
        double lo, hi; // f(lo) > 0 > f(hi)
        if (positive)
        {
            lo = 0;
            hi = 1 / width;
            while (F(hi) > 0)
            {
                lo = hi;
                hi *= 2;
                if (hi > 1e300) return (double.PositiveInfinity, EffectiveTemperatureRegime.Ground);
            }
        }
        else
        {
            hi = 0;
            lo = -1 / width;
            while (F(lo) < 0)
            {
                hi = lo;
                lo *= 2;
                if (lo < -1e300) return (double.NegativeInfinity, EffectiveTemperatureRegime.Top);
            }
        }
        double beta = 0.5 * (lo + hi);
        for (int iteration = 0; iteration < 200; iteration++)
        {
            var (value, variance) = EnergyAbove(beta, reference);
            double f = value - target;
            if (Math.Abs(f) <= 1e-14 * width) break;
            if (f > 0) lo = beta;
            else hi = beta;
            double next = variance > 0 ? beta + f / variance : double.NaN; // f' = −Var(E)
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            if (next == beta || hi - lo <= 1e-16 * Math.Abs(beta)) break;
            beta = next;
        }
        return (beta, positive ? EffectiveTemperatureRegime.Positive : EffectiveTemperatureRegime.Negative);
    }
}
