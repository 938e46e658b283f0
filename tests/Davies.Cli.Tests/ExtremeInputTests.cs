using System.Text.Json;
using Davies.Models;

namespace Davies.Cli.Tests;

/// <summary>
/// Extreme but finite numbers and other edge inputs, end to end: exit 2 with one line that names the file, the
/// field, the line and the valid range (the message of the library's typed exception), or exit 0 with finite results.
/// </summary>
public class ExtremeInputTests
{
    private static string Qubit(string hamiltonian = "[[0.5, \"Z0\"]]", string temperature = "temperature: 1",
        string spectrum = "{type: ohmic, eta: 0.01, cutoff: 5}", string coupling = "\"X0\"", string extra = "") =>
        $"sites: [2]\nhamiltonian: {hamiltonian}\nbaths:\n  - name: b\n    {temperature}\n    spectrum: {spectrum}\n    couplings: [{coupling}]\n{extra}";

    /// <summary>`davies steady FILE` exits 2 with exactly the library's message; returns that line.</summary>
    private static string BadModel(string yaml, params string[] mustContain)
    {
        var path = CliRunner.TempModel(yaml);
        try
        {
            var r = CliRunner.Run("steady", path);
            Assert.Equal(2, r.ExitCode);
            Assert.Equal("", r.Out);
            var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{r.Err}");
            Assert.DoesNotContain("Exception", r.Err);
            var ex = Assert.ThrowsAny<DaviesException>(() => Davies.Solvers.SteadyState.Solve(ModelFile.Load(path)));
            Assert.Equal("davies: error: " + ex.Message, lines[0].TrimEnd('\r'));
            Assert.StartsWith("davies: error: " + path + ": ", lines[0]);
            foreach (var s in mustContain) Assert.Contains(s, lines[0]);
            return lines[0];
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("hamiltonian", "[[1e-320, \"Z0\"]]", "hamiltonian (line 2)", "1e-30 ≤ max|H_ij| ≤ 1e30")]
    [InlineData("hamiltonian", "[[1e308, \"Z0\"]]", "hamiltonian[0][0] (line 2)", "|c| ≤ 1e30")]
    [InlineData("temperature", "beta: 1e-320", "baths[0].beta (line 5)", "1e-30 ≤ β ≤ 1e30")]
    [InlineData("temperature", "temperature: 1e308", "baths[0].temperature (line 5)", "1e-30 ≤ T ≤ 1e30")]
    [InlineData("spectrum", "{type: ohmic, eta: 1e308, cutoff: 5}", "baths[0].spectrum.eta (line 6)", "1e-30 ≤ eta ≤ 1e30")]
    [InlineData("spectrum", "{type: ohmic, eta: 0.01, cutoff: 5, exponent: 300}", "baths[0].spectrum.exponent (line 6)", "0.01 ≤ s ≤ 20")]
    [InlineData("spectrum", "{type: tabulated, points: [[1, 0.1]]}", "baths[0].spectrum.points (line 6)", "at least two points")]
    [InlineData("extra", "options: {tolerance: 1e300}", "options.tolerance (line 8)", "0 < tolerance ≤ 1e30")]
    [InlineData("hamiltonian", "\"Z99999999999999999999\"", "hamiltonian (line 2)", "site 99999999999999999999 in token")]
    public void ExtremeNumber_Exit2_WithTheRange(string field, string value, string where, string range)
    {
        string yaml = field switch
        {
            "hamiltonian" => Qubit(hamiltonian: value),
            "temperature" => Qubit(temperature: value),
            "spectrum" => Qubit(spectrum: value),
            _ => Qubit(extra: value + "\n"),
        };
        BadModel(yaml, where, range);
    }

    [Fact]
    public void TableEndingWithAJump_Exit2_NamingTheSpectrum() =>
        BadModel(Qubit(spectrum: "{type: tabulated, points: [[0.5, 0.1], [1, 0.1]]}"), "baths[0].spectrum (bath 'b')", "end the table with J = 0");

    [Theory]
    [InlineData("[[1e30, \"Z0\"]]", "temperature: 1e-30", "{type: ohmic, eta: 1e30, cutoff: 1e-30, exponent: 20}")]
    [InlineData("[[1e-30, \"Z0\"]]", "temperature: 1e30", "{type: ohmic, eta: 1e30, cutoff: 1e30, exponent: 0.01}")]
    [InlineData("[[1, \"Z0\"]]", "temperature: 1", "{type: ohmic, eta: 0.05, cutoff: 5, exponent: 0.01}")]
    [InlineData("[[1e30, \"Z0\"]]", "beta: 1e-30", "{type: drude, lambda: 1e30, gamma: 1e30}")]
    public void ExtremeButValidNumbers_Exit0_WithFiniteResults(string hamiltonian, string temperature, string spectrum)
    {
        var path = CliRunner.TempModel(Qubit(hamiltonian: hamiltonian, temperature: temperature, spectrum: spectrum));
        try
        {
            var r = CliRunner.Run("steady", path, "--json");
            Assert.True(r.ExitCode == 0, r.Err);
            using var doc = JsonDocument.Parse(r.Out);
            foreach (var key in new[] { "energies", "shifted_energies" })
                foreach (var e in doc.RootElement.GetProperty(key).EnumerateArray())
                    Assert.Equal(JsonValueKind.Number, e.ValueKind);
            Assert.Equal(JsonValueKind.Number, doc.RootElement.GetProperty("residual").ValueKind);
            var spectrumRun = CliRunner.Run("spectrum", path, "--json");
            Assert.True(spectrumRun.ExitCode == 0, spectrumRun.Err);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("000001", "[2]")]
    [InlineData("01", "[2]")]
    [InlineData("012", "[12]")]
    public void ProductLabel_OnASingleSite_MustBeOneLevel(string label, string sites)
    {
        var path = CliRunner.TempModel($"sites: {sites}\nhamiltonian: \"n0\"\nbaths:\n  - {{name: b, temperature: 1, spectrum: {{type: ohmic, eta: 0.01, cutoff: 5}}, couplings: [[[1, \"a0\"], [1, \"ad0\"]]]}}\n");
        try
        {
            var r = CliRunner.Run("evolve", path, "--initial", label, "--times", "0,1", "--observe", "n0");
            Assert.Equal(2, r.ExitCode);
            var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, r.Err);
            Assert.StartsWith($"davies: error: --initial '{label}': the model has one site", lines[0]);
            // A level number without leading zeros still works on a single site (e.g. 11 of 12 levels).
            var ok = CliRunner.Run("evolve", path, "--initial", sites == "[12]" ? "11" : "1", "--times", "0", "--observe", "n0", "--json");
            Assert.True(ok.ExitCode == 0, ok.Err);
            using var doc = JsonDocument.Parse(ok.Out);
            Assert.Equal(sites == "[12]" ? 11.0 : 1.0, doc.RootElement.GetProperty("expectations").GetProperty("n0")[0].GetDouble(), 12);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ToleranceThatMergesLevels_WarnsOnStderr_InEveryCommand()
    {
        // E = −1.2, −0.2, 0.2, 1.2 and τ = 0.5: the middle two merge, the Gibbs distance is then not ~0.
        var path = CliRunner.TempModel("""
            sites: [2, 2]
            hamiltonian: [[0.5, "Z0"], [0.7, "Z1"]]
            baths:
              - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 5}, couplings: ["X0", "X1"]}
            options: {tolerance: 0.5}
            """);
        try
        {
            string expected = $"davies: warning: {path}: options.tolerance: the degeneracy tolerance 0.5 merges eigenvalues up to 0.4 apart";
            foreach (var args in new[]
                     {
                         new[] { "steady", path, "--json" }, new[] { "steady", path }, new[] { "spectrum", path, "--json" },
                         new[] { "evolve", path, "--initial", "00", "--times", "0,1", "--json" },
                     })
            {
                var r = CliRunner.Run(args);
                Assert.True(r.ExitCode == 0, r.Err);
                // (validity warnings of this η = 0.01 model are not the subject here)
                var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith("davies: warning: validity: ", StringComparison.Ordinal));
                Assert.StartsWith(expected, line);
                Assert.Contains("level 1 = eigenvalues 1–2", line);
                var quiet = CliRunner.Run([.. args, "--quiet"]);
                Assert.True(quiet.ExitCode == 0, quiet.Err);
                Assert.Equal("", quiet.Err);
            }
            // Without the option: no warning.
            var plain = CliRunner.TempModel(File.ReadAllText(path).Replace("options: {tolerance: 0.5}", ""));
            try { Assert.DoesNotContain("tolerance", CliRunner.Run("steady", plain, "--json").Err); }
            finally { File.Delete(plain); }
        }
        finally { File.Delete(path); }
    }
}
