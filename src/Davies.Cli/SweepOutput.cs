using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Davies.Studies;
using Spectre.Console;

namespace Davies.Cli;

/// <summary>The outputs of davies sweep on stdout (table, --csv, --json), its --plot, and its progress bar.</summary>
internal static class SweepOutput
{
    private static string G(double x) => double.IsFinite(x) ? x.ToString("G8", CultureInfo.InvariantCulture) : "—";

    private static double Quantity(SweepPointResult r, int q) => q < r.Quantities.Count ? r.Quantities[q] : double.NaN;

    /// <summary>A readable table: one row per point, the parameters, the quantities, and the error when a point has one.</summary>
    public static void Table(TextWriter output, string model, SweepHeader header, IReadOnlyList<SweepPointResult> rows, string summary)
    {
        var console = TextConsole.For(output);
        console.MarkupLine($"[bold]Davies sweep[/] of [blue]{Markup.Escape(model)}[/]: {Markup.Escape(summary)}");
        var table = new Table();
        foreach (var a in header.Grid.Axes) table.AddColumn(Markup.Escape(a.Name));
        foreach (var q in header.Quantities) table.AddColumn(Markup.Escape(q));
        bool errors = rows.Any(r => r.Error is not null);
        if (errors) table.AddColumn("error");
        foreach (var r in rows)
        {
            var cells = r.Values.Select(G).Concat(Enumerable.Range(0, header.Quantities.Count).Select(q => G(Quantity(r, q)))).Select(Markup.Escape).ToList();
            if (errors) cells.Add(r.Error is null ? "" : $"[red]{Markup.Escape(r.Error)}[/]");
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }

    private static string CsvField(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static string CsvNumber(double x) => double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>CSV: a header (the parameters, the quantities, error), then one row per point; no value is an empty cell.</summary>
    public static void Csv(TextWriter output, SweepHeader header, IReadOnlyList<SweepPointResult> rows)
    {
        output.WriteLine(string.Join(",", header.Grid.Axes.Select(a => a.Name).Concat(header.Quantities).Append("error").Select(CsvField)));
        foreach (var r in rows)
            output.WriteLine(string.Join(",", r.Values.Select(CsvNumber)
                .Concat(Enumerable.Range(0, header.Quantities.Count).Select(q => CsvNumber(Quantity(r, q))))
                .Append(r.Error is null ? "" : CsvField(r.Error))));
    }

    /// <summary>JSON: {model, parameters, quantities, points [{point, values, quantities, error}], errors, complete}.</summary>
    public static void Json(TextWriter output, SweepHeader header, IReadOnlyList<SweepPointResult> rows, bool complete)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("model", header.Model);
            w.WriteStartArray("parameters");
            foreach (var a in header.Grid.Axes) w.WriteStringValue(a.Name);
            w.WriteEndArray();
            w.WriteStartArray("quantities");
            foreach (var q in header.Quantities) w.WriteStringValue(q);
            w.WriteEndArray();
            w.WriteStartArray("points");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteNumber("point", r.Index);
                w.WriteStartObject("values");
                for (int a = 0; a < header.Grid.Axes.Count; a++)
                {
                    w.WritePropertyName(header.Grid.Axes[a].Name);
                    w.WriteRawValue(SweepFile.Number(r.Values[a]));
                }
                w.WriteEndObject();
                w.WriteStartObject("quantities");
                for (int q = 0; q < header.Quantities.Count; q++)
                {
                    w.WritePropertyName(header.Quantities[q]);
                    w.WriteRawValue(SweepFile.Number(Quantity(r, q)));
                }
                w.WriteEndObject();
                if (r.Error is null) w.WriteNull("error");
                else w.WriteString("error", r.Error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("errors", rows.Count(r => r.Error is not null));
            w.WriteBoolean("complete", complete);
            w.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>The axes with more than one value (a zipped grid counts as its first axis).</summary>
    private static int[] Swept(SweepGrid grid) =>
        grid.Zipped ? (grid.Count > 1 ? [0] : []) : Enumerable.Range(0, grid.Axes.Count).Where(a => grid.Axes[a].Values.Count > 1).ToArray();

    /// <summary>Checks before the sweep runs that --plot (and --series) can draw it.</summary>
    public static void CheckPlot(string? path, SweepGrid grid, int quantities, string? series)
    {
        if (path is null)
        {
            if (series is not null) throw new SweepException("--series NAME: only with --plot");
            return;
        }
        Plots.CheckPath(path, "--plot");
        var swept = Swept(grid);
        string names = string.Join(", ", swept.Select(a => grid.Axes[a].Name));
        if (swept.Length == 0) throw new SweepException("--plot: no parameter takes more than one value; nothing to plot against");
        if (swept.Length > 2)
            throw new SweepException($"--plot draws one or two swept parameters; this sweep has {swept.Length} ({names}): fix the others with --set name=value");
        if (series is not null)
        {
            if (swept.Length != 2 || !swept.Any(a => grid.Axes[a].Name == series))
                throw new SweepException($"--series {series}: must be one of two swept parameters (this sweep sweeps {names}); it draws one line per value of it");
        }
        else if (swept.Length == 2 && quantities != 1)
            throw new SweepException($"--plot: a heat map over {names} shows one quantity; give one --quantity, or --series NAME to draw lines instead");
    }

    /// <summary>Saves the plot: lines against the swept parameter (per quantity, or per value of --series), or a heat map over two.</summary>
    public static void Plot(string path, SweepHeader header, IReadOnlyList<SweepPointResult> rows, string? series, string title)
    {
        var grid = header.Grid;
        var swept = Swept(grid);
        var plt = new ScottPlot.Plot();
        if (swept.Length == 2 && series is null) HeatMap(plt, header, rows, swept);
        else
        {
            int s = series is null ? -1 : swept.Single(a => grid.Axes[a].Name == series);
            int x = swept.Single(a => a != s);
            bool logX = grid.Axes[x].Logarithmic;
            var groups = s < 0 ? [rows.ToList()] : rows.GroupBy(r => r.Values[s]).Select(g => g.ToList()).ToList();
            foreach (var group in groups)
                for (int q = 0; q < header.Quantities.Count; q++)
                {
                    var pts = group.Select(r => (X: r.Values[x], Y: Quantity(r, q))).Where(p => double.IsFinite(p.Y)).ToArray();
                    if (pts.Length == 0) continue;
                    var line = plt.Add.Scatter(pts.Select(p => logX ? Math.Log10(p.X) : p.X).ToArray(), pts.Select(p => p.Y).ToArray());
                    line.MarkerSize = pts.Length > 60 ? 0 : 5;
                    string label = s < 0 ? header.Quantities[q]
                        : header.Quantities.Count == 1 ? $"{series} = {G(group[0].Values[s])}"
                        : $"{header.Quantities[q]} ({series} = {G(group[0].Values[s])})";
                    line.LegendText = label;
                }
            plt.XLabel(grid.Axes[x].Name);
            plt.YLabel(header.Quantities.Count == 1 ? header.Quantities[0] : "value");
            if (logX) LogTicks(plt.Axes.Bottom);
            plt.ShowLegend();
        }
        plt.Title(title);
        Plots.Save(plt, path, "--plot");
    }

    private static void HeatMap(ScottPlot.Plot plt, SweepHeader header, IReadOnlyList<SweepPointResult> rows, int[] swept)
    {
        var grid = header.Grid;
        var (ax, ay) = (grid.Axes[swept[0]], grid.Axes[swept[1]]);
        // Cells in ascending order of each parameter; coordinates are the values when evenly spaced (in log for a log
        // range), else the positions, labelled with the values.
        var xs = ax.Values.Distinct().Order().ToArray();
        var ys = ay.Values.Distinct().Order().ToArray();
        var z = new double[ys.Length, xs.Length];
        for (int i = 0; i < ys.Length; i++)
            for (int j = 0; j < xs.Length; j++) z[i, j] = double.NaN;
        foreach (var r in rows) z[Array.IndexOf(ys, r.Values[swept[1]]), Array.IndexOf(xs, r.Values[swept[0]])] = Quantity(r, 0);
        var hm = plt.Add.Heatmap(z);
        hm.FlipVertically = true;
        var (x0, x1, xEven) = Coordinates(xs, ax.Logarithmic);
        var (y0, y1, yEven) = Coordinates(ys, ay.Logarithmic);
        hm.Position = new ScottPlot.CoordinateRect(x0, x1, y0, y1);
        var bar = plt.Add.ColorBar(hm);
        bar.Label = header.Quantities[0];
        plt.XLabel(ax.Name);
        plt.YLabel(ay.Name);
        if (!xEven) plt.Axes.Bottom.SetTicks(Enumerable.Range(0, xs.Length).Select(i => (double)i).ToArray(), xs.Select(G).ToArray());
        else if (ax.Logarithmic) LogTicks(plt.Axes.Bottom);
        if (!yEven) plt.Axes.Left.SetTicks(Enumerable.Range(0, ys.Length).Select(i => (double)i).ToArray(), ys.Select(G).ToArray());
        else if (ay.Logarithmic) LogTicks(plt.Axes.Left);
    }

    /// <summary>The first and last cell centres, and whether the values are evenly spaced (in log for a log range).</summary>
    private static (double First, double Last, bool Even) Coordinates(double[] values, bool log)
    {
        var c = values.Select(v => log ? Math.Log10(v) : v).ToArray();
        if (c.Length < 2) return (c[0] - 0.5, c[0] + 0.5, true);
        double step = (c[^1] - c[0]) / (c.Length - 1);
        bool even = c.Select((v, i) => Math.Abs(v - (c[0] + step * i))).Max() <= 1e-6 * Math.Abs(c[^1] - c[0]);
        return even ? (c[0], c[^1], true) : (0, c.Length - 1, false);
    }

    private static void LogTicks(ScottPlot.IAxis axis) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(10, v).ToString("G3", CultureInfo.InvariantCulture),
        };
}

/// <summary>The sweep's progress bar on stderr (only on a terminal): points done of total, errors, elapsed, ETA; redrawn at most 10 times a second.</summary>
internal sealed class SweepProgressBar(IProgress<string> line) : IProgress<SweepProgress>
{
    private long _last = -1;

    public void Report(SweepProgress p)
    {
        long now = Environment.TickCount64;
        if (p.Done < p.Total && _last >= 0 && now - _last < 100) return;
        _last = now;
        const int Width = 24;
        int filled = p.Total == 0 ? Width : (int)((long)Width * p.Done / p.Total);
        string bar = new string('█', filled) + new string('░', Width - filled);
        string errors = p.Errors > 0 ? $", {p.Errors} failed" : "";
        string eta = p.Remaining is { } r && p.Done < p.Total ? $", ETA {Duration(r)}" : "";
        line.Report($"sweep [{bar}] {p.Done}/{p.Total} points{errors}{eta}");
    }

    private static string Duration(TimeSpan t) =>
        t.TotalSeconds < 60 ? $"{t.TotalSeconds:F0} s" : t.TotalMinutes < 60 ? $"{t.Minutes} min {t.Seconds} s" : $"{(int)t.TotalHours} h {t.Minutes} min";
}
