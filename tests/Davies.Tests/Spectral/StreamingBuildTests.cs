using Davies.Generators;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;
using Davies.Symmetries;
using Davies.Tests.Symmetries;
using Davies.Thermodynamics;

namespace Davies.Tests.Spectral;

/// <summary>
/// The streaming build (couplings transformed, added into the Pauli matrix and the per-eigenvector sums, and dropped;
/// the sector bounds transform them again) against the build that keeps every coupling: the same couplings on demand,
/// steady state, heat currents, shifted energies, Pauli matrix, heat operators, gap and ρ(t), on chains with parity and
/// reflection (mirror images signed in place), with disorder, on a random model without symmetry and on a degenerate one.
/// </summary>
public class StreamingBuildTests
{
    private const double Tol = 1e-11;

    public static IEnumerable<object[]> Cases()
    {
        // σz chain: flip and reflection (σz_i and σz_{n−1−i} are mirror images), one bath per site
        yield return ["chain-z", TestModels.Chain(6, 'Z')];
        // the same chain diagonalised by symmetry blocks (declared): σz_i and σz_{n−1−i} are mirror images, transformed once
        yield return ["chain-z-blocks", ZChainByBlocks()];
        // hot and cold baths alternating on the blocks
        yield return ["blocks-two-temperatures", SymmetryResolvedTests.Model([2, 2, 2, 2, 2, 2], SymmetryResolvedTests.Ising(6, false),
            Enumerable.Range(0, 6).Select(i => $"Z{i}"), [SymmetryKind.Flip, SymmetryKind.Reflection])];
        // σx chain: the couplings keep the parity (two classes of eigenvectors, coherence sectors searched)
        yield return ["chain-x", TestModels.Chain(6, 'X')];
        // disorder breaks the reflection, two temperatures (a non-equilibrium steady state with heat currents)
        var rng = new Random(7);
        var disordered = Enumerable.Range(0, 5).Select(i => (-1.0 - 0.4 * rng.NextDouble(), $"Z{i} Z{i + 1}"))
            .Concat(Enumerable.Range(0, 6).Select(i => (-0.5 - 0.5 * rng.NextDouble(), $"X{i}"))).ToList();
        yield return ["disordered", SymmetryResolvedTests.Model([2, 2, 2, 2, 2, 2], disordered, ["Z0", "X2", "Z5", "X4"], [SymmetryKind.Flip])];
        // no symmetry at all: a random H_S and random couplings, two baths at two temperatures, two couplings per bath
        yield return ["random", TestModels.Random(11, [-1.3, -0.4, 0.25, 0.9, 1.7, 2.2, 2.9, 3.3, 4.1, 4.6, 5.3, 6.0, 6.4, 7.1, 7.7, 8.2, 9.0, 9.6],
            [1.0, 0.4], couplingsPerBath: 2)];
        // degenerate levels (the generator's level blocks from the couplings on demand)
        yield return ["degenerate", TestModels.Random(5, TestModels.DegenerateLevels, [1.0, 0.5])];
    }

    /// <summary>The σz chain with its flip and reflection symmetries declared (symmetry blocks).</summary>
    internal static OpenSystemModel ZChainByBlocks(int n = 6)
    {
        var chain = TestModels.Chain(n, 'Z');
        return new OpenSystemModel(chain.Space, chain.Hamiltonian, chain.Baths, null, chain.Options) { Symmetries = [SymmetryKind.Flip, SymmetryKind.Reflection] };
    }

