namespace Davies.Baths;

/// <summary>
/// Globally adaptive Gauss–Kronrod (G7–K15) quadrature over a list of finite pieces, each with its own integrand
/// (so that callers can apply variable substitutions piece by piece). The segment with the largest error estimate
/// |K15 − G7| is bisected until the summed estimate meets max(absTol, relTol·∫|f|). The estimate |K15 − G7| is
/// the (pessimistic) error of G7, so the returned K15 value is usually far more accurate than the bound.
/// </summary>
internal static class GaussKronrod
{
    private static readonly double[] Xgk =
    [
        0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
        0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
        0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
        0.207784955007898467600689403773245, 0.000000000000000000000000000000000,
    ];

    private static readonly double[] Wgk =
    [
        0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
        0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
        0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
        0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
    ];

    private static readonly double[] Wg =
    [
        0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
        0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
    ];

    /// <summary>One piece [A, B] of the integration domain with its integrand.</summary>
    internal readonly record struct Piece(Func<double, double> F, double A, double B);

    /// <summary>The result: the integral, the error estimate, ∫|f| and the number of segments used.</summary>
    internal readonly record struct Result(double Value, double Error, double AbsValue, int Segments);

    private readonly record struct Segment(int Piece, double A, double B, double Value, double Error, double Abs);

    /// <summary>Integrates the sum of the pieces.</summary>
    public static Result Integrate(IReadOnlyList<Piece> pieces, double relTol, double absTol, int maxSegments)
    {
        var queue = new PriorityQueue<Segment, double>();
        var done = new List<Segment>();
        double error = 0, abs = 0;
        for (int p = 0; p < pieces.Count; p++)
        {
            var (f, a, b) = pieces[p];
            if (!(b > a)) continue;
            var s = Rule(p, f, a, b);
            queue.Enqueue(s, -s.Error);
            error += s.Error;
            abs += s.Abs;
        }
        int segments = queue.Count;
        while (queue.Count > 0 && segments < maxSegments && error > Math.Max(absTol, relTol * abs))
        {
            var s = queue.Dequeue();
            double mid = 0.5 * (s.A + s.B);
            if (!(mid > s.A && mid < s.B))
            {
                done.Add(s); // cannot be split further in double precision
                continue;
            }
            var f = pieces[s.Piece].F;
            var left = Rule(s.Piece, f, s.A, mid);
            var right = Rule(s.Piece, f, mid, s.B);
            queue.Enqueue(left, -left.Error);
            queue.Enqueue(right, -right.Error);
            segments++;
            error += left.Error + right.Error - s.Error;
            abs += left.Abs + right.Abs - s.Abs;
            if (double.IsNaN(error)) break;
        }
        // Re-sum from scratch (no drift from the running updates); smallest first for accuracy.
        var all = new List<Segment>(done);
        while (queue.Count > 0) all.Add(queue.Dequeue());
        all.Sort((x, y) => Math.Abs(x.Value).CompareTo(Math.Abs(y.Value)));
        double value = 0, err = 0, absSum = 0;
        foreach (var s in all)
        {
            value += s.Value;
            err += s.Error;
            absSum += s.Abs;
        }
        return new Result(value, err, absSum, segments);
    }

    private static Segment Rule(int piece, Func<double, double> f, double a, double b)
    {
        double c = 0.5 * (a + b), h = 0.5 * (b - a);
        double fc = f(c);
        double resK = fc * Wgk[7], resG = fc * Wg[3], resAbs = Math.Abs(fc) * Wgk[7];
        for (int j = 0; j < 7; j++)
        {
            double dx = h * Xgk[j];
            double f1 = f(c - dx), f2 = f(c + dx);
            resK += Wgk[j] * (f1 + f2);
            resAbs += Wgk[j] * (Math.Abs(f1) + Math.Abs(f2));
            if ((j & 1) == 1) resG += Wg[j / 2] * (f1 + f2);
        }
        return new Segment(piece, a, b, resK * h, Math.Abs((resK - resG) * h), resAbs * Math.Abs(h));
    }
}
