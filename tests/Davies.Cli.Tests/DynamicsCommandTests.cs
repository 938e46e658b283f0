using System.Text.Json;

namespace Davies.Cli.Tests;

public class DynamicsCommandTests
{
    private static string Qubit0 => Path.Combine(CliRunner.Examples, "qubit_zero_temperature.yaml");

    [Fact]
    public void Evolve_Json_HasContractKeys_AndExponentialDecayAtZeroTemperature()
    {
        var r = CliRunner.Run("evolve", Qubit0, "--initial", "0", "--times", "0:20:5", "--observe", "sz", "--json", "--until", "1e-3");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        var t = root.GetProperty("times").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var sz = root.GetProperty("expectations").GetProperty("sz").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var pops = root.GetProperty("populations");
        Assert.Equal([0, 5, 10, 15, 20], t);
        // T = 0: ⟨σz⟩ = −1 + 2 e^{−t/T1}; the excited population is e^{−t/T1} > 0 at every finite time
        double rate = -Math.Log((sz[1] + 1) / 2) / 5;
        for (int i = 0; i < t.Length; i++)
        {
            Assert.Equal(-1 + 2 * Math.Exp(-rate * t[i]), sz[i], 10);
            Assert.True(pops[i][1].GetDouble() > 0);
            Assert.Equal(1.0, pops[i][0].GetDouble() + pops[i][1].GetDouble(), 12);
        }
        Assert.Equal(Math.Log(1 / 1e-3) / rate, root.GetProperty("convergence_time").GetDouble(), 6);
    }

    [Fact]
    public void Evolve_Csv_AndPlot()
    {
        var png = Path.Combine(Path.GetTempPath(), $"davies-plot-{Guid.NewGuid():N}.png");
        var svg = Path.ChangeExtension(png, ".svg");
        try
        {
            var r = CliRunner.Run("evolve", Qubit0, "--initial", "level:1", "--times", "0,1,2", "--observe", "sz", "--observe", "X0", "--csv", "--plot", png);
            Assert.True(r.ExitCode == 0, r.Err);
            var lines = r.Out.Trim().Split('\n').Select(l => l.Trim()).ToArray();
            Assert.Equal("t,sz,X0,p0,p1", lines[0]); // the observables, then the level populations
            Assert.Equal(4, lines.Length);
            Assert.StartsWith("0,1,0", lines[1]);
            Assert.True(new FileInfo(png).Length > 1000);
            Assert.Equal(0, CliRunner.Run("evolve", Qubit0, "--initial", "ground", "--times", "0:5:11", "--plot", svg, "-q").ExitCode);
            Assert.Contains("<svg", File.ReadAllText(svg));
        }
        finally
        {
            File.Delete(png);
            File.Delete(svg);
        }
    }

    [Theory]
    [InlineData("--initial", "2", "--times", "0,1")]
    [InlineData("--initial", "level:5", "--times", "0,1")]
    [InlineData("--initial", "0", "--times", "0,-1")]
    [InlineData("--initial", "0", "--times", "0:1")]
    [InlineData("--initial", "0", "--times", "0,1", "--observe", "nope")]
    [InlineData("--initial", "0", "--times", "0,1", "--plot", "out.pdf")]
    [InlineData("--initial", "0", "--times", "0,1", "--json", "--csv")]
    public void Evolve_BadInput_ExitsWith2(params string[] args)
    {
        var r = CliRunner.Run(["evolve", Qubit0, .. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("davies: error:", r.Err);
    }

    [Fact]
    public void Spectrum_Json_QubitHasT1AndT2()
    {
        var r = CliRunner.Run("spectrum", Qubit0, "--json", "--modes", "2");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        double gap = root.GetProperty("spectral_gap").GetDouble();
        double t1 = root.GetProperty("t1").GetDouble(), t2 = root.GetProperty("t2").GetDouble();
        Assert.Equal(2 * t1, t2, 10);
        Assert.Equal(1 / t2, gap, 12);
        Assert.Equal(1 / gap, root.GetProperty("relaxation_time").GetDouble(), 10);
        Assert.Equal(1 / t1, root.GetProperty("population_gap").GetDouble(), 12);
        var modes = root.GetProperty("modes");
        Assert.Equal(2, modes.GetArrayLength());
        Assert.Equal(-gap, modes[0].GetProperty("eigenvalue")[0].GetDouble(), 12);
        Assert.Equal(1.0, Math.Abs(modes[0].GetProperty("bohr_frequency").GetDouble()), 12);
    }

    [Fact]
    public void Spectrum_Text_And_ManySites()
    {
        var r = CliRunner.Run("spectrum", Path.Combine(CliRunner.Examples, "ising_chain.yaml"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("spectral gap", r.Out);
        Assert.Equal(2, CliRunner.Run("spectrum", Qubit0, "--modes", "-1").ExitCode);
    }
}
