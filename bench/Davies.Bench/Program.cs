using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Davies.Bench;

// Davies scaling harness. Verbs:
//   chain  --coupling z|x --nmin 4 --nmax 13 [--gap] [--no-lamb] [--out FILE.json] [--stop-after S] [--timeout S] [--max-gib G]
//   single --n N --coupling z|x [--gap] [--no-lamb] [--rho FILE.json]     (one n in this process; one JSON line)
//   plot   --in FILE.json [--in FILE2.json …] [--qutip FILE.json] --out FILE.png
//   eth    --model FILE [--initial STATE] [--repeat K]                     (Eth.Analyze against the eigendecomposition of H_S)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("""
        Davies.Bench — scaling harness for the transverse-field Ising chain (docs/benchmarks.md)
          chain  --coupling z|x --nmin 4 --nmax 13 [--gap] [--no-lamb] [--out FILE.json]
                 [--stop-after 120] [--timeout 900] [--max-gib 8]
                 each n runs in a fresh child process ('single'); larger n are skipped after a run longer than
                 --stop-after seconds, or when the estimated memory exceeds --max-gib
          single --n N --coupling z|x [--gap] [--no-lamb] [--rho FILE.json] [--repeat K] [--verbose]
          plot   --in FILE.json [--in …] [--qutip FILE.json] --out FILE.png
          micro  [BenchmarkDotNet arguments]   BenchmarkDotNet: build and steady state for n = 6, 7, 8
          thermo --n N --coupling z|x [--times K]   evolve from |0…0⟩ with and without the thermodynamic account
          local-build --n N --coupling z|x          the model build, global against local jump operators
          evolve --n N --coupling z|x [--times K] [--steady] [--krylov-min M] [--eager L]   two observables from |0…0⟩ (issue 16)
          floor  --n N --coupling z|x [--no-plain]   the eigendecomposition of H_S with and without symmetry blocks
          eth    --model FILE [--initial STATE] [--repeat K]   Eth.Analyze against the eigendecomposition alone
          rowsums --n N --coupling z|x [--stream] [--repeat K] [--configs TILE:MIN,…]   the sector bounds' row sums
                 timed in one process per tiling (TILE 0: the defaults; MIN 0: every group pair by pair)
        """);
    return 0;
}
var opts = args[0] == "micro" ? new Args() : Args.Parse(args.Skip(1));
try
{
    return args[0] switch
    {
        "single" => SingleRun.Run(opts),
        "chain" => Chain.Run(opts),
        "plot" => Plotter.Run(opts),
        "micro" => RunMicro(args.Skip(1).ToArray()),
        "thermo" => ThermoRun.Thermo(opts),
        "local-build" => ThermoRun.LocalBuild(opts),
        "eth" => EthRun.Run(opts),
        "evolve" => EvolveRun.Run(opts),
        "floor" => FloorRun.Run(opts),
        "rowsums" => RowSumsRun.Run(opts),
        _ => throw new ArgumentException($"unknown verb '{args[0]}' (chain, single, plot)"),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"davies-bench: error: {e.Message}");
    return 2;
}

static int RunMicro(string[] rest)
{
    if (!rest.Contains("--filter")) rest = [.. rest, "--filter", "*"];
    BenchmarkDotNet.Running.BenchmarkSwitcher.FromTypes([typeof(SteadyStateBenchmarks)]).Run(rest);
    return 0;
}

namespace Davies.Bench
{
    /// <summary>--key value / --flag options; repeated keys accumulate.</summary>
    internal sealed class Args
    {
        private readonly Dictionary<string, List<string>> _values = new();

        public static Args Parse(IEnumerable<string> args)
        {
            var result = new Args();
            var list = args.ToList();
            for (int i = 0; i < list.Count; i++)
            {
                if (!list[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{list[i]}'");
                string key = list[i][2..];
                string value = i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal) ? list[++i] : "true";
                if (!result._values.TryGetValue(key, out var l)) result._values[key] = l = [];
                l.Add(value);
            }
            return result;
        }

        public bool Flag(string key) => _values.ContainsKey(key);
        public string? Get(string key) => _values.TryGetValue(key, out var l) ? l[^1] : null;
        public IReadOnlyList<string> All(string key) => _values.TryGetValue(key, out var l) ? l : [];
        public int Int(string key, int fallback) => Get(key) is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : fallback;
        public double Double(string key, double fallback) => Get(key) is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : fallback;

        public char Coupling()
        {
            string c = (Get("coupling") ?? "z").ToLowerInvariant();
            return c is "z" or "x" ? c[0] : throw new ArgumentException($"--coupling must be z or x, got '{c}'");
        }
    }

    internal static class Memory
    {
        /// <summary>Peak resident set (VmHWM) of this process in MiB, from /proc/self/status.</summary>
        public static double PeakMiB()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
            catch (IOException) { }
            using var p = Process.GetCurrentProcess();
            return p.PeakWorkingSet64 / 1048576.0;
        }

        /// <summary>Current resident set (VmRSS) in MiB.</summary>
        public static double CurrentMiB()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                        return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
            catch (IOException) { }
            return double.NaN;
        }

        /// <summary>MemAvailable in GiB (∞ if unknown).</summary>
        public static double AvailableGiB()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                    if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                        return double.Parse(line[13..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1048576;
            }
            catch (IOException) { }
            return double.PositiveInfinity;
        }
    }
}
