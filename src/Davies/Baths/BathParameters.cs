using System.Globalization;

namespace Davies.Baths;

/// <summary>Parameter validation and number formatting shared by the bath classes.</summary>
internal static class BathParameters
{
    /// <summary>Shortest round-trip invariant formatting; "∞" for +∞.</summary>
    public static string Format(double x) =>
        double.IsPositiveInfinity(x) ? "∞" :
        double.IsNegativeInfinity(x) ? "-∞" :
        x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Formats the temperature T = 1/β with at most 10 significant digits ("0" at β = ∞).</summary>
    public static string FormatTemperature(double beta) =>
        double.IsPositiveInfinity(beta) ? "0" : (1 / beta).ToString("G10", CultureInfo.InvariantCulture);

    /// <summary>
    /// e^x − 1 accurate to a few ulps for all x (Kahan's trick; <c>double.ExpM1</c> is not accurate near 0).
    /// </summary>
    public static double Expm1(double x)
    {
        if (Math.Abs(x) < 1e-5) return x * (1 + x / 2 * (1 + x / 3 * (1 + x / 4)));
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        if (um1 == -1) return -1;
        if (double.IsPositiveInfinity(u)) return u;
        return um1 * x / Math.Log(u);
    }

    /// <summary>Requires a positive finite number.</summary>
    public static double Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ModelException($"{name} must be a positive finite number, got {Format(value)}");
        return value;
    }

    /// <summary>Requires β &gt; 0 (finite or +∞).</summary>
    public static double Beta(double beta)
    {
        if (!(beta > 0))
            throw new ModelException($"beta must be a positive number or +∞ (T = 0), got {Format(beta)}");
        return beta;
    }

    /// <summary>Requires a finite ω for rate and Lamb-shift evaluation.</summary>
    public static void RequireFinite(double omega)
    {
        if (!double.IsFinite(omega))
            throw new ArgumentOutOfRangeException(nameof(omega), omega, "The frequency ω must be a finite number.");
    }

    /// <summary>Requires ω ≥ 0 for spectral density evaluation.</summary>
    public static void RequireNonNegative(double omega)
    {
        if (!(omega >= 0) || double.IsPositiveInfinity(omega))
            throw new ArgumentOutOfRangeException(nameof(omega), omega,
                "A spectral density is evaluated at finite ω ≥ 0 only (the odd extension J(−ω) = −J(ω) is applied by the rate functions).");
    }
}

/// <summary>
/// Extra structure of the built-in spectral densities that the Lamb-shift quadrature exploits. A user-supplied
/// <see cref="ISpectralDensity"/> without it is integrated with generic breakpoints and unbounded tails.
/// </summary>
internal interface IQuadratureHints
{
    /// <summary>Positive frequencies where J has a kink or jump (table points); empty for smooth densities.</summary>
    IReadOnlyList<double> Kinks { get; }

    /// <summary>J(ω) = 0 for ω &gt; this value; +∞ for unbounded support.</summary>
    double SupportEnd { get; }

    /// <summary>Frequency scales where J changes character (cutoff, peak, γ).</summary>
    IReadOnlyList<double> Scales { get; }

    /// <summary>The exponent s of the low-frequency power law J(ω) ~ ω^s; NaN when unknown.</summary>
    double LowFrequencyExponent { get; }

    /// <summary>The value of J just below <see cref="SupportEnd"/> (a jump to 0 there makes S(ω) diverge); 0 if none.</summary>
    double JumpAtSupportEnd { get; }
}
