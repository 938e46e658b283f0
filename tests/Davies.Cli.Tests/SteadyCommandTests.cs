using System.Text.Json;

namespace Davies.Cli.Tests;

public class SteadyCommandTests
{
    [Fact]
    public void Qubit_Json_HasContractKeys_AndThermalPolarization()
    {
        var r = CliRunner.Run("steady", Path.Combine(CliRunner.Examples, "qubit.yaml"), "--json", "--observe", "sz", "--observe", "Z0", "--density-matrix");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        foreach (var key in new[] { "dimension", "energies", "shifted_energies", "unique", "gibbs_trace_distance", "heat_currents",
                     "entropy_production", "expectations", "tolerance", "density_matrix" })
            Assert.True(root.TryGetProperty(key, out _), $"missing key {key}");
        Assert.Equal(2, root.GetProperty("dimension").GetInt32());
        Assert.True(root.GetProperty("unique").GetBoolean());
        // qubit.yaml: ω0 = 1, T = 0.5 → ⟨σz⟩ = −tanh(1)
        Assert.Equal(-Math.Tanh(1.0), root.GetProperty("expectations").GetProperty("sz").GetDouble(), 10);
        Assert.Equal(-Math.Tanh(1.0), root.GetProperty("expectations").GetProperty("Z0").GetDouble(), 10);
        Assert.True(root.GetProperty("gibbs_trace_distance").GetDouble() < 1e-10);
        Assert.True(root.GetProperty("tolerance").GetDouble() > 0);
        var rho = root.GetProperty("density_matrix");
        Assert.Equal(2, rho.GetArrayLength());
        double trace = rho[0][0][0].GetDouble() + rho[1][1][0].GetDouble();
        Assert.Equal(1.0, trace, 12);
        var e = root.GetProperty("energies").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal([-0.5, 0.5], e);
        Assert.NotEqual(e, root.GetProperty("shifted_energies").EnumerateArray().Select(x => x.GetDouble()).ToArray());
    }

    [Theory]
    [InlineData("qubit.yaml")]
    [InlineData("qubit.json")]
    [InlineData("degenerate_pair.yaml")]
    [InlineData("ising_chain.yaml")]
    [InlineData("oscillator.yaml")]
    [InlineData("two_qubit_engine.yaml")]
    public void Example_Runs_InTextAndJson(string file)
    {
        var path = Path.Combine(CliRunner.Examples, file);
        var text = CliRunner.Run("steady", path);
        Assert.True(text.ExitCode == 0, text.Err);
        Assert.Contains("steady state", text.Out);
        var json = CliRunner.Run("steady", path, "--json");
        Assert.True(json.ExitCode == 0, json.Err);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.True(doc.RootElement.GetProperty("unique").GetBoolean());
    }

