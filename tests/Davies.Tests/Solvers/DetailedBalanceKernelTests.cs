using Davies.Baths;
using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Solvers;
using Davies.Spaces;
using Davies.Spectral;

namespace Davies.Tests.Solvers;

/// <summary>
/// The Gibbs weights as the stationary distribution of a closed class of the Pauli matrix (one temperature): accepted by
/// their residual exactly where detailed balance holds, equal to the linear solve they replace, refused otherwise.
/// </summary>
public class DetailedBalanceKernelTests
{
    private static readonly ILinearAlgebraBackend Backend = LinearAlgebraProvider.Current;

    [Theory]
    [InlineData(4, 'Z')]
    [InlineData(6, 'Z')]
    [InlineData(8, 'Z')]
    [InlineData(5, 'X')]
    [InlineData(7, 'X')]
    public void GibbsWeights_AreAccepted_AndEqualTheSolve_OnChains(int n, char coupling)
    {
        var dm = EnergyBasisModel.Build(TestModels.Chain(n, coupling));
        var w = new DaviesGenerator(dm).SharedPauliMatrix();
        var classes = GeneratorKernel.ClosedClassList(w);
        Assert.Equal(coupling == 'X' ? 2 : 1, classes.Count); // σx couplings keep the flip parity Π X_i: two classes
        var solved = BlockKernel.Markov(w, Backend);
        for (int c = 0; c < classes.Count; c++)
        {
            var gibbs = BlockKernel.DetailedBalanceCandidate(w, classes[c], dm.Basis.Energies, dm.OpenSystem.Baths[0].Beta);
            Assert.NotNull(gibbs);
            Assert.Equal(solved.Pi![c].Length, gibbs!.Length);
            for (int m = 0; m < gibbs.Length; m++) Assert.Equal(solved.Pi[c][m], gibbs[m], 1e-13);
        }
        // and the steady state through the front door is that distribution, with a rounding-level residual
        var steady = SteadyState.Solve(dm);
        Assert.Equal(SteadyStateMethod.Pauli, steady.Method);
        Assert.True(steady.Residual < 1e-14, $"residual {steady.Residual}");
    }

    [Fact]
    public void GibbsWeights_AreRefused_ForRatesWithoutDetailedBalance()
    {
        // a random rate matrix (columns summing to 0): no energies make it detailed-balanced
        var rng = new Random(17);
        int d = 12;
        var w = Matrix<double>.Build.Dense(d, d, (i, j) => i == j ? 0 : rng.NextDouble());
        for (int j = 0; j < d; j++) w[j, j] = -w.Column(j).Sum();
        var energies = Enumerable.Range(0, d).Select(k => 0.3 * k).ToArray();
        var all = Enumerable.Range(0, d).ToArray();
        Assert.Null(BlockKernel.DetailedBalanceCandidate(w, all, energies, 1.0));
        // Markov with the energies falls back to the solve: a true kernel vector
        var pi = BlockKernel.Markov(w, Backend, energies, 1.0).Pi![0];
        var residual = w * Vector<double>.Build.Dense(pi);
        Assert.True(residual.L1Norm() < 1e-13, $"residual {residual.L1Norm()}");
        Assert.Equal(1.0, pi.Sum(), 1e-14);
    }

    [Fact]
    public void GibbsWeights_AreRefused_WhenTheRatesBelongToAnotherTemperature()
    {
        // detailed balance at β = 2, Gibbs weights asked for at β = 1
        var dm = EnergyBasisModel.Build(TwoLevelPairs(beta: 2));
        var w = new DaviesGenerator(dm).SharedPauliMatrix();
        foreach (var c in GeneratorKernel.ClosedClassList(w))
        {
            Assert.NotNull(BlockKernel.DetailedBalanceCandidate(w, c, dm.Basis.Energies, 2.0));
            Assert.Null(BlockKernel.DetailedBalanceCandidate(w, c, dm.Basis.Energies, 1.0));
        }
    }

    [Fact]
    public void SeveralClosedClasses_EachGetsItsGibbsWeights_AndTheLimitFollowsTheStart()
    {
        // levels {0, 1} and {2, 3} coupled within each pair only: two closed classes, each thermal on its own
        var dm = EnergyBasisModel.Build(TwoLevelPairs(beta: 1.5));
        var w = new DaviesGenerator(dm).SharedPauliMatrix();
        var withGibbs = BlockKernel.Markov(w, Backend, dm.Basis.Energies, 1.5);
        var solved = BlockKernel.Markov(w, Backend);
        Assert.Equal(2, withGibbs.Dimension);
        for (int c = 0; c < 2; c++)
        {
            var idx = withGibbs.Classes![c];
            var e = idx.Select(m => dm.Basis.Energies[m]).ToArray();
            double z = e.Sum(x => Math.Exp(-1.5 * (x - e.Min())));
            for (int a = 0; a < idx.Length; a++)
            {
                Assert.Equal(Math.Exp(-1.5 * (e[a] - e.Min())) / z, withGibbs.Pi![c][a], 1e-15);
                Assert.Equal(solved.Pi![c][a], withGibbs.Pi[c][a], 1e-13);
            }
        }
        double[] p0 = [0.1, 0.2, 0.3, 0.4];
        var limit = withGibbs.MarkovLimit(p0);
        Assert.Equal(0.3, limit[0] + limit[1], 1e-14);
        Assert.Equal(0.7, limit[2] + limit[3], 1e-14);
    }

    [Fact]
    public void TwoTemperatures_KeepTheSolve_AndAreNotGibbs()
    {
        var model = TestModels.Random(5, TestModels.NonDegenerate, [0.5, 3.0]);
        var dm = EnergyBasisModel.Build(model);
        var steady = SteadyState.Solve(dm);
        var w = new DaviesGenerator(dm).SharedPauliMatrix();
        var p = Vector<double>.Build.Dense(dm.Dimension, m => steady.DensityMatrixEigenbasis[m, m].Real);
        Assert.True((w * p).L1Norm() < 1e-14);
        var gibbs = BlockKernel.DetailedBalanceCandidate(w, Enumerable.Range(0, dm.Dimension).ToArray(), dm.Basis.Energies, 0.5);
        Assert.Null(gibbs);
    }

    // H = diag(0, 1, 2.5, 4.1), one bath at β coupling 0 ↔ 1 and 2 ↔ 3 only
    private static OpenSystemModel TwoLevelPairs(double beta)
    {
        var h = Matrix<Complex>.Build.DenseOfDiagonalArray([0, 1, 2.5, 4.1]);
        var s = Matrix<Complex>.Build.Dense(4, 4);
        s[0, 1] = s[1, 0] = 1;
        s[2, 3] = s[3, 2] = 0.7;
        var bath = new Bath("b", new ThermalRates(new OhmicSpectralDensity(0.02, 10), beta), [s]);
        return new OpenSystemModel(HilbertSpace.Single(4), h, [bath], null, new ModelOptions(LambShift: false));
    }
}
