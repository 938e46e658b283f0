using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;
using Davies.Symmetries;

namespace Davies.Tests.Symmetries;

/// <summary>The model-file field <c>symmetries</c>: declared symmetries are verified and used; bad ones are clear errors.</summary>
public class SymmetryDeclarationTests
{
    private static string Chain(string symmetries, string extra = "") => $$"""
        sites: [2, 2, 2, 2]
        hamiltonian:
          - [-1, "Z0 Z1"]
          - [-1, "Z1 Z2"]
          - [-1, "Z2 Z3"]
          - [-0.7, "X0"]
          - [-0.7, "X1"]
          - [-0.7, "X2"]
          - [-0.7, "X3"]{{extra}}
        baths:
          - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 5}, couplings: ["Z0", "Z3"]}
        symmetries: {{symmetries}}
        """;

    [Fact]
    public void DeclaredSymmetries_AreUsed()
    {
        var model = ModelFile.Parse(Chain("[flip, reflection]"), ModelFileFormat.Yaml, "chain.yaml");
        Assert.Equal([SymmetryKind.Flip, SymmetryKind.Reflection], model.Symmetries);
        var dm = EnergyBasisModel.Build(model);
        Assert.Equal([SymmetryKind.Flip, SymmetryKind.Reflection], dm.Basis.Symmetries);
        Assert.Equal(4, dm.Basis.SymmetryBlockSizes.Count);
        var plain = SteadyState.Solve(ModelFile.Parse(Chain("[]"), ModelFileFormat.Yaml, "chain.yaml"));
        Assert.Empty(plain.Decomposed.Basis.Symmetries);
        Assert.True(Thermal.TraceDistance(SteadyState.Solve(dm).DensityMatrix, plain.DensityMatrix) < 1e-12);
    }

    [Fact]
    public void DeclaringASymmetryTheHamiltonianLacks_IsAClearError()
    {
        // a field on the first site breaks the reflection
        var e = Assert.Throws<ModelException>(() =>
            ModelFile.Parse(Chain("[flip, reflection]", "\n  - [0.3, \"X0\"]"), ModelFileFormat.Yaml, "chain.yaml"));
        Assert.Contains("chain.yaml", e.Message);
        Assert.Contains("symmetries[1]", e.Message);
        Assert.Contains("does not commute with the site reflection", e.Message);
        Assert.Contains("line", e.Message);
    }

    [Fact]
    public void DeclaringASymmetryTheHamiltonianLacks_InCode_IsAClearErrorAtBuild()
    {
        var model = ModelFile.Parse(Chain("[]", "\n  - [0.2, \"Z1\"]"), ModelFileFormat.Yaml, "chain.yaml");
        var declared = new OpenSystemModel(model.Space, model.Hamiltonian, model.Baths) { Symmetries = [SymmetryKind.Flip] };
        var e = Assert.Throws<ModelException>(() => EnergyBasisModel.Build(declared));
        Assert.Contains("symmetries[0] ('flip')", e.Message);
        Assert.Contains("Π_i X_i", e.Message);
    }

    [Theory]
    [InlineData("[spin]", "unknown symmetry 'spin'")]
    [InlineData("[flip, flip]", "declared twice")]
    [InlineData("[translation, reflection]", "does not commute with symmetries[0]")]
    public void BadDeclarations_NameTheEntry(string symmetries, string message)
    {
        // an Ising ring (translation and reflection both hold, but do not commute)
        string ring = Chain(symmetries, "\n  - [-1, \"Z3 Z0\"]");
        var e = Assert.ThrowsAny<DaviesException>(() => ModelFile.Parse(ring, ModelFileFormat.Yaml, "ring.yaml"));
        Assert.Contains(message, e.Message);
        Assert.Contains("symmetries[", e.Message);
    }

    [Fact]
    public void Flip_OnAnOscillator_IsAClearError()
    {
        const string text = """
            sites: [3, 2]
            hamiltonian: [[1, "n0"], [0.5, "Z1"]]
            baths:
              - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 5}, couplings: ["X1"]}
            symmetries: [flip]
            """;
        var e = Assert.Throws<ModelException>(() => ModelFile.Parse(text, ModelFileFormat.Yaml, "osc.yaml"));
        Assert.Contains("symmetries[0]", e.Message);
        Assert.Contains("every site to be a qubit", e.Message);
    }
}
