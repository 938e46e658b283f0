using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Davies.Baths;
using Davies.Models;
using Davies.Operators;
using Spectre.Console;

namespace Davies.Cli;

internal static class BathCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file (.json, .yaml or .yml); see docs/model-file.md." };
        var bath = new Option<string[]>("--bath")
        {
            Description = "Only this bath (by its name in the model). Repeatable; default: every bath.",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "NAME",
        };
        var times = new Option<string>("--times")
        {
            Description = "Times t ≥ 0: a comma list (0,0.5,1) or start:stop:count (C(−t) = C(t)*). ħ = 1 units.",
            Required = true,
            HelpName = "TIMES",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print JSON: {\"times\", \"baths\": {NAME: {\"re\", \"im\" (C(t) per time; null where infinite, e.g. Drude–Lorentz C(0)), " +
                          "\"correlation_time\" (τ_B), \"integral_abs\" (∫_0^∞|C|dt), \"integrable\", \"c0\" (C(0), null if infinite), " +
                          "\"temperature\", \"description\", \"method\", \"note\"}}}. Baths without a microscopic C(t) (metropolis, glauber) " +
                          "have null re, im, correlation_time, integral_abs and integrable, and a note.",
        };
        var csv = new Option<bool>("--csv") { Description = "Print CSV: header t,NAME.re,NAME.im,… (baths with a C(t)), one row per time; an infinite value is written inf." };
        var plot = new Option<string?>("--plot") { Description = "Save Re C(t) and Im C(t) of each bath against t (FILE.png or FILE.svg).", HelpName = "FILE" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No notices on stderr." };
        var cmd = new Command("bath",
            "Bath correlation functions C(t) = ⟨B(t)B(0)⟩ = (1/2π)∫G(ω)e^{−iωt}dω = ∫_0^∞ J(ω)[coth(βω/2) cos ωt − i sin ωt] dω of " +
            "the model's baths (the inverse of G(ω) = ∫e^{iωt}C(t)dt), with ∫_0^∞|C(t)|dt and the bath correlation time τ_B " +
            "(∫_0^{τ_B}|C| = (1 − 1/e)∫_0^∞|C|). Closed forms for ohmic and drude-lorentz spectra, a Chebyshev–Fourier transform " +
            "for tabulated ones (docs/baths.md, docs/validity.md). Sub-Ohmic baths (s < 1) at T > 0 have C(t) ~ t^(−s): " +
            "∫|C| diverges (long memory, the Markov approximation is not justified). metropolis and glauber rates have no " +
            "microscopic C(t) and are skipped with a note.\n\n" +
            "Exit codes: 0 success, 2 bad input (one message on stderr: unknown bath, malformed --times, …), " +
            "74 cannot write output (stdout closed or full), 130 cancelled.")
        {
            model, bath, times, json, csv, plot, quiet,
        };
        var set = ParameterOption.Create();
        cmd.Options.Add(set);
        cmd.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json), asCsv = parse.GetValue(csv);
            if (asJson && asCsv) throw new ModelException("--json and --csv: choose one output format");
            var m = ModelFile.Load(parse.GetValue(model)!, ParameterOption.Values(parse.GetValue(set)));
            var ts = InitialStates.ParseTimes(parse.GetValue(times)!);
            string? plotPath = parse.GetValue(plot);
            Plots.CheckPath(plotPath, "--plot");
            var selected = Select(m, parse.GetValue(bath));
            var results = selected.Select(b => (Bath: b, C: BathCorrelations.Compute(b.Rates, ts))).ToArray();
            ctx.Cancellation.ThrowIfCancellationRequested();
            if (!parse.GetValue(quiet))
                foreach (var (b, c) in results.Where(r => !r.C.Memory.HasCorrelationFunction))
                    ctx.Err.WriteLine($"davies: note: bath '{b.Name}': {c.Memory.Note}");
            if (plotPath is not null) Plot(plotPath, results, Path.GetFileName(parse.GetValue(model)!));
            if (asJson) WriteJson(ctx.Out, ts, results);
            else if (asCsv) WriteCsv(ctx.Out, ts, results);
            else WriteText(ctx.Out, parse.GetValue(model)!, ts, results, plotPath);
            return 0;
        });
        return cmd;
    }

    private static Bath[] Select(OpenSystemModel m, string[]? names)
    {
        if (names is not { Length: > 0 }) return m.Baths.ToArray();
        var byName = m.Baths.ToDictionary(b => b.Name);
        return names.Select(n => byName.TryGetValue(n, out var b)
            ? b
            : throw new ModelException($"--bath '{n}': no such bath; the model has {string.Join(", ", m.Baths.Select(x => $"'{x.Name}'"))}")).Distinct().ToArray();
    }

    private static void WriteJson(TextWriter output, double[] times, (Bath Bath, BathCorrelationFunction C)[] results)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            JsonOut.Array(w, "times", times);
            w.WriteStartObject("baths");
            foreach (var (b, c) in results)
            {
                var mem = c.Memory;
                w.WriteStartObject(b.Name);
                if (mem.HasCorrelationFunction)
                {
                    JsonOut.Array(w, "re", c.Values.Select(z => z.Real));
                    JsonOut.Array(w, "im", c.Values.Select(z => z.Imaginary));
                    JsonOut.Number(w, "correlation_time", mem.CorrelationTime);
                    JsonOut.Number(w, "integral_abs", mem.IntegralAbs);
                    w.WriteBoolean("integrable", mem.Integrable);
                }
                else
                {
                    foreach (var key in new[] { "re", "im", "correlation_time", "integral_abs", "integrable" }) w.WriteNull(key);
                }
                JsonOut.Number(w, "c0", mem.ValueAtZero);
                JsonOut.Number(w, "temperature", b.Temperature);
                w.WriteString("description", b.Rates.Description);
                w.WriteString("method", mem.Method);
                w.WriteString("note", mem.Note);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string Num(double x) =>
        double.IsPositiveInfinity(x) ? "inf" : double.IsNegativeInfinity(x) ? "-inf" : x.ToString("R", CultureInfo.InvariantCulture);

    private static string CsvField(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static void WriteCsv(TextWriter output, double[] times, (Bath Bath, BathCorrelationFunction C)[] results)
    {
        var with = results.Where(r => r.C.Memory.HasCorrelationFunction).ToArray();
        output.WriteLine(string.Join(",", new[] { "t" }.Concat(with.SelectMany(r => new[] { CsvField(r.Bath.Name + ".re"), CsvField(r.Bath.Name + ".im") }))));
        for (int i = 0; i < times.Length; i++)
            output.WriteLine(string.Join(",", new[] { Num(times[i]) }.Concat(with.SelectMany(r => new[] { Num(r.C.Values[i].Real), Num(r.C.Values[i].Imaginary) }))));
    }

    private static string F(double x) =>
        double.IsNaN(x) ? "—" : double.IsPositiveInfinity(x) ? "∞" : x.ToString("G6", CultureInfo.InvariantCulture);

    private static void WriteText(TextWriter output, string path, double[] times, (Bath Bath, BathCorrelationFunction C)[] results, string? plotPath)
    {
        var console = TextConsole.For(output);
        console.MarkupLine($"[bold]Bath correlation functions[/] C(t) of [blue]{Markup.Escape(path)}[/]");
        var summary = new Table().AddColumns("bath", "rates", "C(0)", "∫|C|dt", "τ_B", "integrable");
        foreach (var (b, c) in results)
        {
            var mem = c.Memory;
            summary.AddRow(Markup.Escape(b.Name), Markup.Escape(b.Rates.Description), F(mem.ValueAtZero), F(mem.IntegralAbs), F(mem.CorrelationTime),
                !mem.HasCorrelationFunction ? "—" : mem.Integrable ? "[green]yes[/]" : "[red]no (long memory)[/]");
        }
        console.Write(summary);
        foreach (var (b, c) in results.Where(r => r.C.Memory.Note.Length > 0))
            console.MarkupLine($"[yellow]{Markup.Escape(b.Name)}[/]: {Markup.Escape(c.Memory.Note)}");
        var with = results.Where(r => r.C.Memory.HasCorrelationFunction).ToArray();
        if (with.Length > 0)
        {
            var table = new Table().AddColumn("t");
            foreach (var (b, _) in with) table.AddColumns(Markup.Escape($"Re C ({b.Name})"), Markup.Escape($"Im C ({b.Name})"));
            for (int i = 0; i < times.Length; i++)
                table.AddRow(new[] { F(times[i]) }.Concat(with.SelectMany(r => new[] { F(r.C.Values[i].Real), F(r.C.Values[i].Imaginary) })).ToArray());
            console.Write(table);
        }
        if (plotPath is not null) console.MarkupLine($"plot saved to [blue]{Markup.Escape(plotPath)}[/]");
    }

    private static void Plot(string path, (Bath Bath, BathCorrelationFunction C)[] results, string modelName)
    {
        var plt = new ScottPlot.Plot();
        foreach (var (b, c) in results.Where(r => r.C.Memory.HasCorrelationFunction))
        {
            foreach (var (part, label) in new (Func<Complex, double>, string)[] { (z => z.Real, "Re"), (z => z.Imaginary, "Im") })
            {
                var pts = c.Times.Zip(c.Values, (t, z) => (t, y: part(z))).Where(p => double.IsFinite(p.y)).ToArray();
                if (pts.Length == 0) continue;
                var sc = plt.Add.Scatter(pts.Select(p => p.t).ToArray(), pts.Select(p => p.y).ToArray());
                sc.LegendText = $"{label} C(t) {b.Name}";
                sc.MarkerSize = pts.Length > 60 ? 0 : 4;
            }
        }
        plt.XLabel("time t (ħ = 1 units)");
        plt.YLabel("C(t)");
        plt.Title($"Bath correlation functions of {modelName}");
        plt.ShowLegend();
        Plots.Save(plt, path, "--plot");
    }
}
