using Davies.Studies;

namespace Davies.Tests.Studies;

public class SweepGridTests
{
    [Fact]
    public void LinearRange_IncludesBothEnds_EvenlySpaced()
    {
        var a = SweepAxis.Parse("T=0.1:2:20");
        Assert.Equal(("T", "0.1:2:20", false), (a.Name, a.Spec, a.Logarithmic));
        Assert.Equal(20, a.Values.Count);
        Assert.Equal(0.1, a.Values[0]);
        Assert.Equal(2.0, a.Values[^1]);
        for (int k = 1; k < 19; k++) Assert.Equal(0.1 + 1.9 * k / 19, a.Values[k]);
        Assert.Equal([3.0], SweepAxis.Parse("x=3:7:1").Values);
        Assert.Equal([1.0, 0.5, 0.0], SweepAxis.Parse("x = 1:0:3").Values); // descending is fine
    }

    [Fact]
    public void LogRange_IsEvenlySpacedInLog()
    {
        var a = SweepAxis.Parse("g=0.001:10:5:log");
        Assert.True(a.Logarithmic);
        Assert.Equal(0.001, a.Values[0]);
        Assert.Equal(10.0, a.Values[^1]);
        for (int k = 1; k < 4; k++) Assert.Equal(Math.Pow(10, -3 + k), a.Values[k], 1e-12 * a.Values[k]);
    }

    [Fact]
    public void List_AndConstantExpressions()
    {
        Assert.Equal([0.5, 1, 2], SweepAxis.Parse("T=0.5,1,2").Values);
        Assert.Equal([7.25], SweepAxis.Parse("T=7.25").Values);
        Assert.Equal([2 * Math.PI, 1.0 / 3, 1], SweepAxis.Parse("w=2*pi, 1/3, min(1, 2)").Values);
        Assert.Equal(Math.PI, SweepAxis.Parse("w=0:pi:3").Values[^1]);
    }

    [Theory]
    [InlineData("T", "expected name=SPEC")]
    [InlineData("T=", "SPEC is empty")]
    [InlineData("T=0:1", "start:stop:count")]
    [InlineData("T=0:1:2:lin", "start:stop:count")]
    [InlineData("T=0:1:0", "count '0'")]
    [InlineData("T=0:1:2.5", "count '2.5'")]
    [InlineData("T=0:1:x", "count 'x'")]
    [InlineData("T=0:1:2000000", "count '2000000'")]
    [InlineData("T=0:1:5:log", "log range needs start > 0")]
    [InlineData("T=a:1:5", "the start 'a': 'a' is not a number")]
    [InlineData("T=1,,2", "the value is empty")]
    [InlineData("T=1,2*(3", "not closed")]
    [InlineData("2T=1", "'2T' is not a parameter name")]
    public void MalformedSpec_IsOneClearMessage(string text, string fragment)
    {
        var e = Assert.Throws<SweepException>(() => SweepAxis.Parse(text));
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Cartesian_ListsEveryPointOnce_RowMajor()
    {
        var g = SweepGrid.Cartesian([SweepAxis.Parse("a=1,2,3"), SweepAxis.Parse("b=10,20"), SweepAxis.Parse("c=5")]);
        Assert.Equal(6, g.Count);
        var expected = new List<double[]>();
        foreach (var a in new[] { 1.0, 2, 3 })
            foreach (var b in new[] { 10.0, 20 })
                expected.Add([a, b, 5]);
        Assert.Equal(expected, Enumerable.Range(0, g.Count).Select(g.ValuesAt));
        Assert.Equal(new Dictionary<string, double> { ["a"] = 2, ["b"] = 20, ["c"] = 5 }, g.ParametersAt(3));
        Assert.Equal("a = 2, b = 20, c = 5", g.Describe(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.ValuesAt(6));
    }

    [Fact]
    public void Zip_PairsTheAxes_AndNeedsEqualLengths()
    {
        var g = SweepGrid.Zip([SweepAxis.Parse("a=1,2,3"), SweepAxis.Parse("b=10:30:3")]);
        Assert.Equal(3, g.Count);
        Assert.Equal([[1.0, 10], [2.0, 20], [3.0, 30]], Enumerable.Range(0, 3).Select(g.ValuesAt));
        var e = Assert.Throws<SweepException>(() => SweepGrid.Zip([SweepAxis.Parse("a=1,2,3"), SweepAxis.Parse("b=1,2")]));
        Assert.Contains("a has 3, b has 2", e.Message);
    }

    [Fact]
    public void Grid_RefusesDuplicateParameters_AndHugeGrids()
    {
        Assert.Contains("swept twice", Assert.Throws<SweepException>(() => SweepGrid.Cartesian([SweepAxis.Parse("a=1"), SweepAxis.Parse("a=2")])).Message);
        Assert.Contains("more than", Assert.Throws<SweepException>(() => SweepGrid.Cartesian(
            [SweepAxis.Parse("a=0:1:1000000"), SweepAxis.Parse("b=0:1:1000")])).Message);
        Assert.Contains("at least one", Assert.Throws<SweepException>(() => SweepGrid.Cartesian([])).Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(12)]
    public void Shards_AreInterleaved_AndCoverTheGridOnce(int n)
    {
        var g = SweepGrid.Cartesian([SweepAxis.Parse("a=0:1:5"), SweepAxis.Parse("b=1,2")]); // 10 points
        var seen = new List<int>();
        for (int k = 0; k < n; k++)
        {
            var shard = SweepShard.Parse($"{k}/{n}");
            var points = g.Points(shard).ToArray();
            Assert.All(points, p => Assert.Equal(k, p % n));
            Assert.Equal(points.Order(), points);
            seen.AddRange(points);
        }
        Assert.Equal(Enumerable.Range(0, 10), seen.Order());
    }

    [Theory]
    [InlineData("3/3", "from 0 to N − 1 = 2")]
    [InlineData("-1/3", "expected k/N")]
    [InlineData("1/0", "at least 1")]
    [InlineData("1", "expected k/N")]
    [InlineData("a/b", "expected k/N")]
    public void ShardOutOfRange_IsOneClearMessage(string text, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<SweepException>(() => SweepShard.Parse(text)).Message);
}
