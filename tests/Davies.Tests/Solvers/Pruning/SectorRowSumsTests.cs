using Davies.Generators;
using Davies.Models;
using Davies.Solvers;
using Davies.Solvers.Pruning;
using Davies.Spectral;
using Davies.Symmetries;
using Davies.Tests.Symmetries;

namespace Davies.Tests.Solvers.Pruning;

/// <summary>
/// The Gershgorin row sums of the sector decay bounds: the Bohr groups summed tile by tile against the same groups
/// summed pair by pair into the whole array (the direct sums, the form before the tiles), for kept and streaming
/// builds, mirror images folded or not, real and complex couplings; and the row sums against those of every dense
/// sector's weighted Hermitian part, which they bound and, where the Bohr frequencies are exact, equal.
/// </summary>
public class SectorRowSumsTests
{
    public static TheoryData<string> Models() => new()
    {
        "chain-z", "chain-z-unfolded", "chain-z-7", "chain-z-8", "blocks-unpaired", "blocks-two-temperatures", "random-complex",
    };

    private static OpenSystemModel Model(string name) => name switch
    {
        // σz_i and σz_{n−1−i} mirror images: every coupling paired (entries between the σ classes exact zeros)
        "chain-z" or "chain-z-unfolded" => ByBlocks(6),
        // the middle site's σz its own mirror image (unpaired, vanishing between the classes)
        "chain-z-7" => ByBlocks(7),
        // d = 256: the default tiles (four of 64) take the large groups
        "chain-z-8" => ByBlocks(8),
        // σz_0 and its image σz_5 at one temperature, σz_1 without an image at another: entries between the classes
        "blocks-unpaired" => SymmetryResolvedTests.Model([2, 2, 2, 2, 2, 2], SymmetryResolvedTests.Ising(6, false),
            ["Z0", "Z1", "Z5"], [SymmetryKind.Flip, SymmetryKind.Reflection]),
        // images with their own rate tables: every coupling a row of V
        "blocks-two-temperatures" => SymmetryResolvedTests.Model([2, 2, 2, 2, 2, 2], SymmetryResolvedTests.Ising(6, false),
            Enumerable.Range(0, 6).Select(i => $"Z{i}"), [SymmetryKind.Flip, SymmetryKind.Reflection]),
        // no symmetry, complex couplings, two couplings per bath, equally spaced levels (large Bohr groups)
        _ => TestModels.Random(73, [.. Enumerable.Range(0, 17).Select(x => (double)x), 17.5], [0.7, 1.3], couplingsPerBath: 2),
    };

    private static OpenSystemModel ByBlocks(int n) => Davies.Tests.Spectral.StreamingBuildTests.ZChainByBlocks(n);

    private static EnergyBasisModel Build(OpenSystemModel model, bool keep, bool? pairs = null) =>
        Davies.Tests.Spectral.StreamingBuildTests.Build(model, keep, pairs);

    // The bounds with the given tiling (null: the defaults) and, for "-unfolded", every coupling a row of V.
    private static SectorDecayBounds Bounds(string name, EnergyBasisModel dm, (int Tile, int MinimumPairs)? tiling)
    {
        var p = Spectrum.KmsWeights(dm);
        var diagonal = PauliRateMatrix.Shared(dm.Jumps).Diagonal().ToArray();
        SectorDecayBounds.TilingOverride.Value = tiling;
        if (name.EndsWith("-unfolded", StringComparison.Ordinal)) SectorDecayBounds.FoldOverride.Value = false;
        try { return SectorDecayBounds.TryCreate(dm, diagonal, p) ?? throw new InvalidOperationException($"{name}: no bounds"); }
        finally
        {
            SectorDecayBounds.TilingOverride.Value = null;
            SectorDecayBounds.FoldOverride.Value = null;
        }
    }

