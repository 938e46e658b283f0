using Davies.Baths;
using Davies.Diagnostics;
using Davies.Generators;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spaces;
using Davies.Spectral;

namespace Davies.Tests.Diagnostics;

/// <summary>
/// Conserved quantities L†(X) = 0 and the invariant subspaces: the swap symmetry of two identical qubits with a
/// collective coupling (triplet 3, singlet 1), the parity of an Ising chain with σx couplings, analytic weights,
/// the dense Liouvillian as an independent check, and the canonical (echelon) basis.
/// </summary>
public class ConservedQuantitiesTests
{
    // Two identical qubits H = ½(Z0 + Z1) and one collective coupling X0 + X1 (its own Ohmic bath at T = 1).
    internal static OpenSystemModel CollectivePair(double temperature = 1, int spectators = 0)
    {
        var space = new HilbertSpace(Enumerable.Repeat(2, 2 + spectators));
        var h = OperatorParser.Sum([(0.5, "Z0"), (0.5, "Z1")], space);
        var bath = new Bath("b", new ThermalRates(new OhmicSpectralDensity(0.05, 5), 1 / temperature),
            [OperatorParser.Sum([(1, "X0"), (1, "X1")], space)]);
        return new OpenSystemModel(space, h, [bath]);
    }

    [Fact]
    public void UniqueSteadyState_ReportsOnlyTheIdentity()
    {
        var ss = SteadyState.Solve(TestModels.Qubit(1, 2));
        var c = ConservedQuantities.Of(ss);
        Assert.Equal(1, c.Count);
        var x = Assert.Single(c.Quantities);
        Assert.Equal("I", x.Expression);
        Assert.Equal(1, x.Expectation, 12);
        var s = Assert.Single(c.InvariantSubspaces!);
        Assert.Equal(2, s.Dimension);
        Assert.Equal(1, s.Weight, 12);
        Assert.Equal(1, s.GibbsWeight!.Value, 12);
        Assert.True(s.GibbsTraceDistance < 1e-10);
        Assert.Equal(0, c.TransientDimension);
        Assert.True(c.CoherentKernel.Excluded);
    }

    [Fact]
    public void CollectiveCoupling_ReportsSwapSymmetry_TripletAndSinglet()
    {
        var model = CollectivePair();
        var ss = SteadyState.Solve(model);
        var c = ConservedQuantities.Of(ss);
        Assert.Equal(2, c.Count);
        Assert.True(c.Canonical);
        Assert.Equal(["I", "X0 X1 + Y0 Y1 + Z0 Z1"], c.Quantities.Select(q => q.Expression));
        // X0 X1 + Y0 Y1 + Z0 Z1 = 2 SWAP − 1, independently built
        var swap = Matrix<Complex>.Build.Dense(4, 4);
        swap[0, 0] = swap[3, 3] = swap[1, 2] = swap[2, 1] = 1;
        Assert.True((c.Quantities[1].Operator() - (2 * swap - Matrix<Complex>.Build.DenseIdentity(4))).FrobeniusNorm() < 1e-10);
        var dims = c.InvariantSubspaces!.Select(s => s.Dimension).OrderDescending().ToArray();
        Assert.Equal([3, 1], dims);
        var triplet = c.InvariantSubspaces!.Single(s => s.Dimension == 3);
        var singlet = c.InvariantSubspaces!.Single(s => s.Dimension == 1);
        // projectors: (1 ± SWAP)/2
        Assert.True((triplet.Projector() - 0.5 * (Matrix<Complex>.Build.DenseIdentity(4) + swap)).FrobeniusNorm() < 1e-10);
        Assert.True((singlet.Projector() - 0.5 * (Matrix<Complex>.Build.DenseIdentity(4) - swap)).FrobeniusNorm() < 1e-10);
        // the maximally mixed start keeps 3/4 in the triplet; the Gibbs state puts 1/Z on the singlet (E = 0)
        Assert.Equal(0.75, triplet.Weight, 10);
        Assert.Equal(0.25, singlet.Weight, 10);
        double z = Math.Exp(1) + 2 + Math.Exp(-1);
        Assert.Equal(1 / z, singlet.GibbsWeight!.Value, 12);
        Assert.Equal(1 - 1 / z, triplet.GibbsWeight!.Value, 12);
        // inside each subspace the state is the restricted Gibbs state
        Assert.True(triplet.GibbsTraceDistance < 1e-9, $"{triplet.GibbsTraceDistance}");
        Assert.True(singlet.GibbsTraceDistance < 1e-9);
        Assert.Equal(1, triplet.KernelDimension);
        // the state inside the triplet is the restricted Gibbs state, built independently: e^{−βH} on (1 + SWAP)/2
        var h = model.Hamiltonian;
        var gibbs = Matrix<Complex>.Build.DenseOfDiagonalArray(Enumerable.Range(0, 4).Select(i => new Complex(Math.Exp(-h[i, i].Real), 0)).ToArray());
        var pt = 0.5 * (Matrix<Complex>.Build.DenseIdentity(4) + swap);
        var restricted = pt * gibbs * pt;
        restricted /= restricted.Trace();
        Assert.True((triplet.GibbsState()! - restricted).FrobeniusNorm() < 1e-10);
        var inside = pt * ss.DensityMatrix * pt / triplet.Weight;
        Assert.True((inside - restricted).FrobeniusNorm() < 1e-9);
        // ⟨2 SWAP − 1⟩ = 2(¾ − ¼) − 1 = 0 from the maximally mixed start
        Assert.Equal(0, c.Quantities[1].Expectation, 10);
    }

