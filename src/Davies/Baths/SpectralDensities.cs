namespace Davies.Baths;

// API placeholders, implemented on the baths branch.

/// <summary>Ohmic family J(ω) = η ω^s ω_c^{1−s} e^{−ω/ω_c}.</summary>
public sealed class OhmicSpectralDensity(double eta, double cutoff, double exponent = 1) : ISpectralDensity
{
    /// <summary>η.</summary>
    public double Eta { get; } = eta;
    /// <summary>ω_c.</summary>
    public double Cutoff { get; } = cutoff;
    /// <summary>s.</summary>
    public double Exponent { get; } = exponent;
    /// <inheritdoc />
    public double Evaluate(double omega) => throw new NotImplementedException();
    /// <inheritdoc />
    public double LowFrequencySlope => throw new NotImplementedException();
    /// <inheritdoc />
    public double CharacteristicFrequency => throw new NotImplementedException();
    /// <inheritdoc />
    public string Description => throw new NotImplementedException();
}

/// <summary>Drude–Lorentz J(ω) = 2λγω/(ω²+γ²).</summary>
public sealed class DrudeLorentzSpectralDensity(double lambda, double gamma) : ISpectralDensity
{
    /// <summary>λ.</summary>
    public double Lambda { get; } = lambda;
    /// <summary>γ.</summary>
    public double Gamma { get; } = gamma;
    /// <inheritdoc />
    public double Evaluate(double omega) => throw new NotImplementedException();
    /// <inheritdoc />
    public double LowFrequencySlope => throw new NotImplementedException();
    /// <inheritdoc />
    public double CharacteristicFrequency => throw new NotImplementedException();
    /// <inheritdoc />
    public string Description => throw new NotImplementedException();
}

/// <summary>Tabulated J(ω): points (ω &gt; 0, J ≥ 0), linear interpolation, J → 0 at 0 and beyond the table.</summary>
public sealed class TabulatedSpectralDensity(IReadOnlyList<(double Omega, double J)> points) : ISpectralDensity
{
    /// <summary>The table.</summary>
    public IReadOnlyList<(double Omega, double J)> Points { get; } = points;
    /// <inheritdoc />
    public double Evaluate(double omega) => throw new NotImplementedException();
    /// <inheritdoc />
    public double LowFrequencySlope => throw new NotImplementedException();
    /// <inheritdoc />
    public double CharacteristicFrequency => throw new NotImplementedException();
    /// <inheritdoc />
    public string Description => throw new NotImplementedException();
}

/// <summary>G(ω) = 2π J(ω)(n_β(ω)+1) with odd J; Lamb shift by principal-value quadrature.</summary>
public sealed class ThermalRates(ISpectralDensity density, double beta) : IRateFunction
{
    /// <summary>The spectral density.</summary>
    public ISpectralDensity Density { get; } = density;
    /// <inheritdoc />
    public double Beta { get; } = beta;
    /// <inheritdoc />
    public double Rate(double omega) => throw new NotImplementedException();
    /// <inheritdoc />
    public double LambShift(double omega) => throw new NotImplementedException();
    /// <inheritdoc />
    public bool HasLambShift => true;
    /// <inheritdoc />
    public string Description => throw new NotImplementedException();
}

/// <summary>Metropolis rates G(ω) = rate·min(1, e^{βω}); no Lamb shift.</summary>
public sealed class MetropolisRates(double rate, double beta) : IRateFunction
{
    /// <summary>The rate constant.</summary>
    public double RateConstant { get; } = rate;
    /// <inheritdoc />
    public double Beta { get; } = beta;
    /// <inheritdoc />
    public double Rate(double omega) => throw new NotImplementedException();
    /// <inheritdoc />
    public double LambShift(double omega) => 0;
    /// <inheritdoc />
    public bool HasLambShift => false;
    /// <inheritdoc />
    public string Description => throw new NotImplementedException();
}

/// <summary>Glauber rates G(ω) = rate/(1 + e^{−βω}); no Lamb shift.</summary>
public sealed class GlauberRates(double rate, double beta) : IRateFunction
{
    /// <summary>The rate constant.</summary>
    public double RateConstant { get; } = rate;
    /// <inheritdoc />
    public double Beta { get; } = beta;
    /// <inheritdoc />
    public double Rate(double omega) => throw new NotImplementedException();
    /// <inheritdoc />
    public double LambShift(double omega) => 0;
    /// <inheritdoc />
    public bool HasLambShift => false;
    /// <inheritdoc />
    public string Description => throw new NotImplementedException();
}
