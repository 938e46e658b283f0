namespace Davies.Baths;

/// <summary>
/// Fourier integrals F(t) = ∫_a^b f(ω) e^{iωt} dω of a piecewise-smooth function at any t, at a cost independent of t
/// (a Filon-type method). f is replaced once by a piecewise Chebyshev interpolant of degree 16: each interval between
/// the given breakpoints is bisected until the last two Chebyshev coefficients of every panel are below
/// 1e-14 × max|f| (or a panel is 2⁻⁶⁰ of its interval). The integral of a polynomial p times e^{iωt} over a panel
/// is then exact: for a large phase κ = t·(panel width)/2 by repeated integration by parts,
/// ∫ p e^{iωt} = Σ_j (−1)^j [p^{(j)} e^{iωt}]/(it)^{j+1} (finite, the endpoint derivatives stored once), which has no
/// cancellation once κ exceeds max_k k²/(2 ln(100 max|c|/|c_k|)) (a few units for a converged panel); for small κ by 20-point Gauss–Legendre
/// on sub-panels of phase ≤ 2 (exact to ~1e-17 for the polynomial times the exponential).
/// </summary>
internal sealed class ChebyshevFourier
{
    private const int N = 17; // nodes; degree 16
    private const int MaxDepth = 60;
    private const double RelTol = 1e-14;

    private static readonly double[] Nodes = Enumerable.Range(0, N).Select(j => Math.Cos(Math.PI * (j + 0.5) / N)).ToArray();
    private static readonly (double[] X, double[] W) Gauss = GaussLegendre(20);

    private sealed record Panel(double A, double B, double[] Coef, double[] DerivA, double[] DerivB, double KappaMin);

    private readonly Panel[] _panels;

    private ChebyshevFourier(Panel[] panels) => _panels = panels;

    /// <summary>Number of panels of the interpolant.</summary>
    public int PanelCount => _panels.Length;

    /// <summary>
    /// Interpolates <paramref name="f"/> on [breaks[0], breaks[^1]], with panel boundaries at every breakpoint
    /// (kinks of f). <paramref name="f"/> is never evaluated at a breakpoint (first-kind Chebyshev nodes).
    /// </summary>
    public static ChebyshevFourier Build(Func<double, double> f, IReadOnlyList<double> breaks)
    {
        var pts = breaks.Where(double.IsFinite).Distinct().OrderBy(x => x).ToArray();
        if (pts.Length < 2) return new ChebyshevFourier([]);
        // A first pass fixes the scale max|f| that the tolerance refers to.
        double scale = 0;
        var first = new List<(double A, double B, double[] V)>();
        for (int i = 0; i + 1 < pts.Length; i++)
        {
            var v = Sample(f, pts[i], pts[i + 1]);
            foreach (double x in v) scale = Math.Max(scale, Math.Abs(x));
            first.Add((pts[i], pts[i + 1], v));
        }
        var panels = new List<Panel>();
        foreach (var (a, b, v) in first) Refine(f, a, b, v, RelTol * scale, 0, panels, ref scale);
        return new ChebyshevFourier(panels.ToArray());
    }

    private static double[] Sample(Func<double, double> f, double a, double b)
    {
        double c = 0.5 * (a + b), h = 0.5 * (b - a);
        var v = new double[N];
        for (int j = 0; j < N; j++)
        {
            double y = f(c + h * Nodes[j]);
            v[j] = double.IsFinite(y) ? y : 0;
        }
        return v;
    }

    private static void Refine(Func<double, double> f, double a, double b, double[] values, double tol, int depth,
        List<Panel> panels, ref double scale)
    {
        var coef = Coefficients(values);
        double tail = Math.Abs(coef[N - 1]) + Math.Abs(coef[N - 2]);
        double mid = 0.5 * (a + b);
        if (tail <= tol || depth >= MaxDepth || !(mid > a && mid < b))
        {
            panels.Add(MakePanel(a, b, coef));
            return;
        }
        var left = Sample(f, a, mid);
        var right = Sample(f, mid, b);
        foreach (double x in left.Concat(right)) scale = Math.Max(scale, Math.Abs(x));
        Refine(f, a, mid, left, tol, depth + 1, panels, ref scale);
        Refine(f, mid, b, right, tol, depth + 1, panels, ref scale);
    }

    private static double[] Coefficients(double[] v)
    {
        var c = new double[N];
        for (int k = 0; k < N; k++)
        {
            double s = 0;
            for (int j = 0; j < N; j++) s += v[j] * Math.Cos(Math.PI * k * (j + 0.5) / N);
            c[k] = 2.0 * s / N;
        }
        c[0] *= 0.5;
        return c;
    }