    [Fact]
    public void ParityPreservingCoupling_ReportsTheParity()
    {
        var ss = SteadyState.Solve(TestModels.Chain(3, 'X'));
        Assert.Equal(SteadyStateMethod.Pauli, ss.Method);
        var c = ConservedQuantities.Of(ss);
        Assert.Equal(2, c.Count);
        Assert.Equal(["I", "X0 X1 X2"], c.Quantities.Select(q => q.Expression));
        Assert.Equal([4, 4], c.InvariantSubspaces!.Select(s => s.Dimension));
        Assert.All(c.InvariantSubspaces!, s => Assert.Equal(0.5, s.Weight, 10));
        var parity = OperatorParser.Parse("X0 X1 X2", ss.Model.Space);
        foreach (var s in c.InvariantSubspaces!)
        {
            var p = s.Projector();
            Assert.True((p * parity - parity * p).FrobeniusNorm() < 1e-9);
            Assert.True(s.GibbsTraceDistance < 1e-9);
        }
    }

    [Theory]
    [InlineData("level:0", "level:1")]
    [InlineData("000", "level:3")]
    public void InitialState_LimitEqualsLongTimeEvolution_AndKeepsTheParity(string a, string b)
    {
        var model = ChainWithStrongerBath(3);
        var dm = EnergyBasisModel.Build(model);
        var parity = OperatorParser.Parse("X0 X1 X2", model.Space);
        var limits = new List<Matrix<Complex>>();
        foreach (var spec in new[] { a, b })
        {
            var rho0 = InitialStates.Parse(spec, dm);
            var ss = SteadyState.Solve(dm, new SteadyStateOptions { InitialState = rho0 });
            Assert.True(ss.FromInitialState);
            var late = Evolution.Run(dm, rho0, [4000.0]).DensityMatrix(0);
            Assert.True((ss.DensityMatrix - late).FrobeniusNorm() < 1e-8, $"{spec}: {(ss.DensityMatrix - late).FrobeniusNorm()}");
            Assert.Equal(Thermal.Expectation(rho0, parity), ss.Expectation(parity), 10);
            var c = ConservedQuantities.Of(ss);
            Assert.Equal(Thermal.Expectation(rho0, parity), c.Quantities[1].Expectation, 10);
            limits.Add(ss.DensityMatrix);
        }
        Assert.True((limits[0] - limits[1]).FrobeniusNorm() > 0.1);
    }

