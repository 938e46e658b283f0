using Davies.Baths;
using MathNet.Numerics;

namespace Davies.Tests.Baths;

public class LambShiftRobustnessTests
{
    [Fact]
    public void LambShift_AtLargeBeta_ApproachesZeroTemperatureOracle()
    {
        double eta = 0.05, wc = 2;
        var g = new ThermalRates(new OhmicSpectralDensity(eta, wc), 1e8);
        foreach (double w in new[] { -3.0, -0.5, 0.3, 1, 4 })
        {
            double expected = Oracles.OhmicZeroTemperatureLambShift(eta, wc, w);
            Assert.True(Math.Abs(g.LambShift(w) - expected) <= 1e-10 * Math.Abs(expected), $"ω={w}: {g.LambShift(w):R} vs {expected:R}");
        }
    }

    [Fact]
    public void LambShift_AtVeryHighTemperature_MatchesMatsubaraSum()
    {
        double lambda = 0.3, gamma = 1.1, beta = 1e-3;
        var g = new ThermalRates(new DrudeLorentzSpectralDensity(lambda, gamma), beta);
        foreach (double w in new[] { -5.0, 0.3, 2, 50 })
        {
            double expected = Oracles.DrudeMatsubaraLambShift(lambda, gamma, beta, w);
            Assert.True(Math.Abs(g.LambShift(w) - expected) <= 1e-10 * Math.Abs(expected), $"ω={w}: {g.LambShift(w):R} vs {expected:R}");
        }
    }

    [Fact]
    public void LambShift_IsContinuousThroughZero_ForOhmic()
    {
        var g = new ThermalRates(new OhmicSpectralDensity(0.05, 2), 1);
        double s0 = g.LambShift(0);
        Assert.Equal(s0, g.LambShift(1e-300), 12);
        Assert.Equal(s0, g.LambShift(-1e-300), 12);
        Assert.Equal(s0, g.LambShift(1e-14), 11);
    }

    [Fact]
    public void LambShift_HandlesStronglySubOhmicBaths()
    {
        double eta = 0.05, wc = 2, s = 0.1;
        var g = new ThermalRates(new OhmicSpectralDensity(eta, wc, s), 1);
        Assert.Equal(-eta * wc * SpecialFunctions.Gamma(s), g.LambShift(0), 10);
        foreach (double w in new[] { -1.0, 1e-3, 1, 5 }) Assert.True(double.IsFinite(g.LambShift(w)));
        // S(ω) − S(−ω) is dominated by the |ω|^{s−1} divergence near 0: positive and growing as ω → 0⁺.
        Assert.True(g.LambShift(1e-4) > g.LambShift(1e-2));
    }

    [Fact]
    public void LambShift_IsContinuousAcrossTableNodes()
    {
        var g = new ThermalRates(new TabulatedSpectralDensity([(0.5, 0.1), (1, 0.4), (2, 0.3), (4, 0)]), 2);
        foreach (double node in new[] { 0.5, 1, 2, -1 })
        {
            double at = g.LambShift(node);
            Assert.True(double.IsFinite(at));
            // S has a (x − x₀) log|x − x₀| term at a kink of J: continuous, with differences ~ 1e-9·log
            Assert.True(Math.Abs(g.LambShift(node + 1e-9) - at) < 1e-7);
            Assert.True(Math.Abs(g.LambShift(node - 1e-9) - at) < 1e-7);
        }
    }

    [Fact]
    public void LambShift_AtHugeFrequencies_DecaysLikeMinusTotalRateOverOmega()
    {
        // S(ω) ≈ (1/2π)∫G(x)dx / ω for |ω| beyond the bath; ∫G = 2π∫J (T = 0) = 2π η ω_c² for Ohmic s = 1.
        double eta = 0.05, wc = 2;
        var g = new ThermalRates(new OhmicSpectralDensity(eta, wc), double.PositiveInfinity);
        foreach (double w in new[] { 1e6, -1e6 })
        {
            double leading = eta * wc * wc / w;
            Assert.True(Math.Abs(g.LambShift(w) - leading) <= 1e-5 * Math.Abs(leading), $"ω={w}: {g.LambShift(w):R} vs {leading:R}");
        }
    }
}
