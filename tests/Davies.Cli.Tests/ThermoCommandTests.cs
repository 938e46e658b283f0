using System.Text.Json;

namespace Davies.Cli.Tests;

/// <summary>`evolve --thermo`, `--plot-thermo`, the local approach on the command line.</summary>
public class ThermoCommandTests
{
    private static string Engine => Path.Combine(CliRunner.Examples, "two_qubit_engine.yaml");

    private static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    [Fact]
    public void EvolveThermo_Json_HasTheKeys_FirstLaw_AndTheSteadyCurrentsAtLongTimes()
    {
        var r = CliRunner.Run("evolve", Engine, "--initial", "maximally-mixed", "--times", "0,1,5,400", "--thermo", "--json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        foreach (var key in new[] { "energy", "entropy", "heat_currents", "heat", "entropy_production_rate", "entropy_production", "relative_entropy", "thermo_notes" })
            Assert.True(root.TryGetProperty(key, out _), $"missing key {key}");
        Assert.Equal("global", root.GetProperty("approach").GetString());
        var e = Numbers(root.GetProperty("energy"));
        var heat = root.GetProperty("heat").EnumerateObject().Select(p => Numbers(p.Value)).ToArray();
        Assert.Equal(2, heat.Length);
        for (int i = 0; i < e.Length; i++) Assert.Equal(e[i] - e[0], heat.Sum(q => q[i]), 10);
        var sigma = root.GetProperty("entropy_production").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.All(sigma, s => Assert.True(s >= -1e-12));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("relative_entropy").ValueKind); // two temperatures

        var steady = CliRunner.Run("steady", Engine, "--json", "--quiet");
        using var sdoc = JsonDocument.Parse(steady.Out);
        foreach (var p in sdoc.RootElement.GetProperty("heat_currents").EnumerateObject())
            Assert.Equal(p.Value.GetDouble(), Numbers(root.GetProperty("heat_currents").GetProperty(p.Name))[^1], 10);
    }

    [Fact]
    public void EvolveThermo_Csv_HasTheColumns()
    {
        var r = CliRunner.Run("evolve", Engine, "--initial", "00", "--times", "0,1", "--thermo", "--csv", "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        var header = r.Out.Split('\n')[0].Trim().Split(',');
        foreach (var c in new[] { "energy", "entropy", "heat_currents.hot", "heat_currents.cold", "heat.hot", "heat.cold", "entropy_production_rate", "entropy_production", "relative_entropy" })
            Assert.Contains(c, header);
        var first = r.Out.Split('\n')[1].Trim().Split(',');
        Assert.Equal(header.Length, first.Length);
        Assert.Equal("", first[Array.IndexOf(header, "entropy_production_rate")]); // pure start: dS/dt = +∞ at t = 0
    }

    [Fact]
    public void ZeroTemperatureBath_GivesNullsWithAReason_NeverNaN()
    {
        var r = CliRunner.Run("evolve", Path.Combine(CliRunner.Examples, "qubit_zero_temperature.yaml"), "--initial", "maximally-mixed",
            "--times", "0,1,2", "--thermo", "--json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.DoesNotContain("NaN", r.Out);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("entropy_production")[1].ValueKind);
        Assert.Contains(root.GetProperty("thermo_notes").EnumerateArray(), n => n.GetString()!.Contains("T = 0"));
    }

    [Fact]
    public void PlotThermo_WritesTheFile_AndABadNameIsOneMessage()
    {
        var png = Path.Combine(Path.GetTempPath(), $"davies-thermo-{Guid.NewGuid():N}.png");
        try
        {
            var r = CliRunner.Run("evolve", Engine, "--initial", "ground", "--times", "0:10:21", "--plot-thermo", png, "--quiet");
            Assert.True(r.ExitCode == 0, r.Err);
            Assert.True(new FileInfo(png).Length > 1000);
            Assert.Contains("thermodynamics", r.Out);
        }
        finally
        {
            File.Delete(png);
        }
        var bad = CliRunner.Run("evolve", Engine, "--initial", "ground", "--times", "0,1", "--plot-thermo", "out.pdf");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("davies: error: --plot-thermo 'out.pdf': the file name must end in .png or .svg", bad.Err.Trim());
    }

    [Fact]
    public void LocalApproach_IsReported_AndAMatrixHamiltonianIsRefused()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"davies-local-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var local = Path.Combine(dir, "local.yaml");
            File.WriteAllText(local, File.ReadAllText(Engine) + "\noptions: {approach: local}\n");
            var r = CliRunner.Run("evolve", local, "--initial", "ground", "--times", "0,1", "--thermo", "--json", "--quiet");
            Assert.True(r.ExitCode == 0, r.Err);
            using var doc = JsonDocument.Parse(r.Out);
            Assert.Equal("local", doc.RootElement.GetProperty("approach").GetString());
            Assert.Equal("local-dense", doc.RootElement.GetProperty("method").GetString());

            var matrix = Path.Combine(dir, "matrix.yaml");
            File.WriteAllText(matrix, """
                sites: [2]
                hamiltonian: {matrix: [[0.5, 0], [0, -0.5]]}
                baths:
                  - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 20}, couplings: ["X0"]}
                options: {approach: local}
                """);
            var bad = CliRunner.Run("steady", matrix);
            Assert.Equal(2, bad.ExitCode);
            var line = Assert.Single(bad.Err.Trim().Split('\n'));
            Assert.StartsWith($"davies: error: {matrix}: options.approach (line 5)", line);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
