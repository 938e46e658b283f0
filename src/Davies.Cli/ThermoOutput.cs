using System.Globalization;
using System.Text.Json;
using Davies.Solvers;
using Davies.Thermodynamics;
using Spectre.Console;

namespace Davies.Cli;

/// <summary>The thermodynamic account of `evolve --thermo`: JSON keys, CSV columns, a text table and a plot.</summary>
internal static class ThermoOutput
{
    /// <summary>The top-level keys <see cref="Json(Utf8JsonWriter, ThermodynamicTrajectory)"/> writes, in order.</summary>
    public static readonly string[] JsonKeys =
        ["energy", "entropy", "heat_currents", "heat", "entropy_production_rate", "entropy_production", "relative_entropy", "thermo_notes"];

    /// <summary>JSON keys energy, entropy, heat_currents, heat, entropy_production_rate, entropy_production, relative_entropy, thermo_notes.</summary>
    public static void Json(Utf8JsonWriter w, ThermodynamicTrajectory t)
    {
        JsonOut.Array(w, "energy", t.Energy);
        JsonOut.Array(w, "entropy", t.Entropy);
        w.WriteStartObject("heat_currents");
        foreach (var (bath, j) in t.HeatCurrents) JsonOut.Array(w, bath, j);
        w.WriteEndObject();
        w.WriteStartObject("heat");
        foreach (var (bath, q) in t.Heat) JsonOut.Array(w, bath, q);
        w.WriteEndObject();
        Nullable(w, "entropy_production_rate", t.EntropyProductionRate);
        Nullable(w, "entropy_production", t.EntropyProduction);
        if (t.RelativeEntropy is null) w.WriteNull("relative_entropy");
        else Nullable(w, "relative_entropy", t.RelativeEntropy);
        w.WriteStartArray("thermo_notes");
        foreach (var n in t.Notes) w.WriteStringValue(n);
        w.WriteEndArray();
    }

    private static void Nullable(Utf8JsonWriter w, string name, double?[] xs)
    {
        w.WriteStartArray(name);
        foreach (var x in xs)
            if (x is { } v && double.IsFinite(v)) w.WriteNumberValue(v);
            else w.WriteNullValue();
        w.WriteEndArray();
    }

    /// <summary>The CSV column names, in order (heat_currents.BATH and heat.BATH per bath).</summary>
    public static IEnumerable<string> CsvHeader(ThermodynamicTrajectory t) =>
        new[] { "energy", "entropy" }
            .Concat(t.HeatCurrents.Keys.Select(b => "heat_currents." + b))
            .Concat(t.Heat.Keys.Select(b => "heat." + b))
            .Concat(["entropy_production_rate", "entropy_production", "relative_entropy"]);

    /// <summary>The CSV cells at time index <paramref name="i"/> (empty for null).</summary>
    public static IEnumerable<string> CsvRow(ThermodynamicTrajectory t, int i)
    {
        static string Num(double? x) => x is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
        yield return Num(t.Energy[i]);
        yield return Num(t.Entropy[i]);
        foreach (var j in t.HeatCurrents.Values) yield return Num(j[i]);
        foreach (var q in t.Heat.Values) yield return Num(q[i]);
        yield return Num(t.EntropyProductionRate[i]);
        yield return Num(t.EntropyProduction[i]);
        yield return Num(t.RelativeEntropy?[i]);
    }

    /// <summary>A table t, E, S, Q_k, Σ, σ (and D), then the notes.</summary>
    public static void Text(IAnsiConsole console, ThermodynamicTrajectory t)
    {
        static string F(double? x) => x is { } v && double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "null";
        console.MarkupLine("[bold]thermodynamics[/] (heat into the system; Σ = S(t) − S(0) − Σ_k β_k Q_k, σ = dΣ/dt; docs/thermodynamics.md)");
        var table = new Table().AddColumns("t", "E", "S");
        foreach (var b in t.Heat.Keys) table.AddColumn(Markup.Escape($"Q[{b}]"));
        table.AddColumns("Σ", "σ");
        if (t.RelativeEntropy is not null) table.AddColumn("D(ρ‖ρ_β)");
        for (int i = 0; i < t.Times.Count; i++)
        {
            var row = new List<string> { F(t.Times[i]), F(t.Energy[i]), F(t.Entropy[i]) };
            row.AddRange(t.Heat.Values.Select(q => F(q[i])));
            row.Add(F(t.EntropyProduction[i]));
            row.Add(F(t.EntropyProductionRate[i]));
            if (t.RelativeEntropy is { } d) row.Add(F(d[i]));
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }
        console.Write(table);
        foreach (var n in t.Notes) console.MarkupLine($"note: {Markup.Escape(n)}");
    }

    /// <summary>"global" or "local" (options.approach).</summary>
    public static string ApproachName(Models.OpenSystemModel model) =>
        model.Options.Approach == Models.MasterEquationApproach.Local ? "local" : "global";

