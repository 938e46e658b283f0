using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Davies.Bench;

/// <summary>Runs 'single' for n = nmin … nmax, each in a fresh child process (so that peak memory is per n).</summary>
internal static class Chain
{
    public static int Run(Args a)
    {
        int nmin = a.Int("nmin", 4), nmax = a.Int("nmax", 10);
        char coupling = a.Coupling();
        double stopAfter = a.Double("stop-after", 120), timeout = a.Double("timeout", 900), maxGib = a.Double("max-gib", 8);
        var runs = new JsonArray();
        var notes = new List<string>();
        bool gap = a.Flag("gap");
        Console.WriteLine($"transverse-field Ising chain, J = {IsingChain.J}, h = {IsingChain.H}, coupling σ{coupling}_i to one Ohmic bath per site " +
                          $"(η = {IsingChain.Eta}, ω_c = {IsingChain.Cutoff}, T = {IsingChain.Temperature}), Lamb shift {(a.Flag("no-lamb") ? "off" : "on")}");
        Console.WriteLine(Header);
        for (int n = nmin; n <= nmax; n++)
        {
            // rough guard: the eigenbasis couplings (n dense d×d complex arrays) plus H, V and transients of ~4 more, or,
            // when the build streams the couplings (it does when keeping them would not fit), ~3.5 d×d complex arrays
            // (n = 14: 13.6 GiB measured)
            double kept = 0.75 * (n + 4) * Math.Pow(4, n) * 16 / Math.Pow(1024, 3); // 0.75: measured at n = 12 (main 63ba1b4)
            double estimate = Math.Min(kept, 3.5 * Math.Pow(4, n) * 16 / Math.Pow(1024, 3));
            double available = Memory.AvailableGiB();
            if (estimate > Math.Min(maxGib, 0.8 * available))
            {
                notes.Add($"n = {n} and larger skipped: estimated memory {estimate:F1} GiB exceeds min(--max-gib {maxGib}, 80% of MemAvailable {available:F1} GiB)");
                break;
            }
            var child = new List<string> { "single", "--n", n.ToString(CultureInfo.InvariantCulture), "--coupling", coupling.ToString() };
            if (a.Flag("no-lamb")) child.Add("--no-lamb");
            if (gap) child.Add("--gap");
            var wall = Stopwatch.StartNew();
            var (ok, output, error) = RunChild(child, timeout);
            double wallS = wall.Elapsed.TotalSeconds;
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lines.Length == 0)
            {
                notes.Add($"n = {n}: {error.Trim()}");
                Console.WriteLine($"{n,3} failed: {error.Trim()}");
                break;
            }
            var o = JsonNode.Parse(lines[0])!.AsObject();
            o["process_wall_s"] = wallS;
            o["gap_s"] = null;
            if (lines.Length > 1)
            {
                foreach (var (k, v) in JsonNode.Parse(lines[1])!.AsObject().ToArray()) o[k] = v?.DeepClone();
                o["total_s"] = o["total_s"]!.GetValue<double>() + o["gap_s"]!.GetValue<double>();
            }
            else if (gap)
            {
                o["gap_note"] = ok ? "not reported" : error.Trim();
                notes.Add($"n = {n}: gap not measured: {error.Trim()}");
            }
            if (!ok && lines.Length > 0 && !gap) { notes.Add($"n = {n}: {error.Trim()}"); break; }
            runs.Add(o);
            Console.WriteLine(Row(o));
            if (o["rates"]!.GetValue<string>().StartsWith("FALLBACK", StringComparison.Ordinal) && n == nmin)
                notes.Add("rates: " + o["rates"]!.GetValue<string>());
            if (!ok) break;
            double gapS = o["gap_s"]?.GetValue<double>() ?? 0, steadyWall = wallS - gapS;
            if (gap && gapS * 8 > stopAfter && n < nmax)
            {
                notes.Add($"gap measured up to n = {n} only: it took {gapS:F1} s there and grows ~8× per site (> --stop-after {stopAfter} s)");
                gap = false;
            }
            if (steadyWall > stopAfter && n < nmax)
            {
                notes.Add($"stopped after n = {n}: its run (without the gap) took {steadyWall:F0} s > --stop-after {stopAfter} s");
                break;
            }
        }
        foreach (var note in notes) Console.WriteLine("note: " + note);
        if (a.Get("out") is { } path)
        {
            var doc = new JsonObject
            {
                ["model"] = $"TFIM chain J={IsingChain.J} h={IsingChain.H}, coupling sigma_{coupling} per site, ohmic eta={IsingChain.Eta} cutoff={IsingChain.Cutoff} T={IsingChain.Temperature}",
                ["coupling"] = coupling.ToString(),
                ["lamb_shift"] = !a.Flag("no-lamb"),
                ["date"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
                ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
                ["notes"] = new JsonArray(notes.Select(s => (JsonNode?)s).ToArray()),
                ["runs"] = runs,
            };
            File.WriteAllText(path, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine($"wrote {path}");
        }
        return 0;
    }

    private const string Header =
        "  n      d   build s   (eig  coupl  rates)  steady s  (gen  solve  curr  shift)   gap s   total s  peak MiB  Gibbs dist   residual  method";

    private static string Row(JsonObject o)
    {
        static double D(JsonObject o, string k) => o[k]?.GetValue<double>() ?? double.NaN;
        string gap = o["gap_s"] is null ? "      –" : $"{D(o, "gap_s"),7:F2}";
        return $"{o["n"],3} {o["d"],6} {D(o, "build_s"),9:F3}  ({D(o, "eig_s"),5:F2} {D(o, "couplings_s"),6:F2} {D(o, "rates_s"),6:F2}) " +
               $"{D(o, "steady_s"),9:F3}  ({D(o, "generator_s"),5:F2} {D(o, "solve_s"),6:F2} {D(o, "currents_s"),5:F2} {D(o, "shifted_s"),6:F2}) {gap} {D(o, "total_s"),9:F3} " +
               $"{D(o, "peak_mib"),9:F0} {D(o, "gibbs_trace_distance"),11:0.00E+00} {D(o, "residual"),10:0.00E+00}  {o["method"]}";
    }

    /// <summary>Re-invokes this harness with <paramref name="args"/>; kills the child after the timeout.</summary>
    private static (bool Ok, string Output, string Error) RunChild(IReadOnlyList<string> args, double timeoutS)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            psi.FileName = self;
            psi.ArgumentList.Add(typeof(Chain).Assembly.Location);
        }
        else psi.FileName = self;
        foreach (var s in args) psi.ArgumentList.Add(s);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the child process");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(timeoutS)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return (false, "", $"timed out after {timeoutS} s (child killed)");
        }
        string err = stderr.Result;
        if (err.Length > 0) Console.Error.Write(err);
        return p.ExitCode == 0 ? (true, stdout.Result, err) : (false, stdout.Result, $"child exited with {p.ExitCode}: {err}");
    }
}
