using Davies.Baths;
using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spaces;
using Davies.Spectral;

namespace Davies.Tests.Physics;

/// <summary>The benchmark model (transverse-field Ising chain, one Ohmic bath per site): structured vs reference solvers.</summary>
public class ChainAccuracyTests
{
    [Theory]
    [InlineData(3, 'Z')]
    [InlineData(4, 'Z')]
    [InlineData(3, 'X')]
    [InlineData(4, 'X')]
    public void PauliSolution_EqualsNullVectorOfDenseLiouvillian(int n, char coupling)
    {
        var model = TestModels.Chain(n, coupling);
        var ss = SteadyState.Solve(model);
        Assert.Equal(SteadyStateMethod.Pauli, ss.Method);
        var l = DenseLiouvillian.Davies(EnergyBasisModel.Build(model));
        var rho = Vectorization.Vec(ss.DensityMatrix);
        Assert.True((l * rho).L2Norm() < 1e-13, $"‖L ρ‖ = {(l * rho).L2Norm()}");
        AssertUniquenessMatchesSymmetry(ss, coupling);
    }

    // σz couplings break the parity P = Π X_i: unique Gibbs state. σx couplings commute with P: two steady states,
    // and the limit from the maximally mixed state keeps weight ½ in each parity sector.
    private static void AssertUniquenessMatchesSymmetry(SteadyStateResult ss, char coupling)
    {
        int n = ss.Model.Space.SiteCount;
        if (coupling == 'Z')
        {
            Assert.True(ss.Unique);
            Assert.True(ss.GibbsTraceDistance < 1e-10, $"Gibbs distance {ss.GibbsTraceDistance}");
            return;
        }
        Assert.False(ss.Unique);
        Assert.Equal(2, ss.KernelDimension);
        var parity = OperatorParser.Parse(string.Join(" ", Enumerable.Range(0, n).Select(i => $"X{i}")), ss.Model.Space);
        Assert.Equal(0.0, ss.Expectation(parity), 10);
        Assert.Equal(1.0, ss.DensityMatrixEigenbasis.Trace().Real, 12);
        Assert.True(ss.DensityMatrixEigenbasis.Diagonal().All(z => z.Real > -1e-14));
    }

    [Theory]
    [InlineData(5, 'Z')]
    [InlineData(6, 'Z')]
    [InlineData(7, 'Z')]
    [InlineData(6, 'X')]
    [InlineData(7, 'X')]
    public void PauliSolution_EqualsSector0SolutionAndGibbs(int n, char coupling)
    {
        var model = TestModels.Chain(n, coupling);
        var dm = EnergyBasisModel.Build(model);
        var ss = SteadyState.Solve(dm);
        Assert.Equal(SteadyStateMethod.Pauli, ss.Method);
        AssertUniquenessMatchesSymmetry(ss, coupling);
        var gen = new DaviesGenerator(dm);
        var l0 = gen.PopulationSectorMatrix();
        var (x, k) = GeneratorKernel.Solve(l0, gen.PopulationSpace.TraceFunctional(),
            gen.PopulationSpace.FromEigenbasis(Matrix<Complex>.Build.DenseIdentity(dm.Dimension) / dm.Dimension), 0, null, LinearAlgebraProvider.Current);
        Assert.Equal(ss.KernelDimension, k);
        var reference = gen.PopulationSpace.ToEigenbasis(x);
        Assert.True((reference - ss.DensityMatrixEigenbasis).FrobeniusNorm() < 1e-11);
        Assert.True(ss.Residual < 1e-12);
    }
}

public class MarkovLimitTests
{
    [Fact]
    public void TransientState_SplitsItsWeightByAbsorptionProbabilities()
    {
        // states: 0 ↔ 1 closed class A; 2 closed (absorbing); 3 transient: 3 → 0 at rate 1, 3 → 2 at rate 3
        var w = Matrix<double>.Build.DenseOfArray(new double[,]
        {
            { -2, 1, 0, 1 },
            { 2, -1, 0, 0 },
            { 0, 0, 0, 3 },
            { 0, 0, 0, -4 },
        });
        var (p, k) = GeneratorKernel.MarkovLimit(w, Vector<double>.Build.Dense(4, 0.25), LinearAlgebraProvider.Current);
        Assert.Equal(2, k);
        // class A gets 0.5 + 0.25·¼ = 0.5625, split 1:2 (π_A = (1/3, 2/3)); state 2 gets 0.25 + 0.25·¾ = 0.4375
        Assert.Equal(0.5625 / 3, p[0], 12);
        Assert.Equal(0.5625 * 2 / 3, p[1], 12);
        Assert.Equal(0.4375, p[2], 12);
        Assert.Equal(0, p[3], 12);
        Assert.True((w * p).L2Norm() < 1e-14);
    }
}

public class LargeChainTests
{
    [Fact]
    public void NineSiteChain_UsesSparseStates_AndMatchesTheGibbsState()
    {
        var model = TestModels.Chain(9, 'Z');
        var ss = SteadyState.Solve(model);
        Assert.False(ss.DensityMatrixEigenbasis.Storage.IsDense);
        Assert.True(ss.GibbsTraceDistance < 1e-10);
        var z0 = OperatorParser.Parse("Z0 Z1", model.Space);
        double expected = Thermal.Expectation(ss.GibbsState!, z0);
        Assert.Equal(expected, ss.Expectation(z0), 10);
        Assert.Equal(expected, Thermal.Expectation(ss.DensityMatrix, z0), 10);
        Assert.Equal(1.0, ss.DensityMatrix.Trace().Real, 12);
    }
}