    [Fact]
    public void InitialState_InTheSinglet_StaysThere_AndDiffersFromTheTriplet()
    {
        var dm = EnergyBasisModel.Build(CollectivePair());
        var singletStart = Matrix<Complex>.Build.Dense(4, 4);
        singletStart[1, 1] = singletStart[2, 2] = 0.5;
        singletStart[1, 2] = singletStart[2, 1] = -0.5;
        var fromSinglet = SteadyState.Solve(dm, new SteadyStateOptions { InitialState = singletStart });
        Assert.True((fromSinglet.DensityMatrix - singletStart).FrobeniusNorm() < 1e-9);
        var from01 = SteadyState.Solve(dm, new SteadyStateOptions { InitialState = InitialStates.Parse("01", dm) });
        var from00 = SteadyState.Solve(dm, new SteadyStateOptions { InitialState = InitialStates.Parse("00", dm) });
        foreach (var (r, rho0) in new[] { (from01, InitialStates.Parse("01", dm)), (from00, InitialStates.Parse("00", dm)) })
        {
            var late = Evolution.Run(dm, rho0, [3000.0]).DensityMatrix(0);
            Assert.True((r.DensityMatrix - late).FrobeniusNorm() < 1e-8);
        }
        var c01 = ConservedQuantities.Of(from01);
        var c00 = ConservedQuantities.Of(from00);
        Assert.Equal(0.5, c01.InvariantSubspaces!.Single(s => s.Dimension == 1).Weight, 10);
        Assert.Equal(0, c00.InvariantSubspaces!.Single(s => s.Dimension == 1).Weight, 10);
    }

    private static OpenSystemModel ChainWithStrongerBath(int n)
    {
        var space = new HilbertSpace(Enumerable.Repeat(2, n));
        var h = OperatorParser.Sum(Enumerable.Range(0, n - 1).Select(i => (new Complex(-1, 0), $"Z{i} Z{i + 1}"))
            .Concat(Enumerable.Range(0, n).Select(i => (new Complex(-0.7, 0), $"X{i}"))), space);
        var baths = Enumerable.Range(0, n).Select(i => new Bath($"site{i}",
            new ThermalRates(new OhmicSpectralDensity(0.1, 5), 1.0), [OperatorParser.Parse($"X{i}", space)])).ToList();
        return new OpenSystemModel(space, h, baths);
    }

    // H = U (H1 ⊕ H2) U† with equal spectra in part (degenerate levels across the blocks), couplings U (S1 ⊕ S2) U†:
    // the block projectors are conserved, and the eigensolver's basis mixes the blocks inside the degenerate levels.
    private static OpenSystemModel BlockModel(int seed, double beta)
    {
        var rng = new Random(seed);
        int d = 6;
        var u = TestModels.RandomUnitary(rng, d);
        var hd = TestModels.Diag(0, 1, 2.2, 0, 1, 3.1);
        var h = u * hd * u.ConjugateTranspose();
        Matrix<Complex> Block()
        {
            var s = Matrix<Complex>.Build.Dense(d, d);
            s.SetSubMatrix(0, 0, TestModels.RandomHermitian(rng, 3));
            s.SetSubMatrix(3, 3, TestModels.RandomHermitian(rng, 3));
            return u * s * u.ConjugateTranspose();
        }
        return new OpenSystemModel(HilbertSpace.Single(d), 0.5 * (h + h.ConjugateTranspose()),
            [new Bath("b", new TestRates(beta), [Block(), Block()])]);
    }

    // H = H_a ⊗ 𝟙₂, couplings S_a ⊗ 𝟙₂: a noiseless qubit factor, conserved 𝟙 ⊗ M(2) (4 quantities, one subspace).
    private static OpenSystemModel NoiselessFactor(int seed, double beta)
    {
        var rng = new Random(seed);
        var id = Matrix<Complex>.Build.DenseIdentity(2);
        var ha = TestModels.RandomHermitian(rng, 3);
        var space = new HilbertSpace([3, 2]);
        return new OpenSystemModel(space, ha.KroneckerProduct(id),
            [new Bath("b", new TestRates(beta), [TestModels.RandomHermitian(rng, 3).KroneckerProduct(id)])]);
    }

    public static TheoryData<string, int> RandomDegenerate => new() { { "block", 3 }, { "block", 11 }, { "noiseless", 5 }, { "noiseless", 8 } };

