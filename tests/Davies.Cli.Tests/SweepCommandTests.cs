using System.Globalization;
using System.Text.Json;

namespace Davies.Cli.Tests;

/// <summary>davies sweep: grids, quantities equal to the commands' JSON, outputs, shards and merge, resume after a kill, jobs, bad input.</summary>
public sealed class SweepCommandTests : IDisposable
{
    private static readonly string Qubit = Path.Combine(CliRunner.Examples, "sweeps", "qubit_temperature.yaml");
    private readonly string _dir = Directory.CreateTempSubdirectory("davies-sweep-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static CliRun Ok(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        return r;
    }

    private static (string Name, double[] Values, double[] Quantities, string? Error)[] Points(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("points").EnumerateArray().Select(p => (
            p.GetProperty("point").GetInt32().ToString(CultureInfo.InvariantCulture),
            p.GetProperty("values").EnumerateObject().Select(v => v.Value.GetDouble()).ToArray(),
            p.GetProperty("quantities").EnumerateObject().Select(q => q.Value.ValueKind == JsonValueKind.Null ? double.NaN : q.Value.GetDouble()).ToArray(),
            p.GetProperty("error").GetString())).ToArray();
    }

    private static double At(string json, params string[] path)
    {
        using var doc = JsonDocument.Parse(json);
        var e = doc.RootElement;
        foreach (var p in path) e = int.TryParse(p, out int i) ? e[i] : e.GetProperty(p);
        return e.GetDouble();
    }

    [Fact]
    public void QubitTemperatureSweep_IsMinusTanhOfOneOverTwoT_AtEveryPoint()
    {
        var r = Ok("sweep", Qubit, "--set", "T=0.05:3:40", "--quantity", "expectations.sz", "--json");
        var points = Points(r.Out);
        Assert.Equal(40, points.Length);
        foreach (var (_, values, q, error) in points)
        {
            Assert.Null(error);
            Assert.True(Math.Abs(q[0] + Math.Tanh(1 / (2 * values[0]))) < 1e-10, $"T = {values[0]}: {q[0]} vs {-Math.Tanh(1 / (2 * values[0]))}");
        }
    }