    private static double[] RowSums(SectorDecayBounds b, int d)
    {
        var r = new double[d * d];
        for (int m = 0; m < d; m++)
            for (int n = 0; n < d; n++) r[m * d + n] = b.RowSum(m, n);
        return r;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TiledRowSums_EqualTheDirectOnes(string name)
    {
        var model = Model(name);
        var kept = Build(model, keep: true);
        int d = kept.Dimension;
        // the oracle: every group pair by pair
        var direct = Bounds(name, kept, (d, int.MaxValue));
        Assert.Equal(0, direct.TiledGroups);
        var expected = RowSums(direct, d);
        double scale = expected.Max();
        Assert.True(scale > 0, name);
        var tilings = new List<(int Tile, int MinimumPairs)?>
        {
            (8, 2),        // every group of two pairs or more by tiles of 8 (a power of two, as d)
            (d / 3 + 1, 2), // three tiles a side, the last one short
            (d, 2),        // one tile: the whole array
        };
        if (name == "chain-z-8") tilings.Add(null);
        foreach (var tiling in tilings)
        {
            // the kept couplings, the entries a streaming build kept, a second pass over the transforms
            foreach (var (dm, what) in new[] { (kept, "kept"), (Build(model, keep: false, pairs: true), "entries kept by the build"),
                (Build(model, keep: false, pairs: false), "second pass") })
            {
                var tiled = Bounds(name, dm, tiling);
                Assert.True(tiled.TiledGroups > 0, $"{name}, {what}, tiles {tiling}: no group tiled");
                var actual = RowSums(tiled, d);
                for (int i = 0; i < d * d; i++)
                    Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-13 * scale,
                        $"{name}, {what}, tiles {tiling}: r({i % d}, {i / d}) = {actual[i]} against {expected[i]}");
                Assert.Equal(direct.MarginPerElement, tiled.MarginPerElement);
            }
        }
    }

    [Theory]
    [InlineData("chain-z")]
    [InlineData("chain-z-unfolded")]
    [InlineData("chain-z-7")]
    [InlineData("blocks-unpaired")]
    [InlineData("random-complex")]
    public void TiledRowSums_BoundTheDenseSectorsGershgorinSums_AndMeetThemForExactBohrFrequencies(string name)
    {
        var dm = Build(Model(name), keep: true);
        int d = dm.Dimension;
        var gen = new DaviesGenerator(dm);
        var p = Spectrum.KmsWeights(dm);
        var b = Bounds(name, dm, (8, 2));
        Assert.True(b.TiledGroups > 0);
        int elements = 0, tight = 0;
        double scale = 0;
        foreach (var sector in gen.Sectors.Where(s => !s.IsPopulationSector && s.Dimension > 1))
        {
            // H = ½(W M W⁻¹ + (W M W⁻¹)†), W = diag((p_m p_n)^{1/4}) over the sector's elements
            var m = gen.SectorMatrix(sector);
            var w = DenseSectorBounds.ElementWeights(sector, p);
            int k = sector.Dimension;
            var codes = sector.Elements.ToArray();
            for (int i = 0; i < k; i++)
            {
                double dense = 0;
                for (int j = 0; j < k; j++)
                    if (j != i) dense += (0.5 * (m[i, j] * (w[j] / w[i]) + Complex.Conjugate(m[j, i]) * (w[i] / w[j]))).Magnitude;
                double r = b.RowSum(codes[i] % d, codes[i] / d);
                scale = Math.Max(scale, r);
                Assert.True(dense <= r + (k - 1) * b.MarginPerElement + 1e-12 * Math.Max(1, r),
                    $"{name}, sector ν = {sector.Frequency}, element {codes[i]}: dense {dense} > row sum {r}");
                elements++;
                if (Math.Abs(dense - r) <= 1e-10 * Math.Max(1, r)) tight++;
            }
        }
        Assert.True(scale > 0 && elements > 0, name);
        // Cauchy–Schwarz is an equality when E_m′ − E_m = E_n′ − E_n exactly: the chain's equal Bohr frequencies are
        // equal to rounding, the equally spaced random levels exactly
        Assert.True(tight >= elements / 2, $"{name}: {tight} of {elements} row sums equal the dense ones");
    }
}