    [Theory]
    [MemberData(nameof(RandomDegenerate))]
    public void ConservedQuantities_AreTheKernelOfTheAdjoint_OfTheDenseLiouvillian(string kind, int seed)
    {
        var model = kind == "block" ? BlockModel(seed, 1.3) : NoiselessFactor(seed, 0.8);
        var dm = EnergyBasisModel.Build(model);
        var ss = SteadyState.Solve(dm);
        var c = ConservedQuantities.Of(ss);
        var l = DenseLiouvillian.Davies(dm);
        var svd = l.Svd(true);
        int denseKernel = svd.S.Count(x => x.Magnitude <= 1e-10 * svd.S[0].Magnitude);
        Assert.Equal(denseKernel, c.Count);
        Assert.Equal(kind == "block" ? 2 : 4, c.Count);
        Assert.Equal(c.Count, c.Quantities.Count);
        Assert.True(c.Canonical);
        double scale = l.L2Norm();
        var span = new List<Vector<Complex>>();
        foreach (var q in c.Quantities)
        {
            var x = q.Operator();
            Assert.True((x - x.ConjugateTranspose()).FrobeniusNorm() < 1e-10, "Hermitian");
            // L†(X) = 0 ⇔ vec(X)† L = 0
            var row = l.ConjugateTranspose() * Vectorization.Vec(x);
            Assert.True(row.L2Norm() < 1e-9 * scale * x.FrobeniusNorm(), $"{q.Expression}: {row.L2Norm()}");
            // T > 0: the commutant of H_S and of every S_α(ω) with a rate
            var xe = dm.Basis.ToEigenbasis(x);
            for (int a = 0; a < dm.Jumps.Count; a++)
                foreach (int id in dm.Bohr.AllIds())
                {
                    var s = dm.Jumps.Operator(a, id);
                    Assert.True((xe * s - s * xe).FrobeniusNorm() < 1e-9 * x.FrobeniusNorm() * Math.Max(1, s.FrobeniusNorm()));
                }
            Assert.True((x * model.Hamiltonian - model.Hamiltonian * x).FrobeniusNorm() < 1e-9 * x.FrobeniusNorm());
            span.Add(Vectorization.Vec(x));
        }
        // independent
        var m = Matrix<Complex>.Build.DenseOfColumnVectors(span);
        Assert.Equal(c.Count, m.Rank());
        var subspaces = c.InvariantSubspaces!;
        if (kind == "block")
        {
            Assert.Equal([3, 3], subspaces.Select(s => s.Dimension));
            Assert.All(subspaces, s => Assert.Equal(1, s.KernelDimension));
        }
        else
        {
            var s = Assert.Single(subspaces);
            Assert.Equal(6, s.Dimension);
            Assert.Equal(4, s.KernelDimension);
        }
        Assert.Equal(1, subspaces.Sum(s => s.Weight), 10);
        Assert.Equal(1, subspaces.Sum(s => s.GibbsWeight!.Value), 10);
        // the projectors commute with every conserved quantity and sum to the identity
        var sum = Matrix<Complex>.Build.Dense(model.Dimension, model.Dimension);
        foreach (var s in subspaces)
        {
            var p = s.Projector();
            Assert.True((p * p - p).FrobeniusNorm() < 1e-9);
            foreach (var q in c.Quantities) Assert.True((p * q.Operator() - q.Operator() * p).FrobeniusNorm() < 1e-8);
            sum += p;
        }
        Assert.True((sum - Matrix<Complex>.Build.DenseIdentity(model.Dimension)).FrobeniusNorm() < 1e-9);
    }

    [Theory]
    [InlineData(0, 2, 1)]
    [InlineData(2, 1, 0)]
    [InlineData(1, 0, 2)]
    public void NumberOfConservedQuantities_IsInvariantUnderSiteRelabelling(int p0, int p1, int p2)
    {
        // sites 0 and 1 identical with a collective coupling (swap symmetry), site 2 a free qubit with its own frequency
        OpenSystemModel Build(int[] perm)
        {
            var space = new HilbertSpace([2, 2, 2]);
            string R(string op) => string.Format(op, perm[0], perm[1], perm[2]);
            var h = OperatorParser.Sum([(0.5, R("Z{0}")), (0.5, R("Z{1}")), (0.8, R("Z{2}"))], space);
            var b1 = new Bath("c", new ThermalRates(new OhmicSpectralDensity(0.05, 5), 1),
                [OperatorParser.Sum([(1, R("X{0}")), (1, R("X{1}"))], space)]);
            return new OpenSystemModel(space, h, [b1]);
        }
        var a = ConservedQuantities.Of(SteadyState.Solve(Build([0, 1, 2])));
        var b = ConservedQuantities.Of(SteadyState.Solve(Build([p0, p1, p2])));
        Assert.Equal(a.Count, b.Count);
        Assert.Equal(4, a.Count); // (𝟙, SWAP) on the pair ⊗ (𝟙, Z) of the free qubit (its X, Y oscillate: ν ≠ 0)
        Assert.Equal([(1, 1L), (1, 1L), (3, 1L), (3, 1L)], a.InvariantSubspaces!.Select(s => (s.Dimension, s.KernelDimension)).Order());
        Assert.Equal(a.InvariantSubspaces!.Select(s => (s.Dimension, s.KernelDimension)).Order(),
            b.InvariantSubspaces!.Select(s => (s.Dimension, s.KernelDimension)).Order());
    }

