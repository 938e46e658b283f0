using System.Globalization;
using System.Text;
using Davies.Baths;
using Davies.Models;
using static Davies.Cli.SvgPlot;

namespace Davies.Cli;

/// <summary>
/// The HTML of <c>davies report</c>: one well-formed (XHTML-parsable) page with inline CSS and SVG, no script and no
/// external resource. Sections (element ids, docs/report.md): model, baths, levels, steady-state, spectrum, relaxation,
/// validity, conserved (when the steady state is not unique or a quantity besides the trace is conserved), provenance.
/// </summary>
internal static class ReportPage
{
    /// <summary>The Bohr-frequency markers drawn on a bath's J(ω) at most (evenly chosen past that; the caption says so).</summary>
    public const int MaxMarkers = 300;

    /// <summary>The Hamiltonian terms listed at most (a long chain's terms are cut with a count of the rest).</summary>
    public const int MaxTerms = 64;

    /// <summary>The section ids, in page order (the conserved section only when it applies).</summary>
    public static readonly string[] Sections = ["model", "baths", "levels", "steady-state", "spectrum", "relaxation", "validity", "conserved", "provenance"];

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0 auto;max-width:1080px;padding:0 18px 40px;color:#222;line-height:1.45}
        h1{font-size:1.6em;margin:22px 0 4px}h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:3px;margin-top:30px}
        nav a{margin-right:12px}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
        pre{background:#f6f8fa;padding:8px 10px;overflow-x:auto;white-space:pre-wrap}
        table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}
        td.num{text-align:right;font-variant-numeric:tabular-nums}.ok{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}
        .note{color:#555;font-size:.92em}svg.plot{width:100%;max-width:760px;height:auto;display:block;margin:6px 0}
        svg .tick{font-size:11px;fill:#444}svg .axis-label{font-size:12px;fill:#222}svg .plot-title{font-size:13px;font-weight:600;fill:#222}svg .legend{font-size:11px;fill:#222}
        .grid{display:flex;flex-wrap:wrap;gap:10px}.grid>div{flex:1 1 480px}
        """;

    public static string Render(ReportCommand.ReportData r)
    {
        var m = r.Model.OpenSystem;
        var s = new StringBuilder();
        string file = Path.GetFileName(r.ModelPath);
        s.Append("<!DOCTYPE html>\n<html lang=\"en\" xmlns=\"http://www.w3.org/1999/xhtml\"><head><meta charset=\"utf-8\"/>");
        s.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>");
        s.Append($"<meta name=\"generator\" content=\"davies {Attr(r.Version)}\"/>");
        s.Append($"<title>Davies report: {Text(file)}</title><style>{Style}</style></head><body>\n");
        s.Append($"<header><h1>Davies report: {Text(file)}</h1><p>d = {m.Dimension} ({m.Space.SiteCount} site(s)), {m.Baths.Count} bath(s), " +
                 $"{Text(m.Options.Secular == SecularMode.Partial ? "Davies (partial secular)" : "Bloch–Redfield (no secular approximation)")}, " +
                 $"{(m.Options.Approach == MasterEquationApproach.Local ? "local" : "global")} jump operators. ħ = k_B = 1.</p>");
        s.Append("<nav>");
        foreach (var id in Sections.Where(id => id != "conserved" || ShowConserved(r)))
            s.Append($"<a href=\"#{id}\">{Text(Title(id))}</a>");
        s.Append("</nav></header>\n");
        Model(s, r);
        ReportSections.Baths(s, r);
        ReportSections.Levels(s, r);
        ReportSections.Steady(s, r);
        ReportSections.Spectrum(s, r);
        ReportSections.Relaxation(s, r);
        ReportSections.Validity(s, r);
        if (ShowConserved(r)) ReportSections.Conserved(s, r);
        s.Append("<footer><section id=\"provenance\"><h2>Provenance</h2>");
        s.Append($"<p>Made by <code>{Text(r.CommandLine)}</code></p>");
        s.Append($"<p>davies version <code>{Text(r.Version)}</code>, linear-algebra backend <code>{Text(r.Backend)}</code>, model file <code>{Text(r.ModelPath)}</code>.</p>");
        s.Append("</section></footer>\n</body></html>\n");
        return s.ToString();
    }

    public static bool ShowConserved(ReportCommand.ReportData r) => !r.Steady.Unique || r.Conserved.Count > 1 || r.Conserved.TransientDimension > 0;

    public static string Title(string id) => id switch
    {
        "model" => "Model",
        "baths" => "Baths",
        "levels" => "Levels and transitions",
        "steady-state" => "Steady state",
        "spectrum" => "Relaxation spectrum",
        "relaxation" => "Relaxation",
        "validity" => "Validity",
        "conserved" => "Conserved quantities",
        "provenance" => "Provenance",
        _ => id,
    };

    public static void Open(StringBuilder s, string id) => s.Append($"<section id=\"{id}\"><h2>{Text(Title(id))}</h2>");

    private static void Model(StringBuilder s, ReportCommand.ReportData r)
    {
        var m = r.Model.OpenSystem;
        Open(s, "model");
        s.Append("<table>");
        Row(s, "sites (local dimensions)", $"[{string.Join(", ", m.Space.Dimensions)}]");
        Row(s, "Hilbert-space dimension d", m.Dimension.ToString(CultureInfo.InvariantCulture));
        Row(s, "distinct levels", $"{r.Model.Basis.Levels.Count} (degeneracy tolerance {Num(r.Model.Basis.Tolerance)})");
        Row(s, "distinct positive Bohr frequencies", r.Model.Bohr.PositiveCount.ToString(CultureInfo.InvariantCulture));
        Row(s, "energy range", $"[{Num(r.Model.Basis.Energies[0])}, {Num(r.Model.Basis.Energies[^1])}]");
        Row(s, "options", $"secular: {(m.Options.Secular == SecularMode.Partial ? "partial" : "none")}, approach: " +
                          $"{(m.Options.Approach == MasterEquationApproach.Local ? "local" : "global")}, lamb_shift: {(m.Options.LambShift ? "true" : "false")}");
        Row(s, "observables", m.Observables.Count == 0 ? "none declared" : string.Join(", ", m.Observables.Keys));
        if (m.Machine is { } machine) Row(s, "machine", machine.Type.ToString().ToLowerInvariant());
        s.Append("</table>");
        s.Append("<p>Hamiltonian H_S (terms as written in the model file):</p>");
        var terms = (m.HamiltonianLabel ?? "given in code (no model-file terms)").Split(" + ");
        s.Append("<pre class=\"hamiltonian\">");
        for (int i = 0; i < Math.Min(terms.Length, MaxTerms); i++) s.Append(i == 0 ? "  " : "+ ").Append(Text(terms[i])).Append('\n');
        if (terms.Length > MaxTerms) s.Append($"  … and {terms.Length - MaxTerms} more terms (the model file has them all)\n");
        s.Append("</pre></section>\n");
    }

    public static void Row(StringBuilder s, string key, string value) =>
        s.Append($"<tr><th>{Text(key)}</th><td>{Text(value)}</td></tr>");

    /// <summary>J(ω) of a thermal bath on (0, ω_max] (G(ω) on [−ω_max, ω_max] for rates without a spectral density), with markers.</summary>
    public static string BathPlot(Bath bath, double[] frequencies, double fallbackScale)
    {
        double top = frequencies.Length > 0 ? frequencies.Max() : 0;
        if (!(top > 0)) top = bath.Rates is ThermalRates tr0 && double.IsFinite(tr0.Density.CharacteristicFrequency) && tr0.Density.CharacteristicFrequency > 0
            ? tr0.Density.CharacteristicFrequency : fallbackScale > 0 ? fallbackScale : 1;
        double wMax = 1.3 * top;
        const int points = 240;
        SvgPlot plot;
        if (bath.Rates is ThermalRates tr)
        {
            var w = Enumerable.Range(1, points).Select(i => wMax * i / points).ToArray();
            plot = new SvgPlot($"{bath.Name}: spectral density J(ω), T = {Num(bath.Temperature)}", "ω", "J(ω)") { Id = "bath-" + bath.Name }
                .AddLine(w, w.Select(tr.Density.Evaluate).ToArray(), "J(ω)", Palette[0]).XRange(0, wMax);
        }
        else
        {
            var w = Enumerable.Range(-points, 2 * points + 1).Select(i => wMax * i / points).ToArray();
            plot = new SvgPlot($"{bath.Name}: rate G(ω) (no spectral density), T = {Num(bath.Temperature)}", "ω", "G(ω)") { Id = "bath-" + bath.Name }
                .AddLine(w, w.Select(bath.Rates.Rate).ToArray(), "G(ω)", Palette[0]).XRange(-wMax, wMax);
        }
        var shown = frequencies.Length <= MaxMarkers ? frequencies
            : Enumerable.Range(0, MaxMarkers).Select(i => frequencies[(int)((long)i * (frequencies.Length - 1) / (MaxMarkers - 1))]).ToArray();
        bool first = true;
        foreach (var f in shown)
        {
            plot.AddMarker(f, first ? "Bohr frequencies driven" : null, Palette[3], frequencies.Length > 60 ? 0.3 : 0.6, $"ω = {Num(f)}");
            first = false;
        }
        return plot.Render();
    }
}
