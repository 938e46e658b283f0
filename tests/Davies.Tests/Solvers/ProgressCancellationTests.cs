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

    [Fact]
    public void Progress_ReportsStagesInOrder()
    {
        var model = TestModels.Random(3, TestModels.NonDegenerate, [0.8, 0.8], couplingsPerBath: 2);
        var recorder = new Recorder();
        var result = SteadyState.Solve(model, new SteadyStateOptions { Progress = recorder });
        Assert.True(result.Unique);
        Assert.Equal(
        [
            "diagonalising H (d = 5)",
            "grouping Bohr frequencies (5 levels)",
            "transforming couplings 1/4",
            "transforming couplings 2/4",
            "transforming couplings 3/4",
            "transforming couplings 4/4",
            $"tabulating rates of bath 1/2 ({2 * result.Decomposed.Bohr.PositiveCount + 1} Bohr frequencies)",
            $"tabulating rates of bath 2/2 ({2 * result.Decomposed.Bohr.PositiveCount + 1} Bohr frequencies)",
            "building the Davies generator blocks",
            "solving the ν = 0 sector (5 coordinates)",
            "heat currents",
            "shifted energies (H_S + H_LS)",
        ], recorder.Messages);
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
        var dm = Davies.Spectral.EnergyBasisModel.Build(Davies.Tests.Physics.ChainAccuracyTests.Chain(5, 'Z'));
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
        var dm = Davies.Spectral.EnergyBasisModel.Build(Davies.Tests.Physics.ChainAccuracyTests.Chain(5, 'X'));
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
