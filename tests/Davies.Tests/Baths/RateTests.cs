using Davies.Baths;

namespace Davies.Tests.Baths;

public class RateTests
{
    private static readonly double[] Betas = [0.05, 0.5, 1, 3, 20];
    private static readonly double[] Omegas = [1e-9, 1e-3, 0.1, 0.7, 1, 2.5, 8, 30];

    private static IEnumerable<ISpectralDensity> Densities() =>
    [
        new OhmicSpectralDensity(0.02, 3),
        new OhmicSpectralDensity(0.02, 3, 0.5),
        new OhmicSpectralDensity(0.02, 3, 2.5),
        new DrudeLorentzSpectralDensity(0.3, 1.5),
        new TabulatedSpectralDensity([(0.5, 0.1), (1, 0.4), (4, 0.2), (40, 0.01)]),
    ];

    private static void AssertRelative(double expected, double actual, double rel, string context = "")
    {
        double scale = Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(Math.Abs(actual - expected) <= rel * scale,
            $"{context}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / scale:E2})");
    }

    [Fact]
    public void Rate_ObeysKms_ForThermalBaths()
    {
        foreach (var d in Densities())
            foreach (double beta in Betas)
            {
                var g = new ThermalRates(d, beta);
                foreach (double w in Omegas)
                    AssertRelative(Math.Exp(-beta * w) * g.Rate(w), g.Rate(-w), 1e-13, $"{g.Description} ω={w}");
            }
    }

    [Fact]
    public void Rate_ObeysKms_ForMetropolisAndGlauber()
    {
        foreach (double beta in Betas)
        {
            IRateFunction[] rates = [new MetropolisRates(0.7, beta), new GlauberRates(0.7, beta)];
            foreach (var g in rates)
                foreach (double w in Omegas)
                    AssertRelative(Math.Exp(-beta * w) * g.Rate(w), g.Rate(-w), 1e-13, $"{g.Description} ω={w}");
        }
    }

    [Fact]
    public void Rate_MatchesExplicitFormula_ForOhmic()
    {
        double eta = 0.05, wc = 2, s = 1.7, beta = 0.8;
        var g = new ThermalRates(new OhmicSpectralDensity(eta, wc, s), beta);
        foreach (double w in new[] { 0.3, 1.0, 4.0 })
        {
            double j = eta * Math.Pow(w, s) * Math.Pow(wc, 1 - s) * Math.Exp(-w / wc);
            double n = 1 / (Math.Exp(beta * w) - 1);
            AssertRelative(2 * Math.PI * j * (n + 1), g.Rate(w), 1e-13, "emission");
            AssertRelative(2 * Math.PI * j * n, g.Rate(-w), 1e-13, "absorption");
        }
        // One hand-computed value: η=0.05, ω_c=2, s=1.7, ω=1, β=0.8.
        // J(1) = 0.05·2^{-0.7}·e^{-0.5}, G(1) = 2πJ/(1 − e^{-0.8})
        double j1 = 0.05 * Math.Pow(2, -0.7) * Math.Exp(-0.5);
        AssertRelative(2 * Math.PI * j1 / (1 - Math.Exp(-0.8)), g.Rate(1), 1e-14, "hand value");
    }

    [Fact]
    public void Rate_MatchesExplicitFormula_ForDrudeLorentz()
    {
        double lambda = 0.25, gamma = 0.8, beta = 2;
        var g = new ThermalRates(new DrudeLorentzSpectralDensity(lambda, gamma), beta);
        foreach (double w in new[] { 0.01, 0.5, 3.0, 100.0 })
        {
            double j = 2 * lambda * gamma * w / (w * w + gamma * gamma);
            AssertRelative(2 * Math.PI * j / (1 - Math.Exp(-beta * w)), g.Rate(w), 1e-13, "emission");
            AssertRelative(2 * Math.PI * j / (Math.Exp(beta * w) - 1), g.Rate(-w), 1e-12, "absorption");
        }
    }

