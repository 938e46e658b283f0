using Davies.Baths;
using MathNet.Numerics;
using Xunit.Abstractions;

namespace Davies.Tests.Baths;

public class LambShiftTests(ITestOutputHelper output)
{
    private static readonly double[] TestOmegas = [-3, -0.5, 0, 0.3, 1, 4, 10];

    private void AssertClose(double expected, double actual, double rel, double absScale, string context)
    {
        double err = Math.Abs(actual - expected);
        output.WriteLine($"{context}: expected {expected:R}, got {actual:R}, error {err:E2} (rel {err / Math.Max(Math.Abs(expected), 1e-300):E2})");
        Assert.True(err <= rel * Math.Max(Math.Abs(expected), absScale),
            $"{context}: expected {expected:R}, got {actual:R} (error {err:E2})");
    }

    [Fact]
    public void LambShift_MatchesExponentialIntegral_ForOhmicAtZeroTemperature()
    {
        double eta = 0.05, wc = 2;
        var g = new ThermalRates(new OhmicSpectralDensity(eta, wc), double.PositiveInfinity);
        foreach (double w in new[] { -30, -3, -0.5, -1e-6, 0, 1e-6, 0.3, 1, 2, 4, 10, 60 })
            AssertClose(Oracles.OhmicZeroTemperatureLambShift(eta, wc, w), g.LambShift(w), 1e-10, 1e-2 * eta * wc, $"ω={w}");
    }

    [Fact]
    public void Oracle_SignOfNegativeFrequencyBranch_IsConsistent()
    {
        // For ω < 0 every term of P∫ 2πJ(x)/(ω − x) is negative, and S → −∫J/|ω| → 0⁻ as ω → −∞:
        // check the oracle itself against a plain (non-principal-value) integral, independent of the library.
        double eta = 0.05, wc = 2;
        foreach (double w in new[] { -0.5, -3.0, -10.0 })
        {
            double direct = Integrate.DoubleExponential(t => t == 0 || t == 1 ? 0 :
                eta * (t / (1 - t)) * Math.Exp(-(t / (1 - t)) / wc) / (w - t / (1 - t)) / ((1 - t) * (1 - t)), 0, 1, 1e-14);
            AssertClose(direct, Oracles.OhmicZeroTemperatureLambShift(eta, wc, w), 1e-10, 0, $"oracle ω={w}");
            Assert.True(direct < 0);
        }
    }

    [Fact]
    public void LambShift_MatchesClosedForm_ForDrudeAtZeroTemperature()
    {
        double lambda = 0.3, gamma = 1.5;
        var g = new ThermalRates(new DrudeLorentzSpectralDensity(lambda, gamma), double.PositiveInfinity);
        foreach (double w in new[] { -50, -3, -0.5, 0, 0.3, 1, 1.5, 4, 10, 200 })
            AssertClose(Oracles.DrudeZeroTemperatureLambShift(lambda, gamma, w), g.LambShift(w), 1e-10, 1e-2 * lambda, $"ω={w}");
    }

    [Theory]
    [InlineData(0.4)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(0.02)]
    public void LambShift_MatchesMatsubaraSum_ForDrude(double beta)
    {
        double lambda = 0.3, gamma = 1.1;
        var g = new ThermalRates(new DrudeLorentzSpectralDensity(lambda, gamma), beta);
        foreach (double w in new[] { -30.0, -3, -0.5, 0, 0.3, 1, 4, 10, 200 })
            AssertClose(Oracles.DrudeMatsubaraLambShift(lambda, gamma, beta, w), g.LambShift(w), 1e-10, 1e-2 * lambda, $"β={beta} ω={w}");
    }

    [Theory]
    [InlineData(2.0)]   // T = 0.5
    [InlineData(1.0)]   // T = 1
    [InlineData(0.2)]   // T = 5
    public void LambShift_MatchesIndependentQuadrature_ForOhmic(double beta)
    {
        double eta = 0.05, wc = 2;
        var g = new ThermalRates(new OhmicSpectralDensity(eta, wc), beta);
        var j = Oracles.OhmicJ(eta, wc, 1);
        foreach (double w in TestOmegas)
            AssertClose(Oracles.LambShiftByDoubleExponential(j, beta, w, 80 * wc), g.LambShift(w), 1e-11, 1e-2 * eta * wc, $"β={beta} ω={w}");
    }

