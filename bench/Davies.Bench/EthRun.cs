using System.Diagnostics;
using System.Text.Json.Nodes;
using Davies.Diagnostics;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Bench;

/// <summary>
/// `eth --model FILE [--initial STATE] [--repeat K]`: the cost of <see cref="Eth.Analyze(OpenSystemModel, IReadOnlyList{NamedOperator}, EthOptions?)"/>
/// against the eigendecomposition of H_S alone (<see cref="EigenBasis.Compute"/>, the same call Eth makes), each
/// repeated K times in this process after a warm-up on a small model; the model's observables are analysed. Prints one
/// JSON object: the minimum and all times of both, their ratio, and the time of each stage of the last analysis.
/// </summary>
internal static class EthRun
{
    private sealed class StageClock : IProgress<string>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        public List<(string Stage, double At)> Marks { get; } = [];
        public void Report(string value) => Marks.Add((value, _clock.Elapsed.TotalSeconds));
        public double Now => _clock.Elapsed.TotalSeconds;
    }

    public static int Run(Args a)
    {
        string path = a.Get("model") ?? throw new ArgumentException("--model FILE is required");
        int repeat = Math.Max(1, a.Int("repeat", 2));
        string? initial = a.Get("initial");
        LinearAlgebraProvider.UseBestAvailable();
        var backend = LinearAlgebraProvider.Current;
        var model = ModelFile.Load(path);
        var ops = model.Observables.Select(kv => new NamedOperator(kv.Key, kv.Value)).ToArray();

        // warm-up (JIT, native library initialisation) on a small chain, untimed
        var small = IsingChain.Build(4, 'z', true, out _);
        Eth.Analyze(small, [new NamedOperator("z", small.Baths[0].Couplings[0])], new EthOptions { Backend = backend });

        var eig = new List<double>();
        var eth = new List<double>();
        StageClock? stages = null;
        for (int k = 0; k < repeat; k++)
        {
            var watch = Stopwatch.StartNew();
            var basis = EigenBasis.Compute(model.Hamiltonian, model.Options.Tolerance, backend);
            eig.Add(watch.Elapsed.TotalSeconds);
            GC.KeepAlive(basis);
            basis = null;
            GC.Collect();
            stages = new StageClock();
            watch.Restart();
            var result = Eth.Analyze(model, ops, new EthOptions { Backend = backend, InitialState = initial, Progress = stages });
            eth.Add(watch.Elapsed.TotalSeconds);
            GC.KeepAlive(result);
            GC.Collect();
        }
        var stageTimes = new JsonObject();
        var marks = stages!.Marks;
        double end = stages.Now;
        for (int i = 0; i < marks.Count; i++)
            stageTimes[marks[i].Stage] = Math.Round((i + 1 < marks.Count ? marks[i + 1].At : end) - marks[i].At, 3);
        var json = new JsonObject
        {
            ["model"] = path,
            ["dimension"] = model.Dimension,
            ["observables"] = ops.Length,
            ["initial"] = initial,
            ["backend"] = backend.Name,
            ["eigendecomposition_s"] = new JsonArray(eig.Select(x => (JsonNode)Math.Round(x, 3)).ToArray()),
            ["eth_s"] = new JsonArray(eth.Select(x => (JsonNode)Math.Round(x, 3)).ToArray()),
            ["ratio_of_minima"] = Math.Round(eth.Min() / eig.Min(), 3),
            ["stages_of_last_eth_s"] = stageTimes,
        };
        Console.WriteLine(json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}
