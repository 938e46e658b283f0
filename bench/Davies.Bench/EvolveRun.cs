using System.Diagnostics;
using System.Text.Json.Nodes;
using Davies.LinearAlgebra;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Bench;

/// <summary>
/// Issue 16's evolution target on the benchmark chain (one JSON line):
///   evolve --n N --coupling z|x [--times K] [--krylov-min M] [--eager L] [--steady]
/// build, then (with --steady) the steady state as `davies steady` computes it, then the evolution from |0…0⟩ at K times
/// in [0, 50] of two observables: mx = (1/n) Σ X_i and zz = Z_{n/2−1} Z_{n/2} (the example's), with the populations.
/// </summary>
internal static class EvolveRun
{
    private sealed class Progress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    public static int Run(Args a)
    {
        int n = a.Int("n", 8), k = a.Int("times", 101);
        char coupling = a.Coupling();
        LinearAlgebraProvider.UseBestAvailable();
        var warm = EnergyBasisModel.Build(IsingChain.Build(3, coupling, true, out _));
        _ = Evolution.Run(warm, Matrix<Complex>.Build.Dense(8, 8, (i, j) => i == 0 && j == 0 ? 1 : 0), [0.0, 1.0],
            [new NamedOperator("x", Sites.Pauli('X', 0, 3))]);
        var model = IsingChain.Build(n, coupling, true, out _);
        var clock = Stopwatch.StartNew();
        var dm = EnergyBasisModel.Build(model);
        double build = clock.Elapsed.TotalSeconds;
        double steady = double.NaN;
        if (a.Flag("steady"))
        {
            clock.Restart();
            _ = SteadyState.Solve(dm);
            steady = clock.Elapsed.TotalSeconds;
        }
        int d = dm.Dimension;
        var rho0 = Matrix<Complex>.Build.Dense(d, d);
        rho0[0, 0] = 1;
        var times = Enumerable.Range(0, k).Select(i => 50.0 * i / Math.Max(k - 1, 1)).ToArray();
        var mx = Matrix<Complex>.Build.Dense(d, d);
        for (int i = 0; i < n; i++) mx += Sites.Pauli('X', i, n) / n;
        var zz = Sites.Pauli('Z', n / 2 - 1, n) * Sites.Pauli('Z', n / 2, n);
        var start = Stopwatch.StartNew();
        var options = new EvolutionOptions
        {
            Progress = a.Flag("verbose") ? new Progress(m => Console.Error.WriteLine($"[{start.Elapsed.TotalSeconds,8:F3} s] {m}")) : null,
            KrylovMinimum = a.Int("krylov-min", KrylovTrajectory.DefaultMinimum),
            EagerSectorLimit = a.Double("eager", Propagator.DefaultEagerSectorLimit),
        };
        clock.Restart();
        start.Restart();
        var cpu0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var r = Evolution.Run(dm, rho0, times, [new NamedOperator("mx", mx), new NamedOperator("zz", zz)], options);
        double evolve = clock.Elapsed.TotalSeconds;
        double cpu = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        var line = new JsonObject
        {
            ["n"] = n, ["d"] = d, ["coupling"] = coupling.ToString(), ["times"] = k,
            ["build_s"] = build, ["steady_s"] = double.IsNaN(steady) ? null : steady, ["evolve_s"] = evolve, ["evolve_cpu_s"] = cpu, ["peak_mib"] = Memory.PeakMiB(),
            ["mx"] = new JsonArray(r.Expectations["mx"].Where((_, i) => i % 25 == 0).Select(x => (JsonNode)x).ToArray()),
            ["zz"] = new JsonArray(r.Expectations["zz"].Where((_, i) => i % 25 == 0).Select(x => (JsonNode)x).ToArray()),
            ["p0_end"] = r.Populations[^1][0],
        };
        Console.WriteLine(line.ToJsonString());
        return 0;
    }

    /// <summary>Pauli matrices on sites (site 0 the most significant bit, as <see cref="IsingChain"/>).</summary>
    private static class Sites
    {
        public static Matrix<Complex> Pauli(char p, int site, int n)
        {
            int d = 1 << n, bit = 1 << (n - 1 - site);
            var m = Matrix<Complex>.Build.Sparse(d, d);
            for (int s = 0; s < d; s++)
            {
                if (p == 'Z') m[s, s] = (s & bit) == 0 ? 1 : -1;
                else m[s ^ bit, s] = 1;
            }
            return m;
        }
    }
}
