namespace Davies.Baths;

/// <summary>
/// The bath correlation function C(t) = (1/2π) ∫ G(ω) e^{−iωt} dω = ∫_0^∞ J(ω)[coth(βω/2) cos ωt − i sin ωt] dω of a
/// thermal bath (the inverse of G(ω) = ∫ e^{iωt} C(t) dt; C(−t) = C(t)*). Closed forms for the Ohmic family and
/// Drude–Lorentz, a Chebyshev–Fourier (Filon) transform otherwise; docs/baths.md gives every formula.
/// </summary>
internal abstract class CorrelationFunction
{
    /// <summary>C(t); C(0) may have an infinite real part (Drude–Lorentz).</summary>
    public Complex At(double t) => t < 0 ? Complex.Conjugate(AtNonNegative(-t)) : AtNonNegative(t);

    /// <summary>C(t) for t ≥ 0.</summary>
    protected abstract Complex AtNonNegative(double t);

    /// <summary>Whether ∫_0^∞ |C(t)| dt is finite (decided from the density's low-frequency law and T).</summary>
    public abstract bool Integrable { get; }

    /// <summary>The shortest time scale of C (1/cutoff, 1/γ, 1/largest table frequency).</summary>
    public abstract double FastTime { get; }

    /// <summary>The longest intrinsic time scale of C (β, 1/γ, 1/lowest table frequency) beyond which C follows its asymptotic law.</summary>
    public abstract double SlowTime { get; }

    /// <summary>How C(t) is computed (for docs and the CLI).</summary>
    public abstract string Method { get; }

    /// <summary>
    /// The exponent p of an oscillating power-law tail |C| ~ t^{−p}·(quasi-periodic), when known (tabulated densities:
    /// p = 2 from the kinks); NaN when the tail is monotonic and its panel ratio settles by itself.
    /// </summary>
    public virtual double TailExponent => double.NaN;

    /// <summary>The correlation function of a thermal rate function.</summary>
    public static CorrelationFunction For(ThermalRates rates) => rates.Density switch
    {
        OhmicSpectralDensity o => new OhmicCorrelation(o, rates.Beta),
        DrudeLorentzSpectralDensity d => new DrudeLorentzCorrelation(d, rates.Beta),
        _ => new TransformCorrelation(rates.Density, rates.Beta),
    };
}

/// <summary>
/// Ohmic family J = η ω^s ω_c^{1−s} e^{−ω/ω_c}, σ = s + 1, u = ω_c t, B = βω_c:
/// C(t) = η Γ(σ) ω_c² [(1 + iu)^{−σ} + 2 Re Σ_{k≥0} (1 + B + kB − iu)^{−σ}], the sum being B^{−σ} ζ(σ, 1 + (1 − iu)/B)
/// (Hurwitz zeta; for s = 1 the trigamma function ψ′), from coth(βω/2) = 1 + 2Σ_k e^{−kβω}. T = 0: the first term.
/// </summary>
internal sealed class OhmicCorrelation(OhmicSpectralDensity density, double beta) : CorrelationFunction
{
    private readonly double _sigma = density.Exponent + 1;
    private readonly double _pre = density.Eta * MathNet.Numerics.SpecialFunctions.Gamma(density.Exponent + 1) * density.Cutoff * density.Cutoff;
    private readonly double _b = beta * density.Cutoff;
    private readonly bool _zeroT = double.IsPositiveInfinity(beta);

    protected override Complex AtNonNegative(double t) => At(new Complex(t, 0));

    /// <summary>C at complex time τ (analytic for −β ≤ Im τ ≤ 0): used by the KMS test C(t − iβ) = C(−t).</summary>
    internal Complex At(Complex tau)
    {
        var iu = Complex.ImaginaryOne * density.Cutoff * tau;
        var zero = Complex.Pow(1 + iu, -_sigma);
        if (_zeroT || _b > 1e300) return _pre * zero;
        var minus = BathSpecialFunctions.HurwitzZetaScaled(_sigma, 1 + _b - iu, _b);
        var plus = tau.Imaginary == 0 ? Complex.Conjugate(minus) : BathSpecialFunctions.HurwitzZetaScaled(_sigma, 1 + _b + iu, _b);
        return _pre * (zero + minus + plus);
    }

    public override bool Integrable => _zeroT || density.Exponent >= 1;

    public override double FastTime => 1 / (Math.Max(1, density.Exponent) * density.Cutoff);

    public override double SlowTime => _zeroT ? 1 / density.Cutoff : Math.Max(1 / density.Cutoff, beta);

    public override string Method => _zeroT
        ? "closed form η Γ(s+1) ω_c² (1 + iω_c t)^{−s−1} (T = 0)"
        : density.Exponent == 1
            ? "closed form with the trigamma function ψ′ (Euler–Maclaurin)"
            : "closed form with the Hurwitz zeta function ζ(s+1, ·) (Euler–Maclaurin)";
}

