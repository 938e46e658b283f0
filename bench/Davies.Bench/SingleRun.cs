using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Davies.LinearAlgebra;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Bench;

/// <summary>
/// One chain length in this process: model construction, EnergyBasisModel.Build (timed by stage through its
/// progress reports), SteadyState.Solve (likewise), optionally the gap, then the accuracy checks (untimed).
/// Prints one JSON object on stdout.
/// </summary>
internal static class SingleRun
{
    /// <summary>Records the wall time at which each progress message arrives.</summary>
    private sealed class StageClock : IProgress<string>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        public List<(string Stage, double At)> Marks { get; } = [];
        public List<double> RssMiB { get; } = [];
        public List<double> HeapMiB { get; } = [];

        public bool Verbose { get; init; }

        /// <summary>--live: a full collection at each mark, so that heap_mib is the live data (a diagnostic: slower).</summary>
        public bool Live { get; init; }

        public void Report(string value)
        {
            if (Verbose) Console.Error.WriteLine($"[{_clock.Elapsed.TotalSeconds,8:F4} s] {value}");
            Marks.Add((value, _clock.Elapsed.TotalSeconds));
            RssMiB.Add(Memory.CurrentMiB());
            HeapMiB.Add(GC.GetTotalMemory(Live) / 1048576.0); // managed objects alive (or not yet collected, without --live)
        }
        public double Now => _clock.Elapsed.TotalSeconds;

