using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Solvers;
using Davies.Spaces;
using Davies.Spectral;

namespace Davies.Tests.Physics;

public class DaviesStructureTests
{
    public static TheoryData<int, string> Cases() => new()
    {
        { 1, "nondegenerate" }, { 2, "nondegenerate" }, { 3, "levels" }, { 4, "levels" }, { 5, "gaps" }, { 6, "gaps" },
    };

    private static double[] Spectrum(string kind) => kind switch
    {
        "levels" => TestModels.DegenerateLevels,
        "gaps" => TestModels.DegenerateGaps,
        _ => TestModels.NonDegenerate,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SteadyState_IsGibbsAndUnique_ForSingleTemperature(int seed, string kind)
    {
        var model = TestModels.Random(seed, Spectrum(kind), [0.8, 0.8], couplingsPerBath: 2);
        var ss = SteadyState.Solve(model);
        Assert.True(ss.Unique);
        Assert.Equal(1, ss.KernelDimension);
        Assert.True(ss.GibbsTraceDistance < 1e-10, $"distance {ss.GibbsTraceDistance}");
        foreach (var j in ss.HeatCurrents.Values) Assert.True(Math.Abs(j) < 1e-12, $"current {j}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sector0Solution_EqualsNullVectorOfDenseLiouvillian(int seed, string kind)
    {
        var model = TestModels.Random(seed, Spectrum(kind), [0.5, 2.0], couplingsPerBath: 1);
        var ss = SteadyState.Solve(model);
        var dm = EnergyBasisModel.Build(model);
        var l = DenseLiouvillian.Davies(dm);
        int d = model.Dimension;
        var svd = l.Svd(true);
        Assert.True(svd.S[d * d - 2].Magnitude > 1e-8 * svd.S[0].Magnitude, "dense kernel is one-dimensional");
        var v = Vectorization.Unvec(svd.VT.Row(d * d - 1).Conjugate(), d);
        v /= v.Trace();
        Assert.True((v - ss.DensityMatrix).FrobeniusNorm() < 1e-10, $"difference {(v - ss.DensityMatrix).FrobeniusNorm()}");
        Assert.True(ss.GibbsTraceDistance is null);
        Assert.True((l * Vectorization.Vec(ss.DensityMatrix)).L2Norm() < 1e-11);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DenseGenerator_PreservesTraceAndHermiticity_AndIsCompletelyPositive(int seed, string kind)
    {
        var model = TestModels.Random(seed, Spectrum(kind), [1.0], couplingsPerBath: 2);
        var l = DenseLiouvillian.Davies(EnergyBasisModel.Build(model));
        int d = model.Dimension;
        var rng = new Random(seed);
        var x = Matrix<Complex>.Build.Dense(d, d, (i, j) => new Complex(rng.NextDouble(), rng.NextDouble()));
        var lx = Vectorization.Unvec(l * Vectorization.Vec(x), d);
        var lxh = Vectorization.Unvec(l * Vectorization.Vec(x.ConjugateTranspose()), d);
        Assert.True(lx.Trace().Magnitude < 1e-12, "trace preserved");
        Assert.True((lxh - lx.ConjugateTranspose()).FrobeniusNorm() < 1e-12, "Hermiticity preserved");
        // conditional complete positivity: the Choi matrix of L is PSD on the complement of the maximally entangled vector
        var choi = Choi(l, d);
        var omega = Vector<Complex>.Build.Dense(d * d);
        for (int i = 0; i < d; i++) omega[i + i * d] = 1 / Math.Sqrt(d);
        var q = Matrix<Complex>.Build.DenseIdentity(d * d) - omega.OuterProduct(omega.Conjugate());
        var restricted = q * choi * q;
        restricted = 0.5 * (restricted + restricted.ConjugateTranspose());
        double min = restricted.Evd(Symmetricity.Hermitian).EigenValues.Min(z => z.Real);
        Assert.True(min > -1e-12, $"min eigenvalue {min}");
    }

    // Choi matrix C = Σ_ij |i⟩⟨j| ⊗ L(|i⟩⟨j|), column-stacking consistent.
    internal static Matrix<Complex> Choi(Matrix<Complex> l, int d)
    {
        var c = Matrix<Complex>.Build.Dense(d * d, d * d);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                var e = Vector<Complex>.Build.Dense(d * d);
                e[i + j * d] = 1;
                var img = Vectorization.Unvec(l * e, d);
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) c[i * d + a, j * d + b] = img[a, b];
            }
        return c;
    }

    [Theory]
    [InlineData(3, "levels")]
    [InlineData(5, "gaps")]
    public void Results_DoNotDependOnBasisInsideDegenerateLevels(int seed, string kind)
    {
        var model = TestModels.Random(seed, Spectrum(kind), [0.7, 1.9], couplingsPerBath: 2);
        var basis = EigenBasis.Compute(model.Hamiltonian);
        var rng = new Random(99);
        var v = basis.Vectors.Clone();
        foreach (var level in basis.Levels.Where(l => l.Count > 1))
        {
            var u = TestModels.RandomUnitary(rng, level.Count);
            var block = v.SubMatrix(0, v.RowCount, level.Start, level.Count) * u;
            v.SetSubMatrix(0, level.Start, block);
        }
        var rotated = EigenBasis.FromDecomposition(basis.Energies, v);
        var a = SteadyState.Solve(EnergyBasisModel.Build(model, basis));
        var b = SteadyState.Solve(EnergyBasisModel.Build(model, rotated));
        Assert.True((a.DensityMatrix - b.DensityMatrix).FrobeniusNorm() < 1e-12);
        Assert.Equal(a.ShiftedEnergies, b.ShiftedEnergies, (x, y) => Math.Abs(x - y) < 1e-12);
        foreach (var name in a.HeatCurrents.Keys) Assert.Equal(a.HeatCurrents[name], b.HeatCurrents[name], 12);
    }

    [Fact]
    public void CollectiveCoupling_OfIdenticalQubits_ReportsNonUniqueSteadyState()
    {
        var h = 0.5 * (TestModels.PauliString("ZI") + TestModels.PauliString("IZ"));
        var s = TestModels.PauliString("XI") + TestModels.PauliString("IX");
        var model = new OpenSystemModel(new HilbertSpace([2, 2]), h, [new Bath("b", new TestRates(1.0), [s])]);
        var ss = SteadyState.Solve(model);
        Assert.False(ss.Unique);
        Assert.True(ss.KernelDimension >= 2);
        Assert.Equal(1.0, ss.DensityMatrix.Trace().Real, 12);
        var eig = ss.DensityMatrix.Evd(Symmetricity.Hermitian).EigenValues.Select(z => z.Real).ToArray();
        Assert.True(eig.Min() > -1e-12);
        // the singlet (|01⟩ − |10⟩)/√2 is dark: starting maximally mixed it keeps weight 1/4
        var singlet = Vector<Complex>.Build.Dense([0, 1 / Math.Sqrt(2), -1 / Math.Sqrt(2), 0]);
        Assert.Equal(0.25, (singlet.Conjugate() * (ss.DensityMatrix * singlet)).Real, 10);
    }

    [Fact]
    public void TwoQubitsBetweenHotAndColdBaths_CarryHeatFromHotToCold()
    {
        var h = 0.5 * (TestModels.PauliString("ZI") + 1.2 * TestModels.PauliString("IZ"))
                + 0.1 * (TestModels.PauliString("XX") + TestModels.PauliString("YY"));
        var hot = new Bath("hot", new TestRates(0.5), [TestModels.PauliString("XI")]);
        var cold = new Bath("cold", new TestRates(2.0), [TestModels.PauliString("IX")]);
        var ss = SteadyState.Solve(new OpenSystemModel(new HilbertSpace([2, 2]), h, [hot, cold]));
        Assert.True(ss.Unique);
        Assert.True(ss.HeatCurrents["hot"] > 1e-6, $"J_hot = {ss.HeatCurrents["hot"]}");
        Assert.True(ss.HeatCurrents["cold"] < -1e-6);
        Assert.True(Math.Abs(ss.HeatCurrents["hot"] + ss.HeatCurrents["cold"]) < 1e-13);
        Assert.True(ss.EntropyProduction > 0);
        Assert.Null(ss.GibbsTraceDistance);
    }
}

public class GeneratorCheckTests
{
    [Theory]
    [InlineData(11, 0.3)]
    [InlineData(12, 3.0)]
    [InlineData(13, 0.3, "nondegenerate")]
    [InlineData(14, 3.0, "nondegenerate")]
    [InlineData(15, 0.3, "levels")]
    [InlineData(16, 3.0, "levels")]
    public void Checks_Pass_ForRandomModels(int seed, double beta, string kind = "gaps")
    {
        var spectrum = kind == "levels" ? TestModels.DegenerateLevels : kind == "nondegenerate" ? TestModels.NonDegenerate : TestModels.DegenerateGaps;
        var model = TestModels.Random(seed, spectrum, [beta], couplingsPerBath: 2);
        var gen = new DaviesGenerator(EnergyBasisModel.Build(model));
        var checks = Davies.Diagnostics.GeneratorChecks.Run(gen);
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Value}"));
        Assert.Contains(checks, c => c.Name == "gibbs_stationary");
    }

    [Fact]
    public void GibbsCheck_Fails_WhenRatesBreakDetailedBalance()
    {
        var rng = new Random(5);
        var h = TestModels.RandomHermitian(rng, 4);
        var bath = new Bath("b", new BrokenRates(), [TestModels.RandomHermitian(rng, 4)]);
        var model = new OpenSystemModel(HilbertSpace.Single(4), h, [bath]);
        var gen = new DaviesGenerator(EnergyBasisModel.Build(model));
        var checks = Davies.Diagnostics.GeneratorChecks.Run(gen);
        Assert.False(checks.Single(c => c.Name == "kms").Passed);
        Assert.False(checks.Single(c => c.Name == "gibbs_stationary").Passed);
    }

    [Fact]
    public void HeatCurrent_EqualsTraceOfHamiltonianTimesDenseDissipatorOfThatBath()
    {
        var model = TestModels.Random(21, TestModels.DegenerateLevels, [0.4, 2.5], couplingsPerBath: 2);
        var ss = SteadyState.Solve(model);
        var rho = Vectorization.Vec(ss.DensityMatrix);
        foreach (var bath in model.Baths)
        {
            var only = new OpenSystemModel(model.Space, model.Hamiltonian, [bath], null, model.Options);
            var l = DenseLiouvillian.Davies(EnergyBasisModel.Build(only));
            var y = Vectorization.Unvec(l * rho, model.Dimension);
            double expected = (model.Hamiltonian * y).Trace().Real;
            Assert.Equal(expected, ss.HeatCurrents[bath.Name], 12);
        }
        Assert.True(Math.Abs(ss.HeatCurrents.Values.Sum()) < 1e-13);
    }

    [Fact]
    public void KossakowskiCheck_Fails_ForANegativeRate()
    {
        var rng = new Random(6);
        var h = TestModels.RandomHermitian(rng, 4);
        var bath = new Bath("b", new NegativeRates(), [TestModels.RandomHermitian(rng, 4)]);
        var gen = new DaviesGenerator(EnergyBasisModel.Build(new OpenSystemModel(HilbertSpace.Single(4), h, [bath])));
        var checks = Davies.Diagnostics.GeneratorChecks.Run(gen);
        var cp = checks.Single(c => c.Name == "kossakowski_psd");
        Assert.False(cp.Passed);
        Assert.True(cp.Value < 0);
        Assert.True(checks.Single(c => c.Name == "kms").Passed); // the rates do obey KMS: only complete positivity fails
    }

    [Fact]
    public void Checks_Report_TheSmallestRateAndKmsViolation_OfAQubit()
    {
        // One qubit, one Bohr frequency ω0: the Kossakowski "matrices" are the rates G(ω0), G(0), G(−ω0).
        var rates = new TestRates(0.7);
        var model = new OpenSystemModel(HilbertSpace.Single(2), 0.5 * 1.3 * TestModels.Pauli('Z'),
            [new Bath("b", rates, [TestModels.Pauli('X') + 0.4 * TestModels.Pauli('Z')])]);
        var checks = Davies.Diagnostics.GeneratorChecks.Run(new DaviesGenerator(EnergyBasisModel.Build(model)));
        double expectedMin = new[] { rates.Rate(1.3), rates.Rate(0), rates.Rate(-1.3) }.Min();
        Assert.Equal(expectedMin, checks.Single(c => c.Name == "kossakowski_psd").Value, 14);
        Assert.True(checks.Single(c => c.Name == "kms").Value < 1e-14);
    }

    private sealed class NegativeRates : Davies.Baths.IRateFunction
    {
        public double Beta => 1;
        public double Rate(double w) => w == 0 ? -0.01 : 0.1 * (w > 0 ? 1 : Math.Exp(w)); // KMS, but G(0) < 0
        public double LambShift(double w) => 0;
        public bool HasLambShift => false;
        public string Description => "negative";
    }

    private sealed class BrokenRates : Davies.Baths.IRateFunction
    {
        public double Beta => 1;
        public double Rate(double w) => 0.1 + 0.05 * w * w; // symmetric: violates KMS
        public double LambShift(double w) => 0;
        public bool HasLambShift => false;
        public string Description => "broken";
    }
}

public class Sector0ApplyTests
{
    [Theory]
    [InlineData(51, "levels")]
    [InlineData(52, "gaps")]
    [InlineData(53, "none")]
    public void BlockwiseApply_EqualsSector0Matrix(int seed, string kind)
    {
        var spectrum = kind == "levels" ? TestModels.DegenerateLevels : kind == "gaps" ? TestModels.DegenerateGaps : TestModels.NonDegenerate;
        var model = TestModels.Random(seed, spectrum, [0.5, 1.5], couplingsPerBath: 2);
        var gen = new DaviesGenerator(EnergyBasisModel.Build(model));
        var rng = new Random(seed);
        var x = Vector<Complex>.Build.Dense(gen.PopulationSpace.Dimension, _ => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        var expected = gen.PopulationSectorMatrix() * x;
        Assert.True((gen.ApplyPopulationSector(x) - expected).L2Norm() < 1e-13 * Math.Max(1, expected.L2Norm()));
    }
}

public class RateSharingTests
{
    [Fact]
    public void RateTables_AreSharedOnlyBetweenIdenticalRateFunctions()
    {
        var ohmic = new Davies.Baths.ThermalRates(new Davies.Baths.OhmicSpectralDensity(0.01, 5), 1.0);
        var same = new Davies.Baths.ThermalRates(new Davies.Baths.OhmicSpectralDensity(0.01, 5), 1.0);
        var other = new Davies.Baths.ThermalRates(new Davies.Baths.OhmicSpectralDensity(0.02, 5), 1.0);
        Assert.Equal(EnergyBasisModel.ShareKey(ohmic), EnergyBasisModel.ShareKey(same));
        Assert.NotEqual(EnergyBasisModel.ShareKey(ohmic), EnergyBasisModel.ShareKey(other));
        var a = new TestRates(1.0, eta: 0.01);
        var b = new TestRates(1.0, eta: 0.02); // same Description, different rates
        Assert.NotEqual(EnergyBasisModel.ShareKey(a), EnergyBasisModel.ShareKey(b));
    }

