using Davies.Models;
using Davies.Spectral;
using Davies.Symmetries;
using Davies.Tests.Symmetries;

namespace Davies.Tests.Spectral;

/// <summary>
/// <see cref="EnergyBasisModel.Prepare"/> (the symmetries and symmetry blocks formed before the build, as the command line
/// does while the native library loads): the build that uses them equals the build without them, bit for bit.
/// </summary>
public class PrepareTests
{
    public static TheoryData<string, bool> Cases() => new()
    {
        { "real", true }, { "real", false }, // open Ising chain: flip and reflection, detected (d = 64) or declared
        { "complex", false },                // XXZ ring with a Dzyaloshinskii–Moriya term: u1 and translation, declared
    };

    private static OpenSystemModel Model(string kind, bool detected)
    {
        if (kind == "real")
            return SymmetryResolvedTests.Model([2, 2, 2, 2, 2, 2], SymmetryResolvedTests.Ising(6, false), ["Z0", "Z5", "X2"],
                detected ? null : [SymmetryKind.Flip, SymmetryKind.Reflection]);
        var h = new List<(double, string)>();
        for (int i = 0; i < 5; i++)
        {
            int j = (i + 1) % 5;
            h.AddRange([(1.0, $"X{i} X{j}"), (1.0, $"Y{i} Y{j}"), (0.4, $"Z{i} Z{j}"), (0.3, $"X{i} Y{j}"), (-0.3, $"Y{i} X{j}")]);
        }
        return SymmetryResolvedTests.Model([2, 2, 2, 2, 2], h, ["Z0", "X3"], [SymmetryKind.U1, SymmetryKind.Translation]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BuildAfterPrepare_EqualsBuild_BitForBit(string kind, bool detected)
    {
        var plain = EnergyBasisModel.Build(Model(kind, detected));
        var model = Model(kind, detected);
        EnergyBasisModel.Prepare(model);
        Assert.True(EnergyBasisModel.HasPreparedBlocks(model));
        var prepared = EnergyBasisModel.Build(model);
        Assert.False(EnergyBasisModel.HasPreparedBlocks(model));
        Assert.NotEmpty(prepared.Basis.Symmetries);
        Assert.Equal(plain.Basis.Symmetries, prepared.Basis.Symmetries);
        Assert.Equal(plain.Basis.Energies, prepared.Basis.Energies);
        Assert.Equal(plain.Basis.Vectors.ToColumnMajorArray(), prepared.Basis.Vectors.ToColumnMajorArray());
        for (int c = 0; c < plain.Jumps.Count; c++)
            Assert.Equal(plain.Jumps.Coupling(c).ToColumnMajorArray(), prepared.Jumps.Coupling(c).ToColumnMajorArray());
        // taken by the first build: a second one computes them again, with the same result
        var again = EnergyBasisModel.Build(model);
        Assert.Equal(plain.Basis.Energies, again.Basis.Energies);
    }

    [Fact]
    public void Prepare_OfAModelLackingItsDeclaredSymmetry_ThrowsWhatTheBuildThrows()
    {
        // a longitudinal field breaks the flip
        var h = SymmetryResolvedTests.Ising(5, false);
        h.Add((0.2, "Z1"));
        var model = SymmetryResolvedTests.Model([2, 2, 2, 2, 2], h, ["Z0"], [SymmetryKind.Flip]);
        var fromPrepare = Assert.Throws<ModelException>(() => EnergyBasisModel.Prepare(model));
        var fromBuild = Assert.Throws<ModelException>(() => EnergyBasisModel.Build(model));
        Assert.Equal(fromBuild.Message, fromPrepare.Message);
        Assert.Contains("symmetries[0]", fromBuild.Message);
    }
}
