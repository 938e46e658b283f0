using Davies.Generators;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Tests.Physics;

public class RedfieldTests
{
    [Theory]
    [InlineData(31, true)]
    [InlineData(32, false)]
    public void SecularPartOfRedfield_EqualsDaviesGenerator(int seed, bool lamb)
    {
        var model = TestModels.Random(seed, TestModels.DegenerateGaps, [0.6, 1.4], couplingsPerBath: 2, lambShift: lamb);
        var dm = EnergyBasisModel.Build(model);
        int d = model.Dimension;
        var redfield = DenseLiouvillian.RedfieldEigenbasis(dm);
        var davies = DenseLiouvillian.ToEigenbasis(DenseLiouvillian.Davies(dm), dm.Basis);
        double worst = 0, kept = 0;
        for (int r = 0; r < d * d; r++)
            for (int c = 0; c < d * d; c++)
            {
                int nuR = Nu(dm, r % d, r / d), nuC = Nu(dm, c % d, c / d);
                if (nuR == nuC)
                {
                    worst = Math.Max(worst, (redfield[r, c] - davies[r, c]).Magnitude);
                    kept = Math.Max(kept, davies[r, c].Magnitude);
                }
                else Assert.True(davies[r, c].Magnitude < 1e-12, "Davies couples only equal Bohr sectors");
            }
        Assert.True(worst < 1e-12 * Math.Max(1, kept), $"difference {worst}");
        Assert.True(kept > 0.01);
    }

    private static int Nu(EnergyBasisModel dm, int m, int n) => dm.Bohr.Id(dm.Basis.LevelOf(n), dm.Basis.LevelOf(m));

    [Fact]
    public void RedfieldSteadyState_IsAStateCloseToGibbs_ForWeakCoupling()
    {
        var model = TestModels.Random(41, TestModels.NonDegenerate, [1.0], couplingsPerBath: 1, secular: SecularMode.None);
        var weak = new OpenSystemModel(model.Space, model.Hamiltonian,
            [new Bath("b", new TestRates(1.0, eta: 1e-4, lamb: 0), model.Baths[0].Couplings)], null, model.Options);
        var ss = SteadyState.Solve(weak);
        Assert.Equal(SteadyStateMethod.RedfieldDense, ss.Method);
        Assert.True(ss.Unique);
        Assert.Equal(1.0, ss.DensityMatrix.Trace().Real, 12);
        Assert.True((ss.DensityMatrix - ss.DensityMatrix.ConjugateTranspose()).FrobeniusNorm() < 1e-12);
        Assert.True(ss.GibbsTraceDistance < 1e-2, $"distance {ss.GibbsTraceDistance}");
        Assert.True(ss.Residual < 1e-12);
    }
}

public class QubitOracleTests
{
    [Theory]
    [InlineData(1.0, 0.1)]
    [InlineData(1.0, 1.0)]
    [InlineData(2.5, 3.0)]
    [InlineData(0.3, 40.0)]
    public void QubitPolarization_IsMinusTanh(double omega0, double beta)
    {
        var h = 0.5 * omega0 * TestModels.Pauli('Z');
        var model = new OpenSystemModel(Davies.Spaces.HilbertSpace.Single(2), h,
            [new Bath("b", new TestRates(beta), [TestModels.Pauli('X')])]);
        var ss = SteadyState.Solve(model);
        Assert.Equal(-Math.Tanh(beta * omega0 / 2), ss.Expectation(TestModels.Pauli('Z')), 1e-10);
        Assert.True(ss.Unique);
    }

    [Fact]
    public void QubitAtZeroTemperature_IsInItsGroundState()
    {
        var h = 0.5 * TestModels.Pauli('Z');
        var model = new OpenSystemModel(Davies.Spaces.HilbertSpace.Single(2), h,
            [new Bath("b", new TestRates(double.PositiveInfinity), [TestModels.Pauli('X')])]);
        var ss = SteadyState.Solve(model);
        Assert.Equal(-1.0, ss.Expectation(TestModels.Pauli('Z')), 12);
        Assert.Equal(0.0, ss.GibbsTraceDistance!.Value, 12);
        Assert.Equal(0.0, ss.EntropyProduction, 12);
    }
}