    [Fact]
    public void BathsWithEqualDescriptionsButDifferentRates_KeepTheirOwnRates()
    {
        var rng = new Random(3);
        var h = TestModels.RandomHermitian(rng, 4);
        var s = TestModels.RandomHermitian(rng, 4);
        var model = new OpenSystemModel(HilbertSpace.Single(4), h,
            [new Bath("a", new TestRates(1.0, eta: 0.01), [s]), new Bath("b", new TestRates(1.0, eta: 0.05), [s])]);
        var dm = EnergyBasisModel.Build(model);
        Assert.Equal(5 * dm.Jumps.Rate(0, 1), dm.Jumps.Rate(1, 1), 12);
    }
}

public class ZeroFrequencyRateTests
{
    [Fact]
    public void SubOhmicBath_Throws_OnlyWhenACouplingHasAZeroFrequencyPart()
    {
        var sub = new Davies.Baths.ThermalRates(new Davies.Baths.OhmicSpectralDensity(0.02, 5, 0.5), 1.0);
        var h = 0.5 * TestModels.Pauli('Z');
        var x = TestModels.Pauli('X');
        // σx on H = σz/2 has only ω = ±1 parts: G(0) is never needed and the qubit thermalises.
        var ok = SteadyState.Solve(new OpenSystemModel(HilbertSpace.Single(2), h, [new Bath("b", sub, [x])]));
        Assert.Equal(-Math.Tanh(0.5), ok.Expectation(TestModels.Pauli('Z')), 1e-10);
        // σx + σz has an ω = 0 (dephasing) part: a typed error naming the bath and the coupling.
        var model = new OpenSystemModel(HilbertSpace.Single(2), h,
            [new Bath("a", new TestRates(1.0), [x]), new Bath("b", sub, [x, x + TestModels.Pauli('Z')], ["X0", "X0 + Z0"])]);
        var ex = Assert.Throws<DivergentRateException>(() => SteadyState.Solve(model));
        Assert.StartsWith("baths[1].couplings[1] ('X0 + Z0' of bath 'b'): ", ex.Message);
        Assert.Contains("sub-Ohmic", ex.Message);
        Assert.Contains("ω = 0", ex.Message);
        // At T = 0, G(0) = 0 for every bath: no error.
        var cold = new Davies.Baths.ThermalRates(new Davies.Baths.OhmicSpectralDensity(0.02, 5, 0.5), double.PositiveInfinity);
        var zero = SteadyState.Solve(new OpenSystemModel(HilbertSpace.Single(2), h, [new Bath("b", cold, [x + TestModels.Pauli('Z')])]));
        Assert.Equal(-1.0, zero.Expectation(TestModels.Pauli('Z')), 1e-10);
    }
}
