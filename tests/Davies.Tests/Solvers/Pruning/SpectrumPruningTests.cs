using Davies.Solvers;
using Davies.Solvers.Pruning;
using Davies.Spectral;
using Davies.Tests.Physics;

namespace Davies.Tests.Solvers.Pruning;

public class SpectrumPruningTests
{
    public static TheoryData<string> Models() => new() { "chain-z", "chain-x", "random-gaps-two-temperatures", "random-levels", "random-ladder-complex" };

    private static EnergyBasisModel Build(string name) => name switch
    {
        "chain-z" => EnergyBasisModel.Build(TestModels.Chain(5, 'Z')),
        "chain-x" => EnergyBasisModel.Build(TestModels.Chain(5, 'X')),
        "random-gaps-two-temperatures" => EnergyBasisModel.Build(TestModels.Random(71,
            [0, 1, 2, 3, 3.5, 3.5, 4, 5, 6, 6.5, 7, 8, 8, 9, 10, 11, 12, 13], [0.4, 1.5], couplingsPerBath: 2)),
        // Non-degenerate, equally spaced (every Bohr frequency highly degenerate), complex couplings, two temperatures
        "random-ladder-complex" => EnergyBasisModel.Build(TestModels.Random(73,
            [.. Enumerable.Range(0, 17).Select(x => (double)x), 17.5], [0.7, 1.3], couplingsPerBath: 2)),
        _ => EnergyBasisModel.Build(TestModels.Random(72,
            [-2, -2, -1, 0, 0, 0, 0.5, 1, 1.5, 2, 2, 3, 4, 4.5, 5, 6, 7, 8], [1.0], couplingsPerBath: 1)),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void PrunedSpectrum_HasTheSameGapModesAndKernel_AsTheFullOne(string name)
    {
        var dm = Build(name);
        Assert.True(dm.Dimension > 16);
        foreach (int modes in new[] { 1, 5 })
        {
            var full = Spectrum.Compute(dm, new SpectrumOptions(Modes: modes, Full: true));
            var pruned = Spectrum.Compute(dm, new SpectrumOptions(Modes: modes));
            Assert.Equal(0, full.SkippedSectors);
            Assert.Equal(dm.Dimension * dm.Dimension, full.Eigenvalues.Count);
            Assert.Equal(full.SpectralGap, pruned.SpectralGap, 12);
            Assert.Equal(full.KernelDimension, pruned.KernelDimension);
            Assert.Equal(full.PersistentOscillations, pruned.PersistentOscillations);
            Assert.Equal(full.SlowestModes.Count, pruned.SlowestModes.Count);
            for (int i = 0; i < full.SlowestModes.Count; i++)
                Assert.Equal(full.SlowestModes[i].Eigenvalue.Real, pruned.SlowestModes[i].Eigenvalue.Real, 11);
            if (name == "chain-z" && modes == 1) Assert.True(pruned.SkippedSectors > 0, $"skipped {pruned.SkippedSectors}");
        }
    }

    // e^{−β(E − E_0)} at the first bath's temperature: the weights of the √Gibbs symmetrisation.
    private static double[] GibbsWeights(EnergyBasisModel dm)
    {
        var e = dm.Basis.Energies;
        return e.Select(x => Math.Exp(-dm.OpenSystem.Baths[0].Beta * (x - e[0]))).ToArray();
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void DecayBound_IsBelowEverySectorsTrueDecay(string name)
    {
        var dm = Build(name);
        var gen = new Davies.Generators.DaviesGenerator(dm);
        var p = GibbsWeights(dm);
        foreach (var sector in gen.Sectors)
        {
            var m = gen.SectorMatrix(sector);
            double bound = DenseSectorBounds.DecayLowerBound(m, sector, p);
            double slowest = m.Evd(Symmetricity.Asymmetric).EigenValues.Min(z => -z.Real);
            Assert.True(slowest >= bound - 1e-12, $"sector ν = {sector.Frequency}: decay {slowest} < bound {bound}");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void MatrixFreeBound_IsBelowTheDenseGershgorinBound(string name)
    {
        var dm = Build(name);
        var gen = new Davies.Generators.DaviesGenerator(dm);
        var p = GibbsWeights(dm);
        var fast = dm.Basis.IsNonDegenerate ? SectorDecayBounds.TryCreate(dm, gen.PauliMatrix().Diagonal().ToArray(), p) : null;
        if (name.StartsWith("chain") || name.EndsWith("complex")) Assert.NotNull(fast);
        if (fast is null) return;
        int tight = 0;
        var all = fast.LowerBounds(gen);
        foreach (var sector in gen.Sectors.Where(s => !s.IsPopulationSector))
        {
            var m = gen.SectorMatrix(sector);
            double dense = DenseSectorBounds.DecayLowerBound(m, sector, p);
            double bound = fast.LowerBound(sector);
            Assert.Equal(bound, all[sector.Index], 1e-12 * Math.Max(1, Math.Abs(bound)));
            double slowest = m.Evd(Symmetricity.Asymmetric).EigenValues.Min(z => -z.Real);
            Assert.True(bound <= dense + 1e-12, $"sector ν = {sector.Frequency}: matrix-free {bound} > dense {dense}");
            Assert.True(slowest >= bound - 1e-12, $"sector ν = {sector.Frequency}: decay {slowest} < bound {bound}");
            if (Math.Abs(bound - dense) < 1e-9 * Math.Max(1, Math.Abs(dense))) tight++;
        }
        Assert.True(tight > 0, "the matrix-free bound never reproduced the dense one");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void NumericalRangeTest_IsSound_AndSharp(string name)
    {
        var dm = Build(name);
        var gen = new Davies.Generators.DaviesGenerator(dm);
        var p = GibbsWeights(dm);
        int tested = 0;
        foreach (var sector in gen.Sectors.Where(s => s.Dimension >= 8))
        {
            var m = gen.SectorMatrix(sector);
            // λ_max of the Hermitian part of the weighted matrix, computed directly
            int k = m.RowCount;
            var w = Enumerable.Range(0, k).Select(i => Math.Pow(p[sector.Element(i).Row] * p[sector.Element(i).Column], 0.25)).ToArray();
            var h = Matrix<Complex>.Build.Dense(k, k, (i, j) => 0.5 * (m[i, j] * (w[j] / w[i]) + Complex.Conjugate(m[j, i]) * (w[i] / w[j])));
            double lmax = h.Evd(Symmetricity.Hermitian).EigenValues.Max(z => z.Real);
            double rightmost = m.Evd(Symmetricity.Asymmetric).EigenValues.Max(z => z.Real);
            Assert.True(rightmost <= lmax + 1e-12, $"ν = {sector.Frequency}: Re λ {rightmost} > λ_max(H) {lmax}");
            double slack = 1e-6 * Math.Max(1, Math.Abs(lmax));
            Assert.True(DenseSectorBounds.NumericalRangeBelow(m, sector, p, lmax + slack, dm.Backend), $"ν = {sector.Frequency}: not below λ_max(H) + slack");
            Assert.False(DenseSectorBounds.NumericalRangeBelow(m, sector, p, lmax - slack, dm.Backend), $"ν = {sector.Frequency}: below λ_max(H) − slack");
            tested++;
        }
        Assert.True(tested > 0);
    }
}