/// <summary>
/// Drude–Lorentz J = 2λγω/(ω² + γ²). T &gt; 0, t &gt; 0, ν_k = 2πk/β (Matsubara frequencies):
/// C(t) = πλγ[cot(βγ/2) − i] e^{−γt} + (4πλγ/β) Σ_k ν_k/(ν_k² − γ²) e^{−ν_k t}, summed until the geometric tail is
/// below 1e-17 of the sum; near a resonance ν_k = γ the two poles are combined analytically. Where the series would
/// need more than 5000 terms (t ≲ β/100) C = C_{T=0} + ∫ 2J(ω) n_β(ω) cos ωt dω, the latter by the
/// Chebyshev–Fourier transform. T = 0: C(t) = −λγ[e^{−γt}Ei(γt) − e^{γt}E₁(γt)] − iπλγ e^{−γt}. C(0) = +∞
/// (logarithmically: J ~ 1/ω).
/// </summary>
internal sealed class DrudeLorentzCorrelation : CorrelationFunction
{
    private const int MaxTerms = 5000;
    private readonly double _lambda, _gamma, _beta, _nu1;
    private readonly bool _zeroT;
    private readonly int _kStar;
    private readonly double _delta;
    private readonly bool _resonant;
    private readonly Lazy<ChebyshevFourier> _thermal;

    public DrudeLorentzCorrelation(DrudeLorentzSpectralDensity density, double beta)
    {
        _lambda = density.Lambda;
        _gamma = density.Gamma;
        _beta = beta;
        _zeroT = double.IsPositiveInfinity(beta);
        _nu1 = _zeroT ? 0 : 2 * Math.PI / beta;
        if (!_zeroT)
        {
            double b = beta * _gamma / (2 * Math.PI);
            _kStar = b < int.MaxValue ? (int)Math.Round(b) : int.MaxValue;
            _delta = beta * _gamma / 2 - Math.PI * _kStar;
            _resonant = _kStar >= 1 && Math.Abs(_delta) < 0.1;
        }
        _thermal = new Lazy<ChebyshevFourier>(() =>
        {
            double end = 60 / _beta;
            var breaks = new List<double> { 0, end };
            foreach (double m in new[] { 0.25, 1, 4 })
                if (m * _gamma < end) breaks.Add(m * _gamma);
            return ChebyshevFourier.Build(w => ThermalPart(density, w), breaks);
        });
    }

    // 2J(ω) n_β(ω), → 4λ/(γβ) as ω → 0
    private double ThermalPart(DrudeLorentzSpectralDensity density, double w)
    {
        double y = _beta * w;
        if (y < 1e-8) return 4 * _lambda / (_gamma * _beta) * (1 - y / 2);
        return 2 * density.Evaluate(w) / BathParameters.Expm1(y);
    }

    protected override Complex AtNonNegative(double t)
    {
        if (t == 0) return new Complex(double.PositiveInfinity, 0);
        if (_zeroT) return ZeroTemperature(t);
        double terms = 40 / (_nu1 * t) + 2.0 * _beta * _gamma / (2 * Math.PI);
        if (terms <= MaxTerms) return Matsubara(new Complex(t, 0));
        return ZeroTemperature(t) + _thermal.Value.Transform(t).Real;
    }

    private Complex ZeroTemperature(double t)
    {
        double x = _gamma * t;
        return new Complex(-_lambda * _gamma * BathSpecialFunctions.ExponentialIntegralDifference(x), -Math.PI * _lambda * _gamma * Math.Exp(-x));
    }

    /// <summary>The Matsubara series at complex time τ, Re τ &gt; 0 (T &gt; 0): used by the KMS test C(t − iβ) = C(−t).</summary>
    internal Complex Matsubara(Complex tau)
    {
        if (_zeroT || !(tau.Real > 0)) throw new ArgumentOutOfRangeException(nameof(tau), tau, "the Matsubara series needs T > 0 and Re τ > 0");
        var x = Complex.Exp(-_nu1 * tau);
        double ax = Complex.Abs(x);
        var decay = Complex.Exp(-_gamma * tau);
        double pre = Math.PI * _lambda * _gamma;
        Complex head;
        if (_resonant)
        {
            double nu = _nu1 * _kStar, d = _delta, d2 = d * d;
            double cotReg = -d * (1.0 / 3 + d2 * (1.0 / 45 + d2 * (2.0 / 945 + d2 * (1.0 / 4725 + d2 * (2.0 / 93555 + d2 * 1382.0 / 638512875)))));
            var z = -(nu - _gamma) * tau;
            var phi = Complex.Abs(z) > 1e-3 ? (Complex.Exp(z) - 1) / z : 1 + z / 2 * (1 + z / 3 * (1 + z / 4 * (1 + z / 5)));
            head = pre * (cotReg - Complex.ImaginaryOne) * decay
                   + 2 * pre / _beta * (decay * -tau * phi + Complex.Exp(-nu * tau) / (nu + _gamma));
        }
        else
        {
            head = pre * (1 / Math.Tan(_beta * _gamma / 2) - Complex.ImaginaryOne) * decay;
        }
        Complex sum = 0, xk = 1;
        for (int k = 1; k < 10_000_000; k++)
        {
            xk *= x;
            if (_resonant && k == _kStar) continue;
            double nu = _nu1 * k;
            var term = nu / ((nu - _gamma) * (nu + _gamma)) * xk;
            sum += term;
            // beyond ν_k > 2γ the terms fall geometrically (ratio ≤ |x|): stop when the tail is negligible
            if (nu > 2 * _gamma && k > _kStar + 1)
            {
                double tail = Complex.Abs(term) * ax / (1 - ax);
                if (tail <= 1e-17 * (Complex.Abs(sum) + Complex.Abs(head) * _beta / (4 * pre)) || xk == Complex.Zero) break;
            }
        }
        return head + 4 * pre / _beta * sum;
    }