    [Theory]
    [InlineData(2.0, 0.5)]
    [InlineData(1.0, 2.5)]
    [InlineData(0.2, 1.5)]
    [InlineData(double.PositiveInfinity, 0.5)]
    public void LambShift_MatchesIndependentQuadrature_ForNonIntegerExponents(double beta, double s)
    {
        double eta = 0.05, wc = 2;
        var g = new ThermalRates(new OhmicSpectralDensity(eta, wc, s), beta);
        var j = Oracles.OhmicJ(eta, wc, s);
        foreach (double w in TestOmegas)
            AssertClose(Oracles.LambShiftByDoubleExponential(j, beta, w, 80 * wc * Math.Max(1, s)), g.LambShift(w), 1e-11, 1e-2 * eta * wc, $"β={beta} s={s} ω={w}");
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0)]
    [InlineData(5.0)]
    public void LambShift_MatchesIndependentQuadrature_ForDrude(double beta)
    {
        double lambda = 0.2, gamma = 0.7;
        var g = new ThermalRates(new DrudeLorentzSpectralDensity(lambda, gamma), beta);
        var j = Oracles.DrudeJ(lambda, gamma);
        foreach (double w in TestOmegas)
            AssertClose(Oracles.LambShiftByDoubleExponential(j, beta, w, 50 * gamma), g.LambShift(w), 1e-11, 1e-2 * lambda, $"β={beta} ω={w}");
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(0.3, 0.5)]
    [InlineData(5.0, 2.5)]
    [InlineData(0.5, 0.25)]
    public void LambShift_AtZeroFrequency_IsMinusIntegralOfJOverOmega(double beta, double s)
    {
        // S(0) = −∫_0^∞ J(u)/u du at every temperature: −η ω_c Γ(s) for the Ohmic family, −πλ for Drude–Lorentz.
        double eta = 0.07, wc = 1.3;
        var ohmic = new ThermalRates(new OhmicSpectralDensity(eta, wc, s), beta);
        AssertClose(-eta * wc * SpecialFunctions.Gamma(s), ohmic.LambShift(0), 1e-11, 0, $"ohmic s={s}");
        var drude = new ThermalRates(new DrudeLorentzSpectralDensity(0.4, 2), beta);
        AssertClose(-Math.PI * 0.4, drude.LambShift(0), 1e-11, 0, "drude");
    }

    [Fact]
    public void LambShift_IsFiniteAndGrowing_ForSubOhmicNearZero()
    {
        // Sub-Ohmic at T > 0: G ~ |x|^{s−1} is integrable, S(ω) is finite for ω ≠ 0 and grows like |ω|^{s−1}.
        var g = new ThermalRates(new OhmicSpectralDensity(0.05, 2, 0.5), 1);
        double s1 = g.LambShift(1e-4), s2 = g.LambShift(1e-6);
        Assert.True(double.IsFinite(s1) && double.IsFinite(s2));
        Assert.True(s2 > s1 && s1 > 0);
    }

    [Fact]
    public void LambShift_MatchesIndependentQuadrature_ForTabulated()
    {
        var points = new (double, double)[] { (0.5, 0.1), (1, 0.4), (2, 0.3), (4, 0.05), (6, 0) };
        var d = new TabulatedSpectralDensity(points);
        foreach (double beta in new[] { 0.5, 2, double.PositiveInfinity })
        {
            var g = new ThermalRates(d, beta);
            Func<double, double> j = d.Evaluate;
            foreach (double w in new[] { -3, -0.5, 0, 0.3, 1, 2.2, 4, 6, 10 })
            {
                // independent: DE on every piece between the kinks of h(u) = [G(w−u) − G(w+u)]/u
                var kinks = new SortedSet<double> { 0, 40 };
                foreach (var (x, _) in points) { kinks.Add(Math.Abs(w - x)); kinks.Add(Math.Abs(w + x)); }
                kinks.Add(Math.Abs(w));
                var k = kinks.ToArray();
                double sum = 0;
                for (int i = 0; i + 1 < k.Length; i++)
                    sum += Integrate.DoubleExponential(u => w == 0 ? -2 * Math.PI * j(u) / u
                        : (Oracles.Rate(j, beta, w - u) - Oracles.Rate(j, beta, w + u)) / u, k[i], k[i + 1], 1e-15);
                AssertClose(sum / (2 * Math.PI), g.LambShift(w), 1e-11, 1e-2, $"β={beta} ω={w}");
            }
        }
    }

    [Fact]
    public void LambShift_Throws_WhereTableEndsWithAJump()
    {
        var g = new ThermalRates(new TabulatedSpectralDensity([(1, 0.5), (2, 0.5)]), 1);
        Assert.Throws<DivergentRateException>(() => g.LambShift(2));
        Assert.Throws<DivergentRateException>(() => g.LambShift(-2));
        Assert.True(double.IsFinite(g.LambShift(1.9)));
    }

    [Fact]
    public void LambShift_IsSmallAndOfCorrectSign_FarFromTheBath()
    {
        // S(ω) → −(1/ω)·(1/2π)∫G as ω → +∞ region beyond the bath (Drude's 1/ω tail included).
        var g = new ThermalRates(new DrudeLorentzSpectralDensity(0.3, 1.5), double.PositiveInfinity);
        double w = 1e5;
        AssertClose(Oracles.DrudeZeroTemperatureLambShift(0.3, 1.5, w), g.LambShift(w), 1e-9, 0, "ω=1e5");
    }

    [Fact]
    public void LambShift_IsCached_AndThreadSafe()
    {
        var g = new ThermalRates(new OhmicSpectralDensity(0.05, 2), 1);
        var values = new double[64];
        Parallel.For(0, values.Length, i => values[i] = g.LambShift(0.1 * (i % 8)));
        for (int i = 0; i < values.Length; i++) Assert.Equal(values[i % 8], values[i]);
        Assert.Equal(g.LambShift(0.0), g.LambShift(-0.0));
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(double.PositiveInfinity, 1.0)]
    [InlineData(2.0, 0.5)]
    public void LambShifts_Batch_AgreesWithDirect_ForOhmic(double beta, double s)
    {
        var g = new ThermalRates(new OhmicSpectralDensity(0.05, 2, s), beta);
        var direct = new ThermalRates(new OhmicSpectralDensity(0.05, 2, s), beta);
        var rng = new Random(7);
        int n = 3 * ThermalRates.DirectBatchLimit;
        var omegas = Enumerable.Range(0, n).Select(_ => (rng.NextDouble() * 2 - 1) * 15).ToList();
        omegas.Add(0);
        omegas.Add(omegas[5]); // a duplicate
        var batch = g.LambShifts(omegas);
        Assert.Equal(omegas.Count, batch.Length);
        double maxRel = 0;
        for (int i = 0; i < omegas.Count; i += 23)
        {
            double d = direct.LambShift(omegas[i]);
            double rel = Math.Abs(batch[i] - d) / Math.Max(Math.Abs(d), 1e-3);
            maxRel = Math.Max(maxRel, rel);
            Assert.True(rel < 1e-9, $"ω={omegas[i]}: batch {batch[i]:R}, direct {d:R}");
        }
        Assert.Equal(direct.LambShift(0), batch[n]);
        Assert.Equal(batch[5], batch[n + 1]);
        output.WriteLine($"max relative deviation {maxRel:E2}");
    }

    [Fact]
    public void LambShifts_Batch_AgreesWithDirect_ForDrudeAndTabulated()
    {
        ISpectralDensity[] densities =
        [
            new DrudeLorentzSpectralDensity(0.2, 0.7),
            new TabulatedSpectralDensity([(0.5, 0.1), (1, 0.4), (2, 0.3), (4, 0.05), (6, 0)]),
        ];
        foreach (var d in densities)
        {
            var g = new ThermalRates(d, 0.8);
            var reference = new ThermalRates(d, 0.8);
            var omegas = Enumerable.Range(0, 3000).Select(i => -20 + 40.0 * i / 2999).ToArray();
            var batch = g.LambShifts(omegas);
            for (int i = 0; i < omegas.Length; i += 37)
            {
                double r = reference.LambShift(omegas[i]);
                Assert.True(Math.Abs(batch[i] - r) <= 1e-9 * Math.Max(Math.Abs(r), 1e-3), $"{d.Description} ω={omegas[i]}: batch {batch[i]:R}, direct {r:R}");
            }
        }
    }

    [Fact]
    public void LambShifts_SmallBatch_IsDirect()
    {
        var g = new ThermalRates(new OhmicSpectralDensity(0.05, 2), 1);
        double[] w = [-1, 0, 2, 2];
        var b = g.LambShifts(w);
        for (int i = 0; i < w.Length; i++) Assert.Equal(g.LambShift(w[i]), b[i]);
    }
}