    /// <summary>A build with the couplings kept or streamed (and the pairs kept or not), the overrides reset after.</summary>
    internal static EnergyBasisModel Build(OpenSystemModel model, bool keep, bool? pairs = null)
    {
        EnergyBasisModel.KeepCouplingsOverride.Value = keep;
        EnergyBasisModel.KeepPairsOverride.Value = pairs;
        try { return EnergyBasisModel.Build(model); }
        finally
        {
            EnergyBasisModel.KeepCouplingsOverride.Value = null;
            EnergyBasisModel.KeepPairsOverride.Value = null;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StreamingBuild_GivesTheKeptResults(string name, OpenSystemModel model)
    {
        var kept = Build(model, keep: true);
        var streamed = Build(model, keep: false);
        Assert.True(kept.Jumps.KeepsCouplings, name);
        Assert.False(streamed.Jumps.KeepsCouplings, name);
        Assert.Equal(0, streamed.Jumps.HeldCount);

        var s1 = SteadyState.Solve(kept);
        var s2 = SteadyState.Solve(streamed);
        Assert.True((s1.DensityMatrixEigenbasis - s2.DensityMatrixEigenbasis).FrobeniusNorm() < Tol, name);
        foreach (var (bath, j) in s1.HeatCurrents) Assert.Equal(j, s2.HeatCurrents[bath], 12);
        for (int i = 0; i < s1.ShiftedEnergies.Length; i++) Assert.Equal(s1.ShiftedEnergies[i], s2.ShiftedEnergies[i], 12);
        Assert.Equal(s1.KernelDimension, s2.KernelDimension);
        Assert.Equal(s1.Method, s2.Method);

        var g1 = Spectrum.Compute(kept, new SpectrumOptions(Modes: 1));
        var g2 = Spectrum.Compute(streamed, new SpectrumOptions(Modes: 1));
        Assert.Equal(g1.SpectralGap, g2.SpectralGap, 11);
        Assert.Equal(g1.PopulationGap ?? double.NaN, g2.PopulationGap ?? double.NaN, 11);
        Assert.Equal(g1.SkippedSectors, g2.SkippedSectors);
        Assert.Equal(g1.Method, g2.Method);

        // the classes of eigenvectors no coupling joins, from the streaming pass
        Assert.Equal(kept.Jumps.Classes, streamed.Jumps.Classes);
        if (kept.Basis.IsNonDegenerate)
        {
            // the σz chain: steady state and gap never needed a coupling again after the build's pass (sectors that the
            // bounds leave, as in the other models, transform them on demand)
            if (name.StartsWith("chain-z", StringComparison.Ordinal)) Assert.Equal(0, streamed.Jumps.HeldCount);
            // W released by the spectrum is formed again from a stream (and the steady state with it)
            Assert.True((PauliRateMatrix.Shared(kept.Jumps) - PauliRateMatrix.Shared(streamed.Jumps)).FrobeniusNorm()
                < Tol * PauliRateMatrix.Shared(kept.Jumps).FrobeniusNorm(), name);
            var again = SteadyState.Solve(streamed);
            Assert.True((s1.DensityMatrixEigenbasis - again.DensityMatrixEigenbasis).FrobeniusNorm() < Tol, name);
            // the heat operators from the streamed heat weights
            var o1 = HeatOperators.Of(kept.Jumps);
            var o2 = HeatOperators.Of(streamed.Jumps);
            for (int b = 0; b < kept.Jumps.BathCount; b++)
                for (int I = 0; I < kept.Basis.Levels.Count; I++) Assert.Equal(o1.Omega[b][I][0, 0].Real, o2.Omega[b][I][0, 0].Real, 12);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StreamingBuild_TransformsCouplingsAgain_AsTheKeptBuildHeldThem(string name, OpenSystemModel model)
    {
        var kept = Build(model, keep: true);
        var streamed = Build(model, keep: false);
        int L = kept.Basis.Levels.Count;
        for (int c = 0; c < kept.Jumps.Count; c++)
        {
            var a = kept.Jumps.Coupling(c);
            var b = streamed.Jumps.Coupling(c);
            Assert.True((a - b).FrobeniusNorm() <= 1e-13 * Math.Max(1, a.FrobeniusNorm()), $"{name}: coupling {c}");
            Assert.Equal(kept.Jumps.MaxNorm2(c), streamed.Jumps.MaxNorm2(c));
            for (int to = 0; to < L; to++)
                for (int from = 0; from < L; from++)
                    Assert.Equal(kept.Jumps.HasBlock(c, to, from), streamed.Jumps.HasBlock(c, to, from));
        }
        // asked for, the couplings are kept from then on
        Assert.Equal(kept.Jumps.Count, streamed.Jumps.HeldCount);
        var r1 = Evolution.Run(kept, TestModels.RandomDensityMatrix(new Random(3), kept.Dimension), [0.5, 4.0]);
        var r2 = Evolution.Run(streamed, TestModels.RandomDensityMatrix(new Random(3), kept.Dimension), [0.5, 4.0]);
        for (int t = 0; t < 2; t++) Assert.True((r1.DensityMatrix(t) - r2.DensityMatrix(t)).FrobeniusNorm() < 1e-10, name);
    }

    [Theory]
    [InlineData("chain-z")]
    [InlineData("chain-z-blocks")]
    [InlineData("chain-z-blocks-7")]
    [InlineData("chain-z-blocks-8")]
    [InlineData("chain-x")]
    [InlineData("random")]
    [InlineData("disordered")]
    [InlineData("blocks-two-temperatures")]
    [InlineData("blocks-unpaired")]
    public void SectorBounds_FromTheBuildsPass_AndFromASecondPass_EqualTheKeptOnes(string name)
    {
        // mirror images folded into their roots' rows of V (chain-z-blocks: every coupling paired, the entries between the
        // two σ classes exact zeros; -7: the middle site's coupling is its own mirror image, unpaired; -8: d = 256, the
        // gathers and the sector index in parallel ranges; blocks-unpaired: σz_0 and its image σz_5 at one temperature,
        // σz_1 without an image at another, so the entries between the σ classes are σz_1's alone), plain rows otherwise
        // (blocks-two-temperatures: images with their own rate tables, signed); complex couplings (random)
        var model = name switch
        {
            "blocks-unpaired" => SymmetryResolvedTests.Model([2, 2, 2, 2, 2, 2], SymmetryResolvedTests.Ising(6, false),
                ["Z0", "Z1", "Z5"], [SymmetryKind.Flip, SymmetryKind.Reflection]),
            "chain-z-blocks-7" => ZChainByBlocks(7),
            "chain-z-blocks-8" => ZChainByBlocks(8),
            _ => (OpenSystemModel)Cases().Single(x => (string)x[0] == name)[1],
        };
        var kept = Build(model, keep: true);
        var withPairs = Build(model, keep: false, pairs: true);
        var secondPass = Build(model, keep: false, pairs: false);
        Assert.NotNull(withPairs.Jumps.Streamed!.Pairs);
        Assert.Null(secondPass.Jumps.Streamed!.Pairs);
        var p = Spectrum.KmsWeights(kept);
        var diagonal = PauliRateMatrix.Shared(kept.Jumps).Diagonal().ToArray();
        // the oracle: the kept couplings, every coupling's row of V (no folding of mirror images)
        Davies.Solvers.Pruning.SectorDecayBounds.FoldOverride.Value = false;
        Davies.Solvers.Pruning.SectorDecayBounds? b1;
        try { b1 = Davies.Solvers.Pruning.SectorDecayBounds.TryCreate(kept, diagonal, p); }
        finally { Davies.Solvers.Pruning.SectorDecayBounds.FoldOverride.Value = null; }
        var folded = Davies.Solvers.Pruning.SectorDecayBounds.TryCreate(kept, diagonal, p);
        var b2 = Davies.Solvers.Pruning.SectorDecayBounds.TryCreate(withPairs, diagonal, p);
        var b3 = Davies.Solvers.Pruning.SectorDecayBounds.TryCreate(secondPass, diagonal, p);
        Assert.NotNull(b1);
        Assert.NotNull(folded);
        Assert.NotNull(b2);
        Assert.NotNull(b3);
        Assert.Null(withPairs.Jumps.Streamed!.Pairs); // handed to the bounds and released
        var l1 = b1.LowerBounds(new DaviesGenerator(kept));
        double scale = diagonal.Max(Math.Abs);
        foreach (var (b, dm, what) in new[] { (folded, kept, "kept, mirror images folded"), (b2, withPairs, "entries kept by the build"), (b3, secondPass, "second pass") })
        {
            var l2 = b.LowerBounds(new DaviesGenerator(dm));
            Assert.Equal(l1.Length, l2.Length);
            for (int i = 0; i < l1.Length; i++)
                if (double.IsFinite(l1[i])) Assert.True(Math.Abs(l1[i] - l2[i]) <= 1e-12 * scale, $"{what}, sector {i}: {l1[i]} against {l2[i]}");
                else Assert.Equal(l1[i], l2[i]);
            if (!dm.Jumps.KeepsCouplings) Assert.Equal(0, dm.Jumps.HeldCount);
        }
        // and the gap through Spectrum (the entries taken by the first bounds, a second spectrum transforms again)
        var g1 = Spectrum.Compute(kept, new SpectrumOptions(Modes: 1));
        var again = Build(model, keep: false, pairs: true);
        var g2 = Spectrum.Compute(again, new SpectrumOptions(Modes: 1));
        var g3 = Spectrum.Compute(again, new SpectrumOptions(Modes: 1));
        foreach (var g in new[] { g2, g3 })
        {
            Assert.Equal(g1.SpectralGap, g.SpectralGap, 11);
            Assert.Equal(g1.SkippedSectors, g.SkippedSectors);
        }
    }

    [Fact]
    public void BuildsPass_KeepsTheBoundsEntries_OnlyWhenTheyFitTheBudget()
    {
        // d = 64, 3 roots (σz_i and σz_{5−i} images): streaming estimate ~180 KB, entries ~10 KB a root
        var model = ZChainByBlocks();
        double streaming = EnergyBasisModel.EstimateStreamingBytes(model);
        EnergyBasisModel.KeepCouplingsOverride.Value = false;
        try
        {
            // enough: 0.75 × limit − streaming ≈ 100 KB
            MemoryBudget.Limit = (long)((streaming + 100_000) / EnergyBasisModel.KeepPairsBelow);
            var fits = EnergyBasisModel.Build(model);
            Assert.NotNull(fits.Jumps.Streamed!.Pairs);
            Assert.InRange(fits.Jumps.Streamed.Pairs!.Bytes, 3 * 1000, 100_000);
            // not enough for three roots (projected from the first): none kept, no memory held for them
            MemoryBudget.Limit = (long)((streaming + 2_000) / EnergyBasisModel.KeepPairsBelow);
            var tight = EnergyBasisModel.Build(model);
            Assert.Null(tight.Jumps.Streamed!.Pairs);
            MemoryBudget.Limit = 0;
            // both give the kept build's gap
            var g0 = Spectrum.Compute(Build(model, keep: true), new SpectrumOptions(Modes: 1));
            Assert.Equal(g0.SpectralGap, Spectrum.Compute(fits, new SpectrumOptions(Modes: 1)).SpectralGap, 11);
            Assert.Equal(g0.SpectralGap, Spectrum.Compute(tight, new SpectrumOptions(Modes: 1)).SpectralGap, 11);
        }
        finally
        {
            MemoryBudget.Limit = 0;
            EnergyBasisModel.KeepCouplingsOverride.Value = null;
        }
    }

    [Fact]
    public void Build_StreamsWhenTheKeptCouplingsTakeOverHalfTheMemory_ButKeepsThemForADegenerateSpectrum()
    {
        var chain = TestModels.Chain(6, 'Z');  // non-degenerate, 6 couplings: ~288 KiB kept, ~180 KiB streamed
        var free = TestModels.FreeQubits(6);   // degenerate levels: every consumer reads the couplings again
        Assert.InRange(EnergyBasisModel.EstimateBuildBytes(chain), 200_000, 400_000);
        Assert.InRange(EnergyBasisModel.EstimateBuildBytes(free), 200_000, 400_000);
        Assert.True(EnergyBasisModel.EstimateStreamingBytes(chain) < 400_000);
        MemoryBudget.Limit = 400_000;
        try
        {
            Assert.False(EnergyBasisModel.Build(chain).Jumps.KeepsCouplings);
            Assert.True(EnergyBasisModel.Build(free).Jumps.KeepsCouplings);
            // and the streamed chain's steady state is the kept one
            var streamed = SteadyState.Solve(EnergyBasisModel.Build(chain));
            MemoryBudget.Limit = 0;
            var kept = SteadyState.Solve(EnergyBasisModel.Build(chain));
            Assert.True((kept.DensityMatrixEigenbasis - streamed.DensityMatrixEigenbasis).FrobeniusNorm() < Tol);
            // below the streaming estimate the build is refused, naming the streaming build
            MemoryBudget.Limit = 100_000;
            var e = Assert.Throws<ResourceLimitException>(() => EnergyBasisModel.Build(chain));
            Assert.Contains("one of 6 coupling(s) at a time", e.Message);
        }
        finally { MemoryBudget.Limit = 0; }
    }

    [Fact]
    public void StreamingPass_VisitsEveryCouplingOnce_WithItsMirrorImage()
    {
        var kept = Build(ZChainByBlocks(), keep: true);
        var streamed = Build(ZChainByBlocks(), keep: false);
        Assert.NotNull(streamed.Jumps.Source);
        // σz_i and σz_{5−i} are images under the reflection: three transforms for six couplings
        Assert.Equal(3, Enumerable.Range(0, 6).Count(c => streamed.Jumps.Source!.RootOf(c) == c));
        var seen = new List<int>();
        streamed.Jumps.ForEachCoupling((c, a) =>
        {
            seen.Add(c);
            var expected = kept.Jumps.Matrix(c).RealData!;
            var got = a.RealData!;
            double diff = 0;
            for (int k = 0; k < got.Length; k++) diff = Math.Max(diff, Math.Abs(got[k] - expected[k]));
            Assert.True(diff < 1e-13, $"coupling {c}: {diff}");
        });
        Assert.Equal(Enumerable.Range(0, 6), seen.Order());
        Assert.Equal(0, streamed.Jumps.HeldCount); // a stream keeps nothing
    }
}