    /// <summary>JSON key machine {type, cooling_power | heating_power | power, cop | efficiency, carnot, working}.</summary>
    public static void Json(Utf8JsonWriter w, MachineFigures m)
    {
        w.WriteStartObject("machine");
        w.WriteString("type", MachineName(m.Type));
        if (m.Type == Models.MachineType.Refrigerator) JsonOut.Number(w, "cooling_power", m.CoolingPower);
        if (m.Type == Models.MachineType.HeatPump) JsonOut.Number(w, "heating_power", m.HeatingPower);
        if (m.Type == Models.MachineType.Engine) JsonOut.Number(w, "power", m.Power);
        if (m.Type == Models.MachineType.Engine) JsonOut.Number(w, "efficiency", m.Efficiency);
        else JsonOut.Number(w, "cop", m.Cop);
        JsonOut.Number(w, "carnot", m.Carnot);
        w.WriteBoolean("working", m.Working);
        w.WriteEndObject();
    }

    /// <summary>JSON key comparison {global, local: {heat_currents, entropy_production, method}, trace_distance}.</summary>
    public static void Json(Utf8JsonWriter w, ApproachComparison c)
    {
        w.WriteStartObject("comparison");
        foreach (var (name, s) in new[] { ("global", c.Global), ("local", c.Local) })
        {
            w.WriteStartObject(name);
            w.WriteStartObject("heat_currents");
            foreach (var (bath, j) in s.HeatCurrents) JsonOut.Number(w, bath, j);
            w.WriteEndObject();
            JsonOut.Number(w, "entropy_production", s.EntropyProduction);
            w.WriteString("method", s.Method.ToWireName());
            w.WriteEndObject();
        }
        JsonOut.Number(w, "trace_distance", c.TraceDistance);
        w.WriteEndObject();
    }

    /// <summary>The machine's figures of merit, one line each.</summary>
    public static void Text(IAnsiConsole console, MachineFigures m)
    {
        static string F(double? x) => x is { } v && double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "null";
        string output = m.Type switch
        {
            Models.MachineType.Refrigerator => $"cooling power J_cold = {F(m.CoolingPower)}, COP = {F(m.Cop)}",
            Models.MachineType.HeatPump => $"heating power −J_room = {F(m.HeatingPower)}, COP = {F(m.Cop)}",
            _ => $"power −J_work = {F(m.Power)}, efficiency = {F(m.Efficiency)}",
        };
        console.MarkupLine($"[bold]{MachineName(m.Type)}[/]: {output} (Carnot {F(m.Carnot)})" +
                           (m.Working ? " [green](working)[/]" : " [yellow](not working at this point)[/]"));
    }

    /// <summary>Heat currents and entropy production of both approaches, and their trace distance.</summary>
    public static void Text(IAnsiConsole console, ApproachComparison c)
    {
        static string F(double x) => double.IsFinite(x) ? x.ToString("G6", CultureInfo.InvariantCulture) : x > 0 ? "∞" : "−∞";
        var table = new Table().AddColumns("", "global", "local");
        foreach (var bath in c.Global.HeatCurrents.Keys)
            table.AddRow(Markup.Escape($"J[{bath}]"), F(c.Global.HeatCurrents[bath]), F(c.Local.HeatCurrents[bath]));
        table.AddRow("entropy production", F(c.Global.EntropyProduction), F(c.Local.EntropyProduction));
        console.Write(table);
        console.MarkupLine($"trace distance between the global and the local steady state: {F(c.TraceDistance)}" +
                           (c.Local.EntropyProduction < 0 ? " [yellow](the local approach violates the second law here)[/]" : ""));
    }

    private static string MachineName(Models.MachineType t) => t switch
    {
        Models.MachineType.Refrigerator => "refrigerator",
        Models.MachineType.HeatPump => "heat_pump",
        _ => "engine",
    };

    /// <summary>Energy, entropy, heat per bath and entropy production against time (PNG or SVG).</summary>
    public static void Plot(string path, ThermodynamicTrajectory t, string title)
    {
        var plt = new ScottPlot.Plot();
        var xs = t.Times.ToArray();
        void Line(double[] ys, string label)
        {
            var sc = plt.Add.Scatter(xs, ys);
            sc.LegendText = label;
            sc.MarkerSize = xs.Length > 60 ? 0 : 4;
        }
        static double[] Values(double?[] ys) => ys.Select(y => y ?? double.NaN).ToArray();
        Line(t.Energy.Select(e => e - t.Energy[0]).ToArray(), "E(t) − E(0)");
        Line(t.Entropy, "S(t)");
        foreach (var (bath, q) in t.Heat) Line(q, $"Q[{bath}](t)");
        if (t.EntropyProduction.Any(x => x is not null)) Line(Values(t.EntropyProduction), "Σ(t)");
        if (t.RelativeEntropy is { } d) Line(Values(d), "D(ρ(t)‖ρ_β)");
        plt.XLabel("time (ħ = 1 units)");
        plt.YLabel("energy, heat (energy units); entropy (nats)");
        plt.Title(title);
        plt.ShowLegend();
        Plots.Save(plt, path, "--plot-thermo");
    }
}