    [Fact]
    public void Spectators_ReportTheirKernel_AndCapTheList()
    {
        var ss = SteadyState.Solve(TestModels.Spectators(8));
        var c = ConservedQuantities.Of(ss, 16);
        Assert.Equal(16384, c.Count);
        Assert.True(c.Truncated);
        Assert.Equal(16, c.Quantities.Count);
        Assert.False(c.Canonical);
        Assert.Equal("I", c.Quantities[0].Expression);
        var s = Assert.Single(c.InvariantSubspaces!);
        Assert.Equal(256, s.Dimension);
        Assert.Equal(16384, s.KernelDimension);
        Assert.True(s.GibbsTraceDistance < 1e-10);
        // every listed quantity acts on the spectators only: it commutes with the qubit's operators
        var x0 = OperatorParser.Parse("X0", ss.Model.Space);
        var z0 = OperatorParser.Parse("Z0", ss.Model.Space);
        foreach (var q in c.Quantities.Take(6))
        {
            var x = q.Operator();
            Assert.True((x * x0 - x0 * x).FrobeniusNorm() < 1e-10, q.Expression);
            Assert.True((x * z0 - z0 * x).FrobeniusNorm() < 1e-10, q.Expression);
        }
    }

    [Fact]
    public void FreeQubits_HaveOnlyTheIdentity()
    {
        var c = ConservedQuantities.Of(SteadyState.Solve(TestModels.FreeQubits(10)));
        Assert.Equal(1, c.Count);
        Assert.Equal("I", Assert.Single(c.Quantities).Expression);
        Assert.Equal(1024, Assert.Single(c.InvariantSubspaces!).Dimension);
    }

    [Fact]
    public void CollectivePairWithSpectators_SplitsIntoTripletAndSingletSubspaces_BlockByBlock()
    {
        var ss = SteadyState.Solve(CollectivePair(1, 3));
        Assert.Equal(SteadyStateMethod.PopulationSectorBlocks, ss.Method);
        var c = ConservedQuantities.Of(ss);
        Assert.Equal(128, c.Count); // (𝟙, SWAP) ⊗ M(8)
        var subspaces = c.InvariantSubspaces!.OrderByDescending(s => s.Dimension).ToArray();
        Assert.Equal([24, 8], subspaces.Select(s => s.Dimension));
        Assert.All(subspaces, s => Assert.Equal(64, s.KernelDimension));
        Assert.All(subspaces, s => Assert.True(s.Resolved));
        Assert.Equal(0.75, subspaces[0].Weight, 10);
    }

    [Fact]
    public void ZeroTemperature_AbsorptionProbabilities_AreConserved()
    {
        // |e⟩ (E = 1) decays to two ground states g1 (E = 0) and g2 (E = 0.3) that are not coupled to each other: at T = 0
        // both are absorbing, |e⟩ is transient; the conserved quantities are the absorption probabilities.
        var h = TestModels.Diag(0, 0.3, 1);
        var s1 = Matrix<Complex>.Build.Dense(3, 3);
        s1[0, 2] = s1[2, 0] = 1;
        var s2 = Matrix<Complex>.Build.Dense(3, 3);
        s2[1, 2] = s2[2, 1] = 0.7;
        var model = new OpenSystemModel(HilbertSpace.Single(3), h, [new Bath("cold", new TestRates(double.PositiveInfinity, lamb: 0), [s1, s2])],
            null, new ModelOptions(LambShift: false));
        var dm = EnergyBasisModel.Build(model);
        var start = InitialStates.Parse("2", dm);
        var ss = SteadyState.Solve(dm, new SteadyStateOptions { InitialState = start });
        var c = ConservedQuantities.Of(ss);
        Assert.Equal(2, c.Count);
        Assert.Equal(1, c.TransientDimension);
        Assert.Equal([1, 1], c.InvariantSubspaces!.Select(s => s.Dimension));
        var late = Evolution.Run(dm, start, [4000.0]).DensityMatrix(0);
        Assert.True((ss.DensityMatrix - late).FrobeniusNorm() < 1e-8);
        // absorption into g1: G(1)·1 / (G(1)·1 + G(0.7)·0.49), independently
        var rates = new TestRates(double.PositiveInfinity, lamb: 0);
        double p1 = rates.Rate(1) / (rates.Rate(1) + 0.49 * rates.Rate(0.7));
        Assert.Equal(p1, c.InvariantSubspaces![0].Weight, 10);
        // the conserved quantities keep the start's values
        foreach (var q in c.Quantities) Assert.Equal(Thermal.Expectation(start, q.Operator()), q.Expectation, 10);
    }

