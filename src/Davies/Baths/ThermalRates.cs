using Davies.LinearAlgebra;
using System.Collections.Concurrent;
using static Davies.Baths.GaussKronrod;

namespace Davies.Baths;

/// <summary>
/// Thermal rates of a bosonic bath with spectral density J at inverse temperature β:
/// G(ω) = 2π J(ω)(n_β(ω) + 1) with J extended oddly, n_β(ω) = 1/(e^{βω} − 1). So G(ω &gt; 0) = 2πJ(ω)/(1 − e^{−βω})
/// (emission), G(ω &lt; 0) = 2πJ(|ω|) n_β(|ω|) (absorption) and G(−ω) = e^{−βω} G(ω) (KMS). The Lamb-shift function
/// S(ω) = (1/2π) P∫ G(ω′)/(ω − ω′) dω′ is computed by adaptive Gauss–Kronrod quadrature (see docs/baths.md) and cached.
/// </summary>
public sealed class ThermalRates : IRateFunction
{
    /// <summary>Relative tolerance of the Lamb-shift quadrature, with respect to ∫|integrand|.</summary>
    private const double QuadratureRelTol = 1e-13;

    /// <summary>Segment budget of one Lamb-shift quadrature.</summary>
    private const int MaxSegments = 20000;

    /// <summary>Up to this many distinct frequencies <see cref="LambShifts"/> evaluates S(ω) one by one.</summary>
    internal const int DirectBatchLimit = 2000;

    /// <summary>Chebyshev nodes per interpolation panel.</summary>
    private const int PanelNodes = 20;

    /// <summary>Required accuracy of the batch interpolant, relative to max |S| on the panel's nodes.</summary>
    internal const double InterpolationRelTol = 1e-11;

    private static readonly double[] SoftMultiples = [1.0 / 16, 1.0 / 4, 1, 4, 16, 64];

    /// <summary>Soft breakpoints beyond this magnitude are dropped (the tail map x = b + c·t/(1−t) needs headroom).</summary>
    private const double MaxBreakpoint = 1e300;

    private readonly ConcurrentDictionary<double, double> _cache = new();
    private readonly IQuadratureHints? _hints;
    private readonly bool _zeroT;
    private readonly double _scale;

    /// <summary>Creates the rate function.</summary>
    /// <param name="density">The spectral density J.</param>
    /// <param name="beta">β &gt; 0, or +∞ for T = 0.</param>
    /// <exception cref="ModelException"><paramref name="beta"/> is not positive.</exception>
    public ThermalRates(ISpectralDensity density, double beta)
    {
        ArgumentNullException.ThrowIfNull(density);
        Density = density;
        Beta = BathParameters.Beta(beta);
        _hints = density as IQuadratureHints;
        _zeroT = double.IsPositiveInfinity(Beta);
        double c = density.CharacteristicFrequency;
        _scale = c > 0 && double.IsFinite(c) ? c : 1;
    }

    /// <summary>The spectral density.</summary>
    public ISpectralDensity Density { get; }

    /// <inheritdoc />
    public double Beta { get; }

    /// <summary>T = 1/β (0 when β = +∞).</summary>
    public double Temperature => _zeroT ? 0 : 1 / Beta;

    /// <inheritdoc />
    /// <exception cref="DivergentRateException">ω = 0, T &gt; 0 and J(ω)/ω diverges as ω → 0 (sub-Ohmic bath).</exception>
    public double Rate(double omega)
    {
        BathParameters.RequireFinite(omega);
        if (omega == 0)
        {
            double g0 = ZeroFrequencyRate();
            if (double.IsPositiveInfinity(g0)) throw new DivergentRateException(DivergentZeroRateMessage());
            return g0;
        }
        return RateAt(omega);
    }

    /// <summary>G(0) = 2π·lim J(ω)/ω / β (+∞ for sub-Ohmic at T &gt; 0), 0 at T = 0.</summary>
    private double ZeroFrequencyRate()
    {
        if (_zeroT) return 0;
        double slope = Density.LowFrequencySlope;
        return double.IsPositiveInfinity(slope) ? double.PositiveInfinity : 2 * Math.PI * slope / Beta;
    }

