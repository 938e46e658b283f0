using Davies.Diagnostics;
using Davies.Models;
using Davies.Spectral;

namespace Davies.Tests.Diagnostics;

/// <summary><see cref="ToleranceCheck"/>: a degeneracy tolerance that merges distinct levels is detected and named.</summary>
public class ToleranceWarningTests
{
    private static EigenBasis Basis(string yaml) =>
        EnergyBasisModel.Build(ModelFile.Parse(yaml, ModelFileFormat.Yaml, "tol.yaml")).Basis;

    private static string TwoQubits(string options) => $$"""
        sites: [2, 2]
        hamiltonian: [[0.5, "Z0"], [0.7, "Z1"]]
        baths:
          - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 5}, couplings: ["X0", "X1"]}
        {{options}}
        """;

    [Fact]
    public void ATolerance_ThatMergesTwoLevels_IsNamed()
    {
        // E = −1.2, −0.2, 0.2, 1.2: τ = 0.5 merges −0.2 and 0.2.
        var w = ToleranceCheck.Check(Basis(TwoQubits("options: {tolerance: 0.5}")), "tol.yaml: options.tolerance");
        Assert.NotNull(w);
        var level = Assert.Single(w.Levels);
        Assert.Equal(new MergedLevel(1, 1, 2, -0.2, 0.2), level with { Lowest = Math.Round(level.Lowest, 12), Highest = Math.Round(level.Highest, 12) });
        Assert.Equal(2.4, w.SpectralWidth, 12);
        Assert.Equal(0.5, w.Tolerance);
        Assert.Equal("tol.yaml: options.tolerance: the degeneracy tolerance 0.5 merges eigenvalues up to 0.4 apart (0.1667 of the spectral width 2.4) " +
                     "into one level: level 1 = eigenvalues 1–2 (E from -0.2 to 0.2); the results treat them as degenerate (use a tolerance below the smallest physical splitting)", w.Message);
    }

    [Fact]
    public void AHugeTolerance_MergesEverything()
    {
        var w = ToleranceCheck.Check(Basis(TwoQubits("options: {tolerance: 1e30}")));
        Assert.NotNull(w);
        Assert.Equal(new MergedLevel(0, 0, 4, -1.2, 1.2), Assert.Single(w.Levels) with { Lowest = -1.2, Highest = 1.2 });
        Assert.StartsWith("the degeneracy tolerance 1E+30 merges eigenvalues up to 2.4 apart (1 of the spectral width 2.4)", w.Message);
    }

    [Fact]
    public void ManyMergedLevels_NameThreeAndCountTheRest()
    {
        // Twelve levels in six close pairs (0.1 apart, pairs 10 apart); τ = 0.2 merges each pair.
        string yaml = """
            sites: [12]
            hamiltonian: {matrix: [[0,0,0,0,0,0,0,0,0,0,0,0],[0,0.1,0,0,0,0,0,0,0,0,0,0],[0,0,10,0,0,0,0,0,0,0,0,0],[0,0,0,10.1,0,0,0,0,0,0,0,0],[0,0,0,0,20,0,0,0,0,0,0,0],[0,0,0,0,0,20.1,0,0,0,0,0,0],[0,0,0,0,0,0,30,0,0,0,0,0],[0,0,0,0,0,0,0,30.1,0,0,0,0],[0,0,0,0,0,0,0,0,40,0,0,0],[0,0,0,0,0,0,0,0,0,40.1,0,0],[0,0,0,0,0,0,0,0,0,0,50,0],[0,0,0,0,0,0,0,0,0,0,0,50.1]]}
            baths:
              - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 5}, couplings: ["a0 ad0"]}
            options: {tolerance: 0.2}
            """.Replace("\"a0 ad0\"", "{matrix: " + Identity12() + "}").Replace("sites: [12]\n", "");
        var w = ToleranceCheck.Check(Basis(yaml));
        Assert.NotNull(w);
        Assert.Equal(6, w.Levels.Count);
        Assert.Contains("level 2 = eigenvalues 4–5", w.Message);
        Assert.DoesNotContain("level 3 =", w.Message);
        Assert.Contains("and 3 more levels", w.Message);
    }

    private static string Identity12() =>
        "[" + string.Join(",", Enumerable.Range(0, 12).Select(i => "[" + string.Join(",", Enumerable.Range(0, 12).Select(j => i == j ? "1" : "0")) + "]")) + "]";

    [Fact]
    public void ExactDegeneracies_AndTheDefaultTolerance_AreNotWarnedAbout()
    {
        foreach (var file in Directory.GetFiles(Models.ModelFileTests.ExamplesDirectory()).Where(f => f.EndsWith(".yaml") || f.EndsWith(".json")))
            Assert.Null(ToleranceCheck.Check(EnergyBasisModel.Build(ModelFile.Load(file)).Basis));
        Assert.Null(ToleranceCheck.Check(Basis(TwoQubits(""))));
    }

    [Fact]
    public void ASpreadBelowTheLimit_IsNotWarnedAbout()
    {
        // Splitting 2e-7 of a width ≈ 2.4 (below 1e-6 of it), merged by τ = 1e-3: fine.
        string yaml = TwoQubits("options: {tolerance: 1e-3}").Replace("[0.7, \"Z1\"]", "[0.5000001, \"Z1\"]");
        var basis = Basis(yaml);
        Assert.Equal(3, basis.Levels.Count);
        Assert.Null(ToleranceCheck.Check(basis));
        // … and a splitting of 1e-5 of the width is.
        Assert.NotNull(ToleranceCheck.Check(Basis(TwoQubits("options: {tolerance: 1e-3}").Replace("[0.7, \"Z1\"]", "[0.50001, \"Z1\"]"))));
    }
}
