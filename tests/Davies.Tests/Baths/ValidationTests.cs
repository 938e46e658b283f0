using Davies.Baths;

namespace Davies.Tests.Baths;

public class ValidationTests
{
    private static void AssertModelError(Action create, string expected)
    {
        var ex = Assert.Throws<ModelException>(create);
        Assert.Equal(expected, ex.Message);
    }

    [Fact] public void Ohmic_RejectsNegativeEta() => AssertModelError(() => _ = new OhmicSpectralDensity(-1, 1), "eta must be a positive finite number, got -1");
    [Fact] public void Ohmic_RejectsZeroEta() => AssertModelError(() => _ = new OhmicSpectralDensity(0, 1), "eta must be a positive finite number, got 0");
    [Fact] public void Ohmic_RejectsNaNEta() => AssertModelError(() => _ = new OhmicSpectralDensity(double.NaN, 1), "eta must be a positive finite number, got NaN");
    [Fact] public void Ohmic_RejectsInfiniteCutoff() => AssertModelError(() => _ = new OhmicSpectralDensity(1, double.PositiveInfinity), "cutoff must be a positive finite number, got ∞");
    [Fact] public void Ohmic_RejectsZeroCutoff() => AssertModelError(() => _ = new OhmicSpectralDensity(1, 0), "cutoff must be a positive finite number, got 0");
    [Fact] public void Ohmic_RejectsNonPositiveExponent() => AssertModelError(() => _ = new OhmicSpectralDensity(1, 1, -0.5), "exponent must be a positive finite number, got -0.5");
    [Fact] public void Drude_RejectsBadLambda() => AssertModelError(() => _ = new DrudeLorentzSpectralDensity(0, 1), "lambda must be a positive finite number, got 0");
    [Fact] public void Drude_RejectsBadGamma() => AssertModelError(() => _ = new DrudeLorentzSpectralDensity(1, -2), "gamma must be a positive finite number, got -2");
    [Fact] public void Metropolis_RejectsBadRate() => AssertModelError(() => _ = new MetropolisRates(0, 1), "rate must be a positive finite number, got 0");
    [Fact] public void Glauber_RejectsBadRate() => AssertModelError(() => _ = new GlauberRates(double.PositiveInfinity, 1), "rate must be a positive finite number, got ∞");
    [Fact] public void Metropolis_RejectsBadBeta() => AssertModelError(() => _ = new MetropolisRates(1, 0), "beta must be a positive number or +∞ (T = 0), got 0");
    [Fact] public void Glauber_RejectsBadBeta() => AssertModelError(() => _ = new GlauberRates(1, double.NaN), "beta must be a positive number or +∞ (T = 0), got NaN");
    [Fact] public void Thermal_RejectsNegativeBeta() => AssertModelError(() => _ = new ThermalRates(new OhmicSpectralDensity(1, 1), -1), "beta must be a positive number or +∞ (T = 0), got -1");
    [Fact] public void Thermal_AcceptsInfiniteBeta() => Assert.Equal(double.PositiveInfinity, new ThermalRates(new OhmicSpectralDensity(1, 1), double.PositiveInfinity).Beta);
    [Fact] public void Tabulated_RejectsEmpty() => AssertModelError(() => _ = new TabulatedSpectralDensity([]), "points must contain at least one (ω, J) pair");
    [Fact] public void Tabulated_RejectsNegativeJ() => AssertModelError(() => _ = new TabulatedSpectralDensity([(0.5, 1), (1, 1), (1.5, 1), (2, -0.2)]), "points[3]: J(ω) must be ≥ 0, got -0.2 at ω = 2");
    [Fact] public void Tabulated_RejectsInfiniteJ() => AssertModelError(() => _ = new TabulatedSpectralDensity([(1, double.PositiveInfinity)]), "points[0]: J(ω) must be finite, got ∞ at ω = 1");
    [Fact] public void Tabulated_RejectsZeroOmega() => AssertModelError(() => _ = new TabulatedSpectralDensity([(0, 1)]), "points[0]: ω must be a positive finite number, got 0");
    [Fact] public void Tabulated_RejectsNonIncreasingOmega() => AssertModelError(() => _ = new TabulatedSpectralDensity([(1, 1), (2, 1), (2, 3)]), "points must have strictly increasing ω > 0 (points[2] has ω = 2 after ω = 2)");
}
