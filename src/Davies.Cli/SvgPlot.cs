using System.Globalization;
using System.Net;
using System.Text;

namespace Davies.Cli;

/// <summary>
/// A small x–y chart written as inline SVG (no scripts, no external resources) for <c>davies report</c>: lines,
/// points, bars, vertical markers and a legend on linear axes (or a logarithmic y axis), with ticks at 1, 2, 5 × 10^k.
/// The markup is well-formed XML, so that the page is XHTML-parsable.
/// </summary>
internal sealed class SvgPlot(string title, string xLabel, string yLabel, int width = 720, int height = 360)
{
    /// <summary>The colours of successive series (Tableau 10).</summary>
    public static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private const double Left = 70, Right = 20, Top = 34, Bottom = 48;

    private abstract record Item(string? Label, string Color);
    private sealed record Line(double[] X, double[] Y, string? Label, string Color, double Width, bool Dashed) : Item(Label, Color);
    private sealed record Points(double[] X, double[] Y, string? Label, string Color, double Radius, bool Hollow) : Item(Label, Color);
    private sealed record Bars(double[] X, double[] Y, double BarWidth, double Offset, string? Label, string Color) : Item(Label, Color);
    private sealed record Marker(double X, string? Label, string Color, double Opacity, string? Tooltip) : Item(Label, Color);

    private readonly List<Item> _items = [];
    private double? _xmin, _xmax, _ymin, _ymax;

    /// <summary>A logarithmic y axis (non-positive values are left out).</summary>
    public bool LogY { get; init; }

    /// <summary>Keep the x = 0 and y = 0 axes inside the range (for the complex plane).</summary>
    public bool IncludeOrigin { get; init; }

    /// <summary>Ticks of the x axis at whole numbers only (categories such as level indices).</summary>
    public bool IntegerX { get; init; }

    /// <summary>An element id for the &lt;svg&gt; (the tests look sections up by it).</summary>
    public string? Id { get; init; }

    public SvgPlot XRange(double min, double max) { _xmin = min; _xmax = max; return this; }

    public SvgPlot YRange(double min, double max) { _ymin = min; _ymax = max; return this; }

    public SvgPlot AddLine(double[] x, double[] y, string? label, string color, double width = 1.8, bool dashed = false)
    {
        _items.Add(new Line(x, y, label, color, width, dashed));
        return this;
    }

    public SvgPlot AddPoints(double[] x, double[] y, string? label, string color, double radius = 3, bool hollow = false)
    {
        _items.Add(new Points(x, y, label, color, radius, hollow));
        return this;
    }

    /// <summary>Bars from y = 0 (or the bottom of a log axis) at each x, of the given width in x units, shifted by offset.</summary>
    public SvgPlot AddBars(double[] x, double[] y, double barWidth, double offset, string? label, string color)
    {
        _items.Add(new Bars(x, y, barWidth, offset, label, color));
        return this;
    }

    /// <summary>A vertical line across the plot at x (e.g. a Bohr frequency), with an optional tooltip.</summary>
    public SvgPlot AddMarker(double x, string? label, string color, double opacity = 0.6, string? tooltip = null)
    {
        _items.Add(new Marker(x, label, color, opacity, tooltip));
        return this;
    }

    public string Render()
    {
        var (x0, x1) = Range(_xmin, _xmax, XValues(), IncludeOrigin, log: false);
        var (y0, y1) = Range(_ymin, _ymax, YValues(), IncludeOrigin || _items.Any(i => i is Bars), LogY);
        double pw = width - Left - Right, ph = height - Top - Bottom;
        double X(double x) => Left + (x - x0) / (x1 - x0) * pw;
        double Y(double y) => LogY
            ? Top + ph - (Math.Log10(Math.Max(y, y0)) - Math.Log10(y0)) / (Math.Log10(y1) - Math.Log10(y0)) * ph
            : Top + ph - (y - y0) / (y1 - y0) * ph;

        var s = new StringBuilder();
        s.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" viewBox=\"0 0 {width} {height}\" role=\"img\"");
        if (Id is not null) s.Append($" id=\"{Attr(Id)}\"");
        s.Append($" aria-label=\"{Attr(title)}\">");
        s.Append($"<title>{Text(title)}</title>");
        s.Append($"<text x=\"{F(width / 2.0)}\" y=\"20\" text-anchor=\"middle\" class=\"plot-title\">{Text(title)}</text>");
        s.Append($"<rect x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(pw)}\" height=\"{F(ph)}\" fill=\"#fff\" stroke=\"#999\"/>");
        // ticks and grid
        foreach (double t in Ticks(x0, x1, false).Where(t => !IntegerX || Math.Abs(t - Math.Round(t)) < 1e-9))
        {
            double px = X(t);
            s.Append($"<line x1=\"{F(px)}\" y1=\"{F(Top)}\" x2=\"{F(px)}\" y2=\"{F(Top + ph)}\" stroke=\"#eee\"/>");
            s.Append($"<text x=\"{F(px)}\" y=\"{F(Top + ph + 16)}\" text-anchor=\"middle\" class=\"tick\">{Text(Num(t))}</text>");
        }
        foreach (double t in Ticks(y0, y1, LogY))
        {
            double py = Y(t);
            s.Append($"<line x1=\"{F(Left)}\" y1=\"{F(py)}\" x2=\"{F(Left + pw)}\" y2=\"{F(py)}\" stroke=\"#eee\"/>");
            s.Append($"<text x=\"{F(Left - 6)}\" y=\"{F(py + 4)}\" text-anchor=\"end\" class=\"tick\">{Text(Num(t))}</text>");
        }
        if (IncludeOrigin && !LogY)
        {
            if (x0 < 0 && x1 > 0) s.Append($"<line x1=\"{F(X(0))}\" y1=\"{F(Top)}\" x2=\"{F(X(0))}\" y2=\"{F(Top + ph)}\" stroke=\"#888\"/>");
            if (y0 < 0 && y1 > 0) s.Append($"<line x1=\"{F(Left)}\" y1=\"{F(Y(0))}\" x2=\"{F(Left + pw)}\" y2=\"{F(Y(0))}\" stroke=\"#888\"/>");
        }
        s.Append($"<text x=\"{F(Left + pw / 2)}\" y=\"{F(height - 8.0)}\" text-anchor=\"middle\" class=\"axis-label\">{Text(xLabel)}</text>");
        s.Append($"<text x=\"14\" y=\"{F(Top + ph / 2)}\" text-anchor=\"middle\" class=\"axis-label\" transform=\"rotate(-90 14 {F(Top + ph / 2)})\">{Text(yLabel)}</text>");

