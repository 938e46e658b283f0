using Davies.Baths;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spaces;
using Davies.Spectral;

namespace Davies.Tests.Physics;

public class InvarianceTests
{
    // A three-site model with mixed local dimensions, written as operator strings with site labels {0}, {1}, {2}.
    private static readonly (double C, string Op)[] HTerms =
    [
        (0.9, "Z{0}"), (0.55, "n{1}"), (1.3, "Z{2}"), (0.21, "X{0} a{1}"), (0.21, "X{0} ad{1}"),
        (0.17, "Z{0} Z{2}"), (0.08, "X{2} n{1}"),
    ];

    private static OpenSystemModel Build(int[] perm)
    {
        // perm[k] = new index of old site k
        int[] oldDims = [2, 3, 2];
        var dims = new int[3];
        for (int k = 0; k < 3; k++) dims[perm[k]] = oldDims[k];
        var space = new HilbertSpace(dims);
        string R(string op) => string.Format(op, perm[0], perm[1], perm[2]);
        var h = OperatorParser.Sum(HTerms.Select(t => (new Complex(t.C, 0), R(t.Op))), space);
        var hot = new Bath("hot", new ThermalRates(new OhmicSpectralDensity(0.02, 6), 0.4),
            [OperatorParser.Parse(R("X{0}"), space), OperatorParser.Sum([(1, R("a{1}")), (1, R("ad{1}"))], space)]);
        var cold = new Bath("cold", new ThermalRates(new DrudeLorentzSpectralDensity(0.03, 2), 2.0),
            [OperatorParser.Parse(R("X{2}"), space), OperatorParser.Parse(R("Z{0}"), space)]);
        var obs = new Dictionary<string, Matrix<Complex>>
        {
            ["z0"] = OperatorParser.Parse(R("Z{0}"), space),
            ["n1"] = OperatorParser.Parse(R("n{1}"), space),
            ["x2z0"] = OperatorParser.Parse(R("X{2} Z{0}"), space),
        };
        return new OpenSystemModel(space, h, [hot, cold], obs);
    }