    [Fact]
    public void TwoQubitEngine_CarriesHeatFromHotToCold()
    {
        var r = CliRunner.Run("steady", Path.Combine(CliRunner.Examples, "two_qubit_engine.yaml"), "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var currents = doc.RootElement.GetProperty("heat_currents").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.True(currents["hot"] > 0);
        Assert.True(currents["cold"] < 0);
        Assert.Equal(0.0, currents.Values.Sum(), 12);
        Assert.True(doc.RootElement.GetProperty("entropy_production").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("gibbs_trace_distance").ValueKind);
    }

    [Fact]
    public void CollectiveCoupling_ReportsUniqueFalse()
    {
        var path = CliRunner.TempModel("""
            sites: [2, 2]
            hamiltonian: [[0.5, "Z0"], [0.5, "Z1"]]
            baths:
              - name: b
                temperature: 1
                spectrum: {type: ohmic, eta: 0.05, cutoff: 5}
                couplings:
                  - [[1, "X0"], [1, "X1"]]
            """);
        var r = CliRunner.Run("steady", path, "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.False(doc.RootElement.GetProperty("unique").GetBoolean());
    }

    [Fact]
    public void Help_DocumentsCommandsAndFlags()
    {
        var root = CliRunner.Run("--help");
        Assert.Equal(0, root.ExitCode);
        Assert.Contains("steady", root.Out);
        var steady = CliRunner.Run("steady", "--help");
        Assert.Equal(0, steady.ExitCode);
        foreach (var flag in new[] { "--json", "--density-matrix", "--observe", "MODEL" }) Assert.Contains(flag, steady.Out);
    }
}

public class BadInputTests
{
    private const string Bath = """
        baths:
          - name: b
            temperature: 1
            spectrum: {type: ohmic, eta: 0.01, cutoff: 5}
            couplings: ["X0"]
        """;

    private static void AssertBadInput(CliRun r, params string[] mustContain)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.StartsWith("davies: error:", r.Err);
        foreach (var s in mustContain) Assert.Contains(s, r.Err, StringComparison.OrdinalIgnoreCase);
    }

    private static CliRun Steady(string yaml, string ext = ".yaml") => CliRunner.Run("steady", CliRunner.TempModel(yaml, ext));

    [Fact]
    public void NonHermitianHamiltonian() =>
        AssertBadInput(Steady("hamiltonian: {matrix: [[1, 2], [0, -1]]}\n" + Bath), "hamiltonian", "Hermitian");

    [Fact]
    public void NegativeTemperature() =>
        AssertBadInput(Steady("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath.Replace("temperature: 1", "temperature: -1")), "temperature");

    [Fact]
    public void SiteIndexOutOfRange() =>
        AssertBadInput(Steady("sites: [2]\nhamiltonian: \"Z3\"\n" + Bath), "Z3", "hamiltonian");

    [Fact]
    public void UnknownToken() =>
        AssertBadInput(Steady("sites: [2]\nhamiltonian: \"Q0\"\n" + Bath), "Q0");

    [Fact]
    public void UnknownSpectrumType() =>
        AssertBadInput(Steady("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath.Replace("type: ohmic", "type: lorentzian")), "lorentzian");

    [Fact]
    public void CouplingOfWrongDimension() =>
        AssertBadInput(Steady("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath.Replace("[\"X0\"]", "[{matrix: [[1,0,0],[0,1,0],[0,0,1]]}]")), "couplings[0]", "dimension");

    [Fact]
    public void NaNEntry() =>
        AssertBadInput(Steady("hamiltonian: {matrix: [[.nan, 0], [0, 1]]}\n" + Bath), "hamiltonian");

    [Fact]
    public void InfiniteEntryInJson() =>
        AssertBadInput(Steady("""{"hamiltonian": {"matrix": [[1e400, 0], [0, 1]]}, "baths": [{"name": "b", "temperature": 1, "spectrum": {"type": "ohmic", "eta": 0.01, "cutoff": 5}, "couplings": [{"matrix": [[0,1],[1,0]]}]}]}""", ".json"), "hamiltonian");

    [Fact]
    public void NegativeSpectralDensity() =>
        AssertBadInput(Steady("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath.Replace("{type: ohmic, eta: 0.01, cutoff: 5}", "{type: tabulated, points: [[0.5, 0.1], [1, -0.2]]}")), "points");

    [Fact]
    public void DuplicateBathNames() =>
        AssertBadInput(Steady("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath + "\n" + Bath.Replace("baths:\n", "")), "duplicate", "b");

    [Fact]
    public void NoBaths() =>
        AssertBadInput(Steady("sites: [2]\nhamiltonian: \"Z0\"\nbaths: []\n"), "baths");

    [Fact]
    public void MalformedFile() =>
        AssertBadInput(Steady("sites: [2\nhamiltonian: : \"Z0\"\n"));

    [Fact]
    public void MalformedJson() =>
        AssertBadInput(Steady("{\"sites\": [2,}", ".json"));

    [Fact]
    public void EmptyFile() =>
        AssertBadInput(Steady(""), "empty");

    [Fact]
    public void MissingFile() =>
        AssertBadInput(CliRunner.Run("steady", "/nonexistent/model.yaml"), "/nonexistent/model.yaml");

    [Fact]
    public void SubOhmicBath_WhenAZeroFrequencyRateIsNeeded() =>
        AssertBadInput(Steady("sites: [2]\nhamiltonian: \"X0\"\n" + Bath.Replace("cutoff: 5}", "cutoff: 5, exponent: 0.5}").Replace("[\"X0\"]", "[\"X0\"]")), "sub-Ohmic");

    [Fact]
    public void UnknownFlag() => AssertBadInput(CliRunner.Run("steady", Path.Combine(CliRunner.Examples, "qubit.yaml"), "--bogus"), "--bogus");

    [Fact]
    public void UnknownObservable() =>
        AssertBadInput(CliRunner.Run("steady", Path.Combine(CliRunner.Examples, "qubit.yaml"), "--observe", "W7"), "W7");
}
