namespace Davies.Baths;

/// <summary>Drude–Lorentz J(ω) = 2λγω/(ω² + γ²) (reorganisation parameter λ, Debye frequency γ).</summary>
public sealed class DrudeLorentzSpectralDensity : ISpectralDensity, IQuadratureHints
{
    /// <summary>Creates the density.</summary>
    /// <param name="lambda">λ &gt; 0.</param>
    /// <param name="gamma">γ &gt; 0.</param>
    /// <exception cref="ModelException">A parameter is not a positive finite number.</exception>
    public DrudeLorentzSpectralDensity(double lambda, double gamma)
    {
        Lambda = BathParameters.Positive(lambda, "lambda");
        Gamma = BathParameters.Positive(gamma, "gamma");
    }

    /// <summary>λ.</summary>
    public double Lambda { get; }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="omega"/> is negative or not finite.</exception>
    public double Evaluate(double omega)
    {
        BathParameters.RequireNonNegative(omega);
        if (omega <= Gamma) return 2 * Lambda * Gamma * omega / (omega * omega + Gamma * Gamma);
        double r = Gamma / omega; // avoids overflow of ω² for huge ω
        return 2 * Lambda * r / (1 + r * r);
    }

    /// <summary>2λ/γ.</summary>
    public double LowFrequencySlope => 2 * Lambda / Gamma;

    /// <summary>γ.</summary>
    public double CharacteristicFrequency => Gamma;

    /// <summary>E.g. "drude-lorentz(lambda=0.1, gamma=1)".</summary>
    public string Description =>
        $"drude-lorentz(lambda={BathParameters.Format(Lambda)}, gamma={BathParameters.Format(Gamma)})";

    IReadOnlyList<double> IQuadratureHints.Kinks => [];
    double IQuadratureHints.SupportEnd => double.PositiveInfinity;
    IReadOnlyList<double> IQuadratureHints.Scales => [Gamma];
    double IQuadratureHints.LowFrequencyExponent => 1;
    double IQuadratureHints.JumpAtSupportEnd => 0;
}
