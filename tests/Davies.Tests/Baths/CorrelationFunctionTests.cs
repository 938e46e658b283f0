using Davies.Baths;
using MathNet.Numerics;

namespace Davies.Tests.Baths;

/// <summary>
/// C(t) = ∫_0^∞ J(ω)[coth(βω/2) cos ωt − i sin ωt] dω of the closed forms and the Chebyshev–Fourier transform against
/// an independent quadrature written here (Gauss–Legendre on half periods, Euler acceleration of the oscillating
/// tail), the Fourier pair with G(ω), symmetry and KMS.
/// </summary>
public class CorrelationFunctionTests
{
    private static ThermalRates Ohmic(double eta, double wc, double s, double T) =>
        new(new OhmicSpectralDensity(eta, wc, s), T == 0 ? double.PositiveInfinity : 1 / T);

    private static ThermalRates Drude(double lambda, double gamma, double T) =>
        new(new DrudeLorentzSpectralDensity(lambda, gamma), T == 0 ? double.PositiveInfinity : 1 / T);

    /// <summary>
    /// ∫_0^∞ f(ω) w(ωt) dω (w = cos or sin): Gauss–Legendre (order 40) on pieces no wider than <paramref name="width"/>
    /// and a half period π/t up to <paramref name="w0"/>, then half periods to 400 more, whose partial sums are
    /// accelerated by repeated averaging (the tail of a slowly decaying f alternates in sign).
    /// </summary>
    internal static double Fourier(Func<double, double> f, double t, bool cosine, double width, double w0)
    {
        Func<double, double> g = cosine ? w => f(w) * Math.Cos(w * t) : w => f(w) * Math.Sin(w * t);
        double step = t > 0 ? Math.Min(width, Math.PI / t) : width;
        double sum = 0, a = 0;
        // geometric grading towards ω = 0 (f may have an integrable singularity or a kink there)
        double first = step / 1024;
        sum += Integrate.GaussLegendre(g, 0, first, 40);
        for (double x = first; x < step; x *= 2) sum += Integrate.GaussLegendre(g, x, Math.Min(2 * x, step), 40);
        a = step;
        while (a < w0)
        {
            sum += Integrate.GaussLegendre(g, a, a + step, 40);
            a += step;
        }
        if (t == 0) return sum;
        // align to half periods
        double half = Math.PI / t, k0 = Math.Ceiling(a / half) * half;
        sum += Integrate.GaussLegendre(g, a, k0, 40);
        a = k0;
        var partial = new List<double>();
        for (int k = 0; k < 400; k++)
        {
            sum += Integrate.GaussLegendre(g, a, a + half, 40);
            a += half;
            partial.Add(sum);
        }
        return Wynn(partial);
    }

    /// <summary>Repeated averaging of neighbouring partial sums (Euler's transform for an alternating tail).</summary>
    private static double Wynn(List<double> s)
    {
        var cur = s.Skip(s.Count - 61).ToArray();
        for (int m = 0; m < 50; m++)
        {
            var next = new double[cur.Length - 1];
            for (int i = 0; i < next.Length; i++) next[i] = 0.5 * (cur[i] + cur[i + 1]);
            cur = next;
        }
        return cur[^1];
    }

    internal static Complex Reference(Func<double, double> j, double beta, double t, double width, double w0)
    {
        double Coth(double w) => double.IsPositiveInfinity(beta) ? 1 : 1 / Math.Tanh(beta * w / 2);
        double re = Fourier(w => j(w) * Coth(w), t, true, width, w0);
        double im = -Fourier(j, t, false, width, w0);
        return new Complex(re, im);
    }

    private static void AssertClose(Complex expected, Complex actual, double rel, string what)
    {
        double err = Complex.Abs(expected - actual);
        Assert.True(err <= rel * Complex.Abs(expected), $"{what}: expected {expected}, got {actual} (relative error {err / Complex.Abs(expected):E2})");
    }

    [Theory]
    [InlineData(1.0, 0.5)]
    [InlineData(1.0, 5.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.5, 0.0)]
    [InlineData(3.0, 0.7)]
    [InlineData(2.0, 0.0)]
    public void Ohmic_ClosedForm_MatchesQuadrature(double s, double T)
    {
        double eta = 0.05, wc = 10;
        var rates = Ohmic(eta, wc, s, T);
        var j = Oracles.OhmicJ(eta, wc, s);
        double beta = rates.Beta;
        foreach (double t in new[] { 0.0, 0.02, 0.1, 0.4, 1.5 })
        {
            var expected = Reference(j, beta, t, Math.Min(wc, T > 0 ? T : wc) / 2, 80 * wc);
            AssertClose(expected, BathCorrelations.At(rates, t), 1e-8, $"s = {s}, T = {T}, t = {t}");
        }
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(1.0, 0.3)]
    [InlineData(1.0, 2.0)]
    [InlineData(0.2, 5.0)]
    [InlineData(2.0, 1.2732395447351628)] // βγ/2 = π·0.999…: next to the resonance ν_1 = γ
    [InlineData(2.0, 1.0 / Math.PI)]        // ν_1 = γ exactly
    public void DrudeLorentz_Series_MatchesQuadrature(double gamma, double T)
    {
        double lambda = 0.1;
        var rates = Drude(lambda, gamma, T);
        var j = Oracles.DrudeJ(lambda, gamma);
        double beta = rates.Beta;
        foreach (double t in new[] { 0.003, 0.05, 0.3, 1.0, 3.0 })
        {
            double width = Math.Min(gamma, T > 0 ? T : gamma) / 4;
            var expected = Reference(j, beta, t, width, 60 * Math.Max(gamma, T));
            AssertClose(expected, BathCorrelations.At(rates, t), 1e-8, $"γ = {gamma}, T = {T}, t = {t}");
        }
    }

