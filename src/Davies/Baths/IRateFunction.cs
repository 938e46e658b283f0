namespace Davies.Baths;

/// <summary>
/// The bath correlation data the Davies and Bloch–Redfield generators need, for one bath mode:
/// the rate G(ω) (ω &gt; 0 emission, KMS: G(−ω) = e^{−βω} G(ω)) and the Lamb-shift function
/// S(ω) = (1/2π) P∫ G(ω′)/(ω − ω′) dω′. ħ = k_B = 1.
/// </summary>
public interface IRateFunction
{
    /// <summary>Inverse temperature β = 1/T; <see cref="double.PositiveInfinity"/> at T = 0.</summary>
    double Beta { get; }

    /// <summary>
    /// G(ω) ≥ 0. At ω = 0 the limit ω → 0; throws <see cref="DivergentRateException"/> when that limit is infinite.
    /// </summary>
    double Rate(double omega);

    /// <summary>S(ω); zero for rate functions without a Lamb shift (<see cref="HasLambShift"/> false).</summary>
    double LambShift(double omega);

    /// <summary>
    /// S(ω) at many frequencies at once (e.g. every Bohr frequency of a large model). Implementations may use an
    /// interpolant of certified accuracy instead of one quadrature per frequency.
    /// </summary>
    double[] LambShifts(IReadOnlyList<double> omegas)
    {
        var result = new double[omegas.Count];
        for (int i = 0; i < result.Length; i++) result[i] = LambShift(omegas[i]);
        return result;
    }

    /// <summary>Whether <see cref="LambShift"/> can be non-zero.</summary>
    bool HasLambShift { get; }

    /// <summary>A one-line human description, e.g. "ohmic(eta=0.01, cutoff=5, exponent=1) at T=1".</summary>
    string Description { get; }
}

/// <summary>
/// A spectral density J(ω) for ω ≥ 0 (the library extends it oddly, J(−ω) = −J(ω)).
/// </summary>
public interface ISpectralDensity
{
    /// <summary>J(ω) for ω ≥ 0.</summary>
    double Evaluate(double omega);

    /// <summary>lim_{ω→0+} J(ω)/ω: finite for Ohmic, 0 for super-Ohmic, +∞ for sub-Ohmic.</summary>
    double LowFrequencySlope { get; }

    /// <summary>A frequency beyond which J is negligible or decays (cutoff, γ, last table point); used by quadrature.</summary>
    double CharacteristicFrequency { get; }

    /// <summary>A one-line human description.</summary>
    string Description { get; }
}