    private string DivergentZeroRateMessage() =>
        Density is OhmicSpectralDensity o
            ? $"the ω → 0 rate G(0) of a sub-Ohmic bath (exponent s = {BathParameters.Format(o.Exponent)} < 1) diverges at T > 0; " +
              "it is needed because a coupling has a non-zero ω = 0 (dephasing) part"
            : $"the ω → 0 rate G(0) of the bath {Density.Description} diverges at T > 0 (J(ω)/ω → ∞ as ω → 0); " +
              "it is needed because a coupling has a non-zero ω = 0 (dephasing) part";

    /// <summary>G(x) without argument checks; the ω → 0 limit (possibly +∞) at x = 0.</summary>
    private double RateAt(double x)
    {
        if (x == 0) return ZeroFrequencyRate();
        double a = Math.Abs(x);
        double j = Density.Evaluate(a);
        if (_zeroT) return x > 0 ? 2 * Math.PI * j : 0;
        double y = Beta * a;
        if (y < 1e-6)
        {
            // y/(1 − e^{−y}) = 1 + y/2 + y²/12 + O(y⁴), y/(e^{y} − 1) = 1 − y/2 + y²/12 + O(y⁴)
            double f = x > 0 ? 1 + y / 2 + y * y / 12 : 1 - y / 2 + y * y / 12;
            return 2 * Math.PI * (j / a) / Beta * f;
        }
        return x > 0 ? 2 * Math.PI * j / -BathParameters.Expm1(-y) : 2 * Math.PI * j / BathParameters.Expm1(y);
    }

    /// <inheritdoc />
    /// <exception cref="DivergentRateException">
    /// The principal value diverges: a tabulated density that ends with J &gt; 0 has a jump there, and S is
    /// logarithmically infinite at ω = ±(last table frequency).
    /// </exception>
    /// <exception cref="NumericalException">The quadrature overflowed (parameters far outside the model-file ranges).</exception>
    public double LambShift(double omega)
    {
        BathParameters.RequireFinite(omega);
        if (omega == 0) omega = 0; // fold −0 into +0 for the cache
        if (_cache.TryGetValue(omega, out double s)) return s;
        s = ComputeLambShift(omega);
        _cache.TryAdd(omega, s);
        return s;
    }

    /// <inheritdoc />
    public bool HasLambShift => true;

    /// <summary>E.g. "ohmic(eta=0.01, cutoff=5, exponent=1) at T=1".</summary>
    public string Description => $"{Density.Description} at T={BathParameters.FormatTemperature(Beta)}";

    // ----------------------------------------------------------------------------------------------------------
    // Lamb shift by quadrature
    // ----------------------------------------------------------------------------------------------------------

