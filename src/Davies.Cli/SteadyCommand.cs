using System.CommandLine;
using System.Text.Json;
using Davies.Diagnostics;
using Davies.Generators;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Thermodynamics;
using Davies.Spectral;
using Spectre.Console;

namespace Davies.Cli;

internal static class SteadyCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file (.json, .yaml or .yml); see docs/model-file.md." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout instead of the readable summary." };
        var dm = new Option<bool>("--density-matrix") { Description = "Include ρ_ss in the model's site basis (rows of [re, im]; JSON key density_matrix)." };
        var observe = new Option<string[]>("--observe")
        {
            Description = "An observable to evaluate in the steady state: a name from the model's 'observables' or an operator string such as \"Z0 Z1\". " +
                          "Repeatable; default: all the model's observables. A non-Hermitian one (\"X0 Y0\" = iZ0, σ⁺) is reported as a complex number: " +
                          "[re, im] in JSON, a + bi in the summary.",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "OP",
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No notices on stderr." };
        var verbose = new Option<bool>("--verbose") { Description = "End the readable summary with the linear-algebra backend and its build (as the JSON key backend)." };
        var initial = new Option<string?>("--initial")
        {
            Description = "Start from this state and report the limit it reaches (it keeps the initial values of the conserved quantities; " +
                          "matters when the steady state is not unique): ground | gibbs | maximally-mixed | a product label (0, 101) | level:K | " +
                          "a JSON file {\"matrix\": [[…]]}, as for evolve. Default: the maximally mixed state.",
            HelpName = "STATE",
        };
        var compare = new Option<bool>("--compare-approaches")
        {
            Description = "Also solve the model with the other choice of jump operators (options.approach global and local) and print both side by " +
                          "side: heat currents, entropy production and the trace distance between the two steady states (JSON key comparison " +
                          "{global, local: {heat_currents, entropy_production, method}, trace_distance}). The local approach needs the Hamiltonian as terms.",
        };
        var maxMemory = CliContext.MaxMemoryOption();
        var cmd = new Command("steady",
            "Steady state of a model: the Davies generator solved in its ν = 0 Bohr sector (or Bloch–Redfield with " +
            "options.secular: none). Reports uniqueness (and, when the steady state is not unique, why: the conserved quantities and " +
            "invariant subspaces), distance to the Gibbs state, heat currents, entropy production and expectation values. " +
            "With --initial STATE, the limit reached from that state.\n\nJSON keys: dimension (int), energies (ascending eigenvalues of H_S), shifted_energies " +
            "(of H_S + H_LS; equal to energies without Lamb shift), unique (bool), kernel_dimension, gibbs_trace_distance " +
            "(½‖ρ_ss − ρ_β‖₁; null unless all baths share one temperature), heat_currents {bath: J_k = Tr[H_S D_k(ρ)], into " +
            "the system}, entropy_production (−Σ β_k J_k; null if infinite), expectations {OP: value} (the --observe operators, " +
            "by default all the model's observables; a number for a Hermitian OP, [re, im] for a non-Hermitian one), tolerance (the " +
            "degeneracy grouping tolerance used), residual (‖L(ρ_ss)‖), min_eigenvalue (the smallest eigenvalue of ρ_ss; below −1e-12 × ‖ρ_ss‖₁ it is " +
            "negative, which Bloch–Redfield can give and Davies cannot, and a warning on stderr says so), method, backend, temperatures {bath: T}, " +
            "checks [{name, passed, value}], validity {markov | secular | weak_coupling | memory: {value, threshold, ok, detail}} " +
            "(may the Born–Markov–secular approximations be trusted? docs/validity.md; a failed criterion also prints one " +
            "'davies: warning: validity: …' line on stderr, silenced by --quiet), approach (global or local jump operators, options.approach), " +
            "machine {type, cooling_power | heating_power | power, cop | efficiency, carnot, working} when the model declares a machine " +
            "(docs/thermodynamics.md), comparison with --compare-approaches, and density_matrix with --density-matrix; " + ConservedOutput.JsonHelp + ".\n\n" +
            "Exit codes: 0 success, 2 bad input (one message on stderr naming the problem and where), " +
            "74 cannot write output (stdout closed or full), 130 cancelled.")
        {
            model, json, dm, observe, initial, compare, quiet, verbose, maxMemory,
        };
        var set = ParameterOption.Create();
        cmd.Options.Add(set);
        cmd.SetAction(parse =>
        {
            bool q = parse.GetValue(quiet);
            ctx.StartChoosingBackend(); // the native libraries load while the model file is read
            ctx.SetMemoryLimit(parse.GetValue(maxMemory));
            string path = parse.GetValue(model)!;
            var m = ModelFile.Load(path, ParameterOption.Values(parse.GetValue(set)));
            // the validity report's bath correlation times (a quadrature per distinct bath, cached): here while the native
            // libraries are still loading, on a second thread while H is diagonalised for the baths left
            CliContext.PrefetchWhileLoading(m.Baths.Select(b => (Action)(() => Baths.BathCorrelations.Memory(b.Rates))).ToArray());
            // and the symmetries and symmetry blocks of H_S, the build's first stage that needs no native call
            CliContext.WhileLoading(() => EnergyBasisModel.Prepare(m));
            ctx.ChooseBackend(q || parse.GetValue(json));
            var ops = SteadyReport.Operators(m, parse.GetValue(observe));
            var progress = ctx.Progress(q);
            var decomposed = EnergyBasisModel.Build(m, null, progress, ctx.Cancellation);
            var report = new SteadyReport(decomposed, ops, parse.GetValue(initial), parse.GetValue(compare), progress, ctx.Cancellation);
            report.StartModelChecks(); // the checks and the validity report on the second core while the steady state is solved
            _ = (report.Result, report.Conserved, report.Checks, report.Machine, report.Comparison, report.Positivity);
            ctx.Cancellation.ThrowIfCancellationRequested();
            ctx.ClearProgress();
            Warnings.Tolerance(ctx, m, report.Result.Decomposed.Basis, q);
            Warnings.ApproachNotes(ctx, report.Result.Decomposed, q);
            if (!q && report.Positivity.Warning(m.SourceName) is { } notPositive) ctx.Err.WriteLine($"davies: warning: {notPositive}");
            Warnings.Validity(ctx, report.Validity, q);
            if (parse.GetValue(json)) ctx.Out.WriteLine(Document(report, parse.GetValue(dm)));
            else WriteText(ctx.Out, path, report, parse.GetValue(dm), parse.GetValue(verbose));
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// The top-level keys of <c>steady --json</c> in order, each with the writer of its value (a section may write
    /// several keys, or none when it does not apply: machine, comparison, density_matrix). The JSON document and the
    /// sweep's quantity paths both come from this table.
    /// </summary>
    internal static readonly (string[] Keys, Action<Utf8JsonWriter, SteadyReport, bool> Write)[] Sections =
    [
        (["dimension"], (w, r, _) => w.WriteNumber("dimension", r.Decomposed.Dimension)),
        (["energies"], (w, r, _) => JsonOut.Array(w, "energies", r.Result.Energies)),
        (["shifted_energies"], (w, r, _) => JsonOut.Array(w, "shifted_energies", r.Result.ShiftedEnergies)),
        (["unique"], (w, r, _) => w.WriteBoolean("unique", r.Result.Unique)),
        (["kernel_dimension"], (w, r, _) => w.WriteNumber("kernel_dimension", r.Result.KernelDimension)),
        (["gibbs_trace_distance"], (w, r, _) => JsonOut.Number(w, "gibbs_trace_distance", r.Result.GibbsTraceDistance)),
        (["heat_currents"], (w, r, _) =>
        {
            w.WriteStartObject("heat_currents");
            foreach (var (k, v) in r.Result.HeatCurrents) JsonOut.Number(w, k, v);
            w.WriteEndObject();
        }),
        (["entropy_production"], (w, r, _) => JsonOut.Number(w, "entropy_production", r.Result.EntropyProduction)),
        (["expectations"], (w, r, _) =>
        {
            w.WriteStartObject("expectations");
            foreach (var (name, v, hermitian) in r.Expectations) JsonOut.Expectation(w, name, v, hermitian);
            w.WriteEndObject();
        }),
        (["tolerance"], (w, r, _) => w.WriteNumber("tolerance", r.Result.Tolerance)),
        (["residual"], (w, r, _) => JsonOut.Number(w, "residual", r.Result.Residual)),
        (["min_eigenvalue"], (w, r, _) => JsonOut.Number(w, "min_eigenvalue", r.Positivity.MinEigenvalue)),
        (["method"], (w, r, _) => w.WriteString("method", r.Result.Method.ToWireName())),
        (["approach"], (w, r, _) => w.WriteString("approach", ThermoOutput.ApproachName(r.Decomposed.OpenSystem))),
        (["backend"], (w, r, _) => w.WriteString("backend", LinearAlgebra.LinearAlgebraProvider.Current.Name)),
        (["temperatures"], (w, r, _) =>
        {
            w.WriteStartObject("temperatures");
            foreach (var b in r.Decomposed.OpenSystem.Baths) JsonOut.Number(w, b.Name, b.Temperature);
            w.WriteEndObject();
        }),
        (["checks"], (w, r, _) =>
        {
            w.WriteStartArray("checks");
            foreach (var c in r.Checks)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteBoolean("passed", c.Passed);
                JsonOut.Number(w, "value", c.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }),
        (["validity"], (w, r, _) => ValidityOutput.Json(w, r.Validity)),
        (ConservedOutput.JsonKeys, (w, r, _) => ConservedOutput.Json(w, r.Conserved, r.Start)),
        (["machine"], (w, r, _) =>
        {
            if (r.Machine is { } machine) ThermoOutput.Json(w, machine);
        }),
        (["comparison"], (w, r, _) =>
        {
            if (r.Comparison is { } comparison) ThermoOutput.Json(w, comparison);
        }),
        (["density_matrix"], (w, r, densityMatrix) =>
        {
            if (densityMatrix) JsonOut.ComplexMatrix(w, "density_matrix", r.Result.DensityMatrix);
        }),
    ];

    /// <summary>
    /// The JSON document of <c>steady --json</c> (indented); with <paramref name="include"/>, only the sections with a
    /// key it accepts (and so only what they need is computed).
    /// </summary>
    internal static string Document(SteadyReport report, bool densityMatrix, Func<string, bool>? include = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            foreach (var (keys, write) in Sections)
                if (include is null || keys.Any(include)) write(w, report, densityMatrix);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteText(TextWriter output, string path, SteadyReport report, bool densityMatrix, bool verbose)
    {
        var (r, positivity, expectations, checks, validity, conserved, start) =
            (report.Result, report.Positivity, report.Expectations, report.Checks, report.Validity, report.Conserved, report.Start);
        var console = TextConsole.For(output);
        var m = r.Model;
        console.MarkupLine($"[bold]Davies steady state[/] of [blue]{Markup.Escape(path)}[/]");
        console.MarkupLine($"dimension {m.Dimension} (sites {Markup.Escape(m.Space.ToString())}), {m.Baths.Count} bath(s), " +
                           $"{(m.Options.Secular == SecularMode.Partial ? "Davies (partial secular)" : "Bloch–Redfield (no secular approximation)")}, " +
                           $"{ThermoOutput.ApproachName(m)} jump operators, " +
                           $"Lamb shift {(m.Options.LambShift ? "on" : "off")}");
        console.MarkupLine($"degeneracy tolerance {r.Tolerance:G3}; {r.Decomposed.Basis.Levels.Count} distinct levels, " +
                           $"{r.Decomposed.Bohr.PositiveCount} distinct positive Bohr frequencies");
        console.WriteLine();
        console.MarkupLine(r.Unique
            ? "[green]unique steady state[/]"
            : $"[yellow]steady state NOT unique[/] (kernel dimension {r.KernelDimension}): shown is the limit reached from " +
              (start is null ? "the maximally mixed state" : $"the initial state {Markup.Escape(start)}"));
        ConservedOutput.Text(console, conserved, r.Unique);
        if (r.GibbsTraceDistance is { } g)
            console.MarkupLine($"trace distance to the Gibbs state at T = {Fmt(m.Baths[0].Temperature)}: {g:G3}" +
                               (g < 1e-8 ? " [green](thermalizes)[/]" : " [yellow](does not reach Gibbs)[/]"));
        else console.MarkupLine("baths at different temperatures: non-equilibrium steady state");
        console.MarkupLine($"smallest eigenvalue of ρ_ss: {Fmt(positivity.MinEigenvalue)}" +
                           (positivity.Positive ? " [green](a state)[/]" : " [red](NOT positive: not a physical state)[/]"));

        var baths = new Table().AddColumns("bath", "T", "rates", "heat current J (into system)");
        foreach (var b in m.Baths)
            baths.AddRow(Markup.Escape(b.Name), Fmt(b.Temperature), Markup.Escape(b.Rates.Description), Fmt(r.HeatCurrents[b.Name]));
        console.Write(baths);
        console.MarkupLine($"entropy production −Σ β_k J_k = {Fmt(r.EntropyProduction)}");
        if (report.Machine is { } machine) ThermoOutput.Text(console, machine);
        if (report.Comparison is { } comparison) ThermoOutput.Text(console, comparison);

        var levels = new Table().AddColumns("level", "energy", "shifted energy", "population");
        int shown = Math.Min(r.Energies.Length, 16);
        for (int i = 0; i < shown; i++)
            levels.AddRow(i.ToString(), Fmt(r.Energies[i]), Fmt(r.ShiftedEnergies[i]), Fmt(r.DensityMatrixEigenbasis[i, i].Real));
        if (shown < r.Energies.Length) levels.AddRow("…", $"({r.Energies.Length - shown} more)", "", "");
        console.Write(levels);

        if (expectations.Length > 0)
        {
            var t = new Table().AddColumns("observable", "⟨O⟩ in the steady state");
            foreach (var (name, v, hermitian) in expectations)
                t.AddRow(Markup.Escape(name), hermitian ? Fmt(v.Real) : Markup.Escape(TextOut.Complex(v)));
            console.Write(t);
        }
        foreach (var c in checks)
            console.MarkupLine($"check {c.Name}: {(c.Passed ? "[green]ok[/]" : "[red]FAILED[/]")} ({Markup.Escape(c.Detail)}: {c.Value:G3})");
        console.MarkupLine($"method {r.Method.ToWireName()}, residual ‖L(ρ)‖ = {r.Residual:G3}");
        ValidityOutput.Text(console, validity);
        if (verbose) console.MarkupLine($"backend {Markup.Escape(LinearAlgebra.LinearAlgebraProvider.Current.Name)}");
        if (densityMatrix)
        {
            console.MarkupLine("density matrix (site basis):");
            for (int i = 0; i < r.DensityMatrix.RowCount; i++)
                console.WriteLine(string.Join("  ", Enumerable.Range(0, r.DensityMatrix.ColumnCount)
                    .Select(j => $"{r.DensityMatrix[i, j].Real,10:F6}{r.DensityMatrix[i, j].Imaginary,+10:F6}i")));
        }
    }

    private static string Fmt(double x) => double.IsFinite(x) ? x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture) : x > 0 ? "∞" : x < 0 ? "−∞" : "NaN";
}
