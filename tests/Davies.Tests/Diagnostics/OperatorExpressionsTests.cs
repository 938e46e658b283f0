using Davies.Diagnostics;
using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spaces;
using Davies.Spectral;

namespace Davies.Tests.Diagnostics;

/// <summary>
/// The expressions of conserved quantities: the fast Pauli transform against Tr[PX]/d string by string, the labels,
/// the canonical echelon form (independent of the spanning set), and the block-by-block limit from a start.
/// </summary>
public class OperatorExpressionsTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(3, 7)]
    [InlineData(4, 11)]
    public void PauliTransform_EqualsTraceWithEachString(int n, int seed)
    {
        var rng = new Random(seed);
        int d = 1 << n;
        var x = TestModels.RandomHermitian(rng, d);
        var coords = OperatorExpressions.Pauli(x, n);
        var space = new HilbertSpace(Enumerable.Repeat(2, n));
        for (long code = 0; code < (long)d * d; code++)
        {
            string label = OperatorExpressions.PauliLabel(code, n);
            var p = label == "I" ? Matrix<Complex>.Build.DenseIdentity(d) : OperatorParser.Parse(label, space);
            double expected = (p * x).Trace().Real / d;
            Assert.Equal(expected, coords.GetValueOrDefault(code), 12);
        }
    }

    [Fact]
    public void PauliLabels_SiteZeroFirst()
    {
        Assert.Equal("I", OperatorExpressions.PauliLabel(0, 3));
        // code digits (base 4) site 0 first: X0 Z2 = (1, 0, 3)
        Assert.Equal("X0 Z2", OperatorExpressions.PauliLabel(1 * 16 + 0 * 4 + 3, 3));
        var z0 = OperatorExpressions.Pauli(OperatorParser.Parse("Z0", new HilbertSpace([2, 2])), 2);
        Assert.Equal("Z0", OperatorExpressions.PauliLabel(Assert.Single(z0).Key, 2));
    }

    [Fact]
    public void ProductBasisLabels_AndCoordinates()
    {
        var space = new HilbertSpace([2, 3]);
        var x = Matrix<Complex>.Build.Dense(6, 6);
        x[0, 0] = 2;
        x[1, 4] = new Complex(0.5, -0.25);
        x[4, 1] = new Complex(0.5, 0.25);
        var coords = OperatorExpressions.Elements(x);
        Assert.Equal(3, coords.Count);
        var labels = coords.ToDictionary(e => OperatorExpressions.ElementLabel(e.Key, space), e => e.Value);
        Assert.Equal(2, labels["|00⟩⟨00|"]);
        Assert.Equal(0.5, labels["(|01⟩⟨11| + h.c.)"]);
        Assert.Equal(-0.25, labels["(i|01⟩⟨11| + h.c.)"]); // −0.25 (i|01⟩⟨11| − i|11⟩⟨01|) has entry [1, 4] = −0.25i
    }

    [Fact]
    public void Echelon_DependsOnlyOnTheSpan()
    {
        // span{I, Z0 Z1, X0 X1} given two ways: the same canonical rows
        var space = new HilbertSpace([2, 2]);
        var id = Matrix<Complex>.Build.DenseIdentity(4);
        var zz = OperatorParser.Parse("Z0 Z1", space);
        var xx = OperatorParser.Parse("X0 X1", space);
        var a = new[] { id, zz, xx }.Select(m => OperatorExpressions.Pauli(m, 2)).ToList();
        var b = new[] { 0.3 * id + 2 * xx, zz - xx + 0.1 * id, 5 * zz + 3 * xx - id, id }.Select(m => OperatorExpressions.Pauli(m, 2)).ToList();
        var order = OperatorExpressions.Order(true, 2);
        var ra = OperatorExpressions.Echelon(a, order);
        var rb = OperatorExpressions.Echelon(b, order);
        Assert.Equal(3, ra.Count);
        Assert.Equal(3, rb.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(ra[i].Row.Keys.Order(), rb[i].Row.Keys.Order());
            foreach (var (k, v) in ra[i].Row) Assert.Equal(v, rb[i].Row[k], 10);
        }
        Assert.Equal(["I", "X0 X1", "Z0 Z1"], ra.Select(r => OperatorExpressions.PauliLabel(r.Row.Keys.Single(), 2)));
        // the combinations reproduce the rows from the inputs
        for (int i = 0; i < 3; i++)
        {
            var sum = new Dictionary<long, double>();
            for (int j = 0; j < b.Count; j++)
                foreach (var (k, v) in b[j]) sum[k] = sum.GetValueOrDefault(k) + rb[i].Combination[j] * v;
            foreach (var (k, v) in sum) Assert.Equal(rb[i].Row.GetValueOrDefault(k), v, 10);
        }
    }

    [Fact]
    public void Text_FactorsACommonCoefficient()
    {
        Assert.Equal("X0 X1 + Y0 Y1 + Z0 Z1", OperatorExpressions.Text([(1, "X0 X1"), (1, "Y0 Y1"), (1, "Z0 Z1")], 0));
        Assert.Equal("0.5 (I + Z0 Z1)", OperatorExpressions.Text([(0.5, "I"), (0.5, "Z0 Z1")], 0));
        Assert.Equal("Z0 − 0.25 X1 + … (2 more terms)", OperatorExpressions.Text([(1, "Z0"), (-0.25, "X1")], 2));
    }

    [Fact]
    public void BlockByBlockLimit_FromAnInitialState_IsTheSameWithGmresAndDenseBlocks()
    {
        var model = ConservedQuantitiesTests.CollectivePair(1, 3);
        var dm = EnergyBasisModel.Build(model);
        var gen = new DaviesGenerator(dm);
        var rho0 = TestModels.RandomDensityMatrix(new Random(4), dm.Dimension);
        var start = gen.PopulationSpace.FromEigenbasis(dm.Basis.ToEigenbasis(rho0));
        var weights = Spectrum.KmsWeights(dm);
        var dense = ComponentSteadyState.Solve(gen, LinearAlgebraProvider.Current, weights, start);
        var krylov = ComponentSteadyState.Solve(gen, LinearAlgebraProvider.Current, weights, start, denseLimit: 1, denseMarkovLimit: 1);
        Assert.Equal(dense.KernelDimension, krylov.KernelDimension);
        Assert.True((dense.X - krylov.X).L2Norm() < 1e-9, $"{(dense.X - krylov.X).L2Norm()}");
        // and both equal the evolution at long times
        var late = Evolution.Run(dm, rho0, [3000.0]).DensityMatrixEigenbasis(0);
        var lateSector = gen.PopulationSpace.FromEigenbasis(late);
        Assert.True((dense.X - lateSector).L2Norm() < 1e-8, $"{(dense.X - lateSector).L2Norm()}");
    }
}
