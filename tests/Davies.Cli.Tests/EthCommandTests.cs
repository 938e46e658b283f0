using System.Text.Json;

namespace Davies.Cli.Tests;

/// <summary>`davies eth` end to end: the JSON contract (one model and several), CSV, text, plot, and bad input.</summary>
public class EthCommandTests
{
    private static string Eth(string file) => Path.Combine(CliRunner.Examples, "eth", file);

    private static void AssertOneLineExit2(CliRun r, string mustContain)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Err}");
        Assert.Equal("", r.Out);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{r.Err}");
        Assert.StartsWith("davies: error: ", lines[0]);
        Assert.Contains(mustContain, lines[0]);
    }

    [Fact]
    public void OneModel_WithInitialState_Json_HasTheContractKeys()
    {
        var r = CliRunner.Run("eth", Eth("chaotic_n6.yaml"), "--initial", "01", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        foreach (var key in new[] { "energies", "observables", "effective_temperature", "effective_beta", "effective_regime", "energy",
                     "energy_spread", "initial_state", "davies_unique", "temperatures", "sites", "dimension", "middle",
                     "microcanonical_half_width", "level_spacing_ratio", "gibbs_curve", "backend" })
            Assert.True(root.TryGetProperty(key, out _), $"missing key {key}");
        Assert.Equal(64, root.GetProperty("energies").GetArrayLength());
        Assert.Equal(["mx", "mz", "zz"], root.GetProperty("observables").EnumerateObject().Select(p => p.Name).ToArray());
        foreach (var o in root.GetProperty("observables").EnumerateObject())
        {
            foreach (var key in new[] { "eigenstate_values", "fluctuation", "diagonal_ensemble", "gibbs", "davies", "initial", "microcanonical", "deviation", "off_diagonal" })
                Assert.True(o.Value.TryGetProperty(key, out _), $"{o.Name}: missing key {key}");
            Assert.Equal(64, o.Value.GetProperty("eigenstate_values").GetArrayLength());
            Assert.Equal(40, o.Value.GetProperty("off_diagonal").GetProperty("mean_square").GetArrayLength());
        }
        // the Néel state 010101 lies below the infinite-temperature energy: a positive effective temperature
        Assert.Equal("positive", root.GetProperty("effective_regime").GetString());
        double t = root.GetProperty("effective_temperature").GetDouble();
        Assert.Equal(1 / root.GetProperty("effective_beta").GetDouble(), t, 12);
        Assert.Equal(-4.9, root.GetProperty("energy").GetDouble(), 10); // −5 bonds + 0.1 (ε Z0 on |0⟩) + h_z Σ Z_i = 0
        Assert.Equal(0, root.GetProperty("observables").GetProperty("mx").GetProperty("initial").GetDouble(), 12);
        Assert.Equal(-1, root.GetProperty("observables").GetProperty("zz").GetProperty("initial").GetDouble(), 12);
        Assert.Equal(1.0, root.GetProperty("temperatures").GetProperty("bath").GetDouble());
    }

    [Fact]
    public void OneModel_WithoutInitialState_HasNoInitialStateValues()
    {
        var r = CliRunner.Run("eth", Eth("integrable_n6.yaml"), "--observe", "mx", "--observe", "X0 X1", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("effective_temperature").ValueKind);
        Assert.False(root.TryGetProperty("effective_regime", out _));
        Assert.Equal(["mx", "X0 X1"], root.GetProperty("observables").EnumerateObject().Select(p => p.Name).ToArray());
        var mx = root.GetProperty("observables").GetProperty("mx");
        Assert.True(mx.TryGetProperty("fluctuation", out _));
        Assert.False(mx.TryGetProperty("diagonal_ensemble", out _));
        Assert.False(mx.TryGetProperty("davies", out _));
    }

    [Fact]
    public void SeveralModels_Json_ListTheModels_AndTheScaling()
    {
        var r = CliRunner.Run("eth", Eth("chaotic_n6.yaml"), Eth("chaotic_n8.yaml"), "--observe", "mx", "--initial", "01", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var models = doc.RootElement.GetProperty("models");
        Assert.Equal(2, models.GetArrayLength());
        Assert.Equal(64, models[0].GetProperty("dimension").GetInt32());
        Assert.Equal(256, models[1].GetProperty("energies").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, models[1].GetProperty("effective_temperature").ValueKind);
        var s = doc.RootElement.GetProperty("scaling").GetProperty("mx");
        Assert.Equal([6, 8], s.GetProperty("sites").EnumerateArray().Select(x => x.GetInt32()).ToArray());
        Assert.Equal([64, 256], s.GetProperty("dimensions").EnumerateArray().Select(x => x.GetInt32()).ToArray());
        var f = s.GetProperty("fluctuations").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(models[0].GetProperty("observables").GetProperty("mx").GetProperty("fluctuation").GetDouble(), f[0]);
        Assert.Equal(f[1] / f[0], s.GetProperty("ratio").GetDouble(), 12);
        Assert.Equal(-Math.Log(f[1] / f[0]) / Math.Log(4), s.GetProperty("exponent").GetDouble(), 12);
    }

    [Fact]
    public void Csv_HasOneRowPerEigenstate_OfEveryModel()
    {
        var r = CliRunner.Run("eth", Eth("integrable_n6.yaml"), Eth("integrable_n8.yaml"), "--csv");
        Assert.True(r.ExitCode == 0, r.Err);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("model,sites,n,energy,energy_per_site,mx,mx.microcanonical,zz,zz.microcanonical", lines[0]);
        Assert.Equal(1 + 64 + 256, lines.Length);
        var last = lines[^1].Split(',');
        Assert.Equal("8", last[1]);
        Assert.Equal("255", last[2]);
        Assert.Equal(double.Parse(last[3], System.Globalization.CultureInfo.InvariantCulture) / 8,
            double.Parse(last[4], System.Globalization.CultureInfo.InvariantCulture), 12);
    }

    [Fact]
    public void Text_ShowsTheFluctuation_TheInitialStateTable_AndTheScaling()
    {
        var r = CliRunner.Run("eth", Eth("chaotic_n6.yaml"), Eth("chaotic_n8.yaml"), "--initial", "01");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("Eigenstate thermalization", r.Out);
        Assert.Contains("fluctuation", r.Out);
        Assert.Contains("diagonal ensemble", r.Out);
        Assert.Contains("effective temperature T = ", r.Out);
        Assert.Contains("scaling of the fluctuation", r.Out);
        Assert.Equal("", r.Err);
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".svg")]
    public void Plot_IsWritten(string extension)
    {
        string path = Path.Combine(Path.GetTempPath(), "davies-eth-" + Guid.NewGuid().ToString("N") + extension);
        try
        {
            var r = CliRunner.Run("eth", Eth("chaotic_n6.yaml"), Eth("integrable_n6.yaml"), "--plot", path);
            Assert.True(r.ExitCode == 0, r.Err);
            Assert.True(new FileInfo(path).Length > 1000);
            if (extension == ".svg") Assert.Contains("<svg", File.ReadAllText(path));
        }
        finally { File.Delete(path); }
    }

    // ------------------------------------------------------------------ bad input: one line, exit 2

    [Fact]
    public void Observable_OfTheWrongDimension_ExitsWith2()
    {
        // Z7 exists on the 10-site chain but not on the 6-site one
        var r = CliRunner.Run("eth", Eth("chaotic_n6.yaml"), Eth("chaotic_n10.yaml"), "--observe", "Z7");
        AssertOneLineExit2(r, "chaotic_n6.yaml: --observe 'Z7'");
        Assert.Contains("the model has 6 sites", r.Err);
    }

    [Fact]
    public void NonHermitianObservable_ExitsWith2()
    {
        var r = CliRunner.Run("eth", Eth("chaotic_n6.yaml"), "--observe", "X0 Y0");
        AssertOneLineExit2(r, "observable 'X0 Y0' is not Hermitian");
    }

    [Fact]
    public void ModelTooLargeForADenseDiagonalisation_ExitsWith2()
    {
        var sites = string.Join(", ", Enumerable.Repeat(2, 15));
        var terms = string.Join(", ", Enumerable.Range(0, 15).Select(i => $"[1, \"Z{i}\"]"));
        var path = CliRunner.TempModel($$"""
            sites: [{{sites}}]
            hamiltonian: [{{terms}}]
            baths: [{name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 5}, couplings: ["X0"]}]
            """);
        try
        {
            // the small model first: the large one is refused before anything is diagonalised
            var r = CliRunner.Run("eth", Eth("chaotic_n6.yaml"), path, "--observe", "Z0");
            AssertOneLineExit2(r, "d = 32768 exceeds its limit of 16384");
            Assert.Contains(path + ": eth needs every eigenvector of H_S", r.Err);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("--window", "0")]
    [InlineData("--window", "1.5")]
    [InlineData("--bins", "0")]
    [InlineData("--plot", "out.pdf")]
    [InlineData("--initial", "012")]
    public void MalformedOption_ExitsWith2(string flag, string value)
    {
        var r = CliRunner.Run("eth", Eth("chaotic_n6.yaml"), flag, value);
        AssertOneLineExit2(r, flag == "--initial" ? "--initial '012' (repeated to 012012): site 2 has dimension 2" : flag);
    }

    [Fact]
    public void MalformedInitialState_IsRefused_BeforeAnyModelIsAnalysed()
    {
        // the 4-digit label fits the 8-site chain (repeated) but not the 6-site one, named in the message
        var r = CliRunner.Run("eth", Eth("chaotic_n8.yaml"), Eth("chaotic_n6.yaml"), "--initial", "0110");
        AssertOneLineExit2(r, "chaotic_n6.yaml: --initial '0110': a product-state label needs one digit per site (6 sites), got 4");
        AssertOneLineExit2(CliRunner.Run("eth", Eth("chaotic_n6.yaml"), "--initial", "level:64"), "level:K needs an eigenstate index K from 0 (ground) to 63");
        AssertOneLineExit2(CliRunner.Run("eth", Eth("chaotic_n6.yaml"), "--initial", "hot"), "--initial 'hot': not a state");
    }

    [Fact]
    public void JsonAndCsvTogether_ExitsWith2()
    {
        AssertOneLineExit2(CliRunner.Run("eth", Eth("chaotic_n6.yaml"), "--json", "--csv"), "--json and --csv");
    }

    [Fact]
    public void ModelWithoutObservables_AndNoObserve_ExitsWith2()
    {
        var path = CliRunner.TempModel("sites: [2, 2]\nhamiltonian: [[1, \"Z0 Z1\"], [0.9, \"X0\"], [0.9, \"X1\"]]\n" +
            "baths: [{name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 5}, couplings: [\"Z0\"]}]\n");
        try
        {
            AssertOneLineExit2(CliRunner.Run("eth", path), "the model defines no observables; name one with --observe OP");
            Assert.Equal(0, CliRunner.Run("eth", path, "--observe", "X0").ExitCode);
        }
        finally { File.Delete(path); }
    }
}