    [Fact]
    public void DrudeLorentz_ValueAtZero_IsInfinite_AndReportedSo()
    {
        var rates = Drude(0.1, 1, 0.5);
        Assert.True(double.IsPositiveInfinity(BathCorrelations.At(rates, 0).Real));
        var memory = BathCorrelations.Memory(rates);
        Assert.True(double.IsPositiveInfinity(memory.ValueAtZero));
        Assert.Contains("C(0)", memory.Note);
        Assert.True(double.IsFinite(BathCorrelations.Memory(Ohmic(0.05, 10, 1, 0.5)).ValueAtZero));
    }

    [Fact]
    public void Tabulated_Transform_MatchesQuadrature_AtZeroAndFiniteTemperature()
    {
        var points = new (double, double)[] { (0.5, 0.05), (1.0, 0.2), (2.0, 0.15), (3.0, 0.3), (5.0, 0.0) };
        var density = new TabulatedSpectralDensity(points);
        foreach (double T in new[] { 0.0, 0.4, 3.0 })
        {
            var rates = new ThermalRates(density, T == 0 ? double.PositiveInfinity : 1 / T);
            foreach (double t in new[] { 0.0, 0.3, 2.0, 9.0, 40.0 })
            {
                // piece by piece between the table points (the integrand has kinks there)
                var expected = Complex.Zero;
                double[] knots = [0, 0.5, 1, 2, 3, 5];
                for (int k = 0; k + 1 < knots.Length; k++)
                {
                    double a = knots[k], b = knots[k + 1];
                    double Coth(double w) => T == 0 ? 1 : 1 / Math.Tanh(w / (2 * T));
                    double J(double w) => density.Evaluate(w);
                    int pieces = 64 + (int)(t * (b - a));
                    double h = (b - a) / pieces;
                    for (int p = 0; p < pieces; p++)
                    {
                        double x0 = a + p * h;
                        double re = Integrate.GaussLegendre(w => J(w) * Coth(w) * Math.Cos(w * t), x0, x0 + h, 32);
                        double im = -Integrate.GaussLegendre(w => J(w) * Math.Sin(w * t), x0, x0 + h, 32);
                        expected += new Complex(re, im);
                    }
                }
                AssertClose(expected, BathCorrelations.At(rates, t), 1e-9, $"T = {T}, t = {t}");
            }
        }
    }

    [Theory]
    [InlineData(1.0, 0.5)]
    [InlineData(0.5, 0.0)]
    [InlineData(3.0, 2.0)]
    public void Ohmic_NegativeTime_IsConjugate_ByTheComplexTimeFormula(double s, double T)
    {
        var rates = Ohmic(0.05, 10, s, T);
        var c = new OhmicCorrelation((OhmicSpectralDensity)rates.Density, rates.Beta);
        foreach (double t in new[] { 0.05, 0.7, 3.0 })
        {
            // At(Complex) evaluates both Hurwitz sums separately: nothing imposes the symmetry
            AssertClose(Complex.Conjugate(c.At(new Complex(t, 0))), c.At(new Complex(-t, 0)), 1e-12, $"t = {t}");
            Assert.Equal(Complex.Conjugate(BathCorrelations.At(rates, t)), BathCorrelations.At(rates, -t));
        }
    }

    [Theory]
    [InlineData(1.0, 0.5, 0.8)]
    [InlineData(0.5, 2.0, 0.3)]
    [InlineData(2.0, 1.0 / Math.PI, 1.1)]
    public void DrudeLorentz_Kms_ShiftByBeta_GivesNegativeTime(double gamma, double T, double t)
    {
        var c = new DrudeLorentzCorrelation(new DrudeLorentzSpectralDensity(0.1, gamma), 1 / T);
        var shifted = c.Matsubara(new Complex(t, -1 / T));
        AssertClose(c.At(-t), shifted, 1e-11, "C(t − iβ) = C(−t)");
        // and the imaginary shift matters: half of it does not give C(−t)
        Assert.True(Complex.Abs(c.Matsubara(new Complex(t, -0.5 / T)) - c.At(-t)) > 1e-3 * Complex.Abs(c.At(-t)));
    }