        /// <summary>Total seconds spent in stages whose message starts with <paramref name="prefix"/> (until the next mark or <paramref name="end"/>).</summary>
        public double Sum(string prefix, double end)
        {
            double total = 0;
            for (int i = 0; i < Marks.Count; i++)
                if (Marks[i].Stage.StartsWith(prefix, StringComparison.Ordinal))
                    total += (i + 1 < Marks.Count ? Marks[i + 1].At : end) - Marks[i].At;
            return total;
        }
    }

    public static int Run(Args a)
    {
        int n = a.Int("n", 0);
        if (n < 2 || n > 16) throw new ArgumentException("--n must be between 2 and 16");
        char coupling = a.Coupling();
        bool lamb = !a.Flag("no-lamb");
        string? notice = LinearAlgebraProvider.UseBestAvailable();
        var backend = LinearAlgebraProvider.Current;

        // warm-up (JIT, native library initialisation) on a small chain, untimed
        SteadyState.Solve(EnergyBasisModel.Build(IsingChain.Build(3, coupling, lamb, out _), backend), backend);

        var total = Stopwatch.StartNew();
        var model = IsingChain.Build(n, coupling, lamb, out string ratesDescription);
        double modelS = total.Elapsed.TotalSeconds;

        // --stream / --keep: force the streaming build (couplings transformed, added and dropped) or the kept one
        if (a.Flag("stream")) EnergyBasisModel.KeepCouplingsOverride.Value = false;
        else if (a.Flag("keep")) EnergyBasisModel.KeepCouplingsOverride.Value = true;
        var clock = new StageClock { Verbose = a.Flag("verbose"), Live = a.Flag("live") };
        double t0 = clock.Now;
        var decomposed = EnergyBasisModel.Build(model, backend, clock);
        double t1 = clock.Now;
        clock.Report("steady");
        var result = SteadyState.Solve(decomposed, new SteadyStateOptions(backend) { Progress = clock });
        double t2 = clock.Now;
        // the validity report that every `davies steady` adds (docs/validity.md), timed on its own
        var validityClock = Stopwatch.StartNew();
        var validity = Davies.Diagnostics.Validity.Evaluate(decomposed);
        double validityS = validityClock.Elapsed.TotalSeconds;

        // --repeat K: K more build + steady runs in this (now warm, fully JIT-optimised) process; the best is
        // reported as warm_total_s (what a long-running program pays per call, as BenchmarkDotNet measures)
        double? warm = null;
        for (int k = 0; k < a.Int("repeat", 0); k++)
        {
            var sw = Stopwatch.StartNew();
            var wc = new StageClock { Verbose = a.Flag("verbose-warm") };
            SteadyState.Solve(EnergyBasisModel.Build(model, backend, wc), new SteadyStateOptions(backend) { Progress = wc });
            if (wc.Verbose) Console.Error.WriteLine($"[{wc.Now,8:F4} s] end");
            warm = Math.Min(warm ?? double.PositiveInfinity, sw.Elapsed.TotalSeconds);
        }

        var check = Stopwatch.StartNew();
        double? gibbs = result.GibbsTraceDistance;
        double checkS = check.Elapsed.TotalSeconds;

        var o = new JsonObject
        {
            ["n"] = n,
            ["d"] = model.Dimension,
            ["coupling"] = coupling.ToString(),
            ["lamb_shift"] = lamb && model.Baths[0].Rates.HasLambShift,
            ["model_s"] = modelS,
            ["build_s"] = t1 - t0,
            ["eig_s"] = clock.Sum("diagonalising", t1),
            ["bohr_s"] = clock.Sum("grouping Bohr", t1),
            ["couplings_s"] = clock.Sum("transforming couplings", t1),
            ["rates_s"] = clock.Sum("tabulating rates", t1),
            ["steady_s"] = t2 - t1,
            ["generator_s"] = clock.Sum("building the Davies generator", t2),
            ["solve_s"] = clock.Sum("solving", t2),
            ["currents_s"] = clock.Sum("heat currents", t2),
            ["shifted_s"] = clock.Sum("shifted energies", t2),
            ["total_s"] = t2 - t0,
            ["validity_s"] = validityS,
            ["validity_ok"] = validity.AllOk,
            ["warm_total_s"] = warm,
            ["gibbs_check_s"] = checkS,
            ["gibbs_trace_distance"] = gibbs,
            ["residual"] = result.Residual,
            ["method"] = result.Method.ToWireName(),
            ["unique"] = result.Unique,
            ["kernel_dimension"] = result.KernelDimension,
            ["levels"] = decomposed.Basis.Levels.Count,
            ["couplings_kept"] = decomposed.Jumps.KeepsCouplings,
            ["bohr_positive"] = decomposed.Bohr.PositiveCount,
            ["peak_mib"] = Memory.PeakMiB(),
            // every progress message with its start time and the resident set at that moment
            ["stages"] = new JsonArray(clock.Marks.Select((m, i) => (JsonNode?)new JsonObject
            {
                ["stage"] = m.Stage, ["start_s"] = m.At, ["rss_mib"] = clock.RssMiB[i], ["heap_mib"] = clock.HeapMiB[i],
            }).ToArray()),
            ["backend"] = backend.Name,
            ["backend_notice"] = notice,
            ["rates"] = ratesDescription,
        };
        if (a.Get("rho") is { } rhoPath) WriteMatrix(rhoPath, result.DensityMatrix);
        Console.WriteLine(o.ToJsonString());
        Console.Out.Flush();
        if (a.Flag("gap"))
        {
            // a second line, so that the parent keeps the steady-state numbers if the gap times out
            var clockGap = Stopwatch.StartNew();
            var gapStages = new StageClock { Verbose = a.Flag("verbose"), Live = a.Flag("live") };
            var spectrum = Spectrum.Compute(decomposed, new SpectrumOptions(Modes: 1) { Progress = gapStages });
            double gapS = clockGap.Elapsed.TotalSeconds;
            // stage durations: Bohr sectors, population block, sector decay bounds, sectors (percent reports merged)
            var stageTimes = new JsonObject();
            foreach (var name in new[] { "Bohr sectors", "population block", "sector decay bounds", "sectors " })
                stageTimes[name.Trim()] = gapStages.Sum(name, gapStages.Now);
            Console.WriteLine(new JsonObject
            {
                ["gap_s"] = gapS,
                ["gap"] = spectrum.SpectralGap,
                ["population_gap"] = spectrum.PopulationGap,
                ["gap_method"] = spectrum.Method.ToWireName(),
                ["skipped_sectors"] = spectrum.SkippedSectors,
                ["gap_stages_s"] = stageTimes,
                ["peak_mib"] = Memory.PeakMiB(),
                // every progress message of the gap (but the sector loop's percentages) with the resident set then
                ["stages"] = new JsonArray(gapStages.Marks.Select((m, i) => (m, i)).Where(x => !x.m.Stage.StartsWith("sectors ", StringComparison.Ordinal) || x.m.Stage == "sectors 0 %")
                    .Select(x => (JsonNode?)new JsonObject { ["stage"] = x.m.Stage, ["start_s"] = x.m.At, ["rss_mib"] = gapStages.RssMiB[x.i], ["heap_mib"] = gapStages.HeapMiB[x.i] }).ToArray()),
                ["end_rss_mib"] = Memory.CurrentMiB(),
            }.ToJsonString());
        }
        return 0;
    }

    /// <summary>Writes a matrix as {"re": [[…]], "im": [[…]]} (rows), for bench/qutip_compare.py.</summary>
    private static void WriteMatrix(string path, Matrix<Complex> m)
    {
        var re = new JsonArray();
        var im = new JsonArray();
        for (int i = 0; i < m.RowCount; i++)
        {
            re.Add(new JsonArray(Enumerable.Range(0, m.ColumnCount).Select(j => (JsonNode?)m[i, j].Real).ToArray()));
            im.Add(new JsonArray(Enumerable.Range(0, m.ColumnCount).Select(j => (JsonNode?)m[i, j].Imaginary).ToArray()));
        }
        File.WriteAllText(path, new JsonObject { ["re"] = re, ["im"] = im }.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
