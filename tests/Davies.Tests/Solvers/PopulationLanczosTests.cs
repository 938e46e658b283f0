using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Solvers;
using Davies.Spaces;
using Davies.Spectral;

namespace Davies.Tests.Solvers;

/// <summary>
/// The population block's slow end by block Lanczos (<see cref="PopulationLanczos"/>, method "kms-lanczos") against the
/// dense symmetric eigensolver of the same KMS-symmetrised Pauli matrix: gap, slowest modes, kernel, scale and skipped
/// sectors must agree; the dense path is the oracle (the threshold raised to <see cref="int.MaxValue"/>).
/// </summary>
public class PopulationLanczosTests
{
    private static SpectrumResult Lanczos(EnergyBasisModel dm, int modes, int budget = PopulationLanczos.DefaultBudget) =>
        Davies.Solvers.Spectrum.Compute(dm, new SpectrumOptions(Modes: modes) { PopulationLanczosMinimum = 0, PopulationLanczosBudget = budget });

    private static SpectrumResult Dense(EnergyBasisModel dm, int modes) =>
        Davies.Solvers.Spectrum.Compute(dm, new SpectrumOptions(Modes: modes) { PopulationLanczosMinimum = int.MaxValue });

    [Fact]
    public void TheChoice_WeighsTheComponents_AgainstTheWholeMatrix()
    {
        // Σ_c n_c³ / d² against the crossover: σz (one component of 256) → 256, σx (two parity classes of 128) → 64
        var options = new SpectrumOptions(Modes: 1) { PopulationLanczosMinimum = 100 };
        var z = Davies.Solvers.Spectrum.Compute(EnergyBasisModel.Build(TestModels.Chain(8, 'Z')), options);
        var x = Davies.Solvers.Spectrum.Compute(EnergyBasisModel.Build(TestModels.Chain(8, 'X')), options);
        Assert.Equal(SpectrumMethod.KmsLanczos, z.Method);
        Assert.Equal(SpectrumMethod.KmsSymmetric, x.Method);
        var xLanczos = Davies.Solvers.Spectrum.Compute(EnergyBasisModel.Build(TestModels.Chain(8, 'X')),
            new SpectrumOptions(Modes: 1) { PopulationLanczosMinimum = 60 });
        Assert.Equal(SpectrumMethod.KmsLanczos, xLanczos.Method);
        Assert.Equal(x.SpectralGap, xLanczos.SpectralGap, 1e-10 * x.Scale);
    }

    private static double[] PopulationValues(SpectrumResult r) =>
        r.Eigenvalues.Where(m => m.BohrFrequency == 0).Select(m => m.Eigenvalue.Real).OrderByDescending(x => x).ToArray();

    // every output the population block feeds, Lanczos = dense
    private static void AssertSameResults(SpectrumResult dense, SpectrumResult lanczos, int modes)
    {
        Assert.Equal(SpectrumMethod.KmsSymmetric, dense.Method);
        Assert.Equal(SpectrumMethod.KmsLanczos, lanczos.Method);
        double tol = 1e-10 * dense.Scale;
        Assert.Equal(dense.Scale, lanczos.Scale, 1e-10 * dense.Scale);
        Assert.Equal(dense.KernelDimension, lanczos.KernelDimension);
        Assert.Equal(dense.PersistentOscillations, lanczos.PersistentOscillations);
        Assert.True(dense.SpectralGap > 0);
        Assert.Equal(dense.SpectralGap, lanczos.SpectralGap, 1e-10 * dense.SpectralGap);
        Assert.Equal(dense.PopulationGap!.Value, lanczos.PopulationGap!.Value, 1e-10 * dense.PopulationGap.Value);
        Assert.Equal(dense.SkippedSectors, lanczos.SkippedSectors);
        Assert.Equal(Math.Min(modes, dense.SlowestModes.Count), lanczos.SlowestModes.Count);
        Assert.Equal(dense.SlowestModes.Count, lanczos.SlowestModes.Count);
        for (int i = 0; i < dense.SlowestModes.Count; i++)
        {
            var expected = dense.SlowestModes[i];
            Assert.Equal(expected.Eigenvalue.Real, lanczos.SlowestModes[i].Eigenvalue.Real, tol);
            // modes of one decay rate in different sectors (spectator coherences) are ordered by rounding: compare the
            // oscillation only when the decay rate is not shared
            if (dense.Eigenvalues.Count(m => Math.Abs(m.Eigenvalue.Real - expected.Eigenvalue.Real) <= 10 * tol) > 1) continue;
            Assert.Equal(expected.Eigenvalue.Imaginary, lanczos.SlowestModes[i].Eigenvalue.Imaginary, tol);
            Assert.Equal(expected.BohrFrequency, lanczos.SlowestModes[i].BohrFrequency, 1e-12);
        }
        // the listed population values are the top of the dense ones: the kernel, then the slowest decays, none missed
        var all = PopulationValues(dense);
        var top = PopulationValues(lanczos);
        Assert.InRange(top.Length, dense.KernelDimension + Math.Max(modes, 1), all.Length - 1);
        for (int i = 0; i < top.Length; i++) Assert.Equal(all[i], top[i], tol);
        Assert.True(lanczos.Eigenvalues.Count < dense.Eigenvalues.Count);
    }

