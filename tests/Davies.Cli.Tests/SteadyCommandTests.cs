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

    [Fact]
    public void SteadyHelp_DocumentsEveryJsonKeyAndTheExitCodes()
    {
        var help = CliRunner.Run("steady", "--help");
        Assert.Equal(0, help.ExitCode);
        var r = CliRunner.Run("steady", Path.Combine(CliRunner.Examples, "qubit.yaml"), "--json", "--density-matrix", "--observe", "sz");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        foreach (var key in doc.RootElement.EnumerateObject().Select(p => p.Name))
            Assert.True(help.Out.Contains(key, StringComparison.Ordinal), $"steady --help does not mention the JSON key '{key}'");
        Assert.Contains("--observe <OP>", help.Out);
        Assert.Contains("2 bad input", help.Out);
        Assert.Contains("2 bad input", CliRunner.Run("--help").Out);
    }

    [Fact]
    public void WithoutLambShift_ShiftedEnergiesEqualEnergies()
    {
        var path = CliRunner.TempModel("""
            sites: [2, 2]
            hamiltonian: [[0.5, "Z0"], [0.7, "Z1"], [0.1, "X0 X1"]]
            baths:
              - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.05, cutoff: 5}, couplings: ["X0", "X1"]}
            options: {lamb_shift: false}
            """);
        var r = CliRunner.Run("steady", path, "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var e = doc.RootElement.GetProperty("energies").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var shifted = doc.RootElement.GetProperty("shifted_energies").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(4, e.Length);
        Assert.True(e.Zip(e.Skip(1)).All(p => p.First <= p.Second), "energies ascending");
        Assert.Equal(e, shifted);
        // with the Lamb shift (the default) they differ
        var on = CliRunner.Run("steady", CliRunner.TempModel(File.ReadAllText(path).Replace("options: {lamb_shift: false}", "")), "--json");
        Assert.True(on.ExitCode == 0, on.Err);
        using var doc2 = JsonDocument.Parse(on.Out);
        Assert.NotEqual(e, doc2.RootElement.GetProperty("shifted_energies").EnumerateArray().Select(x => x.GetDouble()).ToArray());
    }

    [Fact]
    public void DensityMatrix_IsInTheSiteBasis_AndReproducesTheExpectations()
    {
        // The exchange term mixes |01⟩ and |10⟩, so the eigenbasis differs from the site basis and ⟨X0 X1⟩ ≠ 0
        // comes only from off-diagonal site-basis entries of ρ_ss.
        var path = Path.Combine(CliRunner.Examples, "two_qubit_engine.yaml");
        string[] ops = ["X0 X1", "current", "Z0", "Y0 Y1"];
        var r = CliRunner.Run(["steady", path, "--json", "--density-matrix", .. ops.SelectMany(o => new[] { "--observe", o })]);
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var rows = doc.RootElement.GetProperty("density_matrix");
        int d = doc.RootElement.GetProperty("dimension").GetInt32();
        Assert.Equal(d, rows.GetArrayLength());
        var rho = Matrix<Complex>.Build.Dense(d, d, (i, j) => new Complex(rows[i][j][0].GetDouble(), rows[i][j][1].GetDouble()));
        Assert.Equal(1.0, rho.Trace().Real, 12);
        Assert.True((rho - rho.ConjugateTranspose()).FrobeniusNorm() < 1e-12, "Hermitian");
        var model = Davies.Models.ModelFile.Load(path);
        var expectations = doc.RootElement.GetProperty("expectations");
        foreach (var o in ops)
        {
            var op = model.Observables.TryGetValue(o, out var named) ? named : Davies.Operators.OperatorParser.Parse(o, model.Space);
            double fromMatrix = (rho * op).Trace().Real;
            Assert.Equal(expectations.GetProperty(o).GetDouble(), fromMatrix, 10);
        }
        Assert.True(Math.Abs(expectations.GetProperty("X0 X1").GetDouble()) > 1e-4, "the test needs site-basis coherences");
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
        Assert.DoesNotContain("Exception", r.Err);
        Assert.StartsWith("davies: error:", r.Err);
        foreach (var s in mustContain) Assert.Contains(s, r.Err, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A bad model file, end to end: `davies steady FILE` exits with 2 and prints exactly one line, "davies: error: "
    /// followed by the message of the typed exception <typeparamref name="T"/> that the library (load, then solve)
    /// throws for the same file; the message names the problem and where it is (<paramref name="mustContain"/>).
    /// </summary>
    private static void AssertBadModel<T>(string path, params string[] mustContain) where T : DaviesException
    {
        var r = CliRunner.Run("steady", path);
        AssertBadInput(r, mustContain);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{r.Err}");
        var ex = Assert.Throws<T>(() => Davies.Solvers.SteadyState.Solve(Davies.Models.ModelFile.Load(path)));
        Assert.Equal("davies: error: " + ex.Message, lines[0].TrimEnd('\r'));
    }

    private static CliRun Steady(string yaml, string ext = ".yaml") => CliRunner.Run("steady", CliRunner.TempModel(yaml, ext));

    private static void BadModel<T>(string text, string ext, params string[] mustContain) where T : DaviesException
    {
        var path = CliRunner.TempModel(text, ext);
        try { AssertBadModel<T>(path, [path, .. mustContain]); }
        finally { File.Delete(path); }
    }

    private static void BadYaml<T>(string yaml, params string[] mustContain) where T : DaviesException => BadModel<T>(yaml, ".yaml", mustContain);

    [Fact]
    public void NonHermitianHamiltonian() =>
        BadYaml<ModelException>("hamiltonian: {matrix: [[1, 2], [0, -1]]}\n" + Bath, "hamiltonian (line 1)", "not Hermitian");

    [Fact]
    public void NegativeTemperature() =>
        BadYaml<ModelException>("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath.Replace("temperature: 1", "temperature: -1"), "baths[0].temperature (line 5)", "negative temperature");

    [Fact]
    public void SiteIndexOutOfRange() =>
        BadYaml<ModelException>("sites: [2]\nhamiltonian: \"Z3\"\n" + Bath, "hamiltonian (line 2)", "'Z3'", "out of range");

    [Fact]
    public void SiteIndexOutOfRange_InACoupling() =>
        BadYaml<ModelException>("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath.Replace("[\"X0\"]", "[\"X1\"]"), "baths[0].couplings[0] (line 7)", "'X1'", "out of range");

    [Fact]
    public void UnknownToken() =>
        BadYaml<ModelException>("sites: [2]\nhamiltonian: \"Q0\"\n" + Bath, "hamiltonian (line 2)", "unknown token 'Q0'");

    [Fact]
    public void UnknownSpectrumType() =>
        BadYaml<ModelFileException>("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath.Replace("type: ohmic", "type: lorentzian"), "baths[0].spectrum.type (line 6)", "unknown spectrum type 'lorentzian'");

    [Fact]
    public void CouplingOfWrongDimension() =>
        BadYaml<ModelException>("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath.Replace("[\"X0\"]", "[{matrix: [[1,0,0],[0,1,0],[0,0,1]]}]"), "baths[0].couplings[0] (line 7)", "dimension");

    [Fact]
    public void NaNEntry() =>
        BadYaml<ModelFileException>("hamiltonian: {matrix: [[.nan, 0], [0, 1]]}\n" + Bath, "hamiltonian.matrix[0][0] (line 1)", "not a finite number");

    [Fact]
    public void InfiniteEntry() =>
        BadYaml<ModelFileException>("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath.Replace("eta: 0.01", "eta: .inf"), "baths[0].spectrum.eta (line 6)", "not a finite number");

    [Fact]
    public void InfiniteEntryInJson() =>
        BadModel<ModelFileException>("""{"hamiltonian": {"matrix": [[1e400, 0], [0, 1]]}, "baths": [{"name": "b", "temperature": 1, "spectrum": {"type": "ohmic", "eta": 0.01, "cutoff": 5}, "couplings": [{"matrix": [[0,1],[1,0]]}]}]}""", ".json", "hamiltonian.matrix[0][0] (line 1)", "not a finite number");

    [Fact]
    public void NaNStringInJson() =>
        BadModel<ModelFileException>("""{"sites": [2], "hamiltonian": [["NaN", "Z0"]], "baths": [{"name": "b", "temperature": 1, "spectrum": {"type": "ohmic", "eta": 0.01, "cutoff": 5}, "couplings": ["X0"]}]}""", ".json", "hamiltonian[0][0] (line 1)", "not a finite number");

    [Fact]
    public void NegativeSpectralDensity() =>
        BadYaml<ModelException>("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath.Replace("{type: ohmic, eta: 0.01, cutoff: 5}", "{type: tabulated, points: [[0.5, 0.1], [1, -0.2]]}"), "baths[0].spectrum.points[1][1] (line 6)", "negative spectral density");

    [Fact]
    public void DuplicateBathNames() =>
        BadYaml<ModelException>("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath + "\n" + Bath.Replace("baths:\n", ""), "baths[1].name (line 8)", "duplicate bath name 'b'");

    [Fact]
    public void NoBaths() =>
        BadYaml<ModelException>("sites: [2]\nhamiltonian: \"Z0\"\nbaths: []\n", "baths (line 3)", "no baths");

    [Fact]
    public void MissingBathsKey() =>
        BadYaml<ModelFileException>("sites: [2]\nhamiltonian: \"Z0\"\n", "baths (line 1)", "missing required key 'baths'");

    [Fact]
    public void MalformedFile() =>
        BadYaml<ModelFileException>("sites: [2\nhamiltonian: : \"Z0\"\n", "line 2", "malformed YAML");

    [Fact]
    public void MalformedJson() =>
        BadModel<ModelFileException>("{\"sites\": [2,}", ".json", "line 1, column", "malformed JSON");

    [Fact]
    public void EmptyFile() =>
        BadYaml<ModelFileException>("", "the file is empty");

    [Fact]
    public void EmptyJsonFile() =>
        BadModel<ModelFileException>("  \n", ".json", "the file is empty");

    [Fact]
    public void MissingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "davies-no-such-model-" + Guid.NewGuid().ToString("N") + ".yaml");
        AssertBadModel<ModelFileException>(path, path, "file not found");
    }

    [Fact]
    public void MissingFile_InAMissingDirectory() =>
        AssertBadModel<ModelFileException>("/nonexistent/model.yaml", "/nonexistent/model.yaml", "file not found");

    [Fact]
    public void UnsupportedExtension() =>
        BadModel<ModelFileException>("sites: [2]\n", ".txt", "'.txt'");

    [Fact]
    public void SubOhmicBath_WhenAZeroFrequencyRateIsNeeded() =>
        // H = X0 commutes with the coupling X0: the coupling is pure dephasing (ω = 0), and G(0) diverges for s < 1.
        AssertBadModel<DivergentRateException>(
            CliRunner.TempModel("sites: [2]\nhamiltonian: \"X0\"\n" + Bath.Replace("cutoff: 5}", "cutoff: 5, exponent: 0.5}")),
            "baths[0].couplings[0] ('X0' of bath 'b')", "sub-Ohmic", "ω = 0");

    [Fact]
    public void SubOhmicBath_WithoutZeroFrequencyPart_Runs()
    {
        // The same bath on H = Z0: the coupling X0 has no ω = 0 part, so G(0) is never needed.
        var r = Steady("sites: [2]\nhamiltonian: \"Z0\"\n" + Bath.Replace("cutoff: 5}", "cutoff: 5, exponent: 0.5}"));
        Assert.True(r.ExitCode == 0, r.Err);
    }

    [Fact]
    public void UnknownFlag() => AssertBadInput(CliRunner.Run("steady", Path.Combine(CliRunner.Examples, "qubit.yaml"), "--bogus"), "--bogus");

    [Fact]
    public void UnknownObservable() =>
        AssertBadInput(CliRunner.Run("steady", Path.Combine(CliRunner.Examples, "qubit.yaml"), "--observe", "W7"), "W7");

    [Fact]
    public void MissingModelArgument() => AssertBadInput(CliRunner.Run("steady"), "required argument missing", "'steady'");
}