    [Fact]
    public void Rate_IsAccurate_AtTinyFrequencies()
    {
        // G(ω) → 2πη/β (1 + βω/2) for Ohmic s = 1: the expm1 path must not lose digits.
        double eta = 0.1, beta = 2;
        var g = new ThermalRates(new OhmicSpectralDensity(eta, 1), beta);
        double w = 1e-12;
        AssertRelative(2 * Math.PI * eta / beta * (1 + beta * w / 2 - w), g.Rate(w), 1e-13, "ω = 1e-12");
        AssertRelative(2 * Math.PI * eta / beta * (1 - beta * w / 2 - w), g.Rate(-w), 1e-13, "ω = −1e-12");
        // and at extreme temperatures
        var hot = new ThermalRates(new OhmicSpectralDensity(eta, 1), 1e-300);
        AssertRelative(2 * Math.PI * eta * 1e300 * Math.Exp(-1e-310), hot.Rate(1e-310), 1e-12, "β = 1e-300");
    }

    [Fact]
    public void ZeroFrequencyRate_IsTwoPiEtaOverBeta_ForOhmic()
    {
        var g = new ThermalRates(new OhmicSpectralDensity(0.03, 5), 2.5);
        AssertRelative(2 * Math.PI * 0.03 / 2.5, g.Rate(0), 1e-15, "G(0)");
        AssertRelative(g.Rate(0), g.Rate(1e-9), 1e-8, "continuity");
    }

    [Fact]
    public void ZeroFrequencyRate_IsZero_ForSuperOhmic()
    {
        var g = new ThermalRates(new OhmicSpectralDensity(0.03, 5, 3), 2.5);
        Assert.Equal(0, g.Rate(0));
        Assert.True(g.Rate(1e-6) < 1e-10);
    }

    [Fact]
    public void ZeroFrequencyRate_Throws_ForSubOhmicAtPositiveTemperature()
    {
        var g = new ThermalRates(new OhmicSpectralDensity(0.03, 5, 0.5), 2.5);
        var ex = Assert.Throws<DivergentRateException>(() => g.Rate(0));
        Assert.Contains("sub-Ohmic", ex.Message);
        Assert.Contains("s = 0.5 < 1", ex.Message);
        Assert.Contains("ω = 0 (dephasing)", ex.Message);
        Assert.True(double.IsFinite(g.Rate(1e-8))); // finite away from 0
    }

    [Fact]
    public void ZeroFrequencyRate_IsZero_AtZeroTemperature()
    {
        foreach (var d in Densities())
            Assert.Equal(0, new ThermalRates(d, double.PositiveInfinity).Rate(0));
    }

    [Fact]
    public void ZeroFrequencyRate_IsTwoPiTwoLambdaOverGammaBeta_ForDrude()
    {
        double lambda = 0.4, gamma = 1.3, beta = 0.7;
        var g = new ThermalRates(new DrudeLorentzSpectralDensity(lambda, gamma), beta);
        AssertRelative(2 * Math.PI * 2 * lambda / (gamma * beta), g.Rate(0), 1e-15, "G(0)");
    }

    [Fact]
    public void Rate_HasNoAbsorption_AtZeroTemperature()
    {
        foreach (var d in Densities())
        {
            var g = new ThermalRates(d, double.PositiveInfinity);
            foreach (double w in Omegas)
            {
                Assert.Equal(0, g.Rate(-w));
                AssertRelative(2 * Math.PI * d.Evaluate(w), g.Rate(w), 1e-15, $"{g.Description} ω={w}");
            }
        }
    }

    [Fact]
    public void Rate_ApproachesZeroTemperature_AtLargeBeta()
    {
        var d = new DrudeLorentzSpectralDensity(0.2, 1);
        var g = new ThermalRates(d, 1e6);
        Assert.Equal(2 * Math.PI * d.Evaluate(0.5), g.Rate(0.5), 15);
        Assert.Equal(0, g.Rate(-0.5));
    }

