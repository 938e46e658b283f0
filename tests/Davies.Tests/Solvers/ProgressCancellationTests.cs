using Davies.Models;
using Davies.Solvers;

namespace Davies.Tests.Solvers;

public class ProgressCancellationTests
{
    /// <summary>Collects reports synchronously (System.Progress would post them to the thread pool, out of order).</summary>
    private sealed class Recorder : IProgress<string>
    {
        public List<string> Messages { get; } = [];
        public void Report(string value) => Messages.Add(value);
    }

    [Fact]
    public void PreCancelledToken_Throws()
    {
        var model = TestModels.Random(1, TestModels.NonDegenerate, [0.8, 0.8], couplingsPerBath: 2);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            SteadyState.Solve(model, new SteadyStateOptions { Cancellation = cts.Token }));
    }

    [Fact]
    public void CancellationDuringCouplingTransforms_Throws()
    {
        var model = TestModels.Random(2, TestModels.NonDegenerate, [0.8, 0.8], couplingsPerBath: 2);
        using var cts = new CancellationTokenSource();
        var progress = new CancelAt(cts, "transforming couplings 2/4");
        Assert.ThrowsAny<OperationCanceledException>(() =>
            SteadyState.Solve(model, new SteadyStateOptions { Progress = progress, Cancellation = cts.Token }));
        Assert.Equal("transforming couplings 2/4", progress.Last);
    }

    private sealed class CancelAt(CancellationTokenSource cts, string message) : IProgress<string>
    {
        public string? Last { get; private set; }
        public void Report(string value)
        {
            Last = value;
            if (value == message) cts.Cancel();
        }
    }

    // The stages of a steady-state solve, by the kind of work each message announces (its wording may change; its
    // kind, place and counters may not).
    private static readonly (string Kind, string Prefix)[] SteadyStageKinds =
    [
        ("diagonalise", "diagonalising H"),
        ("group", "grouping Bohr frequencies"),
        ("transform", "transforming couplings"),
        ("rates", "tabulating rates of bath"),
        ("generator", "building the Davies generator"),
        ("solve", "solving the ν = 0 sector"),
        ("heat", "heat currents"),
        ("shifted", "shifted energies"),
    ];

    private static string KindOf(string message) =>
        SteadyStageKinds.FirstOrDefault(k => message.StartsWith(k.Prefix, StringComparison.Ordinal)).Kind
        ?? throw new Xunit.Sdk.XunitException($"unexpected stage '{message}'");

    // The "k/n" counter of a message, or null.
    private static (int K, int N)? CounterOf(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"(\d+)/(\d+)");
        return m.Success ? (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)) : null;
    }

    [Fact]
    public void Progress_ReportsStagesInOrder()
    {
        // two baths of two couplings each: 4 coupling transforms, 2 rate tables
        var model = TestModels.Random(3, TestModels.NonDegenerate, [0.8, 0.8], couplingsPerBath: 2);
        var recorder = new Recorder();
        var result = SteadyState.Solve(model, new SteadyStateOptions { Progress = recorder });
        Assert.True(result.Unique);

        // every stage kind, once and in order (repeated stages collapsed)
        var kinds = recorder.Messages.Select(KindOf).ToList();
        var runs = kinds.Where((k, i) => i == 0 || kinds[i - 1] != k).ToList();
        Assert.Equal(SteadyStageKinds.Select(k => k.Kind), runs);

        // repeated stages count 1/n … n/n, each step once
        foreach (var (kind, total) in new[] { ("transform", 4), ("rates", 2) })
        {
            var counters = recorder.Messages.Where(m => KindOf(m) == kind).Select(m => CounterOf(m)).ToList();
            Assert.Equal(Enumerable.Range(1, total).Select(k => ((int, int)?)(k, total)), counters);
        }
        Assert.Contains("(d = 5)", recorder.Messages[0]);
    }

    [Fact]
    public void Progress_Redfield_ReportsDenseSolve()
    {
        var model = TestModels.Random(4, TestModels.NonDegenerate, [0.8], secular: SecularMode.None);
        var recorder = new Recorder();
        SteadyState.Solve(model, new SteadyStateOptions { Progress = recorder });
        Assert.Contains("solving the dense Bloch–Redfield generator (25×25)", recorder.Messages);
        Assert.Equal("heat currents", recorder.Messages[^1]);
    }

    [Fact]
    public void Spectrum_ReportsItsStages_AndTheSectorPercentage()
    {
        var dm = Davies.Spectral.EnergyBasisModel.Build(Davies.Tests.TestModels.Chain(5, 'Z'));
        var recorder = new Recorder();
        var s = Spectrum.Compute(dm, new SpectrumOptions(Modes: 3) { Progress = recorder });
        Assert.True(s.SpectralGap > 0);
        Assert.Equal(["Bohr sectors", "population block (d = 32)", "sector decay bounds", "sectors 0 %"], recorder.Messages.Take(4));
        Assert.Equal("sectors 100 %", recorder.Messages[^1]);
        var percents = recorder.Messages.Skip(3).Select(m => int.Parse(m.Split(' ')[1])).ToArray();
        Assert.Equal(percents.OrderBy(x => x), percents);
    }

    [Fact]
    public void Spectrum_CancelledDuringTheSectors_Throws()
    {
        var dm = Davies.Spectral.EnergyBasisModel.Build(Davies.Tests.TestModels.Chain(5, 'X'));
        using var cts = new CancellationTokenSource();
        var progress = new CancelAt(cts, "sector decay bounds");
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Spectrum.Compute(dm, new SpectrumOptions { Progress = progress, Cancellation = cts.Token }));
        using var pre = new CancellationTokenSource();
        pre.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Spectrum.Compute(TestModels.Random(4, TestModels.NonDegenerate, [0.8]), new SpectrumOptions { Cancellation = pre.Token }));
    }
}
