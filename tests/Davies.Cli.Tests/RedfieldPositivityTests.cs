using System.Globalization;
using System.Text.Json;

namespace Davies.Cli.Tests;

/// <summary>
/// `min_eigenvalue` in `davies steady` and `davies evolve`: the shipped spin-boson example loses positivity under
/// Bloch–Redfield (a warning on stderr names the time, never in the JSON; --quiet silences it) and its Davies twin does
/// not; the steady state's value equals an independent diagonalisation of the density matrix the command returns.
/// </summary>
public class RedfieldPositivityTests
{
    private static string Redfield => Path.Combine(CliRunner.Examples, "spin_boson_redfield.yaml");

    private static string DaviesTwin => Path.Combine(CliRunner.Examples, "spin_boson_davies.yaml");

    // the positivity warnings (the validity report's lines, "davies: warning: validity: …", are about something else:
    // this strongly damped example fails its weak-coupling criteria on purpose)
    private static string[] Warnings(string err) =>
        err.Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith("davies: warning:", StringComparison.Ordinal) && !l.StartsWith("davies: warning: validity: ", StringComparison.Ordinal))
            .ToArray();

    [Fact]
    public void Evolve_RedfieldExample_HasANegativeEigenvalue_AndTheWarningNamesTheTime()
    {
        var r = CliRunner.Run("evolve", Redfield, "--initial", "0", "--times", "0:2:41", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out); // the warning does not break the JSON
        var root = doc.RootElement;
        double min = root.GetProperty("min_eigenvalue").GetDouble();
        double at = root.GetProperty("min_eigenvalue_time").GetDouble();
        var series = root.GetProperty("min_eigenvalues").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var times = root.GetProperty("times").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal("redfield-dense", root.GetProperty("method").GetString());
        Assert.True(min < -0.02, $"min_eigenvalue {min}");
        Assert.Equal(0.85, at, 12);
        Assert.Equal(times.Length, series.Length);
        Assert.Equal(min, series.Min());
        Assert.Equal(at, times[Array.IndexOf(series, series.Min())]);
        Assert.True(series[0] > -1e-12, "the pure initial state is a state");

        var warning = Assert.Single(Warnings(r.Err));
        Assert.Contains("spin_boson_redfield.yaml", warning);
        Assert.Contains("not positive at t = 0.85", warning);
        Assert.Contains(min.ToString("G4", CultureInfo.InvariantCulture), warning);
        Assert.Contains("secular: none", warning);
    }

    [Fact]
    public void Evolve_DaviesTwin_StaysPositive_WithoutWarning()
    {
        var r = CliRunner.Run("evolve", DaviesTwin, "--initial", "0", "--times", "0:2:41", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        var root = JsonDocument.Parse(r.Out).RootElement;
        Assert.NotEqual("redfield-dense", root.GetProperty("method").GetString());
        foreach (var x in root.GetProperty("min_eigenvalues").EnumerateArray())
            Assert.True(x.GetDouble() >= -1e-12, $"Davies ρ(t) eigenvalue {x.GetDouble()}");
        Assert.True(root.GetProperty("min_eigenvalue").GetDouble() >= -1e-12);
        Assert.Empty(Warnings(r.Err));
    }

    [Fact]
    public void TheDaviesTwin_IsTheSameModel_WithSecularPartial()
    {
        static string Model(string path) => string.Join('\n', File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith('#')));
        Assert.Equal(Model(Redfield).Replace("secular: none", "secular: partial"), Model(DaviesTwin));
    }

    [Fact]
    public void Evolve_Quiet_SilencesTheWarning_NotTheJson()
    {
        var r = CliRunner.Run("evolve", Redfield, "--initial", "0", "--times", "0:2:41", "--json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal("", r.Err);
        Assert.True(JsonDocument.Parse(r.Out).RootElement.GetProperty("min_eigenvalue").GetDouble() < -0.02);
    }

    [Fact]
    public void Evolve_Csv_KeepsItsColumns_AndStillWarns()
    {
        var r = CliRunner.Run("evolve", Redfield, "--initial", "0", "--times", "0:2:41", "--csv");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal("t,sz,sx,p0,p1", r.Out.Split('\n')[0].Trim());
        Assert.Contains("not positive at t = 0.85", Assert.Single(Warnings(r.Err)));
    }

    [Fact]
    public void Evolve_TextSummary_ShowsTheSmallestEigenvalue()
    {
        var redfield = CliRunner.Run("evolve", Redfield, "--initial", "0", "--times", "0:2:41");
        Assert.True(redfield.ExitCode == 0, redfield.Err);
        Assert.Matches(@"smallest eigenvalue of ρ\(t\): -0\.0215\d* at t = 0\.85 \(NOT positive at \d+ of 41 times\)", System.Text.RegularExpressions.Regex.Replace(redfield.Out, @"\s+", " "));
        var davies = CliRunner.Run("evolve", DaviesTwin, "--initial", "0", "--times", "0:2:41");
        Assert.True(davies.ExitCode == 0, davies.Err);
        Assert.Contains("(a state at every time)", System.Text.RegularExpressions.Regex.Replace(davies.Out, @"\s+", " "));
    }

    [Fact]
    public void Steady_Redfield_MinEigenvalue_EqualsAnIndependentDiagonalisation_AndWarns()
    {
        // with the Lamb shift on, the spin-boson example's Bloch–Redfield steady state itself is not positive
        string path = CliRunner.TempModel(File.ReadAllText(Redfield).Replace("lamb_shift: false", "lamb_shift: true"));
        try
        {
            var r = CliRunner.Run("steady", path, "--json", "--density-matrix");
            Assert.True(r.ExitCode == 0, r.Err);
            var root = JsonDocument.Parse(r.Out).RootElement;
            var rows = root.GetProperty("density_matrix").EnumerateArray().Select(row => row.EnumerateArray()
                .Select(z => new Complex(z[0].GetDouble(), z[1].GetDouble())).ToArray()).ToArray();
            var rho = Matrix<Complex>.Build.DenseOfRowArrays(rows);
            double independent = (0.5 * (rho + rho.ConjugateTranspose())).Evd(Symmetricity.Hermitian).EigenValues.Min(z => z.Real);
            double reported = root.GetProperty("min_eigenvalue").GetDouble();
            Assert.Equal(independent, reported, 12);
            Assert.True(reported < -0.1, $"min_eigenvalue {reported}");
            var warning = Assert.Single(Warnings(r.Err));
            Assert.Contains("the steady state is not positive", warning);

            var quiet = CliRunner.Run("steady", path, "--json", "--quiet");
            Assert.Equal("", quiet.Err);
            var text = CliRunner.Run("steady", path, "--quiet");
            Assert.Contains("NOT positive", System.Text.RegularExpressions.Regex.Replace(text.Out, @"\s+", " "));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Steady_Davies_ReportsANonNegativeMinEigenvalue()
    {
        var r = CliRunner.Run("steady", DaviesTwin, "--json", "--density-matrix");
        Assert.True(r.ExitCode == 0, r.Err);
        var root = JsonDocument.Parse(r.Out).RootElement;
        var rows = root.GetProperty("density_matrix").EnumerateArray().Select(row => row.EnumerateArray()
            .Select(z => new Complex(z[0].GetDouble(), z[1].GetDouble())).ToArray()).ToArray();
        var rho = Matrix<Complex>.Build.DenseOfRowArrays(rows);
        double independent = rho.Evd(Symmetricity.Hermitian).EigenValues.Min(z => z.Real);
        Assert.Equal(independent, root.GetProperty("min_eigenvalue").GetDouble(), 12);
        Assert.True(independent > 0);
        Assert.Empty(Warnings(r.Err));
    }

    [Theory]
    [InlineData(4)] // d = 16: checked
    [InlineData(5)] // d = 32 > 16: Davies keeps ρ(t) positive by construction; not checked, null
    public void Evolve_Davies_IsCheckedUpToTheCap_NullBeyond(int qubits)
    {
        var fields = string.Join(", ", Enumerable.Range(0, qubits).Select(i => $"[{(0.5 + 0.1 * i).ToString(CultureInfo.InvariantCulture)}, \"Z{i}\"]"));
        string path = CliRunner.TempModel(
            $"sites: [{string.Join(", ", Enumerable.Repeat(2, qubits))}]\n" +
            $"hamiltonian: [{fields}, [0.1, \"X0 X1\"]]\n" +
            "baths:\n  - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.05, cutoff: 5}, couplings: [\"X0\"]}\n");
        try
        {
            var r = CliRunner.Run("evolve", path, "--initial", new string('0', qubits), "--times", "0,1", "--json");
            Assert.True(r.ExitCode == 0, r.Err);
            var root = JsonDocument.Parse(r.Out).RootElement;
            Assert.Equal(1 << qubits, root.GetProperty("energies").GetArrayLength());
            bool checkedHere = (1 << qubits) <= EvolveCommand.DaviesPositivityCap;
            if (checkedHere)
            {
                Assert.True(root.GetProperty("min_eigenvalue").GetDouble() >= -1e-12);
                Assert.Equal(2, root.GetProperty("min_eigenvalues").GetArrayLength());
                Assert.Equal(JsonValueKind.Number, root.GetProperty("min_eigenvalue_time").ValueKind);
            }
            else
                foreach (var key in new[] { "min_eigenvalue", "min_eigenvalue_time", "min_eigenvalues" })
                    Assert.Equal(JsonValueKind.Null, root.GetProperty(key).ValueKind);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Help_DocumentsTheKeys()
    {
        var evolve = CliRunner.Run("evolve", "--help").Out;
        foreach (var key in new[] { "min_eigenvalue", "min_eigenvalue_time", "min_eigenvalues", "secular: none" })
            Assert.Contains(key, evolve);
        Assert.Contains("min_eigenvalue", CliRunner.Run("steady", "--help").Out);
    }
}