    [Theory]
    [InlineData(6, 1)]
    [InlineData(6, 8)]
    [InlineData(7, 3)]
    [InlineData(8, 1)]
    [InlineData(8, 3)]
    [InlineData(8, 8)]
    [InlineData(9, 1)]
    [InlineData(9, 3)]
    [InlineData(9, 8)]
    public void IsingChain_Lanczos_EqualsDense(int n, int modes)
    {
        var dm = EnergyBasisModel.Build(TestModels.Chain(n, 'Z'));
        AssertSameResults(Dense(dm, modes), Lanczos(dm, modes), modes);
    }

    [Theory]
    [InlineData(31, 1.0, 1)]
    [InlineData(32, 0.3, 4)]
    [InlineData(33, 4.0, 10)]
    public void RandomNonDegenerateModel_Lanczos_EqualsDense(int seed, double beta, int modes)
    {
        var rng = new Random(seed);
        var spectrum = Enumerable.Range(0, 64).Select(_ => 4 * rng.NextDouble()).Order().ToArray();
        var dm = EnergyBasisModel.Build(TestModels.Random(seed, spectrum, [beta, beta]));
        Assert.True(dm.Basis.IsNonDegenerate);
        AssertSameResults(Dense(dm, modes), Lanczos(dm, modes), modes);
    }

    [Fact]
    public void WeakCoupling_ScaleFarAboveThePopulationBlock_Lanczos_EqualsDense()
    {
        // rates ~1e-7 against Bohr frequencies ~1: the spectrum's scale (and its zero threshold) is ~1e6 × ‖S‖
        var rng = new Random(61);
        int d = 64;
        var h = TestModels.RandomHermitian(rng, d);
        var baths = Enumerable.Range(0, 2).Select(i => new Bath($"b{i}", new TestRates(1.0, 1e-7 * (1 + i), 4, 0),
            [TestModels.RandomHermitian(rng, d)])).ToList();
        var dm = EnergyBasisModel.Build(new OpenSystemModel(HilbertSpace.Single(d), h, baths, null, new ModelOptions()));
        var dense = Dense(dm, 4);
        Assert.True(dense.Scale > 1e4 * -PopulationValues(dense).Min());
        AssertSameResults(dense, Lanczos(dm, 4), 4);
    }

    // two weakly coupled halves (a population decay ~1e-8 ‖S‖) under weak coupling (scale ~1e6 ‖S‖): the slow decay lies
    // between the zero threshold of ‖S‖ and the spectrum's own, so it counts as zero in the result
    private static EnergyBasisModel NearlyDecoupled()
    {
        var rng = new Random(71);
        int da = 30, d = 64;
        Matrix<Complex> Split(Matrix<Complex> m, double link)
        {
            var r = m.Clone();
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    if (i < da != j < da) r[i, j] *= link;
            return r;
        }
        var h = Split(TestModels.RandomHermitian(rng, d), 0);
        var baths = Enumerable.Range(0, 2).Select(i => new Bath($"b{i}", new TestRates(1.0, 1e-7 * (1 + i), 4, 0),
            [Split(TestModels.RandomHermitian(rng, d), 1e-4)])).ToList();
        return EnergyBasisModel.Build(new OpenSystemModel(HilbertSpace.Single(d), h, baths, null, new ModelOptions()));
    }

