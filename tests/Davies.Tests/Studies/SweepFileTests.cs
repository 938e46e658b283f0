using Davies.Studies;

namespace Davies.Tests.Studies;

public sealed class SweepFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("davies-sweepfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private SweepHeader Header(string spec = "T=0.1:2:7", string? model = null)
    {
        model ??= PathOf("model.yaml");
        if (!File.Exists(model)) File.WriteAllText(model, "sites: [2]\n");
        return SweepHeader.For(model, SweepGrid.Cartesian([SweepAxis.Parse(spec), SweepAxis.Parse("g=1,2")]), ["expectations.sz", "heat_currents.hot"],
            [KeyValuePair.Create("modes", "10")]);
    }

    private static SweepPointResult Row(SweepHeader h, int p) =>
        p % 5 == 3
            ? new SweepPointResult(p, h.Grid.ValuesAt(p), [], $"model.yaml: baths[0].temperature (line 5): negative temperature \"{p}\"")
            : new SweepPointResult(p, h.Grid.ValuesAt(p), [Math.Tanh(p / 3.0) / 7, p == 4 ? double.PositiveInfinity : -1e-300 * p], null);

    /// <summary>What a run of the given shard writes (the rows in the order given).</summary>
    private string Write(SweepHeader h, string name, IEnumerable<int> points, SweepShard? shard = null)
    {
        var path = PathOf(name);
        using var f = SweepOutputFile.Open(path, h, shard ?? SweepShard.All, resume: false, overwrite: true);
        foreach (var p in points) f.Append(Row(h, p));
        f.Complete();
        return path;
    }

    [Fact]
    public void Header_RoundTrips_AndNamesTheSweep()
    {
        var h = Header();
        string line = h.ToJsonLine();
        Assert.StartsWith("{\"davies_sweep\":1,\"model\":\"model.yaml\",\"model_sha256\":\"", line);
        Assert.Contains("\"parameters\":[{\"name\":\"T\",\"spec\":\"0.1:2:7\"},{\"name\":\"g\",\"spec\":\"1,2\"}],\"zip\":false," +
                        "\"quantities\":[\"expectations.sz\",\"heat_currents.hot\"],\"settings\":{\"modes\":\"10\"},\"points\":14}", line);
        var back = SweepHeader.Parse(line, "f");
        Assert.Equal(line, back.ToJsonLine());
        Assert.Equal(h.Grid.Count, back.Grid.Count);
    }

    [Fact]
    public void Rows_RoundTrip_ExactlyWithNullsAndErrors()
    {
        var h = Header();
        for (int p = 0; p < h.Grid.Count; p++)
        {
            var row = Row(h, p);
            string line = SweepFile.FormatRow(h, row);
            var back = SweepFile.ParseRow(h, line, "f");
            Assert.Equal(row.Index, back.Index);
            Assert.Equal(row.Values, back.Values);
            Assert.Equal(row.Error, back.Error);
            Assert.Equal(row.Quantities.Select(q => double.IsFinite(q) ? q : double.NaN), back.Quantities);
            Assert.Equal(line, SweepFile.FormatRow(h, back));
        }
        Assert.Equal("{\"point\":4,\"values\":{\"T\":0.7333333333333333,\"g\":1},\"quantities\":{\"expectations.sz\":0.12429452310609598,\"heat_currents.hot\":null},\"error\":null}",
            SweepFile.FormatRow(h, Row(h, 4)));
    }

    [Fact]
    public void Rows_OfAnotherGrid_AreRefused()
    {
        var line = SweepFile.FormatRow(Header("T=0.1:2:8"), Row(Header("T=0.1:2:8"), 2));
        var e = Assert.Throws<SweepException>(() => SweepFile.ParseRow(Header(), line, "f (line 3)"));
        Assert.True(e.Message.Contains("f (line 3): point 2 has the values T = 0.37142857142857144, g = 1, but the sweep's point 2 is T = 0.41666666666666663, g = 1", StringComparison.Ordinal), e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ShardsMerged_EqualTheUnshardedFile_ByteForByte(int n)
    {
        var h = Header(); // 14 points: not divisible by 3 or 4
        string whole = Write(h, "whole.jsonl", Enumerable.Range(0, h.Grid.Count));
        var parts = Enumerable.Range(0, n).Select(k =>
        {
            var shard = new SweepShard(k, n);
            // Written out of order (as several jobs may): Complete puts them in grid order.
            return Write(h, $"part{k}.jsonl", h.Grid.Points(shard).Reverse(), shard);
        }).Reverse().ToArray();
        string merged = PathOf("merged.jsonl");
        SweepFile.Merge(parts, merged);
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(merged));
    }

    [Fact]
    public void Merge_NamesAMissingOrDuplicatedPoint_AndRefusesDifferentSweeps()
    {
        var h = Header();
        string a = Write(h, "a.jsonl", [0, 1, 2, 3, 4, 5, 6]);
        string b = Write(h, "b.jsonl", [7, 8, 9, 10, 11, 12]);
        string c = Write(h, "c.jsonl", [12, 13]);
        var missing = Assert.Throws<SweepException>(() => SweepFile.Merge([a, b], PathOf("m.jsonl")));
        Assert.Contains("1 of 14 points are missing from every input: point 13 (T = 2, g = 2)", missing.Message);
        var twice = Assert.Throws<SweepException>(() => SweepFile.Merge([a, b, c], PathOf("m.jsonl")));
        Assert.Contains("point 12 (T = 2, g = 1) is duplicated: in " + b + " (line 7) and in " + c + " (line 2)", twice.Message);
        string other = Write(Header("T=0.1:2:8"), "other.jsonl", [13]);
        var different = Assert.Throws<SweepException>(() => SweepFile.Merge([a, other], PathOf("m.jsonl")));
        Assert.Contains("outputs of different sweeps: parameters is", different.Message);
        File.AppendAllText(PathOf("model.yaml"), "# edited\n");
        string edited = Write(Header(), "edited.jsonl", [13]);
        Assert.Contains("the model file's contents differ", Assert.Throws<SweepException>(() => SweepFile.Merge([a, b, edited], PathOf("m.jsonl"))).Message);
        File.WriteAllText(PathOf("junk.jsonl"), "hello\n");
        Assert.Contains("not the output of davies sweep", Assert.Throws<SweepException>(() => SweepFile.Merge([PathOf("junk.jsonl")], PathOf("m.jsonl"))).Message);
        Assert.False(File.Exists(PathOf("m.jsonl")));
    }

    [Fact]
    public void Resume_DropsALineCutShort_AndAppendsTheRest()
    {
        var h = Header();
        string whole = Write(h, "whole.jsonl", Enumerable.Range(0, h.Grid.Count));
        string path = PathOf("killed.jsonl");
        var bytes = File.ReadAllBytes(whole);
        // Killed in the middle of the 6th point's line.
        int cut = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == '\n').ElementAt(6) - 10;
        File.WriteAllBytes(path, bytes[..cut]);
        using (var f = SweepOutputFile.Open(path, h, SweepShard.All, resume: true, overwrite: false))
        {
            Assert.Equal([0, 1, 2, 3, 4], f.Existing.Select(r => r.Index));
            Assert.Equal("model.yaml: baths[0].temperature (line 5): negative temperature \"3\"", f.Existing[3].Error);
            foreach (var p in Enumerable.Range(5, h.Grid.Count - 5)) f.Append(Row(h, p));
            f.Complete();
        }
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(path));
    }

    [Fact]
    public void Resume_RefusesAnotherSweepOrShard_AndOpenRefusesToClobber()
    {
        var h = Header();
        string path = Write(h, "s.jsonl", [1, 4], new SweepShard(1, 3));
        Assert.Contains("the file exists; add --resume", Assert.Throws<SweepException>(() => SweepOutputFile.Open(path, h, SweepShard.All, false, false)).Message);
        Assert.Contains("written by a different sweep (parameters is", Assert.Throws<SweepException>(() =>
            SweepOutputFile.Open(path, Header("T=0:1:7"), SweepShard.All, true, false)).Message);
        Assert.Contains("point 1 is not in shard 0/3", Assert.Throws<SweepException>(() =>
            SweepOutputFile.Open(path, h, new SweepShard(0, 3), true, false)).Message);
        File.AppendAllText(path, SweepFile.FormatRow(h, Row(h, 4)) + "\n");
        Assert.Contains("point 4 (T = 0.733333, g = 1) is already on line 3".Replace("0.733333", "0.7333333333333333"), Assert.Throws<SweepException>(() =>
            SweepOutputFile.Open(path, h, new SweepShard(1, 3), true, false)).Message);
        // A file killed before its header was complete starts afresh.
        File.WriteAllText(path, "{\"davies_sw");
        using (var f = SweepOutputFile.Open(path, h, SweepShard.All, true, false)) Assert.Empty(f.Existing);
        Assert.Equal(h.ToJsonLine() + "\n", File.ReadAllText(path));
    }
}
