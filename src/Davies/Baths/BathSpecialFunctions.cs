namespace Davies.Baths;

/// <summary>
/// The special functions of the closed-form bath correlation functions (docs/baths.md): a scaled Hurwitz zeta
/// function of complex argument (its σ = 2 case is the trigamma function ψ′) by the Euler–Maclaurin formula, and the
/// exponential integrals Ei and E₁ for x &gt; 0. Double precision throughout (~1e-15 relative).
/// </summary>
internal static class BathSpecialFunctions
{
    /// <summary>B_{2j}/(2j)! for j = 1…12 (Bernoulli numbers over factorials).</summary>
    private static readonly double[] BernoulliOverFactorial =
    [
        1.0 / 6 / 2, -1.0 / 30 / 24, 1.0 / 42 / 720, -1.0 / 30 / 40320, 5.0 / 66 / 3628800,
        -691.0 / 2730 / 479001600, 7.0 / 6 / 87178291200, -3617.0 / 510 / 20922789888000,
        43867.0 / 798 / 6402373705728000, -174611.0 / 330 / 2432902008176640000,
        854513.0 / 138 / 1.1240007277776077e21, -236364091.0 / 2730 / 6.204484017332394e23,
    ];

    /// <summary>The Euler–Maclaurin sum starts once |c + N h| ≥ this many steps h.</summary>
    private const double EulerMaclaurinStart = 24;

    /// <summary>
    /// Σ_{k≥0} (c + k h)^{−σ} = h^{−σ} ζ(σ, c/h) for real σ &gt; 1, h &gt; 0 and complex c with Re c &gt; 0 (principal
    /// powers). Direct terms until |c + N h| ≥ 24 h, then the Euler–Maclaurin tail
    /// (c+Nh)^{1−σ}/(h(σ−1)) + ½(c+Nh)^{−σ} + Σ_{j=1}^{12} B_{2j}/(2j)! (σ)_{2j−1} h^{2j−1} (c+Nh)^{1−σ−2j}, whose
    /// remainder is below 1e-17 relative. Written with c and h instead of q = c/h so that neither h^{−σ} nor q
    /// overflows when h is tiny or huge.
    /// </summary>
    public static Complex HurwitzZetaScaled(double sigma, Complex c, double h)
    {
        if (!(sigma > 1)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must exceed 1");
        if (!(c.Real > 0)) throw new ArgumentOutOfRangeException(nameof(c), c, "Re c must be positive");
        Complex sum = 0;
        int n = 0;
        while (Complex.Abs(c + n * h) < EulerMaclaurinStart * h && n < 100000)
        {
            sum += NegativePower(c + n * h, sigma);
            n++;
        }
        var w = c + n * h;
        var wPow = NegativePower(w, sigma);
        sum += wPow * w / (h * (sigma - 1)) + 0.5 * wPow;
        var term = wPow / w * h;          // h (c+Nh)^{−σ−1}
        var step = h * h / (w * w);
        double poch = sigma;               // (σ)_{2j−1}
        for (int j = 1; j <= BernoulliOverFactorial.Length; j++)
        {
            var add = BernoulliOverFactorial[j - 1] * poch * term;
            sum += add;
            if (Complex.Abs(add) <= 1e-18 * Complex.Abs(sum)) break;
            poch *= (sigma + 2 * j - 1) * (sigma + 2 * j);
            term *= step;
        }
        return sum;
    }

    /// <summary>
    /// z^{−σ} (principal branch): for an integer σ ≤ 16 (σ = 2 for the Ohmic bath) as (1/z)^σ by repeated products, a
    /// few roundings instead of Complex.Pow's logarithm, exponential and angle (most of the bath-memory quadrature's time).
    /// </summary>
    internal static Complex NegativePower(Complex z, double sigma)
    {
        if (sigma != Math.Floor(sigma) || sigma > 16) return Complex.Pow(z, -sigma);
        var r = Complex.One / z;
        var p = r;
        for (int k = 1; k < (int)sigma; k++) p *= r;
        return p;
    }

    /// <summary>The trigamma function ψ′(q) = ζ(2, q) for Re q &gt; 0.</summary>
    public static Complex Trigamma(Complex q) => HurwitzZetaScaled(2, q, 1);

    /// <summary>Euler's constant γ.</summary>
    private const double EulerGamma = 0.57721566490153286061;

    /// <summary>
    /// e^{−x} Ei(x) for x &gt; 0: the series γ + ln x + Σ x^k/(k·k!) (positive terms from x = 0.5) up to x = 40, the
    /// asymptotic series Σ k!/x^{k+1} beyond.
    /// </summary>
    public static double ScaledEi(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "x must be positive");
        if (x > 40)
        {
            double sum = 0, term = 1 / x;
            for (int k = 1; k < 200; k++)
            {
                sum += term;
                double next = term * k / x;
                if (next >= term || next < 1e-18 * sum) break;
                term = next;
            }
            return sum;
        }
        double s = 0, t = 1;
        for (int k = 1; k < 500; k++)
        {
            t *= x / k;
            double add = t / k;
            s += add;
            if (add < 1e-18 * Math.Abs(s)) break;
        }
        return (EulerGamma + Math.Log(x) + s) * Math.Exp(-x);
    }

    /// <summary>e^{x} E₁(x) for x &gt; 0: the series −γ − ln x − Σ (−x)^k/(k·k!) for x ≤ 1, a continued fraction beyond.</summary>
    public static double ScaledE1(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "x must be positive");
        if (x <= 1)
        {
            double sum = 0, term = 1;
            for (int k = 1; k < 200; k++)
            {
                term *= -x / k;
                sum += term / k;
                if (Math.Abs(term / k) < 1e-19) break;
            }
            return (-EulerGamma - Math.Log(x) - sum) * Math.Exp(x);
        }
        // e^{x}E1(x) = 1/(x + 1 − 1²/(x + 3 − 2²/(x + 5 − …))) (modified Lentz)
        const double tiny = 1e-300;
        double b = x + 1, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i < 100000; i++)
        {
            double an = -(double)i * i;
            b += 2;
            d = 1 / (an * d + b);
            c = b + an / c;
            double del = c * d;
            h *= del;
            if (Math.Abs(del - 1) < 1e-17) break;
        }
        return h;
    }

    /// <summary>
    /// e^{−x}Ei(x) − e^{x}E₁(x) for x &gt; 0 (= −(2/λγ)·Re C of a Drude–Lorentz bath at T = 0, x = γt). For x &gt; 40 the
    /// asymptotic series 2 Σ_{k odd} k!/x^{k+1}, which avoids the cancellation of the two ~1/x terms.
    /// </summary>
    public static double ExponentialIntegralDifference(double x)
    {
        if (x <= 40) return ScaledEi(x) - ScaledE1(x);
        double sum = 0, term = 1 / (x * x); // 1!/x²
        for (int k = 1; k < 200; k += 2)
        {
            sum += term;
            double next = term * (k + 1) * (k + 2) / (x * x);
            if (next >= term || next < 1e-18 * sum) break;
            term = next;
        }
        return 2 * sum;
    }
}
