namespace Davies.Baths;

/// <summary>
/// A rate function given directly by a rate constant and β (the Gibbs-sampler rates): KMS-consistent by
/// construction, no Lamb shift. Subclasses give the shape of G(ω).
/// </summary>
public abstract class DetailedBalanceRates : IRateFunction
{
    private readonly string _name;

    /// <summary>Validates and stores the parameters.</summary>
    /// <param name="rate">The rate constant &gt; 0.</param>
    /// <param name="beta">β &gt; 0, +∞ for T = 0.</param>
    /// <param name="name">The name used in <see cref="Description"/>.</param>
    /// <exception cref="ModelException">A parameter is out of range.</exception>
    private protected DetailedBalanceRates(double rate, double beta, string name)
    {
        RateConstant = BathParameters.Positive(rate, "rate");
        Beta = BathParameters.Beta(beta);
        _name = name;
    }

    /// <summary>The rate constant.</summary>
    public double RateConstant { get; }

    /// <inheritdoc />
    public double Beta { get; }

    /// <inheritdoc />
    public double Rate(double omega)
    {
        if (double.IsNaN(omega)) throw new ArgumentOutOfRangeException(nameof(omega), omega, "The frequency ω must be a number.");
        return Shape(omega);
    }

    /// <summary>G(ω) for a number ω.</summary>
    private protected abstract double Shape(double omega);

    /// <summary>Always 0: these rates carry no Lamb shift.</summary>
    public double LambShift(double omega) => 0;

    /// <inheritdoc />
    public bool HasLambShift => false;

    /// <summary>E.g. "metropolis(rate=1) at T=0.5".</summary>
    public string Description =>
        $"{_name}(rate={BathParameters.Format(RateConstant)}) at T={BathParameters.FormatTemperature(Beta)}";
}

/// <summary>
/// Metropolis rates G(ω) = rate·min(1, e^{βω}): emission (ω ≥ 0) at the full rate, absorption suppressed by the
/// Boltzmann factor. KMS-consistent; no Lamb shift. At T = 0: G(ω ≥ 0) = rate, G(ω &lt; 0) = 0.
/// </summary>
public sealed class MetropolisRates : DetailedBalanceRates
{
    /// <summary>Creates the rate function.</summary>
    /// <param name="rate">The rate constant &gt; 0.</param>
    /// <param name="beta">β &gt; 0, +∞ for T = 0.</param>
    /// <exception cref="ModelException">A parameter is out of range.</exception>
    public MetropolisRates(double rate, double beta) : base(rate, beta, "metropolis") { }

    private protected override double Shape(double omega) =>
        omega >= 0 ? RateConstant : RateConstant * Math.Exp(Beta * omega);
}

/// <summary>
/// Glauber (heat-bath) rates G(ω) = rate/(1 + e^{−βω}). KMS-consistent; no Lamb shift. At T = 0: G(ω &gt; 0) = rate,
/// G(0) = rate/2, G(ω &lt; 0) = 0.
/// </summary>
public sealed class GlauberRates : DetailedBalanceRates
{
    /// <summary>Creates the rate function.</summary>
    /// <param name="rate">The rate constant &gt; 0.</param>
    /// <param name="beta">β &gt; 0, +∞ for T = 0.</param>
    /// <exception cref="ModelException">A parameter is out of range.</exception>
    public GlauberRates(double rate, double beta) : base(rate, beta, "glauber") { }

    private protected override double Shape(double omega)
    {
        if (omega == 0) return RateConstant / 2;
        double x = Beta * omega; // ±∞ at T = 0
        // rate/(1 + e^{−x}), written so neither branch overflows.
        return x >= 0 ? RateConstant / (1 + Math.Exp(-x)) : RateConstant * Math.Exp(x) / (1 + Math.Exp(x));
    }
}
