using System.CommandLine;
using Davies.Models;
using Davies.Studies;

namespace Davies.Cli;

internal static class SweepCommand
{
    /// <summary>Error lines printed on stderr for failed points (the rest are counted).</summary>
    private const int ErrorLines = 5;

    public static Command Create(CliContext ctx)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file (.json, .yaml or .yml) that declares the swept parameters in its 'parameters' (docs/model-file.md)." };
        var set = new Option<string[]>("--set")
        {
            Description = "A swept parameter: name=SPEC with SPEC start:stop:count (evenly spaced, both ends included), start:stop:count:log " +
                          "(evenly spaced in log) or v1,v2,… (one value fixes the parameter). Numbers may be constant expressions (2*pi). " +
                          "Repeatable: several make a Cartesian grid, row-major (the first --set varies slowest).",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "NAME=SPEC",
        };
        var quantity = new Option<string[]>("--quantity")
        {
            Description = "A number to record at each point, by its JSON path in the output of steady (no prefix), spectrum. or evolve.: " +
                          "expectations.sz, heat_currents.hot, gibbs_trace_distance, entropy_production, machine.cop, validity.secular.value, " +
                          "energies[0], spectrum.spectral_gap, spectrum.relaxation_time, evolve.expectations.sz[-1], evolve.convergence_time… " +
                          "Repeatable. Only the commands and sections these paths need are computed (docs/sweeps.md).",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "PATH",
        };
        var zip = new Option<bool>("--zip") { Description = "Pair the --set parameters value by value (all of the same length) instead of combining them." };
        var json = new Option<bool>("--json") { Description = "Print JSON: {model, parameters, quantities, points [{point, values {name: v}, quantities {path: q}, error}], errors, complete}." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV: a header (the parameters, the quantities, error), then one row per point; a missing value is an empty cell." };
        var plot = new Option<string?>("--plot")
        {
            Description = "Save a plot (FILE.png or FILE.svg): the quantities against the swept parameter, one line each; with two swept parameters a heat " +
                          "map of one quantity, or with --series one line per value of that parameter.",
            HelpName = "FILE",
        };
        var series = new Option<string?>("--series") { Description = "With --plot and two swept parameters: draw one line per value of this one (against the other).", HelpName = "NAME" };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the points to FILE as they finish (JSON Lines: a header naming the sweep, then one line per point, flushed), so that a " +
                          "killed sweep loses only the points in flight; the finished file lists the points in grid order.",
            HelpName = "FILE",
        };
        var resume = new Option<bool>("--resume") { Description = "Continue the sweep in --output FILE: its points are not computed again (a last line cut short by a kill is dropped). A missing FILE starts afresh." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing --output FILE (without it, an existing file is an error unless --resume)." };
        var shard = new Option<string?>("--shard")
        {
            Description = "Run only the k-th of N interleaved slices of the grid (points p with p mod N = k; k from 0, as $SLURM_ARRAY_TASK_ID or " +
                          "$JOB_COMPLETION_INDEX). Merge the shards' --output files with 'davies sweep merge'.",
            HelpName = "K/N",
        };
        var jobs = new Option<int>("--jobs", "-j")
        {
            Description = "Points computed at once (default: the number of cores). With J > 1 each point's linear algebra is single-threaded. The output does not depend on J.",
            DefaultValueFactory = _ => Environment.ProcessorCount,
            HelpName = "J",
            CustomParser = r => OptionParsers.Integer(r, "--jobs", "must be a whole number ≥ 1"),
        };
        var initial = new Option<string?>("--initial") { Description = "Initial state for evolve. quantities (and steady's limit from it): as for evolve --initial.", HelpName = "STATE" };
        var times = new Option<string?>("--times") { Description = "Times for evolve. quantities: as for evolve --times.", HelpName = "TIMES" };
        var until = new Option<double?>("--until")
        {
            Description = "ε of evolve.convergence_time (as for evolve --until).",
            HelpName = "EPS",
            CustomParser = r => OptionParsers.Number(r, "--until", "ε must be a number in (0, 1)"),
        };
        var modes = new Option<int?>("--modes")
        {
            Description = "Slowest modes of spectrum. quantities (spectrum.modes[k]; default 10).",
            HelpName = "K",
            CustomParser = r => OptionParsers.Integer(r, "--modes", "must be a whole number ≥ 0"),
        };
        var full = new Option<bool>("--full") { Description = "spectrum. quantities: diagonalise every Bohr sector (as spectrum --full)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar and no notices on stderr (the progress bar is shown only on a terminal)." };
        var maxMemory = CliContext.MaxMemoryOption();
        var cmd = new Command("sweep",
            "Run a model over a grid of parameter values and record numbers the other commands print (docs/sweeps.md). Each point builds the model " +
            "at its values (the parameters the file declares), decomposes it once and runs only what its --quantity paths need; a point whose " +
            "model is invalid is a row with its error and the sweep goes on. Output: a table (default), --csv or --json on stdout, --plot, and " +
            "--output FILE written incrementally (--resume continues it; --shard k/N runs a slice; 'davies sweep merge' joins the slices).\n\n" +
            "Exit codes: 0 success, 2 bad input or some points failed (their count on stderr), 74 cannot write output, 130 cancelled (Ctrl-C: " +
            "the points done so far are printed and kept in --output).")
        {
            model, set, quantity, zip, json, csv, plot, series, output, resume, overwrite, shard, jobs, initial, times, until, modes, full, quiet, maxMemory,
        };
        cmd.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json), asCsv = parse.GetValue(csv), q = parse.GetValue(quiet);
            if (asJson && asCsv) throw new SweepException("--json and --csv: choose one output format");
            ctx.ChooseBackend(q || asJson || asCsv);
            ctx.SetMemoryLimit(parse.GetValue(maxMemory));
            string path = parse.GetValue(model)!;
            var sets = parse.GetValue(set) ?? [];
            if (sets.Length == 0) throw new SweepException("davies sweep needs at least one --set name=SPEC (e.g. --set T=0.1:2:20)");
            var axes = sets.Select(s => Prefixed("--set ", () => SweepAxis.Parse(s))).ToArray();
            var grid = parse.GetValue(zip) ? SweepGrid.Zip(axes) : SweepGrid.Cartesian(axes);
            var template = ModelFile.LoadTemplate(path);
            var declared = template.Parameters.Select(p => p.Name).ToArray();
            foreach (var a in axes.Where(a => !declared.Contains(a.Name)))
                throw new ModelFileException($"--set {a}: {path} declares no parameter '{a.Name}' " +
                    (declared.Length == 0 ? "(it has no 'parameters' mapping; see docs/model-file.md)" : $"(its parameters: {string.Join(", ", declared)}{Hint(a.Name, declared)})"));
            var quantities = SweepQuantities.Parse(parse.GetValue(quantity) ?? [],
                new SweepQuantities.Settings(parse.GetValue(initial), parse.GetValue(times), parse.GetValue(until), parse.GetValue(modes), parse.GetValue(full)));
            var part = parse.GetValue(shard) is { } shardText ? Prefixed("--", () => SweepShard.Parse(shardText)) : SweepShard.All;
            int j = parse.GetValue(jobs);
            if (j < 1) throw new SweepException($"--jobs {j}: must be at least 1");
            string? plotPath = parse.GetValue(plot);
            SweepOutput.CheckPlot(plotPath, grid, quantities.Paths.Count, parse.GetValue(series));
            string? outPath = parse.GetValue(output);
            bool again = parse.GetValue(resume), replace = parse.GetValue(overwrite);
            if (again && outPath is null) throw new SweepException("--resume continues an --output FILE; give it");
            if (again && replace) throw new SweepException("--resume and --overwrite: choose one");
            if (replace && outPath is null) throw new SweepException("--overwrite replaces an --output FILE; give it");

