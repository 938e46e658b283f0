using Davies.Generators;
using Davies.Models;
using Davies.Spectral;
using Davies.Symmetries;

namespace Davies.Tests.Generators;

/// <summary>
/// The Bohr-sector index (counted and filled in parallel ranges of columns from d = 256) against its definition: every
/// element ρ_mn sits in the sector whose ids hold the Bohr id of its levels, each sector lists exactly its elements in
/// ascending vec index, and the sectors are ordered by their smallest id.
/// </summary>
public class BohrSectorPartitionTests
{
    public static TheoryData<string> Models() => new() { "chain-z-8", "chain-z-8-blocks", "random-degenerate", "chain-x-9" };

    private static EnergyBasisModel Build(string name) => name switch
    {
        "chain-z-8" => EnergyBasisModel.Build(TestModels.Chain(8, 'Z')),
        "chain-z-8-blocks" => EnergyBasisModel.Build(ByBlocks(TestModels.Chain(8, 'Z'))),
        "chain-x-9" => EnergyBasisModel.Build(TestModels.Chain(9, 'X')),
        _ => EnergyBasisModel.Build(TestModels.Random(5, TestModels.DegenerateLevels, [1.0, 0.5])),
    };

    private static OpenSystemModel ByBlocks(OpenSystemModel chain) =>
        new(chain.Space, chain.Hamiltonian, chain.Baths, null, chain.Options) { Symmetries = [SymmetryKind.Flip, SymmetryKind.Reflection] };

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryElement_IsListedOnce_InTheSectorOfItsBohrId_InAscendingOrder(string name)
    {
        var dm = Build(name);
        int d = dm.Dimension, P = dm.Bohr.PositiveCount;
        var partition = new BohrSectorPartition(dm);
        var sectors = partition.Sectors;
        // the sector of each signed id, from the sectors' own id lists
        var sectorOfId = new int[2 * P + 1];
        Array.Fill(sectorOfId, -1);
        foreach (var s in sectors)
            foreach (int id in s.Ids)
            {
                Assert.Equal(-1, sectorOfId[id + P]);
                sectorOfId[id + P] = s.Index;
            }
        Assert.DoesNotContain(-1, sectorOfId);
        var seen = new int[sectors.Length];
        for (int n = 0; n < d; n++)
            for (int m = 0; m < d; m++)
            {
                int expected = sectorOfId[dm.Bohr.Id(dm.Basis.LevelOf(n), dm.Basis.LevelOf(m)) + P];
                Assert.Equal(expected, partition.SectorOfElement[m + n * d]);
                seen[expected]++;
            }
        int total = 0;
        foreach (var s in sectors)
        {
            var elements = s.Elements.ToArray();
            Assert.Equal(seen[s.Index], elements.Length);
            for (int k = 0; k < elements.Length; k++)
            {
                Assert.Equal(s.Index, partition.SectorOfElement[elements[k]]);
                if (k > 0) Assert.True(elements[k] > elements[k - 1], $"sector {s.Index}: elements not ascending");
            }
            total += elements.Length;
            if (s.Index > 0) Assert.True(s.Ids.Min() > sectors[s.Index - 1].Ids.Min());
        }
        Assert.Equal(d * d, total);
        Assert.True(sectors[partition.PopulationIndex].IsPopulationSector);
        Assert.Equal(d, sectors[partition.PopulationIndex].Elements.ToArray().Count(code => code % d == code / d));
    }
}