    [Fact]
    public void Tabulated_InterpolatesLinearly_AndVanishesOutside()
    {
        var d = new TabulatedSpectralDensity([(1, 2), (3, 6), (4, 1)]);
        Assert.Equal(0, d.Evaluate(0));
        Assert.Equal(1, d.Evaluate(0.5), 15);   // linear from (0,0) to (1,2)
        Assert.Equal(2, d.Evaluate(1), 15);
        Assert.Equal(4, d.Evaluate(2), 15);     // midway 2 → 6
        Assert.Equal(6, d.Evaluate(3), 15);
        Assert.Equal(3.5, d.Evaluate(3.5), 15);
        Assert.Equal(1, d.Evaluate(4), 15);
        Assert.Equal(0, d.Evaluate(4.0000001));
        Assert.Equal(0, d.Evaluate(1e9));
        Assert.Equal(2, d.LowFrequencySlope, 15);
        Assert.Equal(4, d.CharacteristicFrequency);
        var g = new ThermalRates(d, 1.5);
        AssertRelative(2 * Math.PI * 2 / 1.5, g.Rate(0), 1e-15, "G(0) = 2π·slope/β");
        Assert.Equal(0, g.Rate(5));
        Assert.Equal(0, g.Rate(-5));
    }

    [Fact]
    public void Tabulated_CopiesItsTable()
    {
        var list = new List<(double, double)> { (1, 2), (2, 3) };
        var d = new TabulatedSpectralDensity(list);
        list[0] = (1, 100);
        Assert.Equal(2, d.Evaluate(1), 15);
        Assert.Equal(2, d.Points.Count);
        Assert.Equal((1.0, 2.0), d.Points[0]);
    }

    [Fact]
    public void Metropolis_HasExpectedValues()
    {
        var g = new MetropolisRates(2, 0.5);
        Assert.Equal(2, g.Rate(3));
        Assert.Equal(2, g.Rate(0));
        Assert.Equal(2 * Math.Exp(-1.5), g.Rate(-3), 15);
        var cold = new MetropolisRates(2, double.PositiveInfinity);
        Assert.Equal(2, cold.Rate(0));
        Assert.Equal(2, cold.Rate(1e-9));
        Assert.Equal(0, cold.Rate(-1e-9));
        Assert.False(g.HasLambShift);
        Assert.Equal(0, g.LambShift(1.3));
    }

    [Fact]
    public void Glauber_HasExpectedValues()
    {
        var g = new GlauberRates(2, 0.5);
        Assert.Equal(1, g.Rate(0));
        Assert.Equal(2 / (1 + Math.Exp(-1.5)), g.Rate(3), 15);
        Assert.Equal(2 / (1 + Math.Exp(1.5)), g.Rate(-3), 15);
        Assert.Equal(2, g.Rate(1e4));     // no overflow
        Assert.Equal(0, g.Rate(-1e4));
        var cold = new GlauberRates(2, double.PositiveInfinity);
        Assert.Equal(1, cold.Rate(0));
        Assert.Equal(2, cold.Rate(1e-9));
        Assert.Equal(0, cold.Rate(-1e-9));
        Assert.False(g.HasLambShift);
        Assert.Equal(0, g.LambShift(-0.4));
        Assert.Equal(new double[3], ((IRateFunction)g).LambShifts([1, 2, 3]));
    }

    [Fact]
    public void Descriptions_AreReadable()
    {
        Assert.Equal("ohmic(eta=0.01, cutoff=5, exponent=1)", new OhmicSpectralDensity(0.01, 5).Description);
        Assert.Equal("ohmic(eta=0.01, cutoff=5, exponent=1) at T=1", new ThermalRates(new OhmicSpectralDensity(0.01, 5), 1).Description);
        Assert.Equal("drude-lorentz(lambda=0.1, gamma=2) at T=0", new ThermalRates(new DrudeLorentzSpectralDensity(0.1, 2), double.PositiveInfinity).Description);
        Assert.Equal("ohmic(eta=0.01, cutoff=5, exponent=1) at T=0.3", new ThermalRates(new OhmicSpectralDensity(0.01, 5), 1 / 0.3).Description);
        Assert.Equal("tabulated(2 points, ω from 1 to 2)", new TabulatedSpectralDensity([(1, 2), (2, 3)]).Description);
        Assert.Equal("metropolis(rate=1) at T=0.5", new MetropolisRates(1, 2).Description);
        Assert.Equal("glauber(rate=1) at T=0.5", new GlauberRates(1, 2).Description);
    }

    [Fact]
    public void Rate_RejectsNaN()
    {
        var g = new ThermalRates(new OhmicSpectralDensity(0.01, 5), 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Rate(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.LambShift(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OhmicSpectralDensity(0.01, 5).Evaluate(-1));
    }
}
