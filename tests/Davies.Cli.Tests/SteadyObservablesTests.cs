using System.Globalization;
using System.Text.Json;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Cli.Tests;

/// <summary>`steady` reports the model's declared observables when --observe is not given (as `evolve` does).</summary>
public class SteadyObservablesTests
{
    [Fact]
    public void DeclaredObservables_InJsonAndText()
    {
        string path = Path.Combine(CliRunner.Examples, "qubit.yaml");
        var r = CliRunner.Run("steady", path, "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        var e = JsonDocument.Parse(r.Out).RootElement.GetProperty("expectations");
        Assert.Equal(new[] { "sz", "sx" }, e.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(-Math.Tanh(1.0), e.GetProperty("sz").GetDouble(), 10);
        Assert.Equal(0, e.GetProperty("sx").GetDouble(), 12);

        var text = CliRunner.Run("steady", path);
        Assert.True(text.ExitCode == 0, text.Err);
        Assert.Contains("⟨O⟩ in the steady state", text.Out);
        Assert.Contains("sz", text.Out);
        Assert.Contains((-Math.Tanh(1.0)).ToString("G6", CultureInfo.InvariantCulture), text.Out);

        // --observe replaces the default list
        var given = CliRunner.Run("steady", path, "--json", "--observe", "Z0");
        Assert.Equal(new[] { "Z0" }, JsonDocument.Parse(given.Out).RootElement.GetProperty("expectations").EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public void EveryExample_ReportsAllItsObservables()
    {
        foreach (var file in new[] { "two_qubit_engine.yaml", "ising_chain.yaml", "oscillator.yaml", "degenerate_pair.yaml" })
        {
            string path = Path.Combine(CliRunner.Examples, file);
            var r = CliRunner.Run("steady", path, "--json");
            Assert.True(r.ExitCode == 0, r.Err);
            var keys = JsonDocument.Parse(r.Out).RootElement.GetProperty("expectations").EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(ModelFile.Load(path).Observables.Keys.ToArray(), keys);
        }
    }
}
