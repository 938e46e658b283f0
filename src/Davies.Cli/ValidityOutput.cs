using System.Globalization;
using System.Text.Json;
using Davies.Diagnostics;
using Spectre.Console;

namespace Davies.Cli;

/// <summary>The validity report (docs/validity.md) in JSON (key validity) and in the readable summaries.</summary>
internal static class ValidityOutput
{
    /// <summary>"validity": {name: {value, threshold, ok, detail}} (value null when not assessed or infinite).</summary>
    public static void Json(Utf8JsonWriter w, ValidityReport report)
    {
        w.WriteStartObject("validity");
        foreach (var c in report.Criteria)
        {
            w.WriteStartObject(c.Name);
            JsonOut.Number(w, "value", c.Value);
            w.WriteNumber("threshold", c.Threshold);
            w.WriteBoolean("ok", c.Ok);
            w.WriteString("detail", c.Detail);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>A table of the four criteria.</summary>
    public static void Text(IAnsiConsole console, ValidityReport report)
    {
        var t = new Table().AddColumns("validity", "value", "threshold", "", "detail");
        foreach (var c in report.Criteria)
            t.AddRow(c.Name, Format(c.Value), Format(c.Threshold), c.Ok ? "[green]ok[/]" : "[red]FAILS[/]", Markup.Escape(c.Detail));
        console.Write(t);
    }

    public static string Format(double x) =>
        double.IsNaN(x) ? "—" : double.IsPositiveInfinity(x) ? "∞" : x.ToString("G3", CultureInfo.InvariantCulture);
}
