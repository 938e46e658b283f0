using Davies.Generators;
using Davies.Solvers;
using Davies.Solvers.Pruning;
using Davies.Spectral;

namespace Davies.Tests.Solvers;

/// <summary>
/// Krylov–Schur (largest-magnitude Ritz values), the shift-invert search for the rightmost modes of a sector block
/// (<see cref="RightmostModes"/>), and the spectrum that uses them, against dense eigensolvers: random matrices, the
/// sectors of random models, and the σx-coupled Ising chain (slow coherences) up to n = 8.
/// </summary>
public class KrylovSchurTests
{
    private static Matrix<Complex> RandomComplex(Random rng, int n) =>
        Matrix<Complex>.Build.Dense(n, n, (_, _) => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));

    [Theory]
    [InlineData(1, 120, 4)]
    [InlineData(2, 300, 8)]
    [InlineData(3, 40, 40)] // the whole space
    public void LargestMagnitude_EqualsTheDenseEigenvalues_OfRandomMatrices(int seed, int n, int count)
    {
        var rng = new Random(seed);
        var a = RandomComplex(rng, n);
        // a few well-separated outliers on top of the random bulk (|λ| ≲ √n / 2·…), so that the wanted ones are isolated
        for (int i = 0; i < Math.Min(count, 6); i++) a[i, i] += new Complex(3 + 2 * i, i % 2 == 0 ? 1 : -2);
        var dense = a.Evd(Symmetricity.Asymmetric).EigenValues.OrderByDescending(z => z.Magnitude).Take(count).ToArray();
        var result = KrylovSchur.LargestMagnitude((x, y) => (a * Vector<Complex>.Build.Dense(x.ToArray())).AsArray().CopyTo(y),
            n, count, 1e-12);
        Assert.True(result.Converged);
        Assert.Equal(count, result.Values.Length);
        double scale = dense[0].Magnitude;
        for (int k = 0; k < count; k++)
        {
            // every wanted dense eigenvalue has a Ritz value next to it
            double nearest = result.Values.Min(z => (z - dense[k]).Magnitude);
            Assert.True(nearest < 1e-8 * scale, $"eigenvalue {dense[k]}: nearest Ritz value at {nearest}");
        }
    }

    /// <summary>Every eigenvalue of <paramref name="m"/> with decay ≤ threshold, from the dense eigensolver.</summary>
    private static Complex[] DenseSlow(Matrix<Complex> m, double threshold) =>
        m.Evd(Symmetricity.Asymmetric).EigenValues.Where(z => -z.Real <= threshold).ToArray();

    private static void AssertSameModes(Complex[] expected, Complex[] found, double threshold, string what)
    {
        // each slow dense mode is found (the search may return a few faster ones too)
        foreach (var z in expected)
        {
            double nearest = found.Length == 0 ? double.PositiveInfinity : found.Min(f => (f - z).Magnitude);
            Assert.True(nearest < 1e-8 * Math.Max(1, z.Magnitude), $"{what}: mode {z} missing (nearest {nearest})");
        }
        Assert.True(found.Count(z => -z.Real <= threshold * (1 - 1e-9)) <= expected.Length, $"{what}: spurious slow modes");
    }

    public static TheoryData<int> Seeds() => new() { 11, 12, 13 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RightmostModes_FindsEverySlowMode_OfRandomModelSectors(int seed)
    {
        // an equally spaced ladder: non-degenerate, every Bohr sector large; complex couplings, two temperatures
        var dm = EnergyBasisModel.Build(TestModels.Random(seed,
            [.. Enumerable.Range(0, 36).Select(x => (double)x)], [0.8, 1.6], couplingsPerBath: 2));
        var gen = new DaviesGenerator(dm);
        var p = Spectrum.KmsWeights(dm);
        int tested = 0;
        foreach (var sector in gen.Sectors.Where(s => s.Dimension >= 24 && !s.IsPopulationSector).Take(4))
        {
            var m = gen.SectorMatrix(sector);
            var decays = m.Evd(Symmetricity.Asymmetric).EigenValues.Select(z => -z.Real).Order().ToArray();
            // thresholds holding one and a handful of modes
            foreach (double threshold in new[] { 0.5 * (decays[0] + decays[1]), 0.5 * (decays[4] + decays[5]) })
            {
                var found = RightmostModes.Find(m, DenseSectorBounds.ElementWeights(sector, p), threshold, dm.Backend);
                Assert.NotNull(found);
                AssertSameModes(DenseSlow(m, threshold), found, threshold, $"sector ν = {sector.Frequency}, t = {threshold}");
                tested++;
            }
        }
        Assert.True(tested >= 4, $"only {tested} searches");
    }

    [Fact]
    public void RightmostModes_FindsEverySlowMode_OfRandomNonNormalMatrices()
    {
        // The form of a KMS-weighted sector matrix with Lamb shifts: W = S (negative definite, random) + i diag(φ), then made
        // non-normal by a diagonal similarity M = D⁻¹ W D, which the weights w = diag(D)⁻¹ undo.
        var rng = new Random(5);
        int n = 200;
        var s = Matrix<double>.Build.Dense(n, n, (_, _) => 0.01 * (rng.NextDouble() - 0.5));
        s = s + s.Transpose();
        var w0 = Matrix<Complex>.Build.Dense(n, n, (i, j) => i == j
            ? new Complex(-0.2 - 2.0 * rng.NextDouble() + s[i, i], 0.3 * (rng.NextDouble() - 0.5))
            : new Complex(s[i, j], 0));
        var dd = Enumerable.Range(0, n).Select(_ => Math.Exp(rng.NextDouble() - 0.5)).ToArray();
        var m = Matrix<Complex>.Build.Dense(n, n, (i, j) => w0[i, j] * (dd[j] / dd[i]));
        // W_ij = M_ij w_j / w_i with w_i = 1/dd_i
        var w = dd.Select(x => 1 / x).ToArray();
        var decays = m.Evd(Symmetricity.Asymmetric).EigenValues.Select(z => -z.Real).Order().ToArray();
        foreach (int k in new[] { 1, 3, 10 })
        {
            double threshold = 0.5 * (decays[k - 1] + decays[k]);
            var found = RightmostModes.Find(m, w, threshold, Davies.LinearAlgebra.LinearAlgebraProvider.Current);
            Assert.NotNull(found);
            AssertSameModes(DenseSlow(m, threshold), found, threshold, $"{k} slow modes");
        }
    }

    [Fact]
    public void SectorClassBlocks_HoldTheEigenvaluesOfTheWholeSector()
    {
        // σx couplings keep the flip parity: coherences between parity classes never mix with the others
        var dm = EnergyBasisModel.Build(TestModels.Chain(5, 'X'));
        var gen = new DaviesGenerator(dm);
        bool split = false;
        foreach (var sector in gen.Sectors.Where(s => s.Dimension >= 8).Take(6))
        {
            var whole = gen.SectorMatrix(sector).Evd(Symmetricity.Asymmetric).EigenValues.ToArray();
            var blocks = gen.SectorClassBlocks(sector).ToList();
            split |= blocks.Count > 1;
            Assert.Equal(sector.Dimension, blocks.Sum(b => b.Coordinates.Length));
            var parts = blocks.SelectMany(b => b.Matrix.Evd(Symmetricity.Asymmetric).EigenValues.ToArray()).ToList();
            foreach (var z in whole)
            {
                int at = parts.FindIndex(x => (x - z).Magnitude < 1e-9);
                Assert.True(at >= 0, $"sector ν = {sector.Frequency}: eigenvalue {z} not in any block");
                parts.RemoveAt(at);
            }
        }
        Assert.True(split, "no sector split into parity blocks");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void KrylovGap_EqualsDenseGap_OnTheSigmaXChain(int n)
    {
        var dm = EnergyBasisModel.Build(TestModels.Chain(n, 'X'));
        foreach (int modes in new[] { 1, 4 })
        {
            // Krylov on every large-sector block from 16 coordinates on, against the dense eigensolver on the same blocks
            var krylov = Spectrum.Compute(dm, new SpectrumOptions(Modes: modes) { KrylovMinimum = 16 });
            var dense = Spectrum.Compute(dm, new SpectrumOptions(Modes: modes) { KrylovMinimum = int.MaxValue });
            Assert.Equal(0, dense.KrylovBlocks);
            if (n >= 7) Assert.True(krylov.KrylovBlocks > 0, $"n = {n}: no block searched by Krylov–Schur");
            Assert.True(dense.SpectralGap > 0);
            Assert.True(Math.Abs(krylov.SpectralGap - dense.SpectralGap) < 1e-10 * dense.SpectralGap,
                $"n = {n}: Krylov gap {krylov.SpectralGap} vs dense {dense.SpectralGap}");
            // the gap is a coherence (below the population gap), which is what the Krylov search is for
            Assert.True(dense.SpectralGap < dense.PopulationGap!.Value, $"n = {n}");
            Assert.Equal(dense.KernelDimension, krylov.KernelDimension);
            Assert.Equal(dense.SlowestModes.Count, krylov.SlowestModes.Count);
            for (int i = 0; i < dense.SlowestModes.Count; i++)
                Assert.True((dense.SlowestModes[i].Eigenvalue - krylov.SlowestModes[i].Eigenvalue).Magnitude < 1e-9,
                    $"n = {n}: mode {i}: {krylov.SlowestModes[i].Eigenvalue} vs {dense.SlowestModes[i].Eigenvalue}");
            if (n <= 6)
            {
                // and the full dense spectrum, nothing pruned
                var full = Spectrum.Compute(dm, new SpectrumOptions(Modes: modes, Full: true));
                Assert.True(Math.Abs(krylov.SpectralGap - full.SpectralGap) < 1e-10 * full.SpectralGap, $"n = {n}: full");
            }
        }
    }
}