    /// <summary>
    /// 2π S(ω) = ∫_0^a [G(ω−u) − G(ω+u)]/u du + ∫_{|x−ω|&gt;a} G(x)/(ω−x) dx, the window half-width a keeping every
    /// kink of G (0, table points) outside (ω − a, ω + a). The outer part is split at the kinks and at multiples of the
    /// density's scales and of 1/β; semi-infinite tails are mapped to [0, 1) by x = b ± c·t/(1−t); pieces that end at
    /// x = 0 where G ~ |x|^α with non-integer α get x = x₀·t^p so the integrand becomes smooth.
    /// </summary>
    private double ComputeLambShift(double w)
    {
        double support = _hints?.SupportEnd ?? double.PositiveInfinity;
        double jump = _hints?.JumpAtSupportEnd ?? 0;
        if (jump > 0 && (w == support || (!_zeroT && w == -support)))
            throw new DivergentRateException(
                $"the Lamb shift S(ω) of the bath {Description} diverges at ω = {BathParameters.Format(w)}: " +
                $"the table ends there with J = {BathParameters.Format(jump)} > 0 (end the table with J = 0)");

        double rightEnd = support, leftEnd = _zeroT ? 0 : -support;
        var hard = new List<double> { 0 };
        if (_hints is not null)
            foreach (double k in _hints.Kinks)
            {
                hard.Add(k);
                if (!_zeroT) hard.Add(-k);
            }

        double a = _scale;
        foreach (double h in hard)
            if (h != w) a = Math.Min(a, Math.Abs(w - h) / 2);

        var pieces = new List<Piece>();
        double sExp = _hints?.LowFrequencyExponent ?? double.NaN;

        // Window around the pole.
        if (w == 0)
        {
            // G(−u) − G(u) = −2πJ(u) exactly at every temperature (no cancellation at high T).
            double f0(double u) => -2 * Math.PI * Density.Evaluate(u) / u;
            AddPiece(pieces, f0, 0, a, singularAtStart: true, singularAtEnd: false, alpha: sExp - 1);
        }
        else
        {
            pieces.Add(new Piece(u => (RateAt(w - u) - RateAt(w + u)) / u, 0, a));
        }

        // Outer breakpoints.
        var points = new SortedSet<double>(hard);
        var scales = new List<double> { _scale };
        if (_hints is not null) scales.AddRange(_hints.Scales);
        if (!_zeroT) scales.Add(1 / Beta);
        foreach (double c in scales)
        {
            if (!(c > 0) || !double.IsFinite(c)) continue;
            foreach (double m in SoftMultiples)
            {
                if (!(Math.Abs(c * m) <= MaxBreakpoint)) continue; // e.g. 64/β at β ~ 1e-308
                points.Add(c * m);
                points.Add(-c * m);
            }
        }
        if (double.IsFinite(support))
        {
            points.Add(support);
            points.Add(-support);
        }

        double alphaRight = _zeroT ? sExp : sExp - 1, alphaLeft = sExp - 1;
        double far(double x) => RateAt(x) / (w - x);

        // Right of the window.
        double lo = w + a;
        if (lo < rightEnd)
        {
            double prev = lo;
            foreach (double p in points.GetViewBetween(lo, rightEnd))
            {
                if (p <= lo || p >= rightEnd) continue;
                AddPiece(pieces, far, prev, p, true, true, prev >= 0 ? alphaRight : alphaLeft);
                prev = p;
            }
            if (double.IsPositiveInfinity(rightEnd))
            {
                double b = prev, c = Math.Max(Math.Abs(b), _scale);
                pieces.Add(new Piece(t =>
                {
                    double d = 1 - t, x = b + c * t / d;
                    return double.IsFinite(x) ? far(x) * c / (d * d) : 0; // J(±∞) = 0
                }, 0, 1));
            }
            else
            {
                AddPiece(pieces, far, prev, rightEnd, prev == 0, false, alphaRight);
            }
        }

        // Left of the window.
        double hi = w - a;
        if (hi > leftEnd)
        {
            double prev = hi;
            foreach (double p in points.GetViewBetween(Math.Max(leftEnd, double.MinValue), hi).Reverse())
            {
                if (p >= hi || p <= leftEnd) continue;
                AddPiece(pieces, far, p, prev, true, true, p >= 0 ? alphaRight : alphaLeft);
                prev = p;
            }
            if (double.IsNegativeInfinity(leftEnd))
            {
                double b = prev, c = Math.Max(Math.Abs(b), Math.Min(_scale, 1 / Beta));
                pieces.Add(new Piece(t =>
                {
                    double d = 1 - t, x = b - c * t / d;
                    return double.IsFinite(x) ? far(x) * c / (d * d) : 0;
                }, 0, 1));
            }
            else
            {
                AddPiece(pieces, far, leftEnd, prev, leftEnd == 0, false, alphaRight);
            }
        }

        var r = Integrate(pieces, QuadratureRelTol, 1e-300, MaxSegments);
        if (!double.IsFinite(r.Value))
            throw new NumericalException($"the Lamb-shift quadrature of {Description} at ω = {BathParameters.Format(w)} gave a non-finite result");
        return r.Value / (2 * Math.PI);
    }

