using System.CommandLine;
using Davies.Diagnostics;
using Davies.Models;
using Davies.Solvers;

namespace Davies.Cli;

/// <summary>`davies eth`: eigenstate thermalization of the isolated system, against Davies thermalization by a bath.</summary>
internal static class EthCommand
{
    public static Command Create(CliContext ctx)
    {
        var models = new Argument<string[]>("MODEL")
        {
            Description = "Model file(s) (.json, .yaml or .yml). Several files (the same chain at several sizes) add the scaling of the fluctuation with the size.",
            Arity = ArgumentArity.OneOrMore,
        };
        var observe = new Option<string[]>("--observe")
        {
            Description = "A Hermitian observable: a name from the model's 'observables' or an operator string such as \"Z0 Z1\" (resolved in each model). " +
                          "Repeatable; default: the observables that every model defines.",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "OP",
        };
        var initial = new Option<string?>("--initial")
        {
            Description = "Initial state (as for evolve: ground | gibbs | maximally-mixed | a product label such as 0101 | level:K | a JSON file; " +
                          "a product label shorter than the chain is repeated to its length, so 01 is the Néel state at every even size): adds its energy, " +
                          "effective temperature, and per observable the diagonal-ensemble (isolated, t → ∞), Gibbs (at the effective temperature) " +
                          "and Davies (steady state at the baths' temperatures) values.",
            HelpName = "STATE",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (keys in docs/eth.md and below)." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV, one row per eigenstate: model,sites,n,energy,energy_per_site, then OP and OP.microcanonical for each observable." };
        var plot = new Option<string?>("--plot")
        {
            Description = "Save a plot (FILE.png or FILE.svg): ⟨E_n|O|E_n⟩ against E_n/n (n sites), one panel per observable and one colour per model, with the Gibbs curve Tr[ρ_β O] against E(β)/n.",
            HelpName = "FILE",
        };
        var window = new Option<double?>("--window")
        {
            Description = $"Half-width δ of the microcanonical window as a fraction of the spectral width E_max − E_min, 0 < δ ≤ 1 (default {Eth.DefaultMicrocanonicalHalfWidth}).",
            HelpName = "DELTA",
            CustomParser = r => OptionParsers.Number(r, "--window", "δ must be a number in (0, 1]"),
        };
        var bins = new Option<int?>("--bins")
        {
            Description = $"Number of ω bins of the off-diagonal statistics, 1 to 10000 (default {Eth.DefaultOffDiagonalBins}).",
            HelpName = "N",
            CustomParser = r => OptionParsers.Integer(r, "--bins", "N must be an integer from 1 to 10000"),
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No notices and no progress line on stderr." };
        var verbose = new Option<bool>("--verbose") { Description = "End the readable summary with the linear-algebra backend and its build." };
        var maxMemory = CliContext.MaxMemoryOption();
        var cmd = new Command("eth",
            "Eigenstate thermalization (ETH) of the isolated system H_S, the contrast to Davies thermalization by a bath: " +
            "the eigenstate expectation values ⟨E_n|O|E_n⟩, their microcanonical average and eigenstate-to-eigenstate fluctuation " +
            "(mean |O_{I+1} − O_I| over consecutive levels in the middle half of the spectrum), the off-diagonal |O_mn|² against ω, " +
            "and with --initial the diagonal ensemble against the Gibbs state at the effective temperature and the Davies steady state. " +
            $"Needs every eigenvector of H_S: d ≤ {Eth.MaxDimension}. Definitions: docs/eth.md.\n\n" +
            "JSON keys (one model): model, sites, dimension, energies, tolerance, middle {start, end}, microcanonical_half_width, " +
            "level_spacing_ratio, observables {OP: {eigenstate_values, microcanonical, fluctuation, deviation, off_diagonal {omega, mean_square, count}, " +
            "and with --initial: initial, diagonal_ensemble, gibbs, davies}}, effective_temperature (null without --initial or when infinite), " +
            "with --initial: initial_state, energy, energy_spread, effective_beta, effective_regime, davies_unique, temperatures; gibbs_curve " +
            "{beta, energy, values {OP: […]}}, backend. Several models: {models: [one object per model], scaling {OP: {sites, dimensions, " +
            "fluctuations, exponent, ratio}}, backend}.\n\n" +
            "Exit codes: 0 success, 2 bad input (one message on stderr: a file, a flag, an observable of the wrong dimension or not Hermitian, " +
            "a model too large), 74 cannot write output, 130 cancelled.")
        {
            models, observe, initial, json, csv, plot, window, bins, quiet, verbose, maxMemory,
        };
        var set = ParameterOption.Create();
        cmd.Options.Add(set);
        cmd.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json), asCsv = parse.GetValue(csv);
            if (asJson && asCsv) throw new ModelException("--json and --csv: choose one output format");
            bool q = parse.GetValue(quiet);
            ctx.ChooseBackend(q || asJson || asCsv);
            ctx.SetMemoryLimit(parse.GetValue(maxMemory));
            string? plotPath = parse.GetValue(plot);
            if (plotPath is not null && !plotPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase) && !plotPath.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
                throw new ModelException($"--plot '{plotPath}': the file name must end in .png or .svg");
            var options = new EthOptions { InitialState = parse.GetValue(initial), Cancellation = ctx.Cancellation };
            if (parse.GetValue(window) is { } w)
            {
                if (!(w > 0 && w <= 1)) throw new ModelException($"--window {w}: δ must be in (0, 1] (a fraction of the spectral width)");
                options = options with { MicrocanonicalHalfWidth = w };
            }
            if (parse.GetValue(bins) is { } b)
            {
                if (b is < 1 or > 10_000) throw new ModelException($"--bins {b}: N must be from 1 to 10000");
                options = options with { OffDiagonalBins = b };
            }
            var paths = parse.GetValue(models)!;
            // Load every model first, so that a bad file or observable fails before any diagonalisation.
            var parameters = ParameterOption.Values(parse.GetValue(set));
            var loaded = paths.Select(p => ModelFile.Load(p, parameters)).ToArray();
            var names = parse.GetValue(observe) is { Length: > 0 } given
                ? given
                : loaded[0].Observables.Keys.Where(k => loaded.All(m => m.Observables.ContainsKey(k))).ToArray();
            if (names.Length == 0)
                throw new ModelException(loaded.Length == 1
                    ? $"{paths[0]}: the model defines no observables; name one with --observe OP (e.g. --observe \"Z0\")"
                    : "the models define no observable in common; name one with --observe OP (e.g. --observe \"Z0\")");
            var operators = loaded.Select((m, i) => names.Select(n => new NamedOperator(n, Resolve(m, paths[i], n))).ToArray()).ToArray();
            for (int i = 0; i < loaded.Length; i++) Eth.Validate(loaded[i], operators[i], options);
            var progress = ctx.Progress(q);
            var results = new List<EthResult>();
            for (int i = 0; i < loaded.Length; i++)
            {
                results.Add(Eth.Analyze(loaded[i], operators[i], options with { Progress = progress }));
                ctx.ClearProgress();
            }
            var scaling = results.Count > 1 ? Eth.Scaling(results) : [];
            var curves = results.Select(r => r.CanonicalCurve()).ToArray();
            if (plotPath is not null) EthOutput.Plot(plotPath, paths, results, curves);
            var run = new EthOutput.Run(paths, results, curves, scaling, options.InitialState);
            if (asJson) EthOutput.WriteJson(ctx.Out, run);
            else if (asCsv) EthOutput.WriteCsv(ctx.Out, run);
            else EthOutput.WriteText(ctx.Out, run, plotPath, parse.GetValue(verbose));
            return 0;
        });
        return cmd;
    }

    /// <summary>An observable of one model: its name or an operator string; a string for sites it does not have is bad input naming the file.</summary>
    private static Matrix<Complex> Resolve(OpenSystemModel model, string path, string name)
    {
        try { return Observables.Resolve(model, name); }
        catch (ModelException e) { throw new ModelException($"{path}: {e.Message}", e); }
    }
}
