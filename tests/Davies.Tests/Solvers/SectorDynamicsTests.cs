using Davies.Generators;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Tests.Solvers;

/// <summary>Sector decomposition, exact propagation and spectra against the independently built dense Liouvillian.</summary>
public class SectorDynamicsTests
{
    public static TheoryData<int, string> Cases() => new()
    {
        { 11, "nondegenerate" }, { 12, "nondegenerate" }, { 13, "levels" }, { 14, "levels" }, { 15, "gaps" }, { 16, "gaps" },
    };

    private static double[] Spectrum(string kind) => kind switch
    {
        "levels" => TestModels.DegenerateLevels,
        "gaps" => TestModels.DegenerateGaps,
        _ => TestModels.NonDegenerate,
    };

    private static OpenSystemModel Model(int seed, string kind) =>
        TestModels.Random(seed, Spectrum(kind), [0.6, 1.7], couplingsPerBath: 2);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sectors_PartitionAllCoherences_AndAreClosedUnderTheGenerator(int seed, string kind)
    {
        var dm = EnergyBasisModel.Build(Model(seed, kind));
        var gen = new DaviesGenerator(dm);
        int d = dm.Dimension;
        var seen = new int[d * d];
        foreach (var s in gen.Sectors)
        {
            int prev = -1;
            for (int k = 0; k < s.Dimension; k++)
            {
                var (m, n) = s.Element(k);
                Assert.True(m + n * d > prev, "column-stacking order");
                prev = m + n * d;
                seen[m + n * d]++;
                Assert.Same(s, gen.SectorOf(m, n));
                Assert.Equal(k, gen.SectorCoordinate(m, n));
                Assert.Contains(dm.Bohr.Id(dm.Basis.LevelOf(n), dm.Basis.LevelOf(m)), s.Ids);
            }
        }
        Assert.All(seen, c => Assert.Equal(1, c));
        // the dense generator (eigenbasis) has no entries between different sectors, and equals the sector blocks inside
        var dense = DenseLiouvillian.ToEigenbasis(DenseLiouvillian.Davies(dm), dm.Basis);
        double scale = dense.Enumerate().Max(z => z.Magnitude);
        foreach (var s in gen.Sectors)
        {
            var block = gen.SectorMatrix(s);
            for (int i = 0; i < s.Dimension; i++)
            {
                var (m, n) = s.Element(i);
                int row = m + n * d;
                for (int col = 0; col < d * d; col++)
                {
                    int m2 = col % d, n2 = col / d;
                    var expected = dense[row, col];
                    var actual = gen.SectorOf(m2, n2) == s ? block[i, gen.SectorCoordinate(m2, n2)] : Complex.Zero;
                    Assert.True((expected - actual).Magnitude < 1e-12 * scale, $"entry ({m},{n})←({m2},{n2}): {actual} vs {expected}");
                }
            }
        }
    }