    [Theory]
    [InlineData(0, 2, 1)]
    [InlineData(2, 1, 0)]
    [InlineData(1, 2, 0)]
    public void RelabellingSites_ChangesNoResult(int p0, int p1, int p2)
    {
        var a = SteadyState.Solve(Build([0, 1, 2]));
        var b = SteadyState.Solve(Build([p0, p1, p2]));
        Assert.Equal(a.Energies, b.Energies, (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal(a.ShiftedEnergies, b.ShiftedEnergies, (x, y) => Math.Abs(x - y) < 1e-11);
        foreach (var name in new[] { "hot", "cold" }) Assert.Equal(a.HeatCurrents[name], b.HeatCurrents[name], 12);
        Assert.Equal(a.EntropyProduction, b.EntropyProduction, 11);
        foreach (var name in new[] { "z0", "n1", "x2z0" })
            Assert.Equal(a.Expectation(a.Model.Observables[name]), b.Expectation(b.Model.Observables[name]), 11);
        Assert.True(a.HeatCurrents["hot"] > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LocalCouplingTransform_EqualsThePlainBasisChange(bool complexHamiltonian)
    {
        var space = new HilbertSpace([2, 3, 2]);
        var rng = new Random(complexHamiltonian ? 7 : 8);
        var h = TestModels.RandomHermitian(rng, space.Dimension);
        if (!complexHamiltonian) h = h.Map(z => new Complex(z.Real, 0));
        var basis = EigenBasis.Compute(h);
        Assert.Equal(!complexHamiltonian, basis.RealVectors is not null);
        // (Z2 after Z0 and X0 after X2: the same local operator on another site, whose eigendecomposition is reused)
        foreach (var op in new[] { "Z0", "Z2", "X0", "Y2", "n1", "X2", "X0", "Z0 Z2" })
        {
            var s = OperatorParser.Parse(op, space);
            if (op == "n1") s = OperatorParser.Sum([(1, "a1"), (1, "ad1")], space);
            bool local = CouplingTransform.TryLocal(s, space, out int site, out _);
            Assert.Equal(op != "Z0 Z2", local);
            var fast = CouplingTransform.ToEigenbasis(s, basis, space, Davies.LinearAlgebra.LinearAlgebraProvider.Current);
            var plain = basis.ToEigenbasis(s);
            var m = Matrix<Complex>.Build.Dense(space.Dimension, space.Dimension, fast.ToComplexArray());
            Assert.True((m - plain).FrobeniusNorm() < 1e-12, $"{op}: {(m - plain).FrobeniusNorm()}");
        }
    }

    [Theory]
    [InlineData(4, 0.7)]
    [InlineData(5, 1.3)]
    public void FlipSymmetricIsingChain_CouplingTransform_EqualsThePlainBasisChange(int n, double field)
    {
        // H = −Σ Z_i Z_{i+1} − h Σ X_i (plus a random ZZ disorder) commutes with Π X_i: every eigenvector has a flip
        // parity, so the σz couplings take the half-size cross-block product; σx couplings the plain Gram path.
        var space = new HilbertSpace(Enumerable.Repeat(2, n));
        var rng = new Random(n);
        var terms = new List<(Complex, string)>();
        for (int i = 0; i + 1 < n; i++) terms.Add((-1 - 0.3 * rng.NextDouble(), $"Z{i} Z{i + 1}"));
        for (int i = 0; i < n; i++) terms.Add((-field * (1 + 0.2 * rng.NextDouble()), $"X{i}"));
        var h = OperatorParser.Sum(terms, space);
        var basis = EigenBasis.Compute(Matrix<Complex>.Build.DenseOfMatrix(h));
        var parity = CouplingTransform.GlobalFlipParity(basis);
        Assert.NotNull(parity);
        Assert.Contains(1, parity);
        Assert.Contains(-1, parity);
        foreach (var op in new[] { "Z0", $"Z{n - 1}", "X1", "Y2" })
        {
            var s = OperatorParser.Parse(op, space);
            var fast = CouplingTransform.ToEigenbasis(s, basis, space, Davies.LinearAlgebra.LinearAlgebraProvider.Current, flipSymmetryMinimum: 0);
            var plain = basis.ToEigenbasis(s);
            var m = Matrix<Complex>.Build.Dense(space.Dimension, space.Dimension, fast.ToComplexArray());
            Assert.True((m - plain).FrobeniusNorm() < 1e-12, $"{op}: {(m - plain).FrobeniusNorm()}");
        }
        // a Hamiltonian without the symmetry has no flip parity
        var broken = OperatorParser.Sum([.. terms, (0.4, "Z0")], space);
        Assert.Null(CouplingTransform.GlobalFlipParity(EigenBasis.Compute(Matrix<Complex>.Build.DenseOfMatrix(broken))));
    }

    [Fact]
    public void SparseOperators_ForLargeSpaces_EqualDenseOnes()
    {
        var small = new HilbertSpace([2, 2, 2]);
        var large = new HilbertSpace(Enumerable.Repeat(2, 9));
        Assert.True(large.Dimension > SiteOperators.SparseThreshold);
        var sparse = OperatorParser.Parse("X0 Z3 Y8", large);
        Assert.False(sparse.Storage.IsDense);
        var dense = TestModels.PauliString("XIIZIIIIY");
        Assert.True((Matrix<Complex>.Build.DenseOfMatrix(sparse) - dense).FrobeniusNorm() == 0);
        Assert.True(OperatorParser.Parse("Z1", small).Storage.IsDense);
    }
}

public class OhmicQubitTests
{
    [Theory]
    [InlineData(0.2)]
    [InlineData(1.0)]
    [InlineData(7.0)]
    public void QubitWithOhmicBath_HasThermalPolarization(double temperature)
    {
        double omega0 = 1.3;
        var model = new OpenSystemModel(HilbertSpace.Single(2), 0.5 * omega0 * TestModels.Pauli('Z'),
            [new Bath("b", new ThermalRates(new OhmicSpectralDensity(0.05, 8), 1 / temperature), [TestModels.Pauli('X')])]);
        var ss = SteadyState.Solve(model);
        Assert.Equal(-Math.Tanh(omega0 / (2 * temperature)), ss.Expectation(TestModels.Pauli('Z')), 1e-10);
    }

    [Fact]
    public void QubitWithOhmicBathAtZeroTemperature_IsInTheGroundState()
    {
        var model = new OpenSystemModel(HilbertSpace.Single(2), 0.5 * TestModels.Pauli('Z'),
            [new Bath("b", new ThermalRates(new OhmicSpectralDensity(0.05, 8), double.PositiveInfinity), [TestModels.Pauli('X')])]);
        var ss = SteadyState.Solve(model);
        Assert.Equal(-1, ss.Expectation(TestModels.Pauli('Z')), 1e-12);
    }
}