    /// <summary>
    /// Adds ∫_{x0}^{x1} f. If the end at x = 0 is flagged singular and f ~ |x|^α there with non-integer α, the
    /// substitution x = x_s + (x_o − x_s)·t^p, p = ⌈3/(α+1)⌉, makes the integrand ~t^{p(α+1)−1}, at least t².
    /// </summary>
    private static void AddPiece(List<Piece> pieces, Func<double, double> f, double x0, double x1,
        bool singularAtStart, bool singularAtEnd, double alpha)
    {
        if (!(x1 > x0)) return;
        bool singular = (singularAtStart && x0 == 0) || (singularAtEnd && x1 == 0);
        bool smooth = double.IsNaN(alpha) || (alpha >= 0 && Math.Abs(alpha - Math.Round(alpha)) < 1e-12);
        if (!singular || smooth || alpha <= -1)
        {
            pieces.Add(new Piece(f, x0, x1));
            return;
        }
        int p = (int)Math.Ceiling(3 / (alpha + 1) - 1e-12);
        double xs = singularAtStart && x0 == 0 ? x0 : x1, xo = xs == x0 ? x1 : x0;
        double width = x1 - x0, delta = xo - xs;
        pieces.Add(new Piece(t =>
        {
            double tp1 = Math.Pow(t, p - 1);
            if (tp1 == 0) return 0;
            double x = xs + delta * (tp1 * t);
            if (x == xs) return 0;
            double v = f(x) * width * p * tp1;
            // Near t = 0 the transformed integrand behaves as t^{p(α+1)−1} → 0, but f(x) itself can overflow when x
            // is tiny (G ~ |x|^α with α close to −1); the product is then negligible, not infinite.
            return double.IsFinite(v) || t > 0.5 ? v : 0;
        }, 0, 1));
    }

    // ----------------------------------------------------------------------------------------------------------
    // Batch evaluation
    // ----------------------------------------------------------------------------------------------------------

    /// <summary>
    /// S(ω) at many frequencies. Up to <see cref="DirectBatchLimit"/> distinct values: one quadrature each (in
    /// parallel, cached). Beyond: a piecewise Chebyshev interpolant over [min ω, max ω], with breakpoints at 0 and at
    /// the kinks of G, bisected until its value at off-node check points agrees with direct quadrature to
    /// 1e-11·max|S| on the panel (so ~1e-10 overall); panels holding few frequencies, and frequencies on breakpoints, are evaluated directly.
    /// </summary>
    /// <exception cref="DivergentRateException">As for <see cref="LambShift"/>.</exception>
    public double[] LambShifts(IReadOnlyList<double> omegas)
    {
        ArgumentNullException.ThrowIfNull(omegas);
        var result = new double[omegas.Count];
        if (result.Length == 0) return result;
        var xs = new double[result.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            double w = omegas[i];
            BathParameters.RequireFinite(w);
            xs[i] = w == 0 ? 0 : w;
        }
        // Strictly ascending input (the Bohr frequencies by signed id) is its own distinct sorted list.
        bool ascending = true;
        for (int i = 1; i < xs.Length && ascending; i++) ascending = xs[i] > xs[i - 1];
        var distinct = ascending ? xs : xs.Distinct().ToArray();
        if (!ascending) Array.Sort(distinct);
        var values = ascending ? result : new double[distinct.Length];

        if (distinct.Length <= DirectBatchLimit) EvaluateDirect(distinct, values, 0, distinct.Length);
        else EvaluateInterpolated(distinct, values);

        if (!ascending)
            for (int i = 0; i < xs.Length; i++) result[i] = values[Array.BinarySearch(distinct, xs[i])];
        return result;
    }

    private void EvaluateDirect(double[] xs, double[] values, int lo, int hi)
    {
        if (hi - lo <= 4)
        {
            for (int i = lo; i < hi; i++) values[i] = LambShift(xs[i]);
            return;
        }
        Parallel.For(lo, hi, DenseKernels.Threads(), i => values[i] = LambShift(xs[i]));
    }

