using Davies.Studies;

namespace Davies.Tests.Studies;

public class SweepRunnerTests
{
    private static readonly SweepGrid Grid = SweepGrid.Cartesian([SweepAxis.Parse("x=0:1:7"), SweepAxis.Parse("y=1,2,3")]);

    private static IReadOnlyList<double> Evaluate(SweepPoint p, CancellationToken _) =>
        p.Parameters["y"] == 2 && p.Parameters["x"] > 0.5
            ? throw new ModelException($"bad point {p.Index}")
            : [p.Parameters["x"] * p.Parameters["y"], Math.Sin(p.Index)];

    private static List<SweepPointResult> Run(int jobs, SweepShard? shard = null, IReadOnlySet<int>? skip = null)
    {
        var results = new List<SweepPointResult>();
        var summary = SweepRunner.Run(Grid, Evaluate, results.Add, new SweepRunOptions { Jobs = jobs, Shard = shard ?? SweepShard.All, Skip = skip });
        Assert.False(summary.Cancelled);
        Assert.Equal(results.Count, summary.Computed);
        Assert.Equal(results.Count(r => r.Error is not null), summary.Errors);
        return results;
    }

    [Fact]
    public void OneJob_ReportsEveryPointInGridOrder_WithErrorsAsRows()
    {
        var r = Run(1);
        Assert.Equal(Enumerable.Range(0, 21), r.Select(x => x.Index));
        Assert.Equal(3, r.Count(x => x.Error is not null));
        var bad = r.Single(x => x.Index == 16); // x = 5/6, y = 2
        Assert.Equal("bad point 16", bad.Error);
        Assert.Empty(bad.Quantities);
        Assert.Equal([Grid.ValuesAt(4)[0] * 2, Math.Sin(4)], r[4].Quantities);
        Assert.Equal(Grid.ValuesAt(4), r[4].Values);
    }

    [Fact]
    public void TwoJobs_GiveTheSameResults()
    {
        var one = Run(1);
        var two = Run(2).OrderBy(x => x.Index).ToList();
        Assert.Equal(one.Count, two.Count);
        for (int i = 0; i < one.Count; i++)
        {
            Assert.Equal(one[i].Index, two[i].Index);
            Assert.Equal(one[i].Values, two[i].Values);
            Assert.Equal(one[i].Quantities, two[i].Quantities);
            Assert.Equal(one[i].Error, two[i].Error);
        }
    }

    [Fact]
    public void ShardAndSkip_ChooseThePoints()
    {
        Assert.Equal([1, 4, 7, 10, 13, 16, 19], Run(1, SweepShard.Parse("1/3")).Select(x => x.Index));
        Assert.Equal([1, 7, 13, 16, 19], Run(2, SweepShard.Parse("1/3"), new HashSet<int> { 4, 10 }).Select(x => x.Index).Order());
    }

    [Fact]
    public void SweepException_StopsTheSweep_AndIsRethrown()
    {
        int calls = 0;
        var e = Assert.Throws<SweepException>(() => SweepRunner.Run(Grid, (p, _) =>
        {
            Interlocked.Increment(ref calls);
            return p.Index == 2 ? throw new SweepException("no such quantity") : [1.0];
        }, _ => { }, new SweepRunOptions { Jobs = 1 }));
        Assert.Equal("no such quantity", e.Message);
        Assert.Equal(3, calls);
    }

    [Fact]
    public void Cancellation_StopsTheSweep_AndKeepsThePointsDone()
    {
        using var cancel = new CancellationTokenSource();
        var results = new List<SweepPointResult>();
        var summary = SweepRunner.Run(Grid, (p, token) =>
        {
            if (p.Index == 5) cancel.Cancel();
            token.ThrowIfCancellationRequested();
            return [1.0];
        }, results.Add, new SweepRunOptions { Cancellation = cancel.Token });
        Assert.True(summary.Cancelled);
        Assert.Equal([0, 1, 2, 3, 4], results.Select(r => r.Index));
    }

    [Fact]
    public void Progress_CountsThePoints()
    {
        var reports = new List<SweepProgress>();
        SweepRunner.Run(Grid, Evaluate, _ => { }, new SweepRunOptions { Progress = new Sync<SweepProgress>(reports.Add), Skip = new HashSet<int> { 0 } });
        Assert.Equal(Enumerable.Range(1, 20), reports.Select(r => r.Done));
        Assert.All(reports, r => Assert.Equal(20, r.Total));
        Assert.Equal(3, reports[^1].Errors);
        Assert.Equal(TimeSpan.Zero, reports[^1].Remaining);
    }

    private sealed class Sync<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
