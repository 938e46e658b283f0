using System.Globalization;
using System.Text.Json;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Cli.Tests;

/// <summary>`evolve` populations: the table says which it shows, CSV lists them, the backend build only with --verbose.</summary>
public class PopulationOutputTests
{
    private static string Ising => Path.Combine(CliRunner.Examples, "ising_chain.yaml");

    [Fact]
    public void Text_SaysWhichPopulationsAreShown()
    {
        var r = CliRunner.Run("evolve", Ising, "--initial", "0000", "--times", "0,1");
        Assert.True(r.ExitCode == 0, r.Err);
        string flat = System.Text.RegularExpressions.Regex.Replace(r.Out, @"\s+", " ");
        Assert.Contains("shown p0–p3 of 16, p4–p15 omitted", flat);
        var q = CliRunner.Run("evolve", Path.Combine(CliRunner.Examples, "qubit.yaml"), "--initial", "0", "--times", "0,1");
        Assert.Contains("all 2 shown", System.Text.RegularExpressions.Regex.Replace(q.Out, @"\s+", " "));
    }

    [Fact]
    public void Csv_ListsAllPopulations_AndMatchesJson()
    {
        string noObservables = CliRunner.TempModel("sites: [2]\nhamiltonian: [[0.5, Z0]]\nbaths:\n  - {name: b, temperature: 0.5, spectrum: {type: glauber, rate: 0.2}, couplings: [X0]}\n");
        try
        {
            var r = CliRunner.Run("evolve", noObservables, "--initial", "level:1", "--times", "0,1", "--csv");
            Assert.True(r.ExitCode == 0, r.Err);
            var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
            Assert.Equal("t,p0,p1", lines[0]);
            // t = 0: the populations of level 1 (to rounding: the managed eigensolver gives 0.9999999999999999)
            var first = lines[1].Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(3, first.Length);
            Assert.Equal(0, first[0]);
            Assert.Equal(0, first[1], 12);
            Assert.Equal(1, first[2], 12);
        }
        finally { File.Delete(noObservables); }

        string[] head = ["evolve", Ising, "--initial", "0110", "--times", "0,2"];
        var csv = CliRunner.Run([.. head, "--csv"]);
        var json = JsonDocument.Parse(CliRunner.Run([.. head, "--json"]).Out).RootElement;
        var rows = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("t,mx,zz_bulk," + string.Join(",", Enumerable.Range(0, 16).Select(k => $"p{k}")), rows[0]);
        for (int i = 0; i < 2; i++)
        {
            var cells = rows[i + 1].Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            var p = json.GetProperty("populations")[i].EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.Equal(p, cells[3..]);
        }
    }

    [Fact]
    public void Csv_CapsPopulationsAt64_WithANotice()
    {
        // 7 qubits, d = 128 > 64
        string path = CliRunner.TempModel(
            "sites: [2, 2, 2, 2, 2, 2, 2]\nhamiltonian: [[0.5, Z0], [0.61, Z1], [0.73, Z2], [0.87, Z3], [1.01, Z4], [1.19, Z5], [1.37, Z6]]\n" +
            "baths:\n  - {name: b, temperature: 1, spectrum: {type: glauber, rate: 0.2}, couplings: [X0, X1, X2, X3, X4, X5, X6]}\n");
        try
        {
            var r = CliRunner.Run("evolve", path, "--initial", "0000000", "--times", "0,1", "--csv");
            Assert.True(r.ExitCode == 0, r.Err);
            var header = r.Out.Split('\n')[0].TrimEnd('\r').Split(',');
            Assert.Equal(new[] { "t" }.Concat(Enumerable.Range(0, 64).Select(k => $"p{k}")).ToArray(), header);
            Assert.Contains("p0…p63 of the 64 lowest of 128 levels", r.Err);
            Assert.Equal("", CliRunner.Run("evolve", path, "--initial", "0000000", "--times", "0,1", "--csv", "-q").Err);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void BackendBuild_OnlyWithVerbose_JsonKeyKept()
    {
        string qubit = Path.Combine(CliRunner.Examples, "qubit.yaml");
        string backend = Davies.LinearAlgebra.LinearAlgebraProvider.Current.Name;
        static string Flat(string s) => System.Text.RegularExpressions.Regex.Replace(s, @"\s+", " ");
        foreach (var args in new[] { new[] { "steady", qubit }, ["evolve", qubit, "--initial", "0", "--times", "0,1"], ["spectrum", qubit] })
        {
            var plain = CliRunner.Run(args);
            Assert.True(plain.ExitCode == 0, plain.Err);
            Assert.DoesNotContain("backend", plain.Out);
            var verbose = CliRunner.Run([.. args, "--verbose"]);
            Assert.True(verbose.ExitCode == 0, verbose.Err);
            Assert.Contains("backend " + Flat(backend), Flat(verbose.Out));
        }
        var json = CliRunner.Run("steady", qubit, "--json");
        Assert.Equal(backend, JsonDocument.Parse(json.Out).RootElement.GetProperty("backend").GetString());
    }
}
