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

/// <summary>`steady` with a machine, --compare-approaches and the local approach's notes.</summary>
public class SteadyThermoCommandTests
{
    private static string Fridge => Path.Combine(CliRunner.Examples, "absorption_refrigerator.yaml");
    private static string LevyKosloff => Path.Combine(CliRunner.Examples, "local_vs_global.yaml");

    [Fact]
    public void Refrigerator_Json_HasTheMachineKey_WithCopBelowCarnot()
    {
        var r = CliRunner.Run("steady", Fridge, "--json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var m = doc.RootElement.GetProperty("machine");
        Assert.Equal("refrigerator", m.GetProperty("type").GetString());
        double cooling = m.GetProperty("cooling_power").GetDouble(), cop = m.GetProperty("cop").GetDouble();
        Assert.Equal(doc.RootElement.GetProperty("heat_currents").GetProperty("cold").GetDouble(), cooling, 15);
        Assert.True(cooling > 0);
        Assert.True(cop < m.GetProperty("carnot").GetDouble());
        Assert.Equal(cooling / doc.RootElement.GetProperty("heat_currents").GetProperty("hot").GetDouble(), cop, 12);
        Assert.True(m.GetProperty("working").GetBoolean());
        Assert.Contains("refrigerator: cooling power", CliRunner.Run("steady", Fridge, "--quiet").Out);
    }

    [Fact]
    public void CompareApproaches_AtTheLevyKosloffPoint_ShowsTheLocalViolation()
    {
        var r = CliRunner.Run("steady", LevyKosloff, "--compare-approaches", "--json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var c = doc.RootElement.GetProperty("comparison");
        Assert.Equal("global", doc.RootElement.GetProperty("approach").GetString());
        Assert.True(c.GetProperty("global").GetProperty("entropy_production").GetDouble() >= 0);
        Assert.True(c.GetProperty("local").GetProperty("entropy_production").GetDouble() < 0);
        Assert.True(c.GetProperty("local").GetProperty("heat_currents").GetProperty("cold").GetDouble() > 0);
        Assert.Equal("local-dense", c.GetProperty("local").GetProperty("method").GetString());
        Assert.True(c.GetProperty("trace_distance").GetDouble() > 0.01);
        Assert.Equal(doc.RootElement.GetProperty("entropy_production").GetDouble(),
            c.GetProperty("global").GetProperty("entropy_production").GetDouble(), 15);
        Assert.Contains("violates the second law", CliRunner.Run("steady", LevyKosloff, "--compare-approaches", "--quiet").Out);
    }

    [Fact]
    public void CompareApproaches_WithAMatrixHamiltonian_IsOneMessage()
    {
        var file = Path.Combine(Path.GetTempPath(), $"davies-matrix-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(file, """
                sites: [2]
                hamiltonian: {matrix: [[0.5, 0], [0, -0.5]]}
                baths:
                  - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 20}, couplings: ["X0"]}
                """);
            var r = CliRunner.Run("steady", file, "--compare-approaches", "--quiet");
            Assert.Equal(2, r.ExitCode);
            var line = Assert.Single(r.Err.Trim().Split('\n'));
            Assert.Contains("options.approach: local needs the hamiltonian as a list of terms", line);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ACouplingOnEverySite_IsANote_NotAnError()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"davies-note-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "whole.yaml");
            File.WriteAllText(file, """
                sites: [2, 2]
                hamiltonian: [[0.5, "Z0"], [0.7, "Z1"], [0.2, "X0 X1"]]
                baths:
                  - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 20}, couplings: ["X0 X1"]}
                options: {approach: local}
                """);
            var r = CliRunner.Run("steady", file, "--json");
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("davies: note: baths[0] ('b') coupling X0 X1 acts on every site", r.Err);
            Assert.DoesNotContain("note", CliRunner.Run("steady", file, "--json", "--quiet").Err);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("machine: {type: refrigerator, cold: cold, room: room, hot: oven}", "machine.hot")]
    [InlineData("machine: {type: engine, cold: cold, hot: hot, work: room, room: room}", "machine.room")]
    public void BadMachine_IsExit2_WithOneLine(string machine, string where)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"davies-machine-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "fridge.yaml");
            File.WriteAllText(file, File.ReadAllText(Fridge).Replace("machine: {type: refrigerator, cold: cold, room: room, hot: hot}", machine));
            var r = CliRunner.Run("steady", file);
            Assert.Equal(2, r.ExitCode);
            var line = Assert.Single(r.Err.Trim().Split('\n'));
            Assert.StartsWith("davies: error: ", line);
            Assert.Contains(where, line);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
