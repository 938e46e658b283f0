using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spaces;
using Davies.Spectral;

namespace Davies.Tests.Solvers;

/// <summary>
/// Expectation values and populations along ρ(t) block by block (<see cref="BlockTrajectories"/>): Krylov propagation of
/// undecomposed blocks, mirror pairs, pure-state and operator transforms, and the skipping of blocks no observable reads,
/// each against the full ρ(t) formed at every time from the decomposed blocks (an independent path).
/// </summary>
public class BlockTrajectoryTests
{
    private static readonly double[] Times = Enumerable.Range(0, 41).Select(i => 1.25 * i).ToArray();

    [Theory]
    [InlineData(1, 40, 0.3)]
    [InlineData(2, 150, 2.0)]
    [InlineData(3, 300, 8.0)]
    public void Krylov_MatchesTheExponential_OverManySegments(int seed, int n, double norm)
    {
        var rng = new Random(seed);
        // a random generator-like matrix: dissipative (spectrum in the left half-plane) with oscillations
        var g = Matrix<Complex>.Build.Dense(n, n, (_, _) => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        var a = g * (norm / g.L2Norm()) - Matrix<Complex>.Build.DenseIdentity(n) * (norm * 0.6)
            + Matrix<Complex>.Build.DenseDiagonal(n, n, i => new Complex(0, 3 * Math.Sin(i)));
        var x0 = Vector<Complex>.Build.Dense(n, i => new Complex(Math.Cos(i), Math.Sin(2 * i)));
        var times = new[] { 30.0, 0, 0.1, 2, 7.5, 15, 60 }; // any order, far beyond one Krylov basis
        var got = new Complex[times.Length][];
        int segments = 0;
        KrylovTrajectory.Run(new BlockOperator(a), x0.ToArray(), times, s =>
        {
            segments++;
            foreach (var (ti, y) in s.Times) got[ti] = y.Length == 0 ? new Complex[n] : KrylovTrajectory.Combine(s.Basis, y, n);
        });
        for (int i = 0; i < times.Length; i++)
        {
            var expected = TestModels.TaylorExp(a * times[i]) * x0;
            double err = (Vector<Complex>.Build.Dense(got[i]) - expected).L2Norm();
            Assert.True(err <= 1e-10 * x0.L2Norm(), $"t = {times[i]}: error {err:E2} ({segments} segments)");
        }
        if (n > KrylovTrajectory.MaxBasis && norm >= 2) Assert.True(segments > 1, "the test should need several segments");
    }

    [Fact]
    public void BlockOperator_RealAndComplexForms_ApplyTheMatrix()
    {
        var rng = new Random(4);
        int n = 9;
        var real = Matrix<Complex>.Build.Dense(n, n, (i, j) => new Complex(rng.NextDouble() - 0.5, i == j ? rng.NextDouble() : 0));
        var complex = Matrix<Complex>.Build.Dense(n, n, (_, _) => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        var x = Vector<Complex>.Build.Dense(n, i => new Complex(i - 3, 1.0 / (i + 1)));
        foreach (var a in new[] { real, complex })
        {
            var y = new Complex[n];
            new BlockOperator(a).Apply(x.ToArray(), y);
            Assert.True((Vector<Complex>.Build.Dense(y) - a * x).L2Norm() < 1e-13);
        }
    }

    public static TheoryData<string> Models => new() { "chain-z", "chain-x", "complex", "degenerate" };

    // Small models of each kind: the σz and σx benchmark chains (non-degenerate, real; the σz chain's free-fermion
    // spectrum gives observables entries that vanish only up to rounding), a complex H_S with Lamb shift, and a
    // degenerate one (invariant blocks).
    private static OpenSystemModel Model(string name) => name switch
    {
        "chain-z" => TestModels.Chain(5, 'Z'),
        "chain-x" => TestModels.Chain(4, 'X'),
        "complex" => ModelFile.Parse("""
            sites: [2, 2, 2]
            hamiltonian: [[1.0, "Z0"], [0.6, "Z1"], [0.45, "Z2"], [0.3, "X0 Y1"], [0.2, "Y1 X2"], [0.15, "X0 Z2"]]
            baths:
              - {name: hot, temperature: 2.0, spectrum: {type: ohmic, eta: 0.03, cutoff: 4}, couplings: ["X0", [[1, "Y1"], [0.5, "X2"]]]}
              - {name: cold, temperature: 0.5, spectrum: {type: ohmic, eta: 0.02, cutoff: 4}, couplings: [[[1, "Z2"], [1, "X1"]]]}
            """, ModelFileFormat.Yaml, "complex.yaml"),
        "degenerate" => TestModels.FreeQubits(3),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Expectations_EqualTheFullState_OnEveryPath(string name)
    {
        var dm = EnergyBasisModel.Build(Model(name));
        int d = dm.Dimension, n = dm.OpenSystem.Space.SiteCount;
        var space = dm.OpenSystem.Space;
        var observables = new List<NamedOperator>
        {
            new("mx", OperatorParser.Sum(Enumerable.Range(0, n).Select(i => (new Complex(1.0 / n, 0), $"X{i}")), space)),
            new("zz", OperatorParser.Parse("Z0 Z1", space)),
            new("y0", OperatorParser.Parse("Y0", space)),
            new("lowering", (OperatorParser.Parse("X0", space) + Complex.ImaginaryOne * OperatorParser.Parse("Y0", space)) / 2), // not Hermitian
        };
        var rng = new Random(11);
        var pure = InitialStates.Parse(new string('0', n), dm);
        var psi = Vector<Complex>.Build.Dense(d, _ => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        psi /= psi.L2Norm();
        var complexPure = psi.OuterProduct(psi.Conjugate());
        var mixed = TestModels.RandomDensityMatrix(rng, d);
        foreach (var rho0 in new[] { pure, complexPure, mixed })
        {
            var reference = Evolution.Run(dm, rho0, Times, observables);
            foreach (var options in new[]
            {
                new EvolutionOptions(), // small: every block decomposed when the propagator is built
                new EvolutionOptions { EagerSectorLimit = 0 }, // sectors decomposed on demand
                new EvolutionOptions { EagerSectorLimit = 0, KrylovMinimum = 2 }, // sectors propagated by Krylov
            })
            {
                var r = Evolution.Run(dm, rho0, Times, observables, options);
                for (int i = 0; i < Times.Length; i++)
                {
                    var rho = reference.DensityMatrix(i);
                    foreach (var o in observables)
                    {
                        var expected = (o.Operator * rho).Trace();
                        Assert.True((r.ComplexExpectations[o.Name][i] - expected).Magnitude < 1e-10,
                            $"{name}, {o.Name}, t = {Times[i]}: {r.ComplexExpectations[o.Name][i]} against {expected}");
                    }
                    var eigen = reference.DensityMatrixEigenbasis(i);
                    for (int m = 0; m < d; m++)
                        Assert.True(Math.Abs(r.Populations[i][m] - eigen[m, m].Real) < 1e-10, $"{name}: p{m}({Times[i]})");
                }
            }
        }
    }

    [Fact]
    public void PureState_IsRecognised_AndMixedIsNot()
    {
        var rng = new Random(5);
        var psi = Vector<Complex>.Build.Dense(6, _ => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        psi /= psi.L2Norm();
        var rho = psi.OuterProduct(psi.Conjugate());
        var found = EigenbasisOperators.PureState(rho);
        Assert.NotNull(found);
        Assert.True((Vector<Complex>.Build.Dense(found!).OuterProduct(Vector<Complex>.Build.Dense(found!).Conjugate()) - rho).FrobeniusNorm() < 1e-14);
        Assert.Null(EigenbasisOperators.PureState(TestModels.RandomDensityMatrix(rng, 6)));
        var sparse = Matrix<Complex>.Build.Sparse(4, 4);
        sparse[2, 2] = 1;
        Assert.NotNull(EigenbasisOperators.PureState(sparse));
        sparse[1, 1] = 0.5;
        sparse[2, 2] = 0.5;
        Assert.Null(EigenbasisOperators.PureState(sparse));
    }

    [Fact]
    public void FreeFermionChain_ObservablesReadFewSectors_AndStillEqualTheFullState()
    {
        // the σz chain's Bohr sectors: 3ⁿ of them; X_i and Z_i Z_{i+1} are quadratic in the chain's fermions, so in
        // exact arithmetic they reach only the sectors of 0 and 2 quasi-particle changes; the rest is rounding and skipped
        var dm = EnergyBasisModel.Build(TestModels.Chain(7, 'Z'));
        var space = dm.OpenSystem.Space;
        var observables = new List<NamedOperator>
        {
            new("mx", OperatorParser.Sum(Enumerable.Range(0, 7).Select(i => (new Complex(1.0 / 7, 0), $"X{i}")), space)),
            new("zz", OperatorParser.Parse("Z2 Z3", space)),
        };
        var rho0 = InitialStates.Parse("0000000", dm);
        var messages = new List<string>();
        var options = new EvolutionOptions { EagerSectorLimit = 0, KrylovMinimum = 64, Progress = new Collect(messages) };
        var r = Evolution.Run(dm, rho0, Times, observables, options);
        var full = Evolution.Run(dm, rho0, Times, observables, new EvolutionOptions { Thermodynamics = true }); // the per-time full state
        foreach (var o in observables)
            for (int i = 0; i < Times.Length; i++)
                Assert.True(Math.Abs(r.Expectations[o.Name][i] - full.Expectations[o.Name][i]) < 1e-10, $"{o.Name}({Times[i]})");
        var line = messages.First(m => m.StartsWith("blocks 0 %", StringComparison.Ordinal));
        int propagated = int.Parse(line.Split('(')[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var generator = r.Propagator.Generator!;
        Assert.Equal((int)Math.Pow(3, 7), generator.Sectors.Count);
        // populations (1 sector) + the sectors with 2 quasi-particle changes, counted once per mirror pair: 2·C(7, 2)
        Assert.True(propagated <= 1 + 2 * 21 + 10, $"{propagated} blocks propagated ({line})");
    }

    private sealed class Collect(List<string> messages) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (messages) messages.Add(value);
        }
    }
}