        s.Append($"<svg x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(pw)}\" height=\"{F(ph)}\" viewBox=\"{F(Left)} {F(Top)} {F(pw)} {F(ph)}\" overflow=\"hidden\">"); // a nested viewport: clips what lies outside the axes
        foreach (var item in _items)
        {
            switch (item)
            {
                case Marker m when m.X >= x0 && m.X <= x1:
                    s.Append($"<line x1=\"{F(X(m.X))}\" y1=\"{F(Top)}\" x2=\"{F(X(m.X))}\" y2=\"{F(Top + ph)}\" stroke=\"{m.Color}\" stroke-opacity=\"{F(m.Opacity)}\" stroke-width=\"1.2\">");
                    if (m.Tooltip is not null) s.Append($"<title>{Text(m.Tooltip)}</title>");
                    s.Append("</line>");
                    break;
                case Bars b:
                    for (int i = 0; i < b.X.Length; i++)
                    {
                        if (!double.IsFinite(b.Y[i]) || LogY && b.Y[i] <= 0) continue;
                        double left = X(b.X[i] + b.Offset - b.BarWidth / 2), right = X(b.X[i] + b.Offset + b.BarWidth / 2);
                        double top = Y(Math.Max(b.Y[i], LogY ? y0 : 0)), bottom = Y(LogY ? y0 : Math.Min(0, b.Y[i]));
                        if (!LogY && b.Y[i] < 0) (top, bottom) = (Y(0), Y(b.Y[i]));
                        s.Append($"<rect x=\"{F(left)}\" y=\"{F(top)}\" width=\"{F(Math.Max(0.5, right - left))}\" height=\"{F(Math.Max(0, bottom - top))}\" fill=\"{b.Color}\"/>");
                    }
                    break;
                case Line l:
                {
                    var pts = new StringBuilder();
                    for (int i = 0; i < l.X.Length; i++)
                    {
                        if (!double.IsFinite(l.X[i]) || !double.IsFinite(l.Y[i]) || LogY && l.Y[i] <= 0) continue;
                        pts.Append(F(X(l.X[i]))).Append(',').Append(F(Y(l.Y[i]))).Append(' ');
                    }
                    s.Append($"<polyline fill=\"none\" stroke=\"{l.Color}\" stroke-width=\"{F(l.Width)}\"{(l.Dashed ? " stroke-dasharray=\"6 4\"" : "")} points=\"{pts.ToString().TrimEnd()}\"/>");
                    break;
                }
                case Points p:
                    for (int i = 0; i < p.X.Length; i++)
                    {
                        if (!double.IsFinite(p.X[i]) || !double.IsFinite(p.Y[i]) || LogY && p.Y[i] <= 0) continue;
                        s.Append($"<circle cx=\"{F(X(p.X[i]))}\" cy=\"{F(Y(p.Y[i]))}\" r=\"{F(p.Radius)}\" " +
                                 (p.Hollow ? $"fill=\"none\" stroke=\"{p.Color}\" stroke-width=\"1.5\"" : $"fill=\"{p.Color}\" fill-opacity=\"0.8\"") + "/>");
                    }
                    break;
            }
        }
        s.Append("</svg>");
        // legend
        var labelled = _items.Where(i => i.Label is not null).GroupBy(i => i.Label).Select(g => g.First()).ToList();
        double ly = Top + 8;
        foreach (var item in labelled)
        {
            double lx = Left + pw - 170;
            s.Append(item switch
            {
                Points { Hollow: true } => $"<circle cx=\"{F(lx + 8)}\" cy=\"{F(ly)}\" r=\"4\" fill=\"none\" stroke=\"{item.Color}\" stroke-width=\"1.5\"/>",
                Points => $"<circle cx=\"{F(lx + 8)}\" cy=\"{F(ly)}\" r=\"4\" fill=\"{item.Color}\"/>",
                Bars => $"<rect x=\"{F(lx + 2)}\" y=\"{F(ly - 5)}\" width=\"12\" height=\"10\" fill=\"{item.Color}\"/>",
                Line { Dashed: true } => $"<line x1=\"{F(lx)}\" y1=\"{F(ly)}\" x2=\"{F(lx + 16)}\" y2=\"{F(ly)}\" stroke=\"{item.Color}\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>",
                _ => $"<line x1=\"{F(lx)}\" y1=\"{F(ly)}\" x2=\"{F(lx + 16)}\" y2=\"{F(ly)}\" stroke=\"{item.Color}\" stroke-width=\"2\"/>",
            });
            s.Append($"<text x=\"{F(lx + 22)}\" y=\"{F(ly + 4)}\" class=\"legend\">{Text(item.Label!)}</text>");
            ly += 16;
        }
        s.Append("</svg>");
        return s.ToString();
    }

    private IEnumerable<double> XValues() => _items.SelectMany(i => i switch
    {
        Line l => l.X,
        Points p => p.X,
        Bars b => b.X.SelectMany(x => new[] { x + b.Offset - b.BarWidth / 2, x + b.Offset + b.BarWidth / 2 }),
        Marker m => [m.X],
        _ => [],
    }).Where(double.IsFinite);

    private IEnumerable<double> YValues() => _items.SelectMany(i => i switch
    {
        Line l => l.Y,
        Points p => p.Y,
        Bars b => b.Y,
        _ => [],
    }).Where(y => double.IsFinite(y) && (!LogY || y > 0));

    private static (double Min, double Max) Range(double? min, double? max, IEnumerable<double> values, bool includeZero, bool log)
    {
        var v = values.ToList();
        double lo = min ?? (v.Count > 0 ? v.Min() : log ? 0.1 : 0), hi = max ?? (v.Count > 0 ? v.Max() : 1);
        if (includeZero && !log && min is null) lo = Math.Min(lo, 0);
        if (includeZero && !log && max is null) hi = Math.Max(hi, 0);
        if (log)
        {
            if (lo <= 0) lo = hi > 0 ? hi * 1e-6 : 1e-6;
            if (hi <= lo) hi = lo * 10;
            return (min ?? Math.Pow(10, Math.Floor(Math.Log10(lo))), max ?? Math.Pow(10, Math.Ceiling(Math.Log10(hi))));
        }
        if (hi - lo <= 1e-300 * Math.Max(1, Math.Abs(hi)))
        {
            double pad = Math.Abs(hi) > 0 ? Math.Abs(hi) * 0.5 : 1;
            return (lo - pad, hi + pad);
        }
        double margin = (hi - lo) * 0.05;
        return (min ?? lo - (includeZero && lo == 0 ? 0 : margin), max ?? hi + (includeZero && hi == 0 ? 0 : margin));
    }

    /// <summary>Tick positions: 1, 2, 5 × 10^k steps (about six) on a linear axis, the powers of ten on a log axis.</summary>
    internal static IEnumerable<double> Ticks(double lo, double hi, bool log)
    {
        if (log)
        {
            int a = (int)Math.Ceiling(Math.Log10(lo) - 1e-9), b = (int)Math.Floor(Math.Log10(hi) + 1e-9);
            int step = Math.Max(1, (b - a + 1) / 7);
            for (int k = a; k <= b; k += step) yield return Math.Pow(10, k);
            yield break;
        }
        double raw = Math.Max((hi - lo) / 6, 1e-300), mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double unit = raw / mag < 1.5 ? 1 : raw / mag < 3.5 ? 2 : raw / mag < 7.5 ? 5 : 10;
        double stepSize = unit * mag;
        for (double t = Math.Ceiling(lo / stepSize) * stepSize; t <= hi + stepSize * 1e-9; t += stepSize)
            yield return Math.Abs(t) < stepSize * 1e-9 ? 0 : t;
    }

    /// <summary>A coordinate in the markup (invariant culture, two decimals).</summary>
    internal static string F(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A number for people: three significant digits.</summary>
    internal static string Num(double x) => x.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>Text content, escaped for HTML and XML.</summary>
    internal static string Text(string s) => WebUtility.HtmlEncode(s);

    /// <summary>An attribute value, escaped.</summary>
    internal static string Attr(string s) => WebUtility.HtmlEncode(s);
}