    public override bool Integrable => true;

    public override double FastTime => _zeroT ? 1 / _gamma : Math.Min(1 / _gamma, _beta / (2 * Math.PI));

    public override double SlowTime => _zeroT ? 1 / _gamma : Math.Max(1 / _gamma, _beta / (2 * Math.PI));

    public override string Method => _zeroT
        ? "closed form with the exponential integrals Ei and E1 (T = 0)"
        : "Matsubara series (closed-form poles), Chebyshev–Fourier transform of the thermal part for t ≲ β/100";
}

/// <summary>
/// Any other density (tabulated, user-defined): C(t) = ∫_0^Ω J coth(βω/2) cos ωt dω − i ∫_0^Ω J sin ωt dω by the
/// Chebyshev–Fourier transform, with panel boundaries at the table points. Ω is the end of a finite support, else the
/// frequency where J has fallen below 1e-18 of its largest value (found by doubling).
/// </summary>
internal sealed class TransformCorrelation : CorrelationFunction
{
    private readonly ChebyshevFourier _cos, _sin;
    private readonly double _beta, _first, _end;
    private readonly bool _zeroT, _integrable, _tabulated;

    public TransformCorrelation(ISpectralDensity density, double beta)
    {
        _beta = beta;
        _zeroT = double.IsPositiveInfinity(beta);
        var hints = density as IQuadratureHints;
        double scale = density.CharacteristicFrequency is var c && c > 0 && double.IsFinite(c) ? c : 1;
        _end = hints is not null && double.IsFinite(hints.SupportEnd) ? hints.SupportEnd : SupportEnd(density, scale);
        var breaks = new SortedSet<double> { 0, _end };
        if (hints is not null)
        {
            foreach (double k in hints.Kinks) if (k > 0 && k < _end) breaks.Add(k);
            foreach (double s in hints.Scales)
                foreach (double m in new[] { 1.0 / 16, 0.25, 1, 4, 16 })
                    if (s * m > 0 && s * m < _end) breaks.Add(s * m);
        }
        if (!_zeroT)
            foreach (double m in new[] { 1.0, 4, 16 })
                if (m / beta < _end) breaks.Add(m / beta);
        _first = breaks.Count > 2 ? breaks.ElementAt(1) : _end;
        double slope = density.LowFrequencySlope;
        // a jump of J at the end of a table gives C ~ e^{−iΩt}/t: ∫|C| diverges logarithmically
        bool jump = hints is not null && hints.JumpAtSupportEnd > 0;
        _integrable = !jump && (_zeroT || !double.IsPositiveInfinity(slope));
        _tabulated = density is TabulatedSpectralDensity;
        _cos = ChebyshevFourier.Build(w => _zeroT ? density.Evaluate(w) : CothWeighted(density, w), breaks.ToArray());
        _sin = ChebyshevFourier.Build(density.Evaluate, breaks.ToArray());
    }

    private double CothWeighted(ISpectralDensity density, double w)
    {
        double y = _beta * w;
        double coth = y < 1e-8 ? 2 / y : 1 + 2 / BathParameters.Expm1(y);
        return density.Evaluate(w) * coth;
    }

    private static double SupportEnd(ISpectralDensity density, double scale)
    {
        double max = 0, w = scale / 64;
        for (int i = 0; i < 80; i++, w *= 2)
        {
            double j = Math.Abs(density.Evaluate(w));
            max = Math.Max(max, j);
            if (w > 4 * scale && j <= 1e-18 * max) return w;
        }
        return w;
    }

    protected override Complex AtNonNegative(double t)
    {
        var c = _cos.Transform(t);
        var s = _sin.Transform(t);
        return new Complex(c.Real, -s.Imaginary);
    }

    public override bool Integrable => _integrable;

    public override double FastTime => 1 / _end;

    /// <summary>A piecewise-linear J has kinks: |C| ~ t^{−2} with a quasi-periodic prefactor.</summary>
    public override double TailExponent => _tabulated ? 2 : double.NaN;

    public override double SlowTime => Math.Max(1 / _first, _zeroT ? 0 : _beta);

    public override string Method => $"Chebyshev–Fourier transform of J on [0, {BathParameters.Format(_end)}] ({_cos.PanelCount} panels)";
}
