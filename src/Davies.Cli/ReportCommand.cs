using System.CommandLine;
using System.Reflection;
using Davies.Diagnostics;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Cli;

/// <summary>
/// <c>davies report MODEL -o report.html</c>: one self-contained HTML page (inline SVG, inline CSS, no script, no
/// network) showing the model, its baths, levels and transitions, steady state, relaxation spectrum, a relaxation curve,
/// the validity report and the conserved quantities. Every number comes from the library calls the other commands
/// make (docs/report.md).
/// </summary>
internal static class ReportCommand
{
    /// <summary>Above this dimension the levels are shown in energy bins (the level diagram and the populations).</summary>
    public const int BinAbove = 64;

    /// <summary>The number of equal-width energy bins for d &gt; <see cref="BinAbove"/> (empty bins are dropped).</summary>
    public const int Bins = 48;

    /// <summary>Up to this dimension every eigenvalue of the generator is computed and plotted (d² of them).</summary>
    public const int FullSpectrumUpTo = 64;

    /// <summary>The slowest modes listed in the spectrum table.</summary>
    public const int ListedModes = 12;

    /// <summary>Up to this dimension the relaxation curve is the trace distance ½‖ρ(t) − ρ∞‖₁; above, the population distance.</summary>
    public const int TraceDistanceUpTo = 64;

    /// <summary>Number of times of the relaxation curve, from 0 to <see cref="RelaxationTimes"/> relaxation times.</summary>
    public const int CurvePoints = 121;

    /// <summary>The relaxation curve runs to this many relaxation times 1/gap.</summary>
    public const double RelaxationTimes = 8;

    /// <summary>Up to this dimension the relaxation curve includes the model's observables ⟨O⟩(t); above, the level populations.</summary>
    public const int ObservablesUpTo = 256;

    /// <summary>
    /// The relaxation curve is computed when the model has at most this many distinct positive Bohr frequencies: the
    /// evolution prepares a propagator for every Bohr sector (about a minute and several GB past this, e.g. a chaotic
    /// chain of 10 sites); above it the section points to <c>davies evolve</c>.
    /// </summary>
    public const int RelaxationSectorLimit = 262144;

    /// <summary>For the population distance, the limit is taken at this many times the end of the curve.</summary>
    private const double LimitTimes = 1000;

