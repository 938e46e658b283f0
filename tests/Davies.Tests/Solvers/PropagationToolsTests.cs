using Davies.LinearAlgebra;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Tests.Solvers;

/// <summary>Padé exponential, ill-conditioned fallback, convergence time, initial states and time grids.</summary>
public class PropagationToolsTests
{
    [Theory]
    [InlineData(1, 0.01)]
    [InlineData(2, 0.2)]
    [InlineData(3, 0.9)]
    [InlineData(4, 2.0)]
    [InlineData(5, 5.0)]
    [InlineData(6, 80.0)]
    public void PadeExponential_MatchesTaylorReference(int seed, double norm)
    {
        var rng = new Random(seed);
        int n = 6;
        var a = Matrix<Complex>.Build.Dense(n, n, (_, _) => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        a = a * (norm / a.L1Norm()) - Matrix<Complex>.Build.DenseIdentity(n) * (norm / 2); // keep e^A of moderate size
        var expected = TestModels.TaylorExp(a);
        var actual = MatrixExponential.Exp(a);
        Assert.True((actual - expected).FrobeniusNorm() < 1e-12 * Math.Max(1, expected.FrobeniusNorm()),
            $"difference {(actual - expected).FrobeniusNorm()}");
    }

    [Fact]
    public void PadeExponential_OfDiagonalAndJordanBlock_IsExact()
    {
        var d = TestModels.Diag(-3, 0.5, 2);
        var e = MatrixExponential.Exp(d);
        Assert.Equal(Math.Exp(-3), e[0, 0].Real, 14);
        Assert.Equal(Math.Exp(2), e[2, 2].Real, 13);
        // e^{t(λI + N)} = e^{λt}(I + tN)
        var j = Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { -1, 1 }, { 0, -1 } });
        var ej = MatrixExponential.Exp(7 * j);
        Assert.Equal(Math.Exp(-7) * 7, ej[0, 1].Real, 14);
        Assert.Equal(Math.Exp(-7), ej[1, 1].Real, 14);
    }

    [Fact]
    public void IllConditionedBlock_FallsBackToPade_AndStaysAccurate()
    {
        var a = Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { -1, 1 }, { 0, -1 - 1e-11 } });
        var dyn = SectorDynamics.Create(a, 1e8, false, LinearAlgebraProvider.Current);
        Assert.True(dyn.UsesPade, $"condition {dyn.Condition}");
        var x0 = Vector<Complex>.Build.DenseOfArray([0, 1]);
        var x = dyn.Evolve(x0, null, 3);
        Assert.Equal(3 * Math.Exp(-3), x[0].Real, 10);
        Assert.Equal(Math.Exp(-3 * (1 + 1e-11)), x[1].Real, 14);
        var good = SectorDynamics.Create(Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { -1, 1 }, { 0, -2 } }), 1e8, false, LinearAlgebraProvider.Current);
        Assert.False(good.UsesPade);
    }

    [Theory]
    [InlineData(1.0, 0.7, 1e-3)]
    [InlineData(2.0, double.PositiveInfinity, 1e-6)]
    public void ConvergenceTime_Qubit_IsExactLogarithm(double omega0, double beta, double eps)
    {
        // ρ stays diagonal: ½‖ρ(t) − ρ∞‖₁ = |p(t) − p∞| = |p0 − p∞| e^{−t/T1}
        var model = TestModels.Qubit(omega0, beta);
        var r = new TestRates(beta, 0.05, 4, 0);
        double rate = r.Rate(omega0) + r.Rate(-omega0);
        double pInf = 1 / (1 + Math.Exp(beta * omega0)); // population of |0⟩ (excited) at equilibrium
        if (double.IsPositiveInfinity(beta)) pInf = 0;
        var excited = Matrix<Complex>.Build.Dense(2, 2);
        excited[0, 0] = 1;
        double expected = Math.Log((1 - pInf) / eps) / rate;
        double t = Evolution.ConvergenceTime(model, excited, eps);
        Assert.True(Math.Abs(t - expected) < 1e-8 * expected, $"{t} vs {expected}");
    }

    [Theory]
    [InlineData(41, "levels", 1e-4)]
    [InlineData(42, "gaps", 1e-6)]
    [InlineData(43, "nondegenerate", 0.05)]
    public void ConvergenceTime_RandomModel_IsTheLastCrossing(int seed, string kind, double eps)
    {
        double[] spectrum = kind switch { "levels" => TestModels.DegenerateLevels, "gaps" => TestModels.DegenerateGaps, _ => TestModels.NonDegenerate };
        var model = TestModels.Random(seed, spectrum, [0.5, 1.5]);
        var rho0 = TestModels.RandomDensityMatrix(new Random(seed), model.Dimension);
        var res = Evolution.Run(model, rho0, []);
        double t = res.ConvergenceTime(eps);
        Assert.True(t > 0);
        Assert.True(Math.Abs(res.TraceDistanceToLimit(t) - eps) < 1e-6 * eps, $"distance at t* {res.TraceDistanceToLimit(t)}");
        for (int k = 1; k <= 400; k++)
            Assert.True(res.TraceDistanceToLimit(t * (1 + 0.01 * k)) < eps, $"above ε after t* at {t * (1 + 0.01 * k)}");
        Assert.Equal(0, res.ConvergenceTime(0.999));
        Assert.Throws<ModelException>(() => res.ConvergenceTime(0));
    }

    [Fact]
    public void ConvergenceTime_FromTheSteadyState_IsZero()
    {
        var model = TestModels.Qubit(1, 1);
        var ss = SteadyState.Solve(model).DensityMatrix;
        Assert.Equal(0, Evolution.ConvergenceTime(model, ss, 1e-6));
    }

    [Fact]
    public void InitialStates_ParseEveryForm()
    {
        var ising = EnergyBasisModel.Build(TestModels.IsingRing(3, 0.5, new GlauberTestRates(1, 1)));
        var label = InitialStates.Parse("101", ising);
        Assert.Equal(1, label[5, 5].Real); // |101⟩ = index 4 + 0 + 1
        var mixed = InitialStates.Parse("maximally-mixed", ising);
        Assert.Equal(1.0 / 8, mixed[3, 3].Real, 15);
        var qubit = EnergyBasisModel.Build(TestModels.Qubit(1, 2));
        Assert.Equal(1, InitialStates.Parse("ground", qubit)[1, 1].Real, 14); // ground state of (ω/2)σz is |1⟩
        Assert.Equal(1, InitialStates.Parse("level:1", qubit)[0, 0].Magnitude, 14);
        var gibbs = InitialStates.Parse("gibbs", qubit);
        Assert.Equal(-Math.Tanh(1), (gibbs[0, 0] - gibbs[1, 1]).Real, 14);
        var osc = EnergyBasisModel.Build(TestModels.Oscillator(12, 1, new TestRates(1)));
        Assert.Equal(1, InitialStates.Parse("11", osc)[11, 11].Real); // single site: multi-digit level
        string path = Path.Combine(Path.GetTempPath(), $"davies-state-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, "{\"matrix\": [[0.5, [0, -0.5]], [[0, 0.5], 0.5]]}");
            var fromFile = InitialStates.Parse(path, qubit);
            Assert.Equal(new Complex(0, -0.5), fromFile[0, 1]);
            File.WriteAllText(path, "{\"matrix\": [[0.5, 0.9], [0.9, 0.5]]}");
            Assert.Contains("positive semidefinite", Assert.Throws<ModelException>(() => InitialStates.Parse(path, qubit)).Message);
            File.WriteAllText(path, "{\"matrix\": [[0.5, 0.1], [0.2, 0.5]]}");
            Assert.Contains("Hermitian", Assert.Throws<ModelException>(() => InitialStates.Parse(path, qubit)).Message);
            File.WriteAllText(path, "{\"matrix\": [[0.7, 0], [0, 0.5]]}");
            Assert.Contains("trace", Assert.Throws<ModelException>(() => InitialStates.Parse(path, qubit)).Message);
            File.WriteAllText(path, "{\"matrix\": [[1, 0]]}");
            Assert.Throws<ModelException>(() => InitialStates.Parse(path, qubit));
            File.WriteAllText(path, "not json");
            Assert.Contains("JSON", Assert.Throws<ModelException>(() => InitialStates.Parse(path, qubit)).Message);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("10")]
    [InlineData("2")]
    [InlineData("level:9")]
    [InlineData("level:x")]
    [InlineData("excited")]
    [InlineData("missing.json")]
    public void InitialStates_RejectBadSpecifications(string spec)
    {
        var qubit = EnergyBasisModel.Build(TestModels.Qubit(1, 2));
        var e = Assert.Throws<ModelException>(() => InitialStates.Parse(spec, qubit));
        Assert.Contains(spec, e.Message);
    }

    [Fact]
    public void Gibbs_NeedsOneTemperature()
    {
        var dm = EnergyBasisModel.Build(TestModels.Random(1, TestModels.NonDegenerate, [0.5, 2]));
        Assert.Contains("temperatures", Assert.Throws<ModelException>(() => InitialStates.Parse("gibbs", dm)).Message);
    }

    [Fact]
    public void Times_ParseListsAndRanges()
    {
        Assert.Equal([0, 0.5, 1, 10], InitialStates.ParseTimes("0,0.5,1,10"));
        Assert.Equal([0, 2.5, 5, 7.5, 10], InitialStates.ParseTimes("0:10:5"));
        Assert.Equal([3], InitialStates.ParseTimes("3:3:1"));
        foreach (var bad in new[] { "", "1,,2", "-1,2", "0:1", "0:1:0", "5:1:3", "a:b:c", "0,nan", "0:1:x" })
            Assert.Throws<ModelException>(() => InitialStates.ParseTimes(bad));
    }

    [Fact]
    public void Evolution_RejectsBadInput()
    {
        var model = TestModels.Qubit(1, 1);
        var ok = Matrix<Complex>.Build.DenseIdentity(2) / 2;
        Assert.Throws<ModelException>(() => Evolution.Run(model, ok, [-1.0]));
        Assert.Throws<ModelException>(() => Evolution.Run(model, Matrix<Complex>.Build.DenseIdentity(3) / 3, [1.0]));
        Assert.Throws<ModelException>(() => Evolution.Run(model, ok, [1.0], [new NamedOperator("A", Matrix<Complex>.Build.DenseIdentity(3))]));
    }
}
