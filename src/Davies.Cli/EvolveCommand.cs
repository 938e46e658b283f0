using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Davies.Diagnostics;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spectral;
using Davies.Thermodynamics;
using Spectre.Console;

namespace Davies.Cli;

internal static class EvolveCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file (.json, .yaml or .yml); see docs/model-file.md." };
        var initial = new Option<string>("--initial")
        {
            Description = "Initial state: ground | gibbs | maximally-mixed | a product label with one digit per site (0, 101) | " +
                          "level:K (K-th eigenstate of H_S, 0 = ground) | a JSON file {\"matrix\": [[…]]} (entries numbers or [re, im]).",
            Required = true,
            HelpName = "STATE",
        };
        var times = new Option<string>("--times")
        {
            Description = "Times: a comma list (0,0.5,1,10) or start:stop:count. ħ = 1 units.",
            Required = true,
            HelpName = "TIMES",
        };
        var observe = new Option<string[]>("--observe")
        {
            Description = "An observable: a name from the model's 'observables' or an operator string such as \"Z0 Z1\". Repeatable; default: all the model's observables. " +
                          "A non-Hermitian one (\"X0 Y0\" = iZ0, σ⁺) is reported as complex: [re, im] per time in JSON, columns OP.re and OP.im in CSV, a + bi in the table.",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "OP",
        };
        var json = new Option<bool>("--json") { Description = "Print JSON: {\"times\", \"expectations\": {OP: […] (numbers; [re, im] pairs for a non-Hermitian OP)}, \"populations\": [[…] per time, all levels in the order of \"energies\"], \"energies\", \"method\", \"min_eigenvalue\" (the smallest eigenvalue of ρ(t) over the times), \"min_eigenvalue_time\" (where it occurs), \"min_eigenvalues\" ([…] per time), \"validity\" {markov | secular | weak_coupling | memory: {value, threshold, ok, detail}} (docs/validity.md)}, plus \"until\" and \"convergence_time\" with --until. " +
                                                    $"The three min_eigenvalue keys are null for a Davies model with d > {DaviesPositivityCap} (not checked: complete positivity guarantees ρ(t) ≥ 0)." };
        var csv = new Option<bool>("--csv") { Description = $"Print CSV: header t,OP,…,p0,p1,… and one row per time: each observable (OP.re,OP.im for a non-Hermitian OP), then the populations p_k of the eigenstates of H_S in ascending energy, all of them for d ≤ {CsvPopulationCap}, else the {CsvPopulationCap} lowest (a notice on stderr; --json has them all)." };
        var plot = new Option<string?>("--plot")
        {
            Description = "Save a plot against time (FILE.png or FILE.svg): the expectation values (Re and Im curves for a non-Hermitian observable; the level populations when there is no observable).",
            HelpName = "FILE",
        };
        var until = new Option<double?>("--until")
        {
            Description = "Also report the convergence time: after it the trace distance to the steady state stays below EPS, 0 < EPS < 1.",
            HelpName = "EPS",
            CustomParser = r => OptionParsers.Number(r, "--until", "ε must be a number in (0, 1)"),
        };
        var thermo = new Option<bool>("--thermo")
        {
            Description = "Add the thermodynamic account at every time (docs/thermodynamics.md): energy E(t) = Tr[H_S ρ], von Neumann entropy S(t), " +
                          "heat current J_k(t) = Tr[H_S D_k(ρ)] and heat Q_k(t) = ∫₀ᵗ J_k per bath (into the system; exact, from the mode expansion), " +
                          "entropy production rate σ(t) = dS/dt − Σ β_k J_k and Σ(t) = S(t) − S(0) − Σ β_k Q_k, and D(ρ(t)‖ρ_β) when all baths share " +
                          "one temperature. JSON keys energy, entropy, heat_currents {bath: […]}, heat {bath: […]}, entropy_production_rate, " +
                          "entropy_production, relative_entropy, thermo_notes; CSV columns of the same names (heat_currents.BATH, heat.BATH). " +
                          "A value containing β = ∞ (a T = 0 bath) or an infinite dS/dt is null, and a note says why.",
        };
        var plotThermo = new Option<string?>("--plot-thermo")
        {
            Description = "Save E(t) − E(0), S(t), Q_k(t), Σ(t) (and D(ρ(t)‖ρ_β)) against time (FILE.png or FILE.svg); implies --thermo.",
            HelpName = "FILE",
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No notices and no progress line on stderr (progress is shown only on a terminal)." };
        var verbose = new Option<bool>("--verbose") { Description = "End the readable table with the linear-algebra backend and its build." };
        var maxMemory = CliContext.MaxMemoryOption();
        var cmd = new Command("evolve",
            "Exact time evolution ρ(t) = e^{Lt}ρ₀ of the Davies master equation, each Bohr sector propagated on its own " +
            "(Bloch–Redfield: the dense generator). Prints expectation values and the populations of the energy " +
            "eigenstates (in the order of the energies) at each time; the table shows p0…p3 and says which populations it " +
            "leaves out (--json and --csv give them). Ends with the validity report of the Born–Markov–secular approximations " +
            "(docs/validity.md; a failed criterion also prints one 'davies: warning: validity: …' line on stderr, not with --quiet).\n\n" +
            "Positivity: the smallest eigenvalue of ρ(t) over the times is reported (JSON min_eigenvalue, min_eigenvalue_time; " +
            "the line after the table). Bloch–Redfield (options.secular: none) is not completely positive: when an eigenvalue is below " +
            "−1e-12 × ‖ρ(t)‖₁ a warning on stderr names the time (not with --quiet). Davies keeps every ρ(t) positive.\n\n" +
            "Exit codes: 0 success, 2 bad input (one message on stderr naming the flag), 74 cannot write output (stdout closed or full), 130 cancelled.")
        {
            model, initial, times, observe, json, csv, plot, thermo, plotThermo, until, quiet, verbose, maxMemory,
        };
        var set = ParameterOption.Create();
        cmd.Options.Add(set);
        cmd.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json), asCsv = parse.GetValue(csv);
            if (asJson && asCsv) throw new ModelException("--json and --csv: choose one output format");
            bool q = parse.GetValue(quiet);
            ctx.SetMemoryLimit(parse.GetValue(maxMemory));
            ctx.StartChoosingBackend(); // the model file and the flags are read while the native libraries load
            var m = ModelFile.Load(parse.GetValue(model)!, ParameterOption.Values(parse.GetValue(set)));
            var ts = InitialStates.ParseTimes(parse.GetValue(times)!);
            string? plotPath = parse.GetValue(plot);
            Plots.CheckPath(plotPath, "--plot");
            string? thermoPlot = parse.GetValue(plotThermo);
            Plots.CheckPath(thermoPlot, "--plot-thermo");
            bool withThermo = parse.GetValue(thermo) || thermoPlot is not null;
            double? eps = parse.GetValue(until);
            if (eps is { } e0 && !(e0 > 0 && e0 < 1)) throw new ModelException($"--until {e0}: ε must be in (0, 1)");
            CliContext.WhileLoading(() => EnergyBasisModel.Prepare(m)); // the build's stage that needs no native call
            ctx.ChooseBackend(q || asJson || asCsv);
            var ops = SteadyReport.Operators(m, parse.GetValue(observe));
            var progress = ctx.Progress(q);
            var dm = EnergyBasisModel.Build(m, null, progress, ctx.Cancellation);
            ctx.ClearProgress();
            Warnings.Tolerance(ctx, m, dm.Basis, q);
            Warnings.ApproachNotes(ctx, dm, q);
            var report = new EvolveReport(dm, parse.GetValue(initial)!, ts, ops, withThermo, eps, progress, ctx.Cancellation);
            _ = report.InitialState;
            Warnings.Validity(ctx, report.Validity, q);
            var (result, positivity, account) = (report.Result, report.Positivity, report.Result.Thermodynamics);
            ctx.ClearProgress();
            if (!q && positivity?.Warning(m.SourceName) is { } notPositive) ctx.Err.WriteLine($"davies: warning: {notPositive}");
            var hermitian = report.Hermitian;
            if (plotPath is not null) Plot(plotPath, result, hermitian, Path.GetFileName(parse.GetValue(model)!), parse.GetValue(initial)!);
            if (thermoPlot is not null && account is not null)
                ThermoOutput.Plot(thermoPlot, account, $"Heat and entropy of {Path.GetFileName(parse.GetValue(model)!)} from '{parse.GetValue(initial)}'");
            if (asJson) ctx.Out.WriteLine(Document(report));
            else if (asCsv)
            {
                WriteCsv(ctx.Out, result, hermitian, account);
                if (result.Energies.Length > CsvPopulationCap && !q)
                    ctx.Err.WriteLine($"davies: --csv lists the populations p0…p{CsvPopulationCap - 1} of the {CsvPopulationCap} lowest of {result.Energies.Length} levels; --json gives them all");
            }
            else WriteText(ctx.Out, result, positivity, hermitian, eps, report.ConvergenceTime, plotPath, report.Validity, parse.GetValue(verbose), account, thermoPlot);
            return 0;
        });
        return cmd;
    }

    /// <summary>The most population columns of --csv (the lowest levels); larger models get these and a notice.</summary>
    public const int CsvPopulationCap = 64;

    /// <summary>The most population columns of the readable table.</summary>
    public const int TextPopulationCap = 4;

    /// <summary>
    /// The largest dimension at which a Davies run checks the positivity of ρ(t). Complete positivity guarantees it, so
    /// this is a check of the solver, and it costs about as much as the evolution again (each state is formed anew and
    /// diagonalised, O(d³) per time): at d = 16 below a millisecond per time. Bloch–Redfield runs are always checked.
    /// </summary>
    public const int DaviesPositivityCap = 16;

    internal static bool ChecksPositivity(EvolutionResult r) =>
        r.Method == PropagationMethod.RedfieldDense || r.Energies.Length <= DaviesPositivityCap;

    /// <summary>
    /// The top-level keys of <c>evolve --json</c> in order, each with the writer of its value (the thermodynamic keys
    /// only with --thermo, until and convergence_time only with --until).
    /// </summary>
    internal static readonly (string[] Keys, Action<Utf8JsonWriter, EvolveReport> Write)[] Sections =
    [
        (["times"], (w, r) => JsonOut.Array(w, "times", r.Times)),
        (["expectations"], (w, r) =>
        {
            w.WriteStartObject("expectations");
            foreach (var name in r.Result.ObservableNames) JsonOut.Expectations(w, name, r.Result.ComplexExpectations[name], r.Hermitian[name]);
            w.WriteEndObject();
        }),
        (["populations"], (w, r) =>
        {
            w.WriteStartArray("populations");
            foreach (var p in r.Result.Populations)
            {
                w.WriteStartArray();
                foreach (var x in p) w.WriteNumberValue(x);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }),
        (["energies"], (w, r) => JsonOut.Array(w, "energies", r.Result.Energies)),
        (["method"], (w, r) => w.WriteString("method", r.Result.Method.ToWireName())),
        (["approach"], (w, r) => w.WriteString("approach", ThermoOutput.ApproachName(r.Decomposed.OpenSystem))),
        (ThermoOutput.JsonKeys, (w, r) =>
        {
            if (r.Result.Thermodynamics is { } account) ThermoOutput.Json(w, account);
        }),
        (["min_eigenvalue", "min_eigenvalue_time", "min_eigenvalues"], (w, r) =>
        {
            var positivity = r.Positivity;
            JsonOut.Number(w, "min_eigenvalue", positivity?.MinEigenvalue);
            JsonOut.Number(w, "min_eigenvalue_time", positivity?.Time);
            if (positivity is null) w.WriteNull("min_eigenvalues");
            else JsonOut.Array(w, "min_eigenvalues", positivity.MinEigenvalues);
        }),
        (["until", "convergence_time"], (w, r) =>
        {
            if (r.Until is not { } e) return;
            w.WriteNumber("until", e);
            JsonOut.Number(w, "convergence_time", r.ConvergenceTime);
        }),
        (["validity"], (w, r) => ValidityOutput.Json(w, r.Validity)),
    ];

    /// <summary>The JSON document of <c>evolve --json</c>; with <paramref name="include"/>, only the sections with a key it accepts.</summary>
    internal static string Document(EvolveReport report, Func<string, bool>? include = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            foreach (var (keys, write) in Sections)
                if (include is null || keys.Any(include)) write(w, report);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Num(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteCsv(TextWriter output, EvolutionResult r, IReadOnlyDictionary<string, bool> hermitian, ThermodynamicTrajectory? account)
    {
        int levels = Math.Min(r.Energies.Length, CsvPopulationCap);
        var header = new List<string> { "t" };
        foreach (var n in r.ObservableNames)
            if (hermitian[n]) header.Add(CsvField(n));
            else header.AddRange([CsvField(n + ".re"), CsvField(n + ".im")]);
        for (int k = 0; k < levels; k++) header.Add($"p{k}");
        if (account is not null) header.AddRange(ThermoOutput.CsvHeader(account).Select(CsvField));
        output.WriteLine(string.Join(",", header));
        for (int i = 0; i < r.Times.Count; i++)
        {
            var row = new List<string> { Num(r.Times[i]) };
            foreach (var n in r.ObservableNames)
            {
                var z = r.ComplexExpectations[n][i];
                row.Add(Num(z.Real));
                if (!hermitian[n]) row.Add(Num(z.Imaginary));
            }
            for (int k = 0; k < levels; k++) row.Add(Num(r.Populations[i][k]));
            if (account is not null) row.AddRange(ThermoOutput.CsvRow(account, i));
            output.WriteLine(string.Join(",", row));
        }
    }

    private static string CsvField(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static void WriteText(TextWriter output, EvolutionResult r, PositivityReport? positivity, IReadOnlyDictionary<string, bool> hermitian,
        double? eps, double? tConv,
        string? plotPath, ValidityReport validity, bool verbose, ThermodynamicTrajectory? account, string? thermoPlot)
    {
        var console = TextConsole.For(output);
        console.MarkupLine($"[bold]Davies time evolution[/] ({Markup.Escape(r.Method.ToWireName())}, " +
                           $"{(r.Decomposed.OpenSystem.Options.Approach == MasterEquationApproach.Local ? "local" : "global")} jump operators), {r.Times.Count} time(s)");
        var table = new Table().AddColumn("t");
        foreach (var n in r.ObservableNames) table.AddColumn(Markup.Escape(n));
        int shownLevels = Math.Min(r.Energies.Length, TextPopulationCap);
        for (int k = 0; k < shownLevels; k++) table.AddColumn($"p{k}");
        for (int i = 0; i < r.Times.Count; i++)
        {
            var row = new List<string> { r.Times[i].ToString("G6", CultureInfo.InvariantCulture) };
            row.AddRange(r.ObservableNames.Select(n => hermitian[n]
                ? r.Expectations[n][i].ToString("G8", CultureInfo.InvariantCulture)
                : TextOut.Complex(r.ComplexExpectations[n][i], "G8")));
            for (int k = 0; k < shownLevels; k++) row.Add(r.Populations[i][k].ToString("G6", CultureInfo.InvariantCulture));
            table.AddRow(row.ToArray());
        }
        console.Write(table);
        int d = r.Energies.Length;
        console.MarkupLine(shownLevels == d
            ? $"p_k: population of the k-th eigenstate of H_S (ascending energy); all {d} shown."
            : $"p_k: population of the k-th eigenstate of H_S (ascending energy); shown p0–p{shownLevels - 1} of {d}, " +
              $"p{shownLevels}–p{d - 1} omitted (--json or --csv list them).");
        if (positivity is { Time: { } tMin } && double.IsFinite(positivity.MinEigenvalue))
            console.MarkupLine($"smallest eigenvalue of ρ(t): {positivity.MinEigenvalue.ToString("G6", CultureInfo.InvariantCulture)} at t = " +
                               tMin.ToString("G6", CultureInfo.InvariantCulture) + (positivity.Positive
                                   ? " [green](a state at every time)[/]"
                                   : $" [red](NOT positive at {positivity.NegativeCount} of {r.Times.Count} times)[/]"));
        if (eps is { } e)
            console.MarkupLine(tConv is { } t && double.IsFinite(t)
                ? $"convergence time (trace distance to the steady state stays below {e:G3}): {t:G6}"
                : $"[yellow]never converges below {e:G3}[/] (undamped oscillation)");
        if (plotPath is not null) console.MarkupLine($"plot saved to [blue]{Markup.Escape(plotPath)}[/]");
        if (account is not null) ThermoOutput.Text(console, account);
        if (thermoPlot is not null) console.MarkupLine($"thermodynamics plot saved to [blue]{Markup.Escape(thermoPlot)}[/]");
        ValidityOutput.Text(console, validity);
        if (verbose) console.MarkupLine($"backend {Markup.Escape(Davies.LinearAlgebra.LinearAlgebraProvider.Current.Name)}");
    }

    private static void Plot(string path, EvolutionResult r, IReadOnlyDictionary<string, bool> hermitian, string modelName, string initial)
    {
        var plt = new ScottPlot.Plot();
        var xs = r.Times.ToArray();
        if (r.ObservableNames.Count > 0)
        {
            foreach (var n in r.ObservableNames)
            {
                var sc = plt.Add.Scatter(xs, r.Expectations[n]);
                sc.LegendText = hermitian[n] ? $"⟨{n}⟩" : $"Re ⟨{n}⟩";
                sc.MarkerSize = xs.Length > 60 ? 0 : 4;
                if (hermitian[n]) continue;
                var im = plt.Add.Scatter(xs, r.ComplexExpectations[n].Select(z => z.Imaginary).ToArray());
                im.LegendText = $"Im ⟨{n}⟩";
                im.MarkerSize = xs.Length > 60 ? 0 : 4;
            }
            plt.YLabel("expectation value");
        }
        else
        {
            for (int k = 0; k < Math.Min(r.Energies.Length, 8); k++)
            {
                var sc = plt.Add.Scatter(xs, r.Populations.Select(p => p[k]).ToArray());
                sc.LegendText = $"p{k} (E = {r.Energies[k]:G4})";
                sc.MarkerSize = xs.Length > 60 ? 0 : 4;
            }
            plt.YLabel("population");
        }
        plt.XLabel("time (ħ = 1 units)");
        plt.Title($"Davies evolution of {modelName} from '{initial}'");
        plt.ShowLegend();
        Plots.Save(plt, path, "--plot");
    }
}
