using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Davies.Diagnostics;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;
using Spectre.Console;

namespace Davies.Cli;

internal static class SpectrumCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file (.json, .yaml or .yml); see docs/model-file.md." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout instead of the readable summary." };
        var modes = new Option<int>("--modes")
        {
            Description = "Number K ≥ 0 of slowest modes to list (default 10).",
            DefaultValueFactory = _ => 10,
            HelpName = "K",
            CustomParser = r => OptionParsers.Integer(r, "--modes", "must be a whole number ≥ 0"),
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No notices and no progress line on stderr (progress is shown only on a terminal)." };
        var full = new Option<bool>("--full")
        {
            Description = "Diagonalise every Bohr sector. By default sectors whose decay provably exceeds every listed mode are skipped, and a large population block has only its slow end found (the gap and the modes are exact either way).",
        };
        var verbose = new Option<bool>("--verbose") { Description = "End the readable summary with the linear-algebra backend and its build." };
        var maxMemory = CliContext.MaxMemoryOption();
        var cmd = new Command("spectrum",
            "Relaxation spectrum of the generator, Bohr sector by Bohr sector: spectral gap (smallest non-zero |Re λ|), " +
            "relaxation time 1/gap, population gap (ν = 0 sector), the slowest modes, and T1, T2 for a two-level system.\n\n" +
            "JSON keys: spectral_gap, relaxation_time, population_gap, kernel_dimension, method, skipped_sectors, modes [{eigenvalue: [re, im], " +
            "bohr_frequency}], t1, t2 for a two-level system, and validity {markov | secular | weak_coupling | memory: {value, threshold, ok, " +
            "detail}} (docs/validity.md; a failed criterion also prints one 'davies: warning: validity: …' line on stderr, silenced by --quiet).\n\n" +
            "Bloch–Redfield (options.secular: none): a mode's bohr_frequency is that of the Bohr sector holding most of its " +
            "eigenvector's weight; t1 comes from the population mode, t2 from the slowest coherence mode.\n\n" +
            "Exit codes: 0 success, 2 bad input (one message on stderr), 74 cannot write output (stdout closed or full), 130 cancelled.")
        {
            model, json, modes, quiet, full, verbose, maxMemory,
        };
        var set = ParameterOption.Create();
        cmd.Options.Add(set);
        cmd.SetAction(parse =>
        {
            bool q = parse.GetValue(quiet);
            ctx.StartChoosingBackend(); // the native libraries load while the model file is read
            ctx.SetMemoryLimit(parse.GetValue(maxMemory));
            int k = parse.GetValue(modes);
            if (k < 0) throw new ModelException($"--modes {k}: must be ≥ 0");
            var m = ModelFile.Load(parse.GetValue(model)!, ParameterOption.Values(parse.GetValue(set)));
            CliContext.WhileLoading(() => EnergyBasisModel.Prepare(m)); // the build's stage that needs no native call
            ctx.ChooseBackend(q || parse.GetValue(json));
            var progress = ctx.Progress(q);
            var report = new SpectrumReport(EnergyBasisModel.Build(m, null, progress, ctx.Cancellation),
                new SpectrumOptions(Modes: k, Full: parse.GetValue(full)) { Progress = progress, Cancellation = ctx.Cancellation });
            var s = report.Result;
            ctx.ClearProgress();
            Warnings.Tolerance(ctx, m, s.Decomposed.Basis, q);
            Warnings.ApproachNotes(ctx, s.Decomposed, q);
            Warnings.Validity(ctx, report.Validity, q);
            if (parse.GetValue(json)) ctx.Out.WriteLine(Document(report));
            else WriteText(ctx.Out, parse.GetValue(model)!, s, report.Validity, parse.GetValue(verbose));
            return 0;
        });
        return cmd;
    }

    /// <summary>What one `davies spectrum` run prints, each part computed when first asked for.</summary>
    internal sealed class SpectrumReport(EnergyBasisModel decomposed, SpectrumOptions options)
    {
        private readonly Lazy<SpectrumResult> _result = new(() => Spectrum.Compute(decomposed, options));
        private readonly Lazy<ValidityReport> _validity = new(() => Diagnostics.Validity.Evaluate(decomposed));

        public EnergyBasisModel Decomposed => decomposed;
        public SpectrumResult Result => _result.Value;
        public ValidityReport Validity => _validity.Value;
    }

    /// <summary>The top-level keys of <c>spectrum --json</c> in order, each with the writer of its value (t1, t2 only for d = 2).</summary>
    internal static readonly (string[] Keys, Action<Utf8JsonWriter, SpectrumReport> Write)[] Sections =
    [
        (["spectral_gap"], (w, r) => JsonOut.Number(w, "spectral_gap", r.Result.SpectralGap)),
        (["relaxation_time"], (w, r) => JsonOut.Number(w, "relaxation_time", r.Result.RelaxationTime)),
        (["population_gap"], (w, r) => JsonOut.Number(w, "population_gap", r.Result.PopulationGap)),
        (["kernel_dimension"], (w, r) => w.WriteNumber("kernel_dimension", r.Result.KernelDimension)),
        (["skipped_sectors"], (w, r) => w.WriteNumber("skipped_sectors", r.Result.SkippedSectors)),
        (["method"], (w, r) => w.WriteString("method", r.Result.Method.ToWireName())),
        (["approach"], (w, r) => w.WriteString("approach", ThermoOutput.ApproachName(r.Decomposed.OpenSystem))),
        (["modes"], (w, r) =>
        {
            w.WriteStartArray("modes");
            foreach (var mode in r.Result.SlowestModes)
            {
                w.WriteStartObject();
                w.WriteStartArray("eigenvalue");
                w.WriteNumberValue(mode.Eigenvalue.Real);
                w.WriteNumberValue(mode.Eigenvalue.Imaginary);
                w.WriteEndArray();
                w.WriteNumber("bohr_frequency", mode.BohrFrequency);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }),
        (["t1", "t2"], (w, r) =>
        {
            if (r.Decomposed.Dimension != 2) return;
            JsonOut.Number(w, "t1", r.Result.T1);
            JsonOut.Number(w, "t2", r.Result.T2);
        }),
        (["validity"], (w, r) => ValidityOutput.Json(w, r.Validity)),
    ];

    /// <summary>The JSON document of <c>spectrum --json</c>; with <paramref name="include"/>, only the sections with a key it accepts.</summary>
    internal static string Document(SpectrumReport report, Func<string, bool>? include = null)
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

    private static string F(double? x) => x is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "—";

    private static void WriteText(TextWriter output, string path, SpectrumResult s, ValidityReport validity, bool verbose)
    {
        var console = TextConsole.For(output);
        console.MarkupLine($"[bold]Davies relaxation spectrum[/] of [blue]{Markup.Escape(path)}[/] ({Markup.Escape(s.Method.ToWireName())})");
        console.MarkupLine($"spectral gap {F(s.SpectralGap)}, relaxation time {F(s.RelaxationTime)}, population gap {F(s.PopulationGap)}");
        console.MarkupLine($"steady states (kernel dimension): {s.KernelDimension}" +
                           (s.PersistentOscillations > 0 ? $", [yellow]{s.PersistentOscillations} undamped oscillating mode(s)[/]" : ""));
        if (s.T1 is not null) console.MarkupLine($"two-level system: T1 = {F(s.T1)}, T2 = {F(s.T2)}");
        var table = new Table().AddColumns("mode", "Re λ", "Im λ", "Bohr frequency ν");
        for (int i = 0; i < s.SlowestModes.Count; i++)
        {
            var mode = s.SlowestModes[i];
            table.AddRow(i.ToString(CultureInfo.InvariantCulture), F(mode.Eigenvalue.Real), F(mode.Eigenvalue.Imaginary), F(mode.BohrFrequency));
        }
        console.Write(table);
        ValidityOutput.Text(console, validity);
        if (verbose) console.MarkupLine($"backend {Markup.Escape(Davies.LinearAlgebra.LinearAlgebraProvider.Current.Name)}");
    }
}
