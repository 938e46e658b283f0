using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Davies.Baths;

/// <summary>
/// The memory of one bath: whether it has a microscopic correlation function, whether ∫_0^∞ |C(t)| dt is finite, that
/// integral and the bath correlation time τ_B (docs/validity.md).
/// </summary>
/// <param name="HasCorrelationFunction">False for rate functions without a spectral density (Metropolis, Glauber).</param>
/// <param name="Integrable">
/// Whether ∫_0^∞ |C(t)| dt is finite. False for a sub-Ohmic density (J ~ ω^s, s &lt; 1) at T &gt; 0, where C(t) ~ t^{−s}:
/// a bath with long memory, for which the Markov approximation is not justified. False when there is no C(t).
/// </param>
/// <param name="IntegralAbs">∫_0^∞ |C(t)| dt; +∞ when not integrable, NaN without C(t).</param>
/// <param name="CorrelationTime">τ_B: ∫_0^{τ_B} |C| = (1 − 1/e) ∫_0^∞ |C|; +∞ when not integrable, NaN without C(t).</param>
/// <param name="ValueAtZero">C(0) = ∫_0^∞ J(ω) coth(βω/2) dω (real); +∞ when it diverges (Drude–Lorentz), NaN without C(t).</param>
/// <param name="Method">How C(t) is computed.</param>
/// <param name="Note">A remark for the user (why there is no C(t), a divergent C(0), long memory), or empty.</param>
public sealed record BathMemory(bool HasCorrelationFunction, bool Integrable, double IntegralAbs, double CorrelationTime,
    double ValueAtZero, string Method, string Note);

/// <summary>C(t) of one bath at the requested times, with its memory.</summary>
/// <param name="Times">The times t.</param>
/// <param name="Values">C(t) at each time (empty without a correlation function; an infinite real part at a divergent C(0)).</param>
/// <param name="Memory">∫|C|, τ_B and the remarks.</param>
public sealed record BathCorrelationFunction(IReadOnlyList<double> Times, IReadOnlyList<Complex> Values, BathMemory Memory);

/// <summary>
/// Bath correlation functions C(t) = ⟨B(t)B(0)⟩ = (1/2π) ∫ G(ω) e^{−iωt} dω of thermal baths (the inverse of
/// G(ω) = ∫ e^{iωt} C(t) dt), equal to ∫_0^∞ J(ω)[coth(βω/2) cos ωt − i sin ωt] dω with this library's G (no 1/π
/// as in the HEOM convention), and their memory (∫|C|, τ_B). Closed forms for Ohmic and Drude–Lorentz densities,
/// a Chebyshev–Fourier transform for tabulated ones (docs/baths.md). Accuracy ~1e-10 relative or better.
/// Memory statistics are computed once per rate function (identical Ohmic and Drude–Lorentz baths share them).
/// </summary>
public static class BathCorrelations
{
    private static readonly ConditionalWeakTable<ThermalRates, CorrelationFunction> Functions = new();
    private static readonly ConditionalWeakTable<ThermalRates, BathMemory> MemoryByObject = new();
    private static readonly ConcurrentDictionary<(Type, double, double, double, double), BathMemory> MemoryByParameters = new();

    /// <summary>Whether <paramref name="rates"/> has a microscopic correlation function (a <see cref="ThermalRates"/>).</summary>
    public static bool HasCorrelationFunction(IRateFunction rates) => rates is ThermalRates;

    /// <summary>C(t) of a thermal bath (C(−t) = C(t)*). At t = 0 the real part is +∞ when C(0) diverges.</summary>
    /// <exception cref="ModelException">The rates have no microscopic correlation function (Metropolis, Glauber).</exception>
    public static Complex At(IRateFunction rates, double t)
    {
        if (!double.IsFinite(t)) throw new ArgumentOutOfRangeException(nameof(t), t, "The time t must be finite.");
        return FunctionOf(rates).At(t);
    }

    /// <summary>C(t) at every time of <paramref name="times"/>, and the bath's memory.</summary>
    public static BathCorrelationFunction Compute(IRateFunction rates, IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(times);
        var memory = Memory(rates);
        if (!memory.HasCorrelationFunction) return new BathCorrelationFunction(times.ToArray(), [], memory);
        var c = FunctionOf(rates);
        var values = new Complex[times.Count];
        for (int i = 0; i < values.Length; i++)
        {
            double t = times[i];
            if (!double.IsFinite(t)) throw new ArgumentOutOfRangeException(nameof(times), t, "Every time must be finite.");
            values[i] = c.At(t);
        }
        return new BathCorrelationFunction(times.ToArray(), values, memory);
    }

    /// <summary>
    /// Whether ∫|C| is finite, its value and τ_B (cached per rate function; Ohmic and Drude–Lorentz rates with equal
    /// parameters and temperature share one entry). Rates without a spectral density get a note and NaN values.
    /// </summary>
    public static BathMemory Memory(IRateFunction rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        if (rates is not ThermalRates thermal)
            return new BathMemory(false, false, double.NaN, double.NaN, double.NaN, "",
                $"{rates.Description}: phenomenological rates without a spectral density have no microscopic C(t); skipped");
        if (ParameterKey(thermal) is { } key) return MemoryByParameters.GetOrAdd(key, _ => ComputeMemory(thermal));
        return MemoryByObject.GetValue(thermal, ComputeMemory);
    }

    private static (Type, double, double, double, double)? ParameterKey(ThermalRates t) => t.Density switch
    {
        OhmicSpectralDensity o => (typeof(OhmicSpectralDensity), o.Eta, o.Cutoff, o.Exponent, t.Beta),
        DrudeLorentzSpectralDensity d => (typeof(DrudeLorentzSpectralDensity), d.Lambda, d.Gamma, 0.0, t.Beta),
        _ => null,
    };

    internal static CorrelationFunction FunctionOf(IRateFunction rates) => rates is ThermalRates t
        ? Functions.GetValue(t, CorrelationFunction.For)
        : throw new ModelException($"{rates.Description}: phenomenological rates without a spectral density have no microscopic correlation function C(t)");

    private static BathMemory ComputeMemory(ThermalRates rates)
    {
        var c = FunctionOf(rates);
        double c0 = c.At(0).Real;
        var stats = CorrelationMemory.Compute(c);
        var notes = new List<string>();
        if (double.IsPositiveInfinity(c0))
            notes.Add("C(0) = ∫J(ω)coth(βω/2)dω is infinite (J decays only as 1/ω); C(t) diverges logarithmically as t → 0");
        if (!c.Integrable)
            notes.Add("sub-Ohmic J (J(ω)/ω → ∞ as ω → 0) at T > 0: C(t) decays only as t^{−s}, ∫|C| diverges: a bath with long memory, " +
                      "for which the Markov approximation is not justified");
        if (stats.Note.Length > 0) notes.Add(stats.Note);
        return new BathMemory(true, c.Integrable, stats.IntegralAbs, stats.CorrelationTime, c0, c.Method, string.Join("; ", notes));
    }
}