            var header = SweepHeader.For(path, grid, quantities.Paths, quantities.HeaderSettings);
            using var file = outPath is null ? null : SweepOutputFile.Open(outPath, header, part, again, replace);
            var rows = new List<SweepPointResult>(file?.Existing ?? []);
            var progress = ctx.Progress(q) is { } line ? new SweepProgressBar(line) : null;
            SweepRunSummary run;
            try
            {
                run = SweepRunner.Run(grid, (p, token) => quantities.Evaluate(template, p, token), r =>
                {
                    file?.Append(r);
                    rows.Add(r);
                }, new SweepRunOptions
                {
                    Jobs = j, Shard = part, Skip = rows.Select(r => r.Index).ToHashSet(), Progress = progress, Cancellation = ctx.Cancellation,
                });
            }
            catch (SweepException) when (file is not null && rows.Count == 0 && file.Existing.Count == 0)
            {
                // Stopped before any point (e.g. an unknown quantity): leave no file that a corrected run would have to --overwrite.
                file.Dispose();
                File.Delete(outPath!);
                throw;
            }
            ctx.ClearProgress();
            file?.Complete();
            rows.Sort((a, b) => a.Index.CompareTo(b.Index));
            string summary = $"{rows.Count} of {grid.Count} points" +
                             (part.Count > 1 ? $" (shard {part}: {run.Total} points)" : "") +
                             (run.Skipped > 0 ? $", {run.Skipped} read back from {outPath}" : "") +
                             (j > 1 ? $", {j} jobs" : "");
            if (plotPath is not null && rows.Count > 0)
                SweepOutput.Plot(plotPath, header, rows, parse.GetValue(series), $"{header.Model}: {string.Join(", ", header.Quantities)}");
            if (asJson) SweepOutput.Json(ctx.Out, header, rows, !run.Cancelled);
            else if (asCsv) SweepOutput.Csv(ctx.Out, header, rows);
            else SweepOutput.Table(ctx.Out, path, header, rows, summary);
            return Finish(ctx, grid, rows, run.Cancelled, run.Total, outPath, q);
        });
        cmd.Subcommands.Add(MergeCommand(ctx));
        return cmd;
    }

    /// <summary>Reports failed points (a few lines and the count) and a cancellation; the exit code.</summary>
    private static int Finish(CliContext ctx, SweepGrid grid, List<SweepPointResult> rows, bool cancelled, int total, string? output, bool quiet)
    {
        var failed = rows.Where(r => r.Error is not null).ToArray();
        foreach (var r in failed.Take(quiet ? 0 : ErrorLines))
            ctx.Err.WriteLine($"davies: error: point {r.Index} ({grid.Describe(r.Index)}): {r.Error}");
        if (cancelled)
        {
            ctx.Err.WriteLine($"davies: cancelled after {rows.Count} of {total} points" + (output is null ? "" : $"; --resume continues {output}"));
            return 130;
        }
        if (failed.Length == 0) return 0;
        ctx.Err.WriteLine($"davies: {failed.Length} of {rows.Count} points failed (their error is in the output)");
        return CliApp.BadInput;
    }

    private static Command MergeCommand(CliContext ctx)
    {
        var inputs = new Argument<string[]>("OUT") { Description = "The --output files of the shards of one sweep.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "The merged file: exactly what the unsharded run writes.", Required = true, HelpName = "FILE" };
        var json = new Option<bool>("--json") { Description = "Also print the merged points as JSON (as davies sweep --json)." };
        var csv = new Option<bool>("--csv") { Description = "Also print the merged points as CSV (as davies sweep --csv)." };
        var plot = new Option<string?>("--plot") { Description = "Also save the plot of the merged sweep (as davies sweep --plot).", HelpName = "FILE" };
        var series = new Option<string?>("--series") { Description = "As davies sweep --series.", HelpName = "NAME" };
        var cmd = new Command("merge",
            "Merge the --output files of the shards of one sweep (--shard k/N, k = 0 … N−1) into FILE: the header, then every point once in grid " +
            "order, each line as its shard wrote it, so FILE is byte for byte what the unsharded run writes. Files of different sweeps (another " +
            "model file, grid, quantities or settings), a missing point or a point in two files are errors naming them (exit 2).")
        {
            inputs, output, json, csv, plot, series,
        };
        cmd.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json), asCsv = parse.GetValue(csv);
            if (asJson && asCsv) throw new SweepException("--json and --csv: choose one output format");
            string target = parse.GetValue(output)!;
            var header = SweepFile.Merge(parse.GetValue(inputs)!, target);
            string? plotPath = parse.GetValue(plot);
            SweepOutput.CheckPlot(plotPath, header.Grid, header.Quantities.Count, parse.GetValue(series));
            var (_, rows) = SweepFile.Read(target);
            if (plotPath is not null) SweepOutput.Plot(plotPath, header, rows, parse.GetValue(series), $"{header.Model}: {string.Join(", ", header.Quantities)}");
            if (asJson) SweepOutput.Json(ctx.Out, header, rows, true);
            else if (asCsv) SweepOutput.Csv(ctx.Out, header, rows);
            else ctx.Out.WriteLine($"merged {rows.Count} points of the sweep of {header.Model} into {target}" +
                                   $" ({rows.Count(r => r.Error is not null)} with an error)");
            return 0;
        });
        return cmd;
    }

    private static T Prefixed<T>(string flag, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (SweepException e)
        {
            throw new SweepException(flag + e.Message, e);
        }
    }

    private static string Hint(string name, IEnumerable<string> names) =>
        SweepQuantities.Suggest(name, names) is { } best ? $"; did you mean '{best}'?" : "";
}