    public static Command Create(CliContext ctx)
    {
        var model = new Argument<string>("MODEL") { Description = "Model file (.json, .yaml or .yml); see docs/model-file.md." };
        var output = new Option<string>("--output", "-o")
        {
            Description = "The HTML file to write (one self-contained page: inline SVG and CSS, no script, nothing loaded from the network).",
            Required = true,
            HelpName = "FILE",
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No notices, warnings or progress line on stderr." };
        var maxMemory = CliContext.MaxMemoryOption();
        var cmd = new Command("report",
            "Write a self-contained HTML page about a model: sites and Hamiltonian terms; baths with T and J(ω) plotted with the " +
            "Bohr frequencies they drive; the level diagram with the transitions the couplings drive (line width ∝ rate; levels " +
            $"binned in energy for d > {BinAbove}); the steady-state populations against Gibbs; the relaxation spectrum in the complex " +
            "plane; a relaxation curve from the most excited eigenstate; the validity report; the conserved quantities when the steady " +
            "state is not unique; and the command line and version that made it. See docs/report.md.\n\n" +
            "Exit codes: 0 success, 2 bad input (a model error, or FILE cannot be written: one message on stderr), 130 cancelled.")
        {
            model, output, quiet, maxMemory,
        };
        cmd.SetAction(parse =>
        {
            bool q = parse.GetValue(quiet);
            ctx.ChooseBackend(q);
            ctx.SetMemoryLimit(parse.GetValue(maxMemory));
            string path = parse.GetValue(model)!, target = parse.GetValue(output)!;
            CheckWritable(target);
            var m = ModelFile.Load(path);
            var progress = ctx.Progress(q);
            var data = Compute(m, path, CommandLine(parse), progress, ctx.Cancellation);
            ctx.ClearProgress();
            Warnings.Tolerance(ctx, m, data.Model.Basis, q);
            Warnings.ApproachNotes(ctx, data.Model, q);
            Warnings.Validity(ctx, data.Validity, q);
            string html = ReportPage.Render(data);
            Write(target, html);
            ctx.Out.WriteLine($"report written to {target}");
            return 0;
        });
        return cmd;
    }

    /// <summary>The package version (as <c>davies --version</c> prints it).</summary>
    public static string Version => CliApp.Version;

    /// <summary>The command line as typed (each token shell-quoted when needed).</summary>
    private static string CommandLine(System.CommandLine.ParseResult parse) =>
        "davies " + string.Join(" ", parse.Tokens.Select(t => Quote(t.Value)));

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || "-_./:=,+@%".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";

    /// <summary>Fails early (before any computation) when the output file cannot be created or written.</summary>
    private static void CheckWritable(string target)
    {
        bool existed = File.Exists(target);
        try
        {
            if (Directory.Exists(target)) throw new IOException("it is a directory");
            using (new FileStream(target, FileMode.Append, FileAccess.Write)) { }
            if (!existed) File.Delete(target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new DaviesException($"--output '{target}': cannot write the file ({e.Message.TrimEnd('.')})", e);
        }
    }

    private static void Write(string target, string html)
    {
        try
        {
            File.WriteAllText(target, html, new System.Text.UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DaviesException($"--output '{target}': cannot write the file ({e.Message.TrimEnd('.')})", e);
        }
    }

    /// <summary>Everything the page shows.</summary>
    internal sealed record ReportData(
        string ModelPath, string CommandLine, string Version, string Backend,
        EnergyBasisModel Model, SteadyStateResult Steady, SpectrumResult Spectrum, ValidityReport Validity,
        ConservedQuantitiesResult Conserved, IReadOnlyList<(string Name, Complex Value, bool Hermitian)> Expectations,
        bool Binned, IReadOnlyList<LevelDiagram.Group> Groups, double[,] Rates, double[] SteadyPopulations,
        IReadOnlyList<(double Temperature, double[] Populations)> Gibbs,
        EvolutionResult? Relaxation, string InitialState, double[] Distance, bool TraceDistance,
        IReadOnlyList<(string Bath, double[] Frequencies)> DrivenFrequencies);

    internal static ReportData Compute(OpenSystemModel m, string path, string commandLine, IProgress<string>? progress, CancellationToken cancel)
    {
        var dm = EnergyBasisModel.Build(m, null, progress, cancel);
        var steady = SteadyState.Solve(dm, new SteadyStateOptions { Progress = progress, Cancellation = cancel });
        progress?.Report("conserved quantities");
        var conserved = ConservedQuantities.Of(steady);
        var spectrum = Spectrum.Compute(dm, new SpectrumOptions(Modes: ListedModes, Full: dm.Dimension <= FullSpectrumUpTo)
        {
            Progress = progress,
            Cancellation = cancel,
        });
        var validity = Validity.Evaluate(dm);
        var expectations = m.Observables
            .Select(o => (o.Key, steady.ComplexExpectation(o.Value), new NamedOperator(o.Key, o.Value).IsHermitian)).ToList();

        progress?.Report("levels and transitions");
        var (groups, groupOfLevel, binned) = Group(dm.Basis);
        cancel.ThrowIfCancellationRequested();
        var rates = dm.Jumps.TransitionRates(groupOfLevel);
        var steadyPop = GroupSums(dm.Basis, groupOfLevel, groups.Count, k => steady.DensityMatrixEigenbasis[k, k].Real);
        var gibbs = m.Baths.Select(b => b.Temperature).Distinct().Take(3).Select(t =>
        {
            var g = Thermal.GibbsEigenbasis(dm.Basis, 1 / t);
            return (t, GroupSums(dm.Basis, groupOfLevel, groups.Count, k => g[k, k].Real));
        }).ToList();

        var (run, initial, distance, trace) = dm.Bohr.PositiveCount <= RelaxationSectorLimit
            ? RelaxationCurve(dm, spectrum, progress, cancel)
            : (null, $"level:{dm.Dimension - 1}", [], false);

        progress?.Report("Bohr frequencies of the baths");
        var driven = DrivenFrequencies(dm);
        return new ReportData(path, commandLine, Version, LinearAlgebra.LinearAlgebraProvider.Current.Name, dm, steady, spectrum, validity,
            conserved, expectations, binned, groups, rates, steadyPop, gibbs, run, initial, distance, trace, driven);
    }

    /// <summary>
    /// The relaxation from the most excited eigenstate over <see cref="RelaxationTimes"/> relaxation times: the distance to
    /// the limit (trace distance for d ≤ <see cref="TraceDistanceUpTo"/>, else the population distance over levels) and
    /// the observables (d ≤ <see cref="ObservablesUpTo"/>).
    /// </summary>
    private static (EvolutionResult, string, double[], bool) RelaxationCurve(EnergyBasisModel dm, SpectrumResult spectrum,
        IProgress<string>? progress, CancellationToken cancel)
    {
        progress?.Report("relaxation curve");
        var m = dm.OpenSystem;
        int d = dm.Dimension;
        string initial = $"level:{d - 1}";
        double tMax = spectrum.SpectralGap > 0 && double.IsFinite(spectrum.RelaxationTime) ? RelaxationTimes * spectrum.RelaxationTime : 10;
        var times = Enumerable.Range(0, CurvePoints).Select(i => tMax * i / (CurvePoints - 1)).ToList();
        bool trace = d <= TraceDistanceUpTo;
        if (!trace) times.Add(LimitTimes * tMax); // the populations' limit: exact, from the mode expansion, at 1000 × tMax
        // ⟨O⟩(t) needs ρ(t) in the site basis at every time (O(d³) each): only up to ObservablesUpTo.
        var observables = d <= ObservablesUpTo ? m.Observables.Select(o => new NamedOperator(o.Key, o.Value)).ToList() : [];
        var run = Evolution.Run(dm, InitialStates.Parse(initial, dm), times, observables,
            new EvolutionOptions { Progress = progress, Cancellation = cancel });
        double[] distance;
        if (trace) distance = times.Select(run.TraceDistanceToLimit).ToArray();
        else
        {
            var limit = run.LevelPopulations[^1];
            distance = run.LevelPopulations.Take(CurvePoints).Select(p => 0.5 * p.Zip(limit, (a, b) => Math.Abs(a - b)).Sum()).ToArray();
        }
        return (run, initial, distance, trace);
    }

    /// <summary>Levels as groups (d ≤ <see cref="BinAbove"/>), else equal-width energy bins; the group of each level.</summary>
    private static (List<LevelDiagram.Group> Groups, int[] GroupOfLevel, bool Binned) Group(EigenBasis basis)
    {
        var levels = basis.Levels;
        if (basis.Dimension <= BinAbove)
            return (levels.Select(l => new LevelDiagram.Group(l.Energy, l.Energy, l.Energy, l.Count)).ToList(),
                Enumerable.Range(0, levels.Count).ToArray(), false);
        double lo = levels[0].Energy, hi = levels[^1].Energy, width = (hi - lo) / Bins;
        var bin = levels.Select(l => width > 0 ? Math.Min(Bins - 1, (int)((l.Energy - lo) / width)) : 0).ToArray();
        var used = bin.Distinct().Order().ToArray();
        var index = used.Select((b, i) => (b, i)).ToDictionary(x => x.b, x => x.i);
        var groups = used.Select(b => new LevelDiagram.Group(lo + (b + 0.5) * width, lo + b * width, lo + (b + 1) * width,
            levels.Where((_, k) => bin[k] == b).Sum(l => l.Count))).ToList();
        return (groups, bin.Select(b => index[b]).ToArray(), true);
    }

    private static double[] GroupSums(EigenBasis basis, int[] groupOfLevel, int groups, Func<int, double> value)
    {
        var sums = new double[groups];
        for (int k = 0; k < basis.Dimension; k++) sums[groupOfLevel[basis.LevelOf(k)]] += value(k);
        return sums;
    }

    /// <summary>The positive Bohr frequencies each bath's couplings drive (all of them past 1024 levels: not enumerated).</summary>
    private static List<(string Bath, double[] Frequencies)> DrivenFrequencies(EnergyBasisModel dm)
    {
        var result = new List<(string, double[])>();
        var jumps = dm.Jumps;
        for (int b = 0; b < dm.OpenSystem.Baths.Count; b++)
        {
            if (dm.Basis.Levels.Count > 1024)
            {
                result.Add((dm.OpenSystem.Baths[b].Name, dm.Bohr.Positive.ToArray()));
                continue;
            }
            var ids = new HashSet<int>();
            for (int c = 0; c < jumps.Count; c++)
            {
                if (jumps.Bath(c) != b) continue;
                foreach (var block in jumps.Blocks(c))
                    if (block.FrequencyId > 0) ids.Add(block.FrequencyId);
            }
            result.Add((dm.OpenSystem.Baths[b].Name, ids.Order().Select(dm.Bohr.Value).ToArray()));
        }
        return result;
    }
}
