using static Davies.Baths.GaussKronrod;

namespace Davies.Baths;

/// <summary>
/// ∫_0^∞ |C(t)| dt and the bath correlation time τ_B: the time by which the fraction 1 − 1/e of that integral has
/// accumulated, ∫_0^{τ_B} |C| = (1 − 1/e) ∫_0^∞ |C| (docs/validity.md). The integral is taken over [0, t₀] and then
/// over panels [t₀2^k, t₀2^{k+1}] (adaptive Gauss–Kronrod on each, relative tolerance 1e-10), t₀ = a quarter of the
/// fastest time scale. Once the panels lie beyond 64 × the slowest time scale and the ratio r of successive panel
/// integrals is steady to 1e-4 (a power law t^{−p} has r = 2^{1−p}, an exponential r → 0), the rest is the geometric tail
/// I_k r/(1 − r); it stops earlier when that tail is below 1e-10 of the total.
/// </summary>
internal static class CorrelationMemory
{
    private const double RelTol = 1e-10;
    private const int MaxPanels = 400;
    private const int SegmentsPerPanel = 4000;

    /// <summary>1 − 1/e: the fraction of ∫|C| accumulated by τ_B.</summary>
    public static readonly double Fraction = 1 - Math.Exp(-1);

    public readonly record struct Statistics(double IntegralAbs, double CorrelationTime, string Note);

    public static Statistics Compute(CorrelationFunction c)
    {
        if (!c.Integrable) return new Statistics(double.PositiveInfinity, double.PositiveInfinity, "");
        double abs(double t) => Complex.Abs(c.At(t));
        double t0 = c.FastTime / 4;
        var ends = new List<double> { 0, t0 };
        var parts = new List<double> { Integral(abs, 0, t0) };
        double total = parts[0], tail = 0, ratio = double.NaN;
        string note = "";
        bool done = false;
        double lo = t0;
        for (int k = 0; k < MaxPanels && !done; k++, lo *= 2)
        {
            double hi = 2 * lo;
            double part = Integral(abs, lo, hi);
            ends.Add(hi);
            parts.Add(part);
            total += part;
            if (part <= 1e-14 * total && hi > 16 * c.SlowTime) { done = true; break; }
            if (parts.Count < 4 || hi < 64 * c.SlowTime) continue;
            double r1 = part / parts[^2], r2 = parts[^2] / parts[^3];
            bool known = double.IsFinite(c.TailExponent);
            if (known) r1 = r2 = Math.Pow(2, 1 - c.TailExponent); // an oscillating tail of known power law
            if (!(r1 < 0.999)) continue;
            double estimate = part * r1 / (1 - r1);
            if (estimate <= 1e-10 * total) { done = true; break; }
            if (Math.Abs(r1 - r2) <= 1e-4 * r1 || hi > 1e6 * c.SlowTime)
            {
                tail = estimate;
                ratio = r1;
                done = true;
            }
        }
        if (!done)
        {
            note = "∫|C| did not settle within the panels; shown is the partial integral";
        }
        double integral = total + tail;
        double target = Fraction * integral;
        // The crossing: in a panel, or in the extrapolated tail (power law t^{−p}, 2^{1−p} = r).
        double cumulative = 0;
        for (int i = 0; i < parts.Count; i++)
        {
            if (cumulative + parts[i] >= target)
            {
                // the panel in 64 pieces (cumulative), then bisection inside the piece that crosses
                double need = target - cumulative, width = (ends[i + 1] - ends[i]) / 64, a = ends[i], b = ends[i + 1];
                for (int q = 0; q < 64; q++)
                {
                    double x0 = ends[i] + q * width, x1 = q == 63 ? ends[i + 1] : x0 + width;
                    double piece = Integral(abs, x0, x1);
                    if (piece >= need || q == 63)
                    {
                        a = x0;
                        b = x1;
                        break;
                    }
                    need -= piece;
                }
                double start = a;
                for (int it = 0; it < 60 && b - a > 1e-12 * b; it++)
                {
                    double m = 0.5 * (a + b);
                    if (Integral(abs, start, m) >= need) b = m;
                    else a = m;
                }
                return new Statistics(integral, 0.5 * (a + b), note);
            }
            cumulative += parts[i];
        }
        double last = ends[^1];
        double exponent = Math.Log2(ratio); // 1 − p < 0
        double left = 1 - (target - cumulative) / tail;
        double tau = exponent < 0 && left > 0 ? last * Math.Pow(left, 1 / exponent) : last;
        return new Statistics(integral, tau, note + (note.Length > 0 ? "; " : "") + "τ_B lies in the extrapolated power-law tail");
    }

    private static double Integral(Func<double, double> f, double a, double b)
    {
        if (!(b > a)) return 0;
        return Integrate([new Piece(f, a, b)], RelTol, 1e-300, SegmentsPerPanel).Value;
    }
}
