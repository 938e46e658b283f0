using Davies.Baths;

namespace Davies.Tests;

/// <summary>A KMS-consistent Ohmic-like rate function written independently of the library's baths (for structure tests).</summary>
internal sealed class TestRates(double beta, double eta = 0.05, double cutoff = 4, double lamb = 0.03) : IRateFunction
{
    public double Beta { get; } = beta;
    public double Rate(double w)
    {
        if (w == 0) return double.IsPositiveInfinity(Beta) ? 0 : 2 * Math.PI * eta / Beta;
        double j = eta * Math.Abs(w) * Math.Exp(-Math.Abs(w) / cutoff);
        if (double.IsPositiveInfinity(Beta)) return w > 0 ? 2 * Math.PI * j : 0;
        return w > 0 ? 2 * Math.PI * j / -double.ExpM1(-Beta * w) : 2 * Math.PI * j / double.ExpM1(Beta * -w);
    }
    public double LambShift(double w) => lamb * w / (1 + w * w) - 0.5 * lamb;
    public bool HasLambShift => lamb != 0;
    public string Description => "test rates";
}

/// <summary>Glauber rates G(ω) = r/(1 + e^{−βω}) written independently of the library (KMS: G(−ω) = e^{−βω}G(ω)).</summary>
internal sealed class GlauberTestRates(double rate, double beta) : IRateFunction
{
    public double Beta { get; } = beta;
    public double Rate(double w)
    {
        if (w == 0) return rate / 2;
        if (double.IsPositiveInfinity(Beta)) return w > 0 ? rate : 0;
        double x = -Beta * w;
        return x > 0 ? rate * Math.Exp(-x) / (1 + Math.Exp(-x)) : rate / (1 + Math.Exp(x));
    }
    public double LambShift(double w) => 0;
    public bool HasLambShift => false;
    public string Description => "glauber test rates";
}
