using MathNet.Numerics;

namespace Davies.Tests.Baths;

/// <summary>Independent reference values for the bath tests (no code shared with the library).</summary>
internal static class Oracles
{
    public const double EulerGamma = 0.57721566490153286060651209;

    /// <summary>Ei(x), x &gt; 0, by the convergent series γ + ln x + Σ x^k/(k·k!) (all terms positive).</summary>
    public static double Ei(double x)
    {
        double sum = 0, term = 1;
        for (int k = 1; k < 500; k++)
        {
            term *= x / k;            // x^k / k!
            double add = term / k;
            sum += add;
            if (add < 1e-18 * sum) break;
        }
        return EulerGamma + Math.Log(x) + sum;
    }

    /// <summary>E₁(x), x &gt; 0, from Math.NET's generalized exponential integral E_n(x) at n = 1 (an implementation
    /// independent of the library's continued fraction).</summary>
    public static double E1(double x) => SpecialFunctions.ExponentialIntegral(x, 1);

    /// <summary>Ohmic s = 1, T = 0: S(ω) = η[−ω_c + ω e^{−ω/ω_c} Ei(ω/ω_c)] (ω &gt; 0), η[−ω_c + |ω| e^{|ω|/ω_c} E₁(|ω|/ω_c)] (ω &lt; 0).</summary>
    public static double OhmicZeroTemperatureLambShift(double eta, double wc, double w)
    {
        if (w == 0) return -eta * wc;
        if (w > 0) return eta * (-wc + w * Math.Exp(-w / wc) * Ei(w / wc));
        double a = -w;
        return eta * (-wc + a * Math.Exp(a / wc) * E1(a / wc));
    }

    /// <summary>Drude–Lorentz, T = 0: S(ω) = 2λγ[ω ln(|ω|/γ) − πγ/2]/(ω² + γ²).</summary>
    public static double DrudeZeroTemperatureLambShift(double lambda, double gamma, double w)
    {
        double log = w == 0 ? 0 : w * Math.Log(Math.Abs(w) / gamma);
        return 2 * lambda * gamma * (log - Math.PI * gamma / 2) / (w * w + gamma * gamma);
    }

    /// <summary>
    /// Drude–Lorentz at T &gt; 0 from the Matsubara expansion coth(βx/2) = (2/β)[1/x + Σ_k 2x/(x² + ν_k²)],
    /// ν_k = 2πk/β, and the Hilbert transforms of 1/(x² + c²) and x/(x² + γ²):
    /// S(ω) = −πλγ²/(ω²+γ²) + (2πλγω/β)[1/(γ(ω²+γ²)) + Σ_k 2(ν_k/(ω²+ν_k²) − γ/(ω²+γ²))/(ν_k² − γ²)].
    /// The part Σ γ/(ν_k² − γ²) is summed in closed form (Σ_k 1/(k² − a²) = 1/(2a²) − π cot(πa)/(2a)).
    /// </summary>
    public static double DrudeMatsubaraLambShift(double lambda, double gamma, double beta, double w)
    {
        double nu1 = 2 * Math.PI / beta, a = gamma / nu1;
        double g2 = w * w + gamma * gamma;
        // Σ_k 1/(ν_k² − γ²) = (1/ν1²) Σ 1/(k² − a²)
        double sumInv = (1 / (2 * a * a) - Math.PI / Math.Tan(Math.PI * a) / (2 * a)) / (nu1 * nu1);
        // Σ_k ν_k / ((ω² + ν_k²)(ν_k² − γ²)), terms ~ k^{-3}: direct sum plus an Euler–Maclaurin tail.
        const int K = 200000;
        double direct = 0;
        for (int k = K; k >= 1; k--)
        {
            double nu = nu1 * k;
            direct += nu / ((w * w + nu * nu) * (nu * nu - gamma * gamma));
        }
        // tail Σ_{k>K} f(k) ≈ ∫_{K+1/2}^∞ f, f(k) ≈ 1/(ν1³ k³) (1 + (γ² − ω²)/(ν1² k²))
        double kk = K + 0.5;
        direct += (1 / (2 * kk * kk) + (gamma * gamma - w * w) / (nu1 * nu1) / (4 * kk * kk * kk * kk)) / (nu1 * nu1 * nu1);
        double bracket = 1 / (gamma * g2) + 2 * direct - 2 * gamma / g2 * sumInv;
        return -Math.PI * lambda * gamma * gamma / g2 + 2 * Math.PI * lambda * gamma * w / beta * bracket;
    }

    /// <summary>Reference thermal rate G(x) written out independently.</summary>
    public static double Rate(Func<double, double> j, double beta, double x)
    {
        if (x > 0) return double.IsPositiveInfinity(beta) ? 2 * Math.PI * j(x) : 2 * Math.PI * j(x) / (1 - Math.Exp(-beta * x));
        if (double.IsPositiveInfinity(beta)) return 0;
        return 2 * Math.PI * j(-x) / (Math.Exp(-beta * x) - 1);
    }

    /// <summary>
    /// S(ω) by a method unlike the library's: 2πS(ω) = ∫_0^∞ [G(ω−u) − G(ω+u)]/u du over the whole half line, written
    /// in offsets v from u = |ω| (where ω ∓ u crosses 0 and G may be singular) so that the small argument of G is exact:
    /// u = |ω| − v on [0, |ω|] and u = |ω| + v on [0, U], the tail v = U/t, and v = z⁴ on the finite pieces
    /// (regularises |v|^{s−1} for s ≥ 1/4); double-exponential (tanh–sinh) quadrature on each piece (Math.NET).
    /// At ω = 0 the integrand is −2πJ(u)/u.
    /// </summary>
    public static double LambShiftByDoubleExponential(Func<double, double> j, double beta, double w, double U, double target = 1e-15)
    {
        double A = Math.Abs(w);
        double G(double x) => Rate(j, beta, x);
        // h at u = A + sign·v, with the argument that is near 0 computed exactly.
        double H(double v, int sign)
        {
            double u = A + sign * v;
            if (u <= 0) return 0;
            if (w == 0) return -2 * Math.PI * j(v) / v;
            double near = w > 0 ? -sign * v : sign * v;         // ω − u (ω > 0) or ω + u (ω < 0)
            double far = w > 0 ? 2 * A + sign * v : -2 * A - sign * v;
            return w > 0 ? (G(near) - G(far)) / u : (G(far) - G(near)) / u;
        }
        double Quartic(Func<double, double> f, double len) =>
            Integrate.DoubleExponential(z => { double z3 = z * z * z; return f(z3 * z) * 4 * z3; }, 0, Math.Pow(len, 0.25), target);
        double sum = 0;
        if (A > 0) sum += Quartic(v => H(v, -1), A);
        sum += Quartic(v => H(v, +1), U);
        sum += Integrate.DoubleExponential(t => t == 0 ? 0 : H(U / t, +1) * U / (t * t), 0, 1, target);
        return sum / (2 * Math.PI);
    }

    /// <summary>Ohmic J written out independently.</summary>
    public static Func<double, double> OhmicJ(double eta, double wc, double s) =>
        x => eta * Math.Pow(x, s) * Math.Pow(wc, 1 - s) * Math.Exp(-x / wc);

    /// <summary>Drude–Lorentz J written out independently.</summary>
    public static Func<double, double> DrudeJ(double lambda, double gamma) =>
        x => 2 * lambda * gamma * x / (x * x + gamma * gamma);
}