    [Fact]
    public void BlochRedfield_ListsTheKernelOfTheAdjoint()
    {
        var model = CollectivePair();
        var redfield = new OpenSystemModel(model.Space, model.Hamiltonian, model.Baths, null, new ModelOptions(SecularMode.None));
        var ss = SteadyState.Solve(redfield);
        var c = ConservedQuantities.Of(ss);
        Assert.Equal(ss.KernelDimension, c.Count);
        Assert.Null(c.InvariantSubspaces);
        var l = DenseLiouvillian.RedfieldEigenbasis(ss.Decomposed);
        foreach (var q in c.Quantities)
        {
            var xe = ss.Decomposed.Basis.ToEigenbasis(q.Operator());
            Assert.True((l.ConjugateTranspose() * Vectorization.Vec(xe)).L2Norm() < 1e-9 * l.L2Norm() * xe.FrobeniusNorm());
        }
    }

    [Fact]
    public void CoherentKernel_IsExcluded_ForWeakCoupling_AndNotWhenTheLambShiftClosesAGap()
    {
        var qubit = ConservedQuantities.Of(SteadyState.Solve(TestModels.Qubit(1, 1))).CoherentKernel;
        Assert.True(qubit.Excluded);
        Assert.Equal("kms", qubit.Method);
        // two baths at different temperatures: the norm bound, which a weak coupling passes and a strong one fails
        OpenSystemModel TwoBaths(double eta) => new(HilbertSpace.Single(2), 0.5 * TestModels.Pauli('Z'),
            [new Bath("a", new TestRates(1, eta: eta, lamb: 0), [TestModels.Pauli('X')]),
             new Bath("b", new TestRates(2, eta: eta, lamb: 0), [TestModels.Pauli('X')])], null, new ModelOptions(LambShift: false));
        var weak = ConservedQuantities.Of(SteadyState.Solve(TwoBaths(0.001))).CoherentKernel;
        Assert.Equal("norm-bound", weak.Method);
        Assert.True(weak.Excluded, $"{weak}");
        var strong = ConservedQuantities.Of(SteadyState.Solve(TwoBaths(5))).CoherentKernel;
        Assert.True(strong.Bound > strong.Spacing);
        Assert.Equal("sectors", strong.Method); // small: settled sector by sector (the coherence decays)
        Assert.True(strong.Excluded);
        // one temperature: a Lamb shift that makes two levels of H_S + H_LS coincide is caught exactly. H_LS of a qubit
        // coupled by σx is diagonal: shifts S(ω₀) on the excited and S(−ω₀) on the ground level; rates with a constant
        // shift c below the gap move ω₀ to ω₀ + S(ω₀) − S(−ω₀) ≠ 0 (not excluded only if it closes the gap).
        var shifted = ConservedQuantities.Of(SteadyState.Solve(new OpenSystemModel(HilbertSpace.Single(2), 0.5 * TestModels.Pauli('Z'),
            [new Bath("b", new ClosingShift(), [TestModels.Pauli('X')])]))).CoherentKernel;
        Assert.Equal("kms", shifted.Method);
        Assert.False(shifted.Excluded, $"{shifted}");
    }

    // KMS rates (β = 1) with a Lamb shift S(ω) = −ω/2: H_LS = S(−1)|g⟩⟨g| + S(1)|e⟩⟨e| = ½|g⟩⟨g| − ½|e⟩⟨e| closes the gap of ½σz.
    private sealed class ClosingShift : IRateFunction
    {
        public double Beta => 1;
        public double Rate(double w) => new TestRates(1, lamb: 0).Rate(w);
        public double LambShift(double w) => -0.5 * w;
        public bool HasLambShift => true;
        public string Description => "closing shift";
    }
}