    [Fact]
    public void DecayBelowTheSpectrumsZeroThreshold_IsListedButNotCounted()
    {
        var dm = NearlyDecoupled();
        var dense = Dense(dm, 1);
        var pop = PopulationValues(dense);
        double norm = -pop.Min();
        // the premise: one population decay between 1e-10 ‖S‖ and 1e-10 × Scale, so the result counts it as zero
        Assert.Single(pop.Skip(1), x => -x > 1e-10 * norm && -x <= 1e-10 * dense.Scale);
        Assert.Equal(2, dense.KernelDimension);
        AssertSameResults(dense, Lanczos(dm, 1), 1);
    }

    [Fact]
    public void DecaySwallowedByTheFinalScale_FallsBackToDense()
    {
        // without the guard, Lanczos stops at the decay the final zero threshold swallows: the re-check diagonalises
        var dm = NearlyDecoupled();
        var dense = Dense(dm, 1);
        var unguarded = Davies.Solvers.Spectrum.Compute(dm, new SpectrumOptions(Modes: 1) { PopulationLanczosMinimum = 0, PopulationLanczosZeroGuard = 1 });
        Assert.Equal(SpectrumMethod.KmsSymmetric, unguarded.Method);
        Assert.Equal(dense.Eigenvalues.Count, unguarded.Eigenvalues.Count);
        Assert.Equal(dense.KernelDimension, unguarded.KernelDimension);
        Assert.Equal(dense.SpectralGap, unguarded.SpectralGap, 1e-12 * dense.Scale);
        Assert.Equal(dense.PopulationGap!.Value, unguarded.PopulationGap!.Value, 1e-12 * dense.Scale);
    }

    [Fact]
    public void TwoClosedClasses_KernelDimensionTwo_Lanczos_EqualsDense()
    {
        // H = H_A ⊕ H_B with block-diagonal couplings: two closed classes of W, a two-dimensional kernel
        var rng = new Random(41);
        int da = 30, db = 34, d = da + db;
        Matrix<Complex> DirectSum(Matrix<Complex> a, Matrix<Complex> b)
        {
            var m = Matrix<Complex>.Build.Dense(d, d);
            m.SetSubMatrix(0, 0, a);
            m.SetSubMatrix(da, da, b);
            return m;
        }
        var h = DirectSum(TestModels.RandomHermitian(rng, da), TestModels.RandomHermitian(rng, db));
        var baths = Enumerable.Range(0, 2).Select(i => new Bath($"b{i}", new TestRates(1.2, 0.03 + 0.01 * i),
            [DirectSum(TestModels.RandomHermitian(rng, da), TestModels.RandomHermitian(rng, db))])).ToList();
        var dm = EnergyBasisModel.Build(new OpenSystemModel(HilbertSpace.Single(d), h, baths, null, new ModelOptions()));
        var dense = Dense(dm, 3);
        Assert.Equal(2, dense.KernelDimension);
        AssertSameResults(dense, Lanczos(dm, 3), 3);
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(3, 1)]
    [InlineData(3, 5)]
    public void SpectatorCopies_RepeatedDecays_Lanczos_CatchesEveryCopy(int copies, int modes)
    {
        // H = H_A ⊗ 1 + 1 ⊗ H_C with C uncoupled (incommensurate levels: H_S stays non-degenerate): every decay of A
        // appears once per spectator level, and the kernel has one vector per spectator level
        var rng = new Random(50 + copies);
        int da = 24;
        var ha = TestModels.RandomHermitian(rng, da);
        var hc = TestModels.Diag(Enumerable.Range(0, copies).Select(i => 0.3713 * i + 0.0517 * i * i).ToArray());
        var ia = Matrix<Complex>.Build.DenseIdentity(da);
        var ic = Matrix<Complex>.Build.DenseIdentity(copies);
        var h = ha.KroneckerProduct(ic) + ia.KroneckerProduct(hc);
        var baths = Enumerable.Range(0, 2).Select(i => new Bath($"b{i}", new TestRates(0.9, 0.02 + 0.01 * i),
            [TestModels.RandomHermitian(rng, da).KroneckerProduct(ic)])).ToList();
        var dm = EnergyBasisModel.Build(new OpenSystemModel(HilbertSpace.Single(da * copies), h, baths, null, new ModelOptions()));
        Assert.True(dm.Basis.IsNonDegenerate);
        var dense = Dense(dm, modes);
        Assert.Equal(copies, dense.KernelDimension);
        var all = PopulationValues(dense);
        // the premise: the slowest decay is repeated once per copy
        Assert.Equal(copies, all.Count(x => Math.Abs(x - all[copies]) <= 1e-9 * dense.Scale));
        var lanczos = Lanczos(dm, modes);
        AssertSameResults(dense, lanczos, modes);
        var top = PopulationValues(lanczos);
        Assert.Equal(copies, top.Count(x => Math.Abs(x - all[copies]) <= 1e-9 * dense.Scale));
    }