    private static Panel MakePanel(double a, double b, double[] coef)
    {
        double h = b - a, scaleX = 2 / h;
        var da = new double[N];
        var db = new double[N];
        var c = (double[])coef.Clone();
        double factor = 1;
        for (int j = 0; j < N; j++)
        {
            double atB = 0, atA = 0;
            for (int k = 0; k < N; k++)
            {
                atB += c[k];
                atA += (k & 1) == 0 ? c[k] : -c[k];
            }
            da[j] = atA * factor;
            db[j] = atB * factor;
            c = Derivative(c);
            factor *= scaleX;
        }
        // Integration by parts multiplies the rounding error of c_k by at most Σ_j (k²/κ)^j/(2j−1)!! ≤ e^{k²/(2κ)}
        // relative to the result's scale: keep that below 100 × max|c|/|c_k| for every k (and κ ≥ 1).
        double max = coef.Max(Math.Abs), kappaMin = 1;
        for (int k = 1; k < N; k++)
        {
            double ck = Math.Abs(coef[k]);
            if (ck == 0 || max == 0) continue;
            double room = Math.Log(100 * max / ck);
            if (room > 0) kappaMin = Math.Max(kappaMin, k * k / (2 * room));
        }
        return new Panel(a, b, coef, da, db, kappaMin);
    }

    /// <summary>Chebyshev coefficients of the derivative (in x ∈ [−1, 1]).</summary>
    private static double[] Derivative(double[] c)
    {
        var d = new double[N];
        for (int k = N - 1; k >= 1; k--) d[k - 1] = (k + 1 < N ? d[k + 1] : 0) + 2 * k * c[k];
        d[0] *= 0.5;
        return d;
    }

    private static double Clenshaw(double[] c, double x)
    {
        double b1 = 0, b2 = 0;
        for (int k = N - 1; k >= 1; k--)
        {
            double b0 = 2 * x * b1 - b2 + c[k];
            b2 = b1;
            b1 = b0;
        }
        return x * b1 - b2 + c[0];
    }

    /// <summary>∫ f(ω) e^{iωt} dω over the whole interpolated interval.</summary>
    public Complex Transform(double t)
    {
        Complex sum = 0;
        foreach (var p in _panels) sum += PanelTransform(p, t);
        return sum;
    }

    private static Complex PanelTransform(Panel p, double t)
    {
        double h = p.B - p.A, c = 0.5 * (p.A + p.B), half = 0.5 * h;
        if (t == 0)
        {
            double s = 2 * p.Coef[0];
            for (int k = 2; k < N; k += 2) s += p.Coef[k] * 2.0 / (1.0 - (double)k * k);
            return half * s;
        }
        double kappa = Math.Abs(t) * half;
        if (kappa >= p.KappaMin)
        {
            // Σ_j (−1)^j [f^{(j)}(B) e^{iBt} − f^{(j)}(A) e^{iAt}] / (it)^{j+1}
            var eB = Complex.FromPolarCoordinates(1, p.B * t);
            var eA = Complex.FromPolarCoordinates(1, p.A * t);
            var inv = 1 / new Complex(0, t);
            Complex pow = inv, sum = 0;
            for (int j = 0; j < N; j++)
            {
                var term = (p.DerivB[j] * eB - p.DerivA[j] * eA) * pow;
                sum += (j & 1) == 0 ? term : -term;
                pow *= inv;
            }
            return sum;
        }
        int m = Math.Max(1, (int)Math.Ceiling(kappa / 2));
        double w = 2.0 / m;
        Complex acc = 0;
        for (int s = 0; s < m; s++)
        {
            double x0 = -1 + s * w, xc = x0 + 0.5 * w;
            for (int g = 0; g < Gauss.X.Length; g++)
            {
                double x = xc + 0.5 * w * Gauss.X[g];
                double omega = c + half * x;
                acc += Gauss.W[g] * 0.5 * w * Clenshaw(p.Coef, x) * Complex.FromPolarCoordinates(1, omega * t);
            }
        }
        return half * acc;
    }

    /// <summary>Gauss–Legendre nodes and weights on [−1, 1] (Newton iteration on P_n).</summary>
    private static (double[] X, double[] W) GaussLegendre(int n)
    {
        var x = new double[n];
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5)), dp = 0;
            for (int it = 0; it < 100; it++)
            {
                double p0 = 1, p1 = z;
                for (int k = 2; k <= n; k++)
                {
                    double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n * (z * p1 - p0) / (z * z - 1);
                double dz = p1 / dp;
                z -= dz;
                if (Math.Abs(dz) < 1e-16) break;
            }
            x[i] = z;
            w[i] = 2 / ((1 - z * z) * dp * dp);
        }
        return (x, w);
    }
}