    [Fact]
    public void Grid_HasEveryPointOnce_InRowMajorOrder_AndZipPairs()
    {
        var r = Ok("sweep", Qubit, "--set", "T=0.5,1,2", "--set", "w0=1:2:4", "--quantity", "energies[1]", "--json");
        var points = Points(r.Out);
        var expected = new List<double[]>();
        foreach (var t in new[] { 0.5, 1, 2 })
            foreach (var w in new[] { 1, 1 + 1.0 / 3, 1 + 2.0 / 3, 2 })
                expected.Add([t, w]);
        Assert.Equal(expected, points.Select(p => p.Values));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i.ToString(CultureInfo.InvariantCulture)), points.Select(p => p.Name));
        Assert.All(points, p => Assert.Equal(p.Values[1] / 2, p.Quantities[0], 15)); // E_1 = w0/2
        var zip = Points(Ok("sweep", Qubit, "--set", "T=0.5,1,2", "--set", "w0=1,3,5", "--zip", "--quantity", "energies[1]", "--json").Out);
        Assert.Equal([[0.5, 1.0], [1.0, 3], [2.0, 5]], zip.Select(p => p.Values));
    }

    [Fact]
    public void Quantities_AreExactlyTheNumbersTheCommandsPrint()
    {
        string refrigerator = Path.Combine(CliRunner.Examples, "sweeps", "refrigerator_cop.yaml");
        var sweep = Points(Ok("sweep", refrigerator, "--set", "Tc=0.4,0.7", "--json",
            "--quantity", "machine.cop", "--quantity", "heat_currents.cold", "--quantity", "validity.secular.value", "--quantity", "expectations.cold_excitation",
            "--quantity", "energies[-1]", "--quantity", "expectations[\"Z0 Z1\"]", "--quantity", "spectrum.spectral_gap", "--quantity", "spectrum.modes[1].eigenvalue[0]",
            "--quantity", "evolve.expectations.cold_excitation[-1]", "--quantity", "evolve.convergence_time", "--quantity", "evolve.entropy_production[2]",
            "--initial", "000", "--times", "0:50:3", "--until", "0.01").Out);
        for (int i = 0; i < 2; i++)
        {
            string tc = i == 0 ? "Tc=0.4" : "Tc=0.7";
            string steady = Ok("steady", refrigerator, "--set", tc, "--json", "--observe", "cold_excitation", "--observe", "Z0 Z1").Out;
            string spectrum = Ok("spectrum", refrigerator, "--set", tc, "--json").Out;
            string evolve = Ok("evolve", refrigerator, "--set", tc, "--json", "--initial", "000", "--times", "0:50:3", "--until", "0.01", "--thermo").Out;
            double[] expected =
            [
                At(steady, "machine", "cop"), At(steady, "heat_currents", "cold"), At(steady, "validity", "secular", "value"),
                At(steady, "expectations", "cold_excitation"), At(steady, "energies", "7"), At(steady, "expectations", "Z0 Z1"),
                At(spectrum, "spectral_gap"), At(spectrum, "modes", "1", "eigenvalue", "0"),
                At(evolve, "expectations", "cold_excitation", "2"), At(evolve, "convergence_time"), At(evolve, "entropy_production", "2"),
            ];
            Assert.Equal(expected, sweep[i].Quantities);
        }
    }

    [Fact]
    public void ModelWithParameters_GivesTheSameJsonAsTheModelWithNumbers()
    {
        Assert.Equal(Ok("steady", Path.Combine(CliRunner.Examples, "qubit.yaml"), "--json").Out, Ok("steady", Qubit, "--json").Out);
        Assert.Equal(Ok("steady", Path.Combine(CliRunner.Examples, "absorption_refrigerator.yaml"), "--json").Out,
            Ok("steady", Path.Combine(CliRunner.Examples, "sweeps", "refrigerator_cop.yaml"), "--json").Out);
        string numbers = CliRunner.TempModel(File.ReadAllText(Path.Combine(CliRunner.Examples, "qubit.yaml")).Replace("temperature: 0.5", "temperature: 0.25"));
        try
        {
            foreach (var verb in new[] { "steady", "spectrum" })
                Assert.Equal(Ok(verb, numbers, "--json").Out, Ok(verb, Qubit, "--set", "T=0.25", "--json").Out);
            Assert.Equal(Ok("evolve", numbers, "--json", "--initial", "0", "--times", "0:5:3").Out,
                Ok("evolve", Qubit, "--set", "T=1/4", "--json", "--initial", "0", "--times", "0:5:3").Out);
            Assert.Equal(Ok("bath", numbers, "--json", "--times", "0,1").Out, Ok("bath", Qubit, "--set", "T=0.25", "--json", "--times", "0,1").Out);
        }
        finally
        {
            File.Delete(numbers);
        }
    }

    [Fact]
    public void JobsTwo_GivesTheSameOutputAsJobsOne()
    {
        string chain = Path.Combine(CliRunner.Examples, "sweeps", "ising_gap.yaml");
        string[] args = ["sweep", chain, "--set", "J=0.2:1.5:6", "--set", "h=0.5,1", "--quantity", "spectrum.spectral_gap", "--quantity", "heat_currents.site0",
            "--quantity", "expectations.mx", "--csv"];
        var one = Ok([.. args, "--jobs", "1", "--output", PathOf("one.jsonl")]);
        var two = Ok([.. args, "--jobs", "2", "--output", PathOf("two.jsonl")]);
        Assert.Equal(one.Out, two.Out);
        Assert.Equal(File.ReadAllBytes(PathOf("one.jsonl")), File.ReadAllBytes(PathOf("two.jsonl")));
        Assert.Equal(13, File.ReadAllLines(PathOf("one.jsonl")).Length);
    }

    [Fact]
    public void ShardsAsSeparateProcesses_MergeToTheUnshardedOutput_ByteForByte()
    {
        // 7 × 2 = 14 points, two of them invalid (T < 0): not divisible by N = 3 or 4.
        string[] sweep = ["sweep", Qubit, "--set", "T=-0.5,0.2,0.7,1.1,1.5,2,3", "--set", "w0=0.5,2", "--quantity", "expectations.sz",
            "--quantity", "spectrum.spectral_gap", "--quantity", "heat_currents.bath", "--quiet"];
        var whole = CliRunner.RunProcess("", [.. sweep, "--output", PathOf("whole.jsonl"), "--csv"]);
        Assert.True(whole.ExitCode == 2, whole.Err); // the T < 0 points are rows with an error
        Assert.Equal(15, File.ReadAllLines(PathOf("whole.jsonl")).Length);
        foreach (int n in new[] { 1, 2, 3, 4 })
        {
            var parts = new List<string>();
            for (int k = 0; k < n; k++)
            {
                string part = PathOf($"part{k}of{n}.jsonl");
                var r = CliRunner.RunProcess("", [.. sweep, "--shard", $"{k}/{n}", "--output", part, "--jobs", (1 + k % 2).ToString(CultureInfo.InvariantCulture)]);
                Assert.True(r.ExitCode is 0 or 2, r.Err);
                parts.Add(part);
            }
            parts.Reverse();
            var merged = Ok(["sweep", "merge", .. parts, "-o", PathOf($"merged{n}.jsonl"), "--csv"]);
            Assert.Equal(File.ReadAllBytes(PathOf("whole.jsonl")), File.ReadAllBytes(PathOf($"merged{n}.jsonl")));
            Assert.Equal(whole.Out, merged.Out);
        }
    }

    [Fact]
    public void KilledSweep_Resumed_CompletesWithNoPointLostOrRepeated()
    {
        // About a millisecond per point (many times per evolution), so that the sweep is killed in the middle.
        string[] sweep = ["sweep", Qubit, "--set", "T=0.2:3:1500", "--quantity", "evolve.expectations.sz[-1]", "--quantity", "expectations.sz",
            "--initial", "0", "--times", "0:40:4000", "--jobs", "2", "--quiet"];
        string killed = PathOf("killed.jsonl");
        using (var child = CliRunner.Start([.. sweep, "--output", killed]))
        {
            child.OutputDataReceived += (_, _) => { };
            child.ErrorDataReceived += (_, _) => { };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            while (!child.HasExited && (!File.Exists(killed) || File.ReadAllLines(killed).Length < 30)) Thread.Sleep(20);
            Assert.False(child.HasExited, "the sweep finished before it could be killed");
            child.Kill();
            child.WaitForExit();
        }
        int before = File.ReadAllLines(killed).Length;
        Assert.InRange(before, 30, 1500);
        var resumed = Ok([.. sweep, "--output", killed, "--resume", "--json"]);
        var points = Points(resumed.Out);
        Assert.Equal(Enumerable.Range(0, 1500).Select(i => i.ToString(CultureInfo.InvariantCulture)), points.Select(p => p.Name));
        Assert.Contains($"read back from {killed}", Ok([.. sweep, "--output", killed, "--resume"]).Out);
        Ok([.. sweep, "--output", PathOf("uninterrupted.jsonl")]);
        Assert.Equal(File.ReadAllBytes(PathOf("uninterrupted.jsonl")), File.ReadAllBytes(killed));
    }

    [Fact]
    public async Task CtrlC_StopsCleanly_PrintsAndKeepsThePointsDone_Exit130()
    {
        string[] sweep = ["sweep", Qubit, "--set", "T=0.2:3:1500", "--quantity", "evolve.expectations.sz[-1]", "--initial", "0", "--times", "0:40:4000",
            "--jobs", "2", "--csv"];
        string file = PathOf("interrupted.jsonl");
        using var child = CliRunner.Start([.. sweep, "--output", file]);
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        while (!child.HasExited && (!File.Exists(file) || File.ReadAllLines(file).Length < 20)) Thread.Sleep(20);
        Assert.False(child.HasExited, "the sweep finished before it could be interrupted");
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", child.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        await child.WaitForExitAsync();
        Assert.Equal(130, child.ExitCode);
        var lines = File.ReadAllLines(file);
        var rows = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 20, 1500);
        Assert.Equal(lines.Length, rows.Length); // the file's header and points = the CSV header and rows
        Assert.Equal($"davies: cancelled after {lines.Length - 1} of 1500 points; --resume continues {file}\n", await stderr);
        // Every line complete, the points in grid order, each with the value the CSV row prints.
        for (int i = 1; i < lines.Length; i++)
        {
            using var row = JsonDocument.Parse(lines[i]);
            int point = row.RootElement.GetProperty("point").GetInt32();
            Assert.True(i == 1 || point > JsonDocument.Parse(lines[i - 1]).RootElement.GetProperty("point").GetInt32());
            double q = row.RootElement.GetProperty("quantities").GetProperty("evolve.expectations.sz[-1]").GetDouble();
            Assert.Equal(q.ToString("R", CultureInfo.InvariantCulture), rows[i].Split(',')[1]);
        }
    }

    [Fact]
    public void InvalidPoints_AreRowsWithTheirError_AndExit2WithACount()
    {
        var r = CliRunner.Run("sweep", Qubit, "--set", "T=-1,0.5,-2", "--quantity", "expectations.sz", "--csv");
        Assert.Equal(2, r.ExitCode);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("T,expectations.sz,error", lines[0]);
        Assert.StartsWith("-1,,", lines[1]);
        Assert.Contains("negative temperature -1 (the value of \"\"T\"\")", lines[1]);
        Assert.Equal($"0.5,{(-Math.Tanh(1)).ToString("R", CultureInfo.InvariantCulture)},", lines[2]);
        Assert.Contains("davies: error: point 0 (T = -1): ", r.Err);
        Assert.Contains("davies: 2 of 3 points failed", r.Err);
    }

    [Theory]
    [InlineData("--set", "T=0:1", "--set 'T=0:1': malformed SPEC")]
    [InlineData("--set", "T=0:1:x", "count 'x'")]
    [InlineData("--set", "Tx=1,2", "declares no parameter 'Tx' (its parameters: T, w0; did you mean 'T'?)")]
    [InlineData("--quantity", "expectation.sz", "unknown quantity: 'expectation' is not a key of davies steady --json (did you mean 'expectations'?)")]
    [InlineData("--quantity", "spectral_gap", "'spectral_gap' is a key of davies spectrum: write spectrum.spectral_gap")]
    [InlineData("--quantity", "heat_currents.bth", "'heat_currents' has no key 'bth' (its keys: bath; did you mean 'bath'?)")]
    [InlineData("--quantity", "energies", "is a list of 2 values: add a position")]
    [InlineData("--quantity", "expectations.Q0", "neither an observable name")]
    [InlineData("--quantity", "evolve.expectations.sz[-1]", "need --initial STATE and --times TIMES")]
    [InlineData("--quantity", "energies[", "malformed path")]
    [InlineData("--shard", "3/3", "--shard '3/3': k must be from 0 to N − 1 = 2")]
    [InlineData("--shard", "1/0", "N must be at least 1")]
    [InlineData("--jobs", "0", "--jobs 0: must be at least 1")]
    [InlineData("--resume", null, "--resume continues an --output FILE")]
    [InlineData("--series", "T", "--series NAME: only with --plot")]
    [InlineData("--plot", "out.pdf", "must end in .png or .svg")]
    public void BadInput_IsOneMessage_AndExit2(string flag, string? value, string fragment)
    {
        string[] args = ["sweep", Qubit, "--set", "T=0.5,1", "--quantity", "expectations.sz", flag];
        if (value is not null) args = [.. args, value];
        var r = CliRunner.Run(args);
        Assert.Equal(CliApp.BadInput, r.ExitCode);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, r.Err);
        Assert.StartsWith("davies: error: ", lines[0]);
        Assert.Contains(fragment, lines[0]);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void MergingOutputsOfDifferentSweeps_OrAMissingPoint_IsOneMessage()
    {
        Ok("sweep", Qubit, "--set", "T=0.5,1,2", "--quantity", "expectations.sz", "--shard", "0/2", "--output", PathOf("a.jsonl"));
        Ok("sweep", Qubit, "--set", "T=0.5,1,3", "--quantity", "expectations.sz", "--shard", "1/2", "--output", PathOf("b.jsonl"));
        var r = CliRunner.Run("sweep", "merge", PathOf("a.jsonl"), PathOf("b.jsonl"), "-o", PathOf("m.jsonl"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("are outputs of different sweeps: parameters is [{\"name\":\"T\",\"spec\":\"0.5,1,3\"}] in " + PathOf("b.jsonl") +
                        " and [{\"name\":\"T\",\"spec\":\"0.5,1,2\"}] in " + PathOf("a.jsonl"), r.Err);
        var missing = CliRunner.Run("sweep", "merge", PathOf("a.jsonl"), "-o", PathOf("m.jsonl"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("davies: error: 1 of 3 points are missing from every input: point 1 (T = 1) (a shard not run, not finished, or not given to merge?)\n", missing.Err);
        var twice = CliRunner.Run("sweep", "merge", PathOf("a.jsonl"), PathOf("a.jsonl"), "-o", PathOf("m.jsonl"));
        Assert.Contains("point 0 (T = 0.5) is duplicated", twice.Err);
        Assert.False(File.Exists(PathOf("m.jsonl")));
        // Resuming a file with another sweep is refused too, and an existing file is not replaced silently.
        var other = CliRunner.Run("sweep", Qubit, "--set", "T=0.5,1,2", "--quantity", "heat_currents.bath", "--output", PathOf("a.jsonl"), "--resume");
        Assert.Contains("written by a different sweep (quantities is [\"expectations.sz\"] in the file and [\"heat_currents.bath\"] in this run)", other.Err);
        var exists = CliRunner.Run("sweep", Qubit, "--set", "T=0.5,1,2", "--quantity", "expectations.sz", "--output", PathOf("a.jsonl"));
        Assert.Contains("the file exists; add --resume", exists.Err);
        Assert.Equal(2, exists.ExitCode);
    }

    [Fact]
    public void UnknownQuantity_LeavesNoOutputFile()
    {
        var r = CliRunner.Run("sweep", Qubit, "--set", "T=0.5,1", "--quantity", "heat_currents.hot", "--output", PathOf("x.jsonl"));
        Assert.Equal(2, r.ExitCode);
        Assert.False(File.Exists(PathOf("x.jsonl")));
    }

    [Fact]
    public void SetOnSingleCommands_RefusesUndeclaredNamesAndRanges()
    {
        var r = CliRunner.Run("steady", Qubit, "--set", "Tx=1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown parameter 'Tx': the file's parameters are T, w0 (did you mean 'T'?)", r.Err);
        var range = CliRunner.Run("spectrum", Qubit, "--set", "T=0:1:3");
        Assert.Contains("--set 'T=0:1:3': one value per parameter here; to run 3 values, use davies sweep", range.Err);
        var twice = CliRunner.Run("evolve", Qubit, "--set", "T=1", "--set", "T=2", "--initial", "0", "--times", "0,1");
        Assert.Contains("set twice", twice.Err);
        Assert.Contains("unknown parameter", CliRunner.Run("eth", Qubit, "--set", "q=1").Err);
    }

    [Fact]
    public void Plots_AreWritten_ForALine_ASeries_AndAHeatMap()
    {
        Ok("sweep", Qubit, "--set", "T=0.05:2:30", "--quantity", "expectations.sz", "--quantity", "spectrum.t1", "--plot", PathOf("line.png"));
        Ok("sweep", Qubit, "--set", "T=0.05:2:10", "--set", "w0=1,2", "--quantity", "expectations.sz", "--series", "w0", "--plot", PathOf("series.svg"));
        Ok("sweep", Qubit, "--set", "T=0.01:2:6:log", "--set", "w0=1,1.5,3", "--quantity", "expectations.sz", "--plot", PathOf("map.png"));
        foreach (var f in new[] { "line.png", "series.svg", "map.png" }) Assert.True(new FileInfo(PathOf(f)).Length > 1000, f);
        Assert.Contains("<svg", File.ReadAllText(PathOf("series.svg")));
        var bad = CliRunner.Run("sweep", Qubit, "--set", "T=0.1,1", "--set", "w0=1,2", "--quantity", "expectations.sz", "--quantity", "expectations.sx", "--plot", PathOf("x.png"));
        Assert.Contains("a heat map over T, w0 shows one quantity", bad.Err);
        Assert.False(File.Exists(PathOf("x.png")));
    }
}