    [Fact]
    public void Ohmic_Kms_ShiftByBeta_GivesNegativeTime()
    {
        var c = new OhmicCorrelation(new OhmicSpectralDensity(0.05, 10, 1), 2);
        foreach (double t in new[] { 0.1, 1.0 })
            AssertClose(c.At(new Complex(-t, 0)), c.At(new Complex(t, -2)), 1e-11, $"t = {t}");
    }

    [Theory]
    [InlineData("drude", 1.0, 0.5)]
    [InlineData("drude", 0.5, 2.0)]
    [InlineData("ohmic3", 1.0, 1.0)]
    public void Rate_IsRecovered_ByFourierTransformOfC(string kind, double scale, double T)
    {
        // G(ω) = ∫ e^{iωt} C(t) dt = 2 Re ∫_0^∞ e^{iωt} C(t) dt
        ThermalRates rates = kind == "drude" ? Drude(0.1, scale, T) : Ohmic(0.05, 5 * scale, 3, T);
        double decay = kind == "drude" ? Math.Min(scale, 2 * Math.PI * T) : 2 * Math.PI * T;
        double tMax = kind == "drude" ? 60 / decay : 400 / scale;
        foreach (double w in new[] { -1.5, -0.3, 0.4, 1.0, 2.5 })
        {
            double F(double t) => t == 0 ? 0 : (Complex.Exp(new Complex(0, w * t)) * BathCorrelations.At(rates, t)).Real;
            // graded pieces near t = 0 (log singularity for Drude), then uniform
            double sum = 0, a = 0, h0 = 1e-6;
            for (double b = h0; b < 1; b *= 2) { sum += Integrate.DoubleExponential(F, a, b, 1e-14); a = b; }
            for (double b = a + 0.5; a < tMax; b += 0.5) { sum += Integrate.GaussLegendre(F, a, b, 32); a = b; }
            double expected = rates.Rate(w);
            double got = 2 * sum;
            Assert.True(Math.Abs(got - expected) <= 1e-6 * Math.Abs(expected), $"{kind} ω = {w}: G = {expected}, ∫e^{{iωt}}C = {got}");
        }
    }

    [Fact]
    public void Trigamma_MatchesKnownValues_AndReflection()
    {
        Assert.Equal(Math.PI * Math.PI / 6, BathSpecialFunctions.Trigamma(1).Real, 14);
        Assert.Equal(Math.PI * Math.PI / 2, BathSpecialFunctions.Trigamma(0.5).Real, 13);
        foreach (var z in new[] { new Complex(0.3, 0.7), new Complex(0.5, -4), new Complex(0.9, 25) })
        {
            var lhs = BathSpecialFunctions.Trigamma(1 - z) + BathSpecialFunctions.Trigamma(z);
            var s = Complex.Sin(Math.PI * z);
            // the sum can be exponentially small (large Im z): compare against the size of the terms
            double size = Complex.Abs(BathSpecialFunctions.Trigamma(z)) + Complex.Abs(BathSpecialFunctions.Trigamma(1 - z));
            Assert.True(Complex.Abs(Math.PI * Math.PI / (s * s) - lhs) <= 1e-14 * size, $"reflection at {z}");
            AssertClose(BathSpecialFunctions.Trigamma(z + 1) + 1 / (z * z), BathSpecialFunctions.Trigamma(z), 1e-13, $"recurrence at {z}");
        }
        // scaled form: Σ (c + k h)^{−σ} by brute force for a fast-decaying case
        var c = new Complex(0.7, -2.0);
        Complex direct = 0;
        for (int k = 0; k < 200000; k++) direct += Complex.Pow(c + 0.3 * k, -6.5);
        AssertClose(direct, BathSpecialFunctions.HurwitzZetaScaled(6.5, c, 0.3), 1e-12, "σ = 6.5");
        // the same for an integer σ (powers by products instead of Complex.Pow)
        direct = 0;
        for (int k = 0; k < 200000; k++) direct += Complex.Pow(c + 0.3 * k, -4);
        AssertClose(direct, BathSpecialFunctions.HurwitzZetaScaled(4, c, 0.3), 1e-12, "σ = 4");
    }

    [Fact]
    public void NegativePower_OfAnIntegerOrder_MatchesComplexPow()
    {
        var rng = new Random(17);
        foreach (int sigma in new[] { 2, 3, 4, 7, 16 })
            for (int t = 0; t < 200; t++)
            {
                // magnitudes from 1e-6 to 1e6, every quadrant
                var z = Complex.FromPolarCoordinates(Math.Pow(10, 12 * rng.NextDouble() - 6), 2 * Math.PI * (rng.NextDouble() - 0.5));
                if (Math.Abs(sigma * Math.Log10(z.Magnitude)) > 250) continue;
                AssertClose(Complex.Pow(z, -sigma), BathSpecialFunctions.NegativePower(z, sigma), 1e-14, $"z = {z}, σ = {sigma}");
            }
        Assert.Equal(Complex.Pow(new Complex(0.3, 0.4), -2.5), BathSpecialFunctions.NegativePower(new Complex(0.3, 0.4), 2.5));
    }
}