    private void EvaluateInterpolated(double[] xs, double[] values)
    {
        double min = xs[0], max = xs[^1];
        var breaks = new SortedSet<double> { min, max, 0 };
        if (_hints is not null)
        {
            foreach (double k in _hints.Kinks)
            {
                breaks.Add(k);
                if (!_zeroT) breaks.Add(-k);
            }
        }
        var inside = breaks.Where(b => b >= min && b <= max).ToArray();

        // Frequencies exactly on a breakpoint are computed directly.
        var onBreak = new List<int>();
        foreach (double b in inside)
        {
            int k = Array.BinarySearch(xs, b);
            if (k >= 0) onBreak.Add(k);
        }
        Parallel.ForEach(onBreak, DenseKernels.Threads(), k => values[k] = LambShift(xs[k]));

        for (int j = 0; j + 1 < inside.Length; j++)
        {
            double a = inside[j], b = inside[j + 1];
            int lo = LowerBound(xs, a, 0, xs.Length);
            if (lo < xs.Length && xs[lo] == a) lo++;
            int hi = LowerBound(xs, b, lo, xs.Length);
            if (hi > lo) FitPanel(xs, values, a, b, lo, hi, 0);
        }
    }

    private static int LowerBound(double[] xs, double value, int lo, int hi)
    {
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (xs[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static readonly double[] ChebNodes = Enumerable.Range(0, PanelNodes)
        .Select(j => Math.Cos((2 * j + 1) * Math.PI / (2 * PanelNodes))).ToArray();

    private static readonly double[] ChebWeights = Enumerable.Range(0, PanelNodes)
        .Select(j => (j % 2 == 0 ? 1 : -1) * Math.Sin((2 * j + 1) * Math.PI / (2 * PanelNodes))).ToArray();

    // Extrema of T_N (second-kind points), where the first-kind interpolation error peaks; none is a node.
    private static readonly double[] CheckPoints = new[] { 1, 7, 13, 19 }.Select(k => Math.Cos(k * Math.PI / PanelNodes)).ToArray();

    /// <summary>Interpolates S on the open panel (a, b) holding xs[lo..hi), bisecting until the check passes.</summary>
    private void FitPanel(double[] xs, double[] values, double a, double b, int lo, int hi, int depth)
    {
        if (hi - lo <= PanelNodes + CheckPoints.Length + 8 || depth > 200)
        {
            EvaluateDirect(xs, values, lo, hi);
            return;
        }
        double c = 0.5 * (a + b), h = 0.5 * (b - a);
        if (!(c > a && c < b))
        {
            EvaluateDirect(xs, values, lo, hi);
            return;
        }
        var samples = new double[PanelNodes + CheckPoints.Length];
        Parallel.For(0, samples.Length, DenseKernels.Threads(), i =>
        {
            double t = i < PanelNodes ? ChebNodes[i] : CheckPoints[i - PanelNodes];
            samples[i] = LambShift(c + h * t);
        });
        var f = samples.AsSpan(0, PanelNodes).ToArray();
        double scale = f.Max(Math.Abs);
        double tol = InterpolationRelTol * scale;
        bool ok = true;
        for (int k = 0; k < CheckPoints.Length && ok; k++)
            ok = Math.Abs(Barycentric(f, CheckPoints[k]) - samples[PanelNodes + k]) <= tol;
        if (ok)
        {
            for (int i = lo; i < hi; i++) values[i] = Barycentric(f, Math.Clamp((xs[i] - c) / h, -1, 1));
            return;
        }
        int m = LowerBound(xs, c, lo, hi);
        FitPanel(xs, values, a, c, lo, m, depth + 1);
        FitPanel(xs, values, c, b, m, hi, depth + 1);
    }

    private static double Barycentric(double[] f, double t)
    {
        double num = 0, den = 0;
        for (int j = 0; j < PanelNodes; j++)
        {
            double d = t - ChebNodes[j];
            if (d == 0) return f[j];
            double q = ChebWeights[j] / d;
            num += q * f[j];
            den += q;
        }
        return num / den;
    }
}
