namespace Davies.Baths;

/// <summary>
/// Ohmic family J(ω) = η ω^s ω_c^{1−s} e^{−ω/ω_c}: Ohmic for s = 1, sub-Ohmic for s &lt; 1, super-Ohmic for s &gt; 1.
/// </summary>
public sealed class OhmicSpectralDensity : ISpectralDensity, IQuadratureHints
{
    private readonly double[] _scales;

    /// <summary>Creates the density.</summary>
    /// <param name="eta">The dimensionless coupling strength η &gt; 0.</param>
    /// <param name="cutoff">The cutoff frequency ω_c &gt; 0.</param>
    /// <param name="exponent">The exponent s &gt; 0 (default 1, Ohmic).</param>
    /// <exception cref="ModelException">A parameter is not a positive finite number.</exception>
    public OhmicSpectralDensity(double eta, double cutoff, double exponent = 1)
    {
        Eta = BathParameters.Positive(eta, "eta");
        Cutoff = BathParameters.Positive(cutoff, "cutoff");
        Exponent = BathParameters.Positive(exponent, "exponent");
        _scales = Exponent == 1 ? [Cutoff] : [Cutoff, Exponent * Cutoff];
    }

    /// <summary>η.</summary>
    public double Eta { get; }

    /// <summary>ω_c.</summary>
    public double Cutoff { get; }

    /// <summary>s.</summary>
    public double Exponent { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="omega"/> is negative or not finite.</exception>
    public double Evaluate(double omega)
    {
        BathParameters.RequireNonNegative(omega);
        if (omega == 0) return 0;
        double x = omega / Cutoff;
        if (Exponent == 1) return Eta * omega * Math.Exp(-x);
        // ω^s ω_c^{1−s} = ω_c (ω/ω_c)^s; use the log form where the power alone could overflow (large x or s).
        if (x < 500)
        {
            double power = Math.Pow(x, Exponent);
            if (double.IsFinite(power)) return Eta * Cutoff * power * Math.Exp(-x);
        }
        return Eta * Cutoff * Math.Exp(Exponent * Math.Log(x) - x);
    }

    /// <summary>lim J(ω)/ω: η for s = 1, 0 for s &gt; 1, +∞ for s &lt; 1.</summary>
    public double LowFrequencySlope =>
        Exponent == 1 ? Eta : Exponent > 1 ? 0 : double.PositiveInfinity;

    /// <summary>max(1, s)·ω_c (the peak of J is at s·ω_c).</summary>
    public double CharacteristicFrequency => Math.Max(1, Exponent) * Cutoff;

    /// <summary>E.g. "ohmic(eta=0.01, cutoff=5, exponent=1)".</summary>
    public string Description =>
        $"ohmic(eta={BathParameters.Format(Eta)}, cutoff={BathParameters.Format(Cutoff)}, exponent={BathParameters.Format(Exponent)})";

    IReadOnlyList<double> IQuadratureHints.Kinks => [];
    double IQuadratureHints.SupportEnd => double.PositiveInfinity;
    IReadOnlyList<double> IQuadratureHints.Scales => _scales;
    double IQuadratureHints.LowFrequencyExponent => Exponent;
    double IQuadratureHints.JumpAtSupportEnd => 0;
}
