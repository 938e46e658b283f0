using Davies.Baths;

namespace Davies.Tests.Baths;

/// <summary>
/// ∫|C| and τ_B (docs/validity.md): integrability decided from the density, and the panel integration with its
/// extrapolated tail against a brute-force trapezoid on a fine logarithmic grid (plus its own power-law tail).
/// </summary>
public class BathMemoryTests
{
    private static ThermalRates Ohmic(double eta, double wc, double s, double T) =>
        new(new OhmicSpectralDensity(eta, wc, s), T == 0 ? double.PositiveInfinity : 1 / T);

    /// <summary>∫|C| and the (1 − 1/e) quantile by the trapezoid rule on a log grid [tMin, tMax] plus a power-law tail.</summary>
    private static (double Integral, double Tau) BruteForce(IRateFunction rates, double tMin, double tMax, int points = 40_000)
    {
        var t = new double[points + 1];
        var c = new double[points + 1];
        t[0] = 0;
        double ratio = Math.Pow(tMax / tMin, 1.0 / (points - 1));
        for (int i = 1; i <= points; i++) t[i] = tMin * Math.Pow(ratio, i - 1);
        for (int i = 1; i <= points; i++) c[i] = Complex.Abs(BathCorrelations.At(rates, t[i]));
        c[0] = c[1]; // the first interval [0, tMin] is negligible (tMin tiny, C at most log-singular)
        var cum = new double[points + 1];
        for (int i = 1; i <= points; i++) cum[i] = cum[i - 1] + 0.5 * (c[i] + c[i - 1]) * (t[i] - t[i - 1]);
        // tail ∫_{tMax}^∞ A t^{−p}: p from the last decade
        int j = (int)(points * 0.9);
        double p = -Math.Log(c[points] / c[j]) / Math.Log(t[points] / t[j]);
        double tail = p > 1.01 ? c[points] * t[points] / (p - 1) : 0;
        double total = cum[points] + tail;
        double target = (1 - Math.Exp(-1)) * total;
        int k = Array.FindIndex(cum, x => x >= target);
        double tau = t[k - 1] + (target - cum[k - 1]) / (cum[k] - cum[k - 1]) * (t[k] - t[k - 1]);
        return (total, tau);
    }

    private static void AssertMemoryMatches(IRateFunction rates, double tMin, double tMax, double tol)
    {
        var m = BathCorrelations.Memory(rates);
        Assert.True(m.HasCorrelationFunction);
        Assert.True(m.Integrable);
        var (integral, tau) = BruteForce(rates, tMin, tMax);
        Assert.True(Math.Abs(m.IntegralAbs - integral) <= tol * integral, $"∫|C| = {m.IntegralAbs}, brute force {integral}");
        Assert.True(Math.Abs(m.CorrelationTime - tau) <= tol * tau, $"τ_B = {m.CorrelationTime}, brute force {tau}");
    }

    [Fact]
    public void Ohmic_AtFiniteTemperature_HasFiniteCorrelationTime() =>
        AssertMemoryMatches(Ohmic(0.05, 10, 1, 0.5), 1e-7, 1e5, 1e-4);

    [Fact]
    public void Ohmic_AtZeroTemperature_HasFiniteCorrelationTime() =>
        AssertMemoryMatches(Ohmic(0.05, 10, 1, 0), 1e-7, 1e5, 1e-4);

    [Fact]
    public void SubOhmic_AtZeroTemperature_IsIntegrable_WithItsSlowTail() =>
        AssertMemoryMatches(Ohmic(0.05, 10, 0.5, 0), 1e-7, 1e7, 2e-3);

    [Fact]
    public void SuperOhmic_AtFiniteTemperature_HasFiniteCorrelationTime() =>
        AssertMemoryMatches(Ohmic(0.05, 10, 3, 1), 1e-7, 1e5, 1e-4);

    [Fact]
    public void DrudeLorentz_AtFiniteTemperature_HasFiniteCorrelationTime_DespiteInfiniteC0() =>
        AssertMemoryMatches(new ThermalRates(new DrudeLorentzSpectralDensity(0.1, 1), 2), 1e-9, 1e3, 1e-4);

    [Fact]
    public void Tabulated_HasFiniteCorrelationTime() =>
        AssertMemoryMatches(new ThermalRates(new TabulatedSpectralDensity([(0.5, 0.05), (1, 0.2), (2, 0.1), (4, 0)]), 1), 1e-6, 3e3, 2e-3);

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void SubOhmic_AtFiniteTemperature_IsNotIntegrable(double s)
    {
        var m = BathCorrelations.Memory(Ohmic(0.05, 10, s, 0.5));
        Assert.True(m.HasCorrelationFunction);
        Assert.False(m.Integrable);
        Assert.True(double.IsPositiveInfinity(m.IntegralAbs));
        Assert.True(double.IsPositiveInfinity(m.CorrelationTime));
        Assert.Contains("long memory", m.Note);
        Assert.Contains("Markov", m.Note);
        // C(t) itself is finite and decays only as t^{−s}: t^s |C| approaches a constant
        double a = Math.Pow(1e4, s) * Complex.Abs(BathCorrelations.At(Ohmic(0.05, 10, s, 0.5), 1e4));
        double b = Math.Pow(1e5, s) * Complex.Abs(BathCorrelations.At(Ohmic(0.05, 10, s, 0.5), 1e5));
        Assert.True(Math.Abs(a - b) < 0.01 * a, $"t^s|C|: {a} vs {b}");
    }

    [Fact]
    public void Tabulated_EndingWithAJump_IsNotIntegrable()
    {
        // J jumps from 0.1 to 0 at ω = 2: at T = 0, C(t) = ∫J e^{−iωt} ~ 0.1 e^{−2it}/(−it), so t|C| → 0.1
        var density = new TabulatedSpectralDensity([(0.5, 0.05), (2, 0.1)]);
        foreach (double beta in new[] { 1.0, double.PositiveInfinity })
        {
            var m = BathCorrelations.Memory(new ThermalRates(density, beta));
            Assert.False(m.Integrable);
            Assert.True(double.IsPositiveInfinity(m.IntegralAbs));
        }
        var zeroT = new ThermalRates(density, double.PositiveInfinity);
        foreach (double t in new[] { 2000.0, 20000.0 })
            Assert.Equal(0.1, t * Complex.Abs(BathCorrelations.At(zeroT, t)), 3);
    }

    [Fact]
    public void GibbsSamplerRates_HaveNoCorrelationFunction()
    {
        foreach (IRateFunction r in new IRateFunction[] { new MetropolisRates(0.1, 2), new GlauberRates(0.1, 2) })
        {
            var m = BathCorrelations.Memory(r);
            Assert.False(m.HasCorrelationFunction);
            Assert.Contains("no microscopic C(t)", m.Note);
            Assert.Throws<Davies.ModelException>(() => BathCorrelations.At(r, 1));
            Assert.Empty(BathCorrelations.Compute(r, [0.0, 1.0]).Values);
        }
    }

    [Fact]
    public void Memory_IsShared_ByIdenticalBaths()
    {
        var a = BathCorrelations.Memory(Ohmic(0.02, 7, 1, 0.3));
        var b = BathCorrelations.Memory(Ohmic(0.02, 7, 1, 0.3));
        Assert.Same(a, b);
    }
}
