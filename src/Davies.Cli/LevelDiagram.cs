using System.Text;
using static Davies.Cli.SvgPlot;

namespace Davies.Cli;

/// <summary>
/// The level diagram of <c>davies report</c> as inline SVG: the levels (or energy bins) of H_S as horizontal bars at
/// their energies, the transitions the couplings drive as arcs whose stroke width is proportional to the rate —
/// emission (downwards) on the right of the bars, absorption (upwards) on the left.
/// </summary>
internal static class LevelDiagram
{
    /// <summary>Transitions slower than this fraction of the fastest one are not drawn (the caption says so).</summary>
    public const double DrawnFraction = 1e-3;

    /// <summary>At most this many arcs per side (the fastest ones).</summary>
    public const int MaxArcsPerSide = 400;

    private const int Width = 720, Height = 460;
    private const double Top = 30, Bottom = 30, AxisX = 70, BarLeft = 300, BarRight = 420, MaxStroke = 9;

    /// <summary>One level or bin: its energy (the bin's centre), the range it covers and the number of eigenstates in it.</summary>
    public sealed record Group(double Energy, double Low, double High, int States);

    /// <param name="groups">The levels or bins, ascending in energy.</param>
    /// <param name="rates">W[to, from] between the groups.</param>
    /// <param name="binned">Whether the groups are energy bins (then each bar is labelled with its number of states).</param>
    public static string Render(IReadOnlyList<Group> groups, double[,] rates, bool binned)
    {
        int n = groups.Count;
        double e0 = groups[0].Low, e1 = groups[^1].High;
        if (e1 - e0 <= 0) (e0, e1) = (e0 - 1, e1 + 1);
        double pad = (e1 - e0) * 0.04;
        e0 -= pad;
        e1 += pad;
        double ph = Height - Top - Bottom;
        double Y(double e) => Top + ph - (e - e0) / (e1 - e0) * ph;

        var s = new StringBuilder();
        s.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" id=\"level-diagram\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"level diagram\">");
        s.Append("<title>Levels of H_S and the transitions the couplings drive</title>");
        s.Append($"<text x=\"{F(BarLeft - 110)}\" y=\"18\" text-anchor=\"middle\" class=\"legend\">absorption (up)</text>");
        s.Append($"<text x=\"{F(BarRight + 110)}\" y=\"18\" text-anchor=\"middle\" class=\"legend\">emission (down)</text>");
        s.Append($"<line x1=\"{F(AxisX)}\" y1=\"{F(Top)}\" x2=\"{F(AxisX)}\" y2=\"{F(Top + ph)}\" stroke=\"#999\"/>");
        foreach (double t in Ticks(e0, e1, false))
        {
            s.Append($"<line x1=\"{F(AxisX - 4)}\" y1=\"{F(Y(t))}\" x2=\"{F(AxisX)}\" y2=\"{F(Y(t))}\" stroke=\"#999\"/>");
            s.Append($"<text x=\"{F(AxisX - 7)}\" y=\"{F(Y(t) + 4)}\" text-anchor=\"end\" class=\"tick\">{Text(Num(t))}</text>");
        }
        s.Append($"<text x=\"16\" y=\"{F(Top + ph / 2)}\" text-anchor=\"middle\" class=\"axis-label\" transform=\"rotate(-90 16 {F(Top + ph / 2)})\">energy E</text>");

        double max = 0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                if (a != b && double.IsFinite(rates[a, b])) max = Math.Max(max, rates[a, b]);
        var down = new List<(int To, int From, double Rate)>();
        var up = new List<(int To, int From, double Rate)>();
        for (int to = 0; to < n; to++)
            for (int from = 0; from < n; from++)
            {
                double w = rates[to, from];
                if (to == from || !(w > DrawnFraction * max)) continue;
                (to < from ? down : up).Add((to, from, w));
            }
        foreach (var (list, side) in new[] { (down, +1), (up, -1) })
        {
            // the slowest first, so that the fastest arcs are drawn on top
            foreach (var (to, from, w) in list.OrderByDescending(x => x.Rate).Take(MaxArcsPerSide).Reverse())
            {
                double x0 = side > 0 ? BarRight : BarLeft;
                double y1 = Y(groups[from].Energy), y2 = Y(groups[to].Energy);
                double bulge = side * Math.Min(200, 18 + 0.55 * Math.Abs(y1 - y2));
                double stroke = Math.Max(0.4, MaxStroke * w / max);
                string colour = side > 0 ? "#d62728" : "#1f77b4";
                s.Append($"<path d=\"M {F(x0)} {F(y1)} C {F(x0 + bulge)} {F(y1)} {F(x0 + bulge)} {F(y2)} {F(x0)} {F(y2)}\" fill=\"none\" stroke=\"{colour}\" " +
                         $"stroke-opacity=\"0.55\" stroke-width=\"{F(stroke)}\" class=\"transition\">");
                s.Append($"<title>{Text($"{Label(groups[from], binned)} → {Label(groups[to], binned)}: rate {Num(w)}")}</title></path>");
            }
        }
        for (int k = 0; k < n; k++)
        {
            var g = groups[k];
            double y = Y(g.Energy);
            if (binned)
            {
                double yTop = Y(g.High), yBottom = Y(g.Low);
                s.Append($"<rect x=\"{F(BarLeft)}\" y=\"{F(yTop)}\" width=\"{F(BarRight - BarLeft)}\" height=\"{F(Math.Max(1, yBottom - yTop))}\" fill=\"#444\" fill-opacity=\"{F(0.15 + 0.6 * Math.Log(1 + g.States) / Math.Log(1 + groups.Max(x => x.States)))}\">");
                s.Append($"<title>{Text($"{Label(g, true)}: {g.States} states")}</title></rect>");
            }
            else
            {
                s.Append($"<line x1=\"{F(BarLeft)}\" y1=\"{F(y)}\" x2=\"{F(BarRight)}\" y2=\"{F(y)}\" stroke=\"#222\" stroke-width=\"2.2\" class=\"level\">");
                s.Append($"<title>{Text($"{Label(g, false)}{(g.States > 1 ? $", degeneracy {g.States}" : "")}")}</title></line>");
                if (g.States > 1 && n <= 24)
                    s.Append($"<text x=\"{F(BarRight + 4)}\" y=\"{F(y - 3)}\" class=\"tick\">×{g.States}</text>");
            }
        }
        s.Append("</svg>");
        return s.ToString();
    }

    private static string Label(Group g, bool binned) =>
        binned ? $"E ∈ [{Num(g.Low)}, {Num(g.High)}]" : $"E = {Num(g.Energy)}";
}
