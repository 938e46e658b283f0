using System.Globalization;
using System.Text;
using System.Text.Json;
using Davies.Diagnostics;
using Spectre.Console;

namespace Davies.Cli;

/// <summary>The formats of `davies eth`: JSON, CSV, the readable summary and the plot.</summary>
internal static class EthOutput
{
    /// <summary>One run: the model files, their results and Gibbs curves, the scaling (several models) and the --initial text.</summary>
    public sealed record Run(IReadOnlyList<string> Paths, IReadOnlyList<EthResult> Results, IReadOnlyList<EthCanonicalCurve> Curves,
        IReadOnlyList<EthScaling> Scaling, string? Initial);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static string Fmt(double x, string format = "G4") =>
        double.IsFinite(x) ? x.ToString(format, Inv) : double.IsNaN(x) ? "—" : x > 0 ? "∞" : "−∞";

    private static string Regime(EffectiveTemperatureRegime r) => r switch
    {
        EffectiveTemperatureRegime.Positive => "positive",
        EffectiveTemperatureRegime.Negative => "negative",
        EffectiveTemperatureRegime.Infinite => "infinite",
        EffectiveTemperatureRegime.Ground => "ground",
        _ => "top",
    };

    // ------------------------------------------------------------------ JSON

    public static void WriteJson(TextWriter output, Run run)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            if (run.Results.Count == 1) WriteModel(w, run, 0);
            else
            {
                w.WriteStartArray("models");
                for (int i = 0; i < run.Results.Count; i++)
                {
                    w.WriteStartObject();
                    WriteModel(w, run, i);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartObject("scaling");
                foreach (var s in run.Scaling)
                {
                    w.WriteStartObject(s.Observable);
                    w.WriteStartArray("sites");
                    foreach (var n in s.Sites) w.WriteNumberValue(n);
                    w.WriteEndArray();
                    w.WriteStartArray("dimensions");
                    foreach (var n in s.Dimensions) w.WriteNumberValue(n);
                    w.WriteEndArray();
                    JsonOut.Array(w, "fluctuations", s.Fluctuations);
                    JsonOut.Number(w, "exponent", s.Exponent);
                    JsonOut.Number(w, "ratio", s.Ratio);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteString("backend", LinearAlgebra.LinearAlgebraProvider.Current.Name);
            w.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteModel(Utf8JsonWriter w, Run run, int index)
    {
        var r = run.Results[index];
        w.WriteString("model", run.Paths[index]);
        w.WriteNumber("sites", r.Sites);
        w.WriteNumber("dimension", r.Dimension);
        JsonOut.Array(w, "energies", r.Energies);
        w.WriteNumber("tolerance", r.Tolerance);
        w.WriteStartObject("middle");
        w.WriteNumber("start", r.MiddleStart);
        w.WriteNumber("end", r.MiddleEnd);
        w.WriteEndObject();
        JsonOut.Number(w, "microcanonical_half_width", r.MicrocanonicalHalfWidth);
        JsonOut.Number(w, "level_spacing_ratio", r.LevelSpacingRatio);
        w.WriteStartObject("observables");
        foreach (var o in r.Observables)
        {
            w.WriteStartObject(o.Name);
            JsonOut.Array(w, "eigenstate_values", o.EigenstateValues);
            JsonOut.Array(w, "microcanonical", o.Microcanonical);
            JsonOut.Number(w, "fluctuation", o.Fluctuation);
            JsonOut.Number(w, "deviation", o.Deviation);
            w.WriteStartObject("off_diagonal");
            JsonOut.Array(w, "omega", o.OffDiagonal.Omega);
            JsonOut.Array(w, "mean_square", o.OffDiagonal.MeanSquare);
            w.WriteStartArray("count");
            foreach (var c in o.OffDiagonal.Count) w.WriteNumberValue(c);
            w.WriteEndArray();
            w.WriteEndObject();
            if (r.Initial is not null)
            {
                JsonOut.Number(w, "initial", o.InitialValue);
                JsonOut.Number(w, "diagonal_ensemble", o.DiagonalEnsemble);
                JsonOut.Number(w, "gibbs", o.Gibbs);
                JsonOut.Number(w, "davies", o.Davies);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
        if (r.Initial is { } s)
        {
            // T = 1/β: ±∞ (β = 0) is null; at β = ±∞ (ground or top level) T is 0 and effective_regime tells which.
            JsonOut.Number(w, "effective_temperature", s.Regime is EffectiveTemperatureRegime.Ground or EffectiveTemperatureRegime.Top ? 0.0 : s.EffectiveTemperature);
            w.WriteString("initial_state", run.Initial);
            JsonOut.Number(w, "energy", s.Energy);
            JsonOut.Number(w, "energy_spread", s.EnergySpread);
            JsonOut.Number(w, "effective_beta", s.EffectiveBeta);
            w.WriteString("effective_regime", Regime(s.Regime));
            w.WriteBoolean("davies_unique", s.DaviesUnique);
            w.WriteStartObject("temperatures");
            foreach (var (name, t) in s.BathTemperatures) JsonOut.Number(w, name, t);
            w.WriteEndObject();
        }
        else w.WriteNull("effective_temperature");
        var curve = run.Curves[index];
        w.WriteStartObject("gibbs_curve");
        JsonOut.Array(w, "beta", curve.Beta);
        JsonOut.Array(w, "energy", curve.Energy);
        w.WriteStartObject("values");
        foreach (var (name, values) in curve.Values) JsonOut.Array(w, name, values);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // ------------------------------------------------------------------ CSV

    private static string CsvField(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static string Num(double x) => double.IsFinite(x) ? x.ToString("R", Inv) : "";

    public static void WriteCsv(TextWriter output, Run run)
    {
        var names = run.Results[0].Observables.Select(o => o.Name).ToArray();
        var header = new List<string> { "model", "sites", "n", "energy", "energy_per_site" };
        foreach (var n in names) header.AddRange([CsvField(n), CsvField(n + ".microcanonical")]);
        output.WriteLine(string.Join(",", header));
        for (int i = 0; i < run.Results.Count; i++)
        {
            var r = run.Results[i];
            string model = CsvField(run.Paths[i]);
            for (int k = 0; k < r.Dimension; k++)
            {
                var row = new StringBuilder();
                row.Append(model).Append(',').Append(r.Sites.ToString(Inv)).Append(',').Append(k.ToString(Inv)).Append(',')
                    .Append(Num(r.Energies[k])).Append(',').Append(Num(r.Energies[k] / r.Sites));
                foreach (var o in r.Observables)
                    row.Append(',').Append(Num(o.EigenstateValues[k])).Append(',').Append(Num(o.Microcanonical[k]));
                output.WriteLine(row.ToString());
            }
        }
    }

    // ------------------------------------------------------------------ readable summary

    public static void WriteText(TextWriter output, Run run, string? plotPath, bool verbose)
    {
        var console = TextConsole.For(output);
        for (int i = 0; i < run.Results.Count; i++)
        {
            var r = run.Results[i];
            if (i > 0) console.WriteLine();
            var e = r.Energies;
            console.MarkupLine($"[bold]Eigenstate thermalization[/] of [blue]{Markup.Escape(run.Paths[i])}[/]");
            console.MarkupLine($"{r.Sites} site(s), d = {r.Dimension}; middle window: eigenstates {r.MiddleStart}–{r.MiddleEnd - 1}");
            console.MarkupLine($"  (E/n from {Fmt(e[r.MiddleStart] / r.Sites)} to {Fmt(e[r.MiddleEnd - 1] / r.Sites)}), " +
                               $"level-spacing ratio ⟨r⟩ = {Fmt(r.LevelSpacingRatio, "F3")}");
            console.MarkupLine("  (⟨r⟩: Poisson 0.386, GOE 0.531)");
            console.MarkupLine($"microcanonical window |E_m − E_n| ≤ {Fmt(r.MicrocanonicalHalfWidth)}");
            var t = new Table().AddColumns("observable", "fluctuation", "deviation", "O_nn min … max", "|O_mn|², ω → 0");
            foreach (var o in r.Observables)
            {
                var mid = o.EigenstateValues[r.MiddleStart..r.MiddleEnd];
                double low = o.OffDiagonal.MeanSquare.Length > 0 ? o.OffDiagonal.MeanSquare[0] : double.NaN;
                t.AddRow(Markup.Escape(o.Name), Fmt(o.Fluctuation), Fmt(o.Deviation), $"{Fmt(mid.Min())} … {Fmt(mid.Max())}", Fmt(low));
            }
            console.Write(t);
            string lowest = r.Observables.Count > 0 && r.Observables[0].OffDiagonal.Omega.Length > 0
                ? $"ω < {Fmt(2 * r.Observables[0].OffDiagonal.Omega[0])}" : "the lowest ω bin";
            console.MarkupLine("  fluctuation: mean |O_{I+1} − O_I| over consecutive levels of the window;");
            console.MarkupLine("  deviation: rms of O_nn − microcanonical average there; O_nn over the window;");
            console.MarkupLine($"  |O_mn|²: mean over pairs of the window with {lowest}");
            if (r.Initial is not { } s) continue;
            string temperature = s.Regime switch
            {
                EffectiveTemperatureRegime.Infinite => "T = ∞ (β = 0)",
                EffectiveTemperatureRegime.Ground => "T = 0 (the ground level)",
                EffectiveTemperatureRegime.Top => "T = −0 (the top level)",
                EffectiveTemperatureRegime.Negative => $"T = {Fmt(s.EffectiveTemperature)} (β = {Fmt(s.EffectiveBeta)}: negative)",
                _ => $"T = {Fmt(s.EffectiveTemperature)} (β = {Fmt(s.EffectiveBeta)})",
            };
            console.MarkupLine($"initial state [blue]{Markup.Escape(run.Initial ?? "")}[/]: E₀ = {Fmt(s.Energy)} (E₀/n = {Fmt(s.Energy / r.Sites)}), ΔE = {Fmt(s.EnergySpread)}");
            console.MarkupLine($"effective temperature {temperature}");
            string baths = string.Join(", ", s.BathTemperatures.Select(b => $"{Markup.Escape(b.Key)} T = {Fmt(b.Value)}"));
            var q = new Table().AddColumns("observable", "t = 0", "diagonal ens.", "Gibbs (T_eff)", "Davies");
            foreach (var o in r.Observables)
                q.AddRow(Markup.Escape(o.Name), Fmt(o.InitialValue ?? double.NaN, "G6"), Fmt(o.DiagonalEnsemble ?? double.NaN, "G6"),
                    Fmt(o.Gibbs ?? double.NaN, "G6"), Fmt(o.Davies ?? double.NaN, "G6"));
            console.Write(q);
            console.MarkupLine("  diagonal ensemble: the isolated system at t → ∞ (unitary);");
            console.MarkupLine("  Gibbs: Tr[[ρ_β O]] at the effective temperature;");
            console.MarkupLine($"  Davies: the steady state with the bath(s) ({baths})");
            if (!s.DaviesUnique) console.MarkupLine("[yellow]the Davies steady state is not unique[/]: shown is the limit reached from the maximally mixed state");
        }
        if (run.Scaling.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("[bold]scaling of the fluctuation F with the size[/]");
            console.MarkupLine("  (fit F ∝ d^−α; ETH: α ≈ 0.5; integrable: α much smaller)");
            var sizes = run.Scaling[0];
            var t = new Table().AddColumn("observable");
            for (int k = 0; k < sizes.Sites.Length; k++) t.AddColumn($"n = {sizes.Sites[k]}");
            t.AddColumns("α", "F(largest)/F(smallest)");
            foreach (var s in run.Scaling)
                t.AddRow([Markup.Escape(s.Observable), .. s.Fluctuations.Select(f => Fmt(f)), Fmt(s.Exponent, "F3"), Fmt(s.Ratio, "F3")]);
            console.Write(t);
        }
        if (plotPath is not null) console.MarkupLine($"plot saved to [blue]{Markup.Escape(plotPath)}[/]");
        if (verbose) console.MarkupLine($"backend {Markup.Escape(LinearAlgebra.LinearAlgebraProvider.Current.Name)}");
    }

    // ------------------------------------------------------------------ plot

    public static void Plot(string path, IReadOnlyList<string> paths, IReadOnlyList<EthResult> results, IReadOnlyList<EthCanonicalCurve> curves)
    {
        var names = results[0].Observables.Select(o => o.Name).ToArray();
        var multiplot = new ScottPlot.Multiplot();
        ScottPlot.IMultiplotExtensions.AddPlots(multiplot, Math.Max(1, names.Length));
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < names.Length; k++)
        {
            var plt = ScottPlot.IMultiplotExtensions.GetPlot(multiplot, k);
            for (int i = 0; i < results.Count; i++)
            {
                var r = results[i];
                var color = palette.GetColor(i);
                string label = results.Count == 1 ? Path.GetFileName(paths[i]) : $"n = {r.Sites}";
                var xs = r.Energies.Select(x => x / r.Sites).ToArray();
                var points = plt.Add.Scatter(xs, r.Observables[k].EigenstateValues);
                points.LineWidth = 0;
                points.MarkerSize = r.Dimension > 1024 ? 2 : 4;
                points.Color = color.WithAlpha(0.6);
                points.LegendText = $"{label}: ⟨E_n|O|E_n⟩";
                var curve = plt.Add.Scatter(curves[i].Energy.Select(x => x / r.Sites).ToArray(), curves[i].Values[names[k]]);
                curve.MarkerSize = 0;
                curve.LineWidth = 2;
                curve.Color = color;
                curve.LegendText = $"{label}: Gibbs Tr[ρ_β O]";
            }
            plt.XLabel("energy per site E/n");
            plt.YLabel($"⟨{names[k]}⟩");
            plt.Title($"eigenstate expectation values of {names[k]}");
            plt.ShowLegend();
        }
        int height = 450 * Math.Max(1, names.Length);
        try
        {
            if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            {
                using var stream = File.Create(path);
                using (var canvas = SkiaSharp.SKSvgCanvas.Create(new SkiaSharp.SKRect(0, 0, 900, height), stream))
                    multiplot.Render(canvas, new ScottPlot.PixelRect(new ScottPlot.PixelSize(900, height)));
            }
            else ScottPlot.IMultiplotExtensions.SavePng(multiplot, path, 900, height);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            throw new DaviesException($"--plot '{path}': cannot write the file ({e.Message})", e);
        }
    }
}
