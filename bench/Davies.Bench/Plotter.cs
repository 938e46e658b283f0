using System.Text.Json.Nodes;
using ScottPlot;

namespace Davies.Bench;

/// <summary>Time vs n on a log scale from the harness's JSON files (and bench/qutip_compare.py's), as a PNG.</summary>
internal static class Plotter
{
    public static int Run(Args a)
    {
        string output = a.Get("out") ?? throw new ArgumentException("plot: --out FILE.png is required");
        var plt = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int color = 0;
        double ymin = double.PositiveInfinity, ymax = double.NegativeInfinity;
        int nmin = int.MaxValue, nmax = int.MinValue;

        void Series(IReadOnlyList<(double N, double Seconds)> points, string label, bool dashed)
        {
            var pts = points.Where(p => p.Seconds > 0 && double.IsFinite(p.Seconds)).ToArray();
            if (pts.Length == 0) return;
            var sc = plt.Add.Scatter(pts.Select(p => p.N).ToArray(), pts.Select(p => Math.Log10(p.Seconds)).ToArray());
            sc.LegendText = label;
            sc.Color = palette.GetColor(color++);
            sc.LineWidth = 2;
            sc.MarkerSize = 7;
            if (dashed) sc.LinePattern = LinePattern.Dashed;
            nmin = Math.Min(nmin, (int)pts.Min(p => p.N));
            nmax = Math.Max(nmax, (int)pts.Max(p => p.N));
            ymin = Math.Min(ymin, pts.Min(p => p.Seconds));
            ymax = Math.Max(ymax, pts.Max(p => p.Seconds));
        }

        foreach (var path in a.All("in"))
        {
            var doc = JsonNode.Parse(File.ReadAllText(path))!;
            var runs = doc["runs"]!.AsArray().Select(r => r!.AsObject()).ToArray();
            string tag = $"σ{doc["coupling"]}";
            Series(runs.Select(r => (N(r, "n"), N(r, "build_s") + N(r, "steady_s"))).ToArray(), $"Davies build + steady state, {tag}", false);
            Series(runs.Select(r => (N(r, "n"), N(r, "gap_s"))).ToArray(), $"Davies gap (Spectrum.Compute), {tag}", true);
            Series(runs.Select(r => (N(r, "n"), N(r, "eig_s"))).ToArray(), $"eigendecomposition of H alone, {tag}", true);
        }
        if (a.Get("qutip") is { } q)
        {
            var runs = JsonNode.Parse(File.ReadAllText(q))!["runs"]!.AsArray().Select(r => r!.AsObject()).ToArray();
            Series(runs.Select(r => (N(r, "n"), N(r, "qutip_s"))).ToArray(), "QuTiP 4.7 (BR tensor + steadystate)", false);
            Series(runs.Select(r => (N(r, "n"), N(r, "davies_s"))).ToArray(), "Davies (no Lamb shift), first call, same run as QuTiP", false);
            Series(runs.Select(r => (N(r, "n"), N(r, "davies_warm_s"))).ToArray(), "Davies (no Lamb shift), warm call (best of 5)", true);
        }
        if (color == 0) throw new ArgumentException("plot: nothing to plot (give --in and/or --qutip)");

        // log10 axis with labelled decades and minor ticks
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        int lo = (int)Math.Floor(Math.Log10(ymin)), hi = (int)Math.Ceiling(Math.Log10(ymax));
        for (int k = lo; k <= hi; k++)
        {
            ticks.AddMajor(k, k >= 0 ? $"{Math.Pow(10, k):0} s" : $"{Math.Pow(10, k):0.####} s");
            for (int m = 2; m < 10 && k < hi; m++) ticks.AddMinor(k + Math.Log10(m));
        }
        plt.Axes.Left.TickGenerator = ticks;
        var xticks = new ScottPlot.TickGenerators.NumericManual();
        for (int n = nmin; n <= nmax; n++) xticks.AddMajor(n, $"{n}");
        plt.Axes.Bottom.TickGenerator = xticks;
        plt.Axes.SetLimitsX(nmin - 0.3, nmax + 0.3);
        plt.Axes.SetLimitsY(lo - 0.1, hi + 0.1);
        plt.Axes.Bottom.Label.Text = "chain length n (d = 2ⁿ)";
        plt.Axes.Left.Label.Text = "wall time (log scale)";
        plt.Title("Davies steady state vs QuTiP: transverse-field Ising chain");
        plt.ShowLegend(Alignment.LowerRight);
        plt.SavePng(output, 900, 600);
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    private static double N(JsonObject o, string key) => o[key] is { } v ? v.GetValue<double>() : double.NaN;
}