    [Fact]
    public void TinyBudget_FallsBackToDense()
    {
        var dm = EnergyBasisModel.Build(TestModels.Chain(8, 'Z'));
        var dense = Dense(dm, 3);
        var fallback = Lanczos(dm, 3, budget: 1);
        Assert.Equal(SpectrumMethod.KmsSymmetric, fallback.Method);
        Assert.Equal(dense.Eigenvalues.Count, fallback.Eigenvalues.Count);
        Assert.Equal(dense.SpectralGap, fallback.SpectralGap, 1e-14 * dense.Scale);
        Assert.Equal(dense.Scale, fallback.Scale);
        // and the Lanczos search itself refuses rather than answering
        var s = KmsMatrix(dm);
        Assert.Null(PopulationLanczos.Find(s, 3, 1, dm.Backend, budget: 1));
        Assert.NotNull(PopulationLanczos.Find(s, 3, 1, dm.Backend));
    }

    [Fact]
    public void Full_KeepsTheDensePath()
    {
        var dm = EnergyBasisModel.Build(TestModels.Chain(6, 'Z'));
        var full = Davies.Solvers.Spectrum.Compute(dm, new SpectrumOptions(Modes: 3, Full: true) { PopulationLanczosMinimum = 0 });
        Assert.Equal(SpectrumMethod.KmsSymmetric, full.Method);
        Assert.Equal(dm.Dimension * dm.Dimension, full.Eigenvalues.Count);
    }

    [Fact]
    public void KnownSpectrum_WithMultiplicities_IsFoundToTheResidual()
    {
        // S = Q diag(λ) Qᵀ with a double zero, a triple slowest decay and a spread fast end
        var rng = new Random(7);
        int d = 240;
        var lambda = new List<double> { 0, 0, -0.01, -0.01, -0.01, -0.02, -0.035, -0.05 };
        while (lambda.Count < d) lambda.Add(-0.1 - 1.9 * rng.NextDouble());
        var q = Matrix<double>.Build.Dense(d, d, (_, _) => rng.NextDouble() - 0.5).QR().Q;
        var s = q * Matrix<double>.Build.DenseOfDiagonalArray(lambda.ToArray()) * q.Transpose();
        s = 0.5 * (s + s.Transpose());
        var found = PopulationLanczos.Find(s, 4, 2, LinearAlgebraProvider.Current);
        Assert.NotNull(found);
        var expected = lambda.OrderByDescending(x => x).ToArray();
        Assert.True(found.Slow.Length >= 6);
        for (int i = 0; i < found.Slow.Length; i++) Assert.Equal(expected[i], found.Slow[i], 1e-10);
        Assert.Equal(expected[^1], found.Fastest, 1e-10);
        Assert.True(found.Residual <= 1e-10);
    }

    private static Matrix<double> KmsMatrix(EnergyBasisModel dm)
    {
        var gen = new Davies.Generators.DaviesGenerator(dm);
        return Davies.Solvers.Spectrum.KmsSymmetric(dm, gen.SharedPauliMatrix())!;
    }
}