    [Fact]
    public void GenericSpectrum_NonZeroSectorsAre1x1_AndPopulationSectorIsPauliMatrix()
    {
        var dm = EnergyBasisModel.Build(TestModels.Random(3, [-1.3, -0.41, 0.27, 0.93, 1.71], [1.0]));
        var gen = new DaviesGenerator(dm);
        int d = dm.Dimension;
        Assert.Equal(d * (d - 1) + 1, gen.Sectors.Count);
        Assert.All(gen.Sectors.Where(s => !s.IsPopulationSector), s => Assert.Equal(1, s.Dimension));
        var w = gen.PauliMatrix();
        var s0 = gen.SectorMatrix(gen.PopulationSector);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) Assert.True((s0[i, j] - w[i, j]).Magnitude < 1e-14);
    }

    private static Vector<Complex> DenseEvolve(Matrix<Complex> l, Matrix<Complex> rho0, double t) =>
        TestModels.TaylorExp(l * t) * Vectorization.Vec(rho0);

    [Theory]
    [MemberData(nameof(Cases))]
    public void SectorEvolution_EqualsExponentialOfDenseLiouvillian(int seed, string kind)
    {
        var model = Model(seed, kind);
        var dm = EnergyBasisModel.Build(model);
        var l = DenseLiouvillian.Davies(dm);
        int d = dm.Dimension;
        var rho0 = TestModels.RandomDensityMatrix(new Random(seed), d);
        double[] times = [0, 0.4, 3, 25];
        var res = Evolution.Run(dm, rho0, times);
        var pade = Evolution.Run(dm, rho0, times, null, new EvolutionOptions(ForcePade: true));
        Assert.Equal(0, res.Propagator.PadeBlockCount);
        Assert.Equal(res.Propagator.BlockCount, pade.Propagator.PadeBlockCount);
        for (int i = 0; i < times.Length; i++)
        {
            var expected = Vectorization.Unvec(DenseEvolve(l, rho0, times[i]), d);
            var rho = res.DensityMatrix(i);
            Assert.True((rho - expected).FrobeniusNorm() < 1e-10, $"t={times[i]}: {(rho - expected).FrobeniusNorm()}");
            Assert.True((pade.DensityMatrix(i) - rho).FrobeniusNorm() < 1e-10, $"Padé vs eigen at t={times[i]}");
            Assert.True(Math.Abs(rho.Trace().Real - 1) < 1e-12 && Math.Abs(rho.Trace().Imaginary) < 1e-12, "trace");
            Assert.True(Math.Abs(res.Populations[i].Sum() - 1) < 1e-12);
            Assert.True(TestModels.MinEigenvalue(rho) > -1e-12, "positive semidefinite");
            Assert.True((rho - rho.ConjugateTranspose()).FrobeniusNorm() < 1e-12, "Hermitian");
        }
    }

    /// <summary>
    /// The Davies generator written from its definition with nothing taken from the library but the model's rate
    /// functions: the exact eigenbasis U and spectrum the random model was built from, jump operators
    /// S_α(ω) = Σ_{E_m − E_n = ω} Π_n S_α Π_m from exact energy differences, H_LS = Σ_ω Σ_α S(ω) S_α(ω)†S_α(ω), and
    /// Kronecker products (column stacking: vec(AXB) = (Bᵀ ⊗ A) vec X). Eigenbasis coordinates.
    /// </summary>
    private static Matrix<Complex> IndependentDaviesLiouvillian(OpenSystemModel model, Matrix<Complex> u, double[] energies)
    {
        int d = energies.Length;
        var id = Matrix<Complex>.Build.DenseIdentity(d);
        var h = TestModels.Diag(energies);
        var omegas = new List<double>();
        for (int m = 0; m < d; m++)
            for (int n = 0; n < d; n++)
            {
                double w = energies[m] - energies[n];
                if (!omegas.Any(x => Math.Abs(x - w) < 1e-9)) omegas.Add(w);
            }
        var diss = Matrix<Complex>.Build.Dense(d * d, d * d);
        foreach (var bath in model.Baths)
            foreach (var coupling in bath.Couplings)
            {
                var a = u.ConjugateTranspose() * coupling * u;
                foreach (double w in omegas)
                {
                    var s = Matrix<Complex>.Build.Dense(d, d);
                    for (int m = 0; m < d; m++)
                        for (int n = 0; n < d; n++)
                            if (Math.Abs(energies[m] - energies[n] - w) < 1e-9) s[n, m] = a[n, m];
                    var sds = s.ConjugateTranspose() * s;
                    if (model.Options.LambShift && bath.Rates.HasLambShift) h += bath.Rates.LambShift(w) * sds;
                    double g = bath.Rates.Rate(w);
                    diss += g * (s.Conjugate().KroneckerProduct(s) - 0.5 * id.KroneckerProduct(sds) - 0.5 * sds.Transpose().KroneckerProduct(id));
                }
            }
        return -Complex.ImaginaryOne * (id.KroneckerProduct(h) - h.Transpose().KroneckerProduct(id)) + diss;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SectorEvolution_EqualsExponentialOfIndependentlyWrittenLiouvillian(int seed, string kind)
    {
        var (model, u) = TestModels.RandomWithBasis(seed, Spectrum(kind), [0.6, 1.7], couplingsPerBath: 2);
        var energies = Spectrum(kind);
        var l = IndependentDaviesLiouvillian(model, u, energies);
        int d = energies.Length;
        var rho0 = TestModels.RandomDensityMatrix(new Random(seed + 7), d);
        var x0 = Vectorization.Vec(u.ConjugateTranspose() * rho0 * u);
        double[] times = [0, 0.4, 3, 25];
        var res = Evolution.Run(model, rho0, times);
        Assert.Equal(PropagationMethod.Sectors, res.Method);
        for (int i = 0; i < times.Length; i++)
        {
            var expected = u * Vectorization.Unvec(TestModels.TaylorExp(l * times[i]) * x0, d) * u.ConjugateTranspose();
            var rho = res.DensityMatrix(i);
            Assert.True((rho - expected).FrobeniusNorm() < 1e-10, $"t={times[i]}: {(rho - expected).FrobeniusNorm()}");
            Assert.True(Math.Abs(rho.Trace().Real - 1) < 1e-12 && Math.Abs(rho.Trace().Imaginary) < 1e-12, "trace");
            Assert.True(TestModels.MinEigenvalue(rho) > -1e-12, "positive semidefinite");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evolution_StaysAStateAndReachesTheSteadyState(int seed, string kind)
    {
        var model = Model(seed, kind);
        var rng = new Random(seed + 100);
        var prop = Propagator.Create(model);
        var ss = SteadyState.Solve(model);
        for (int rep = 0; rep < 3; rep++)
        {
            var rho0 = TestModels.RandomDensityMatrix(rng, model.Dimension);
            var times = Enumerable.Range(0, 30).Select(k => 0.05 * Math.Pow(1.5, k)).ToArray();
            var res = Evolution.Run(prop, rho0, times);
            for (int i = 0; i < times.Length; i++)
            {
                var rho = res.DensityMatrix(i);
                Assert.True(Math.Abs(rho.Trace().Real - 1) < 1e-12, "trace");
                Assert.True(TestModels.MinEigenvalue(rho) > -1e-12, $"PSD at t={times[i]}");
            }
            Assert.True((res.Limit - ss.DensityMatrix).FrobeniusNorm() < 1e-9, "limit is the steady state");
            Assert.True((res.StateAt(1e6) - ss.DensityMatrix).FrobeniusNorm() < 1e-9);
        }
    }

    private static void AssertSameMultiset(IReadOnlyList<Complex> a, IReadOnlyList<Complex> b, double tol)
    {
        Assert.Equal(a.Count, b.Count);
        var left = b.ToList();
        foreach (var z in a)
        {
            int best = -1;
            double bestDist = double.PositiveInfinity;
            for (int k = 0; k < left.Count; k++)
            {
                double dist = (left[k] - z).Magnitude;
                if (dist < bestDist)
                {
                    bestDist = dist;
                    best = k;
                }
            }
            Assert.True(bestDist < tol, $"eigenvalue {z} unmatched (closest at {bestDist})");
            left.RemoveAt(best);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SectorEigenvalues_AreTheEigenvaluesOfTheDenseLiouvillian(int seed, string kind)
    {
        var dm = EnergyBasisModel.Build(Model(seed, kind));
        var spec = Davies.Solvers.Spectrum.Compute(dm);
        var dense = DenseLiouvillian.Davies(dm).Evd(Symmetricity.Asymmetric).EigenValues.ToArray();
        AssertSameMultiset(spec.Eigenvalues.Select(m => m.Eigenvalue).ToArray(), dense, 1e-9);
        var denseGap = dense.Where(z => z.Magnitude > 1e-9).Min(z => -z.Real);
        Assert.Equal(denseGap, spec.SpectralGap, 9);
        Assert.Equal(1, spec.KernelDimension);
        Assert.Equal(1 / spec.SpectralGap, spec.RelaxationTime, 9);
    }

    [Theory]
    [InlineData(21, 0.8)]
    [InlineData(22, 3.0)]
    [InlineData(23, double.PositiveInfinity)]
    public void DetailedBalance_SymmetricPath_EqualsGeneralPath(int seed, double beta)
    {
        var dm = EnergyBasisModel.Build(TestModels.Random(seed, TestModels.NonDegenerate, [beta, beta], couplingsPerBath: 2));
        var sym = Davies.Solvers.Spectrum.Compute(dm);
        var gen = Davies.Solvers.Spectrum.Compute(dm, new SpectrumOptions(UseDetailedBalance: false));
        Assert.Equal(SpectrumMethod.KmsSymmetric, sym.Method);
        Assert.Equal(SpectrumMethod.General, gen.Method);
        AssertSameMultiset(sym.Eigenvalues.Select(m => m.Eigenvalue).ToArray(), gen.Eigenvalues.Select(m => m.Eigenvalue).ToArray(), 1e-11);
        Assert.Equal(gen.PopulationGap!.Value, sym.PopulationGap!.Value, 12);
        Assert.Equal(gen.SpectralGap, sym.SpectralGap, 12);
        // different temperatures: no detailed balance, the general path is used
        var neq = Davies.Solvers.Spectrum.Compute(EnergyBasisModel.Build(TestModels.Random(seed, TestModels.NonDegenerate, [0.5, 2.0])));
        Assert.Equal(SpectrumMethod.General, neq.Method);
    }

    [Fact]
    public void SlowestModes_AreSortedAndLimited()
    {
        var spec = Davies.Solvers.Spectrum.Compute(TestModels.Random(5, TestModels.DegenerateGaps, [1.0]), new SpectrumOptions(Modes: 4));
        Assert.Equal(4, spec.SlowestModes.Count);
        Assert.Equal(spec.SpectralGap, -spec.SlowestModes[0].Eigenvalue.Real, 14);
        // by decay; equal decays (within SpectrumResult.TieRelative × the scale) ordered by frequency instead
        double tie = SpectrumResult.TieRelative * spec.Scale;
        for (int k = 1; k < 4; k++) Assert.True(-spec.SlowestModes[k].Eigenvalue.Real >= -spec.SlowestModes[k - 1].Eigenvalue.Real - tie);
        Assert.Null(spec.T1);
    }

    [Theory]
    [InlineData(31, SecularMode.None)]
    [InlineData(32, SecularMode.None)]
    public void Redfield_EvolutionEqualsDenseExponential_AndReachesItsSteadyState(int seed, SecularMode mode)
    {
        var model = TestModels.Random(seed, TestModels.NonDegenerate, [1.0, 1.5], secular: mode);
        var dm = EnergyBasisModel.Build(model);
        var l = DenseLiouvillian.RedfieldEigenbasis(dm);
        int d = dm.Dimension;
        var rho0 = TestModels.RandomDensityMatrix(new Random(seed), d);
        var res = Evolution.Run(dm, rho0, [0.7, 6]);
        Assert.Equal(PropagationMethod.RedfieldDense, res.Method);
        for (int i = 0; i < 2; i++)
        {
            var expected = Vectorization.Unvec(DenseEvolve(l, dm.Basis.ToEigenbasis(rho0), res.Times[i]), d);
            Assert.True((res.DensityMatrixEigenbasis(i) - expected).FrobeniusNorm() < 1e-10);
        }
        var ss = SteadyState.Solve(model);
        Assert.True((res.Limit - ss.DensityMatrix).FrobeniusNorm() < 1e-9);
        var spec = Davies.Solvers.Spectrum.Compute(dm);
        var dense = l.Evd(Symmetricity.Asymmetric).EigenValues.ToArray();
        AssertSameMultiset(spec.Eigenvalues.Select(m => m.Eigenvalue).ToArray(), dense, 1e-12);
    }
}
