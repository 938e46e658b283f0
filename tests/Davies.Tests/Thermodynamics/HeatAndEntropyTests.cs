using Davies.Generators;
using Davies.Models;
using Davies.Solvers;
using Davies.Spaces;
using Davies.Spectral;
using Davies.Thermodynamics;

namespace Davies.Tests.Thermodynamics;

/// <summary>
/// Heat and entropy along ρ(t): the first law, the second law (Σ ≥ 0, non-decreasing), Spohn's identity, the closed-form
/// heat against a numerical integral of the sampled currents, the currents against an independent dense Liouvillian
/// of each bath alone, and the long-time limit against the steady state.
/// </summary>
public class HeatAndEntropyTests
{
    public static TheoryData<int, string, int> RandomCases() => new()
    {
        { 11, "nondegenerate", 1 },
        { 12, "nondegenerate", 2 },
        { 13, "degenerate-levels", 2 },
        { 14, "degenerate-gaps", 3 },
        { 15, "nondegenerate", 3 },
    };

    private static double[] Spectrum(string kind) => kind switch
    {
        "degenerate-levels" => TestModels.DegenerateLevels,
        "degenerate-gaps" => TestModels.DegenerateGaps,
        _ => TestModels.NonDegenerate,
    };

    // baths at different temperatures (1–3 baths), Lamb shift on
    private static OpenSystemModel Model(int seed, string kind, int baths) =>
        TestModels.Random(seed, Spectrum(kind), [.. new[] { 0.6, 1.4, 2.5 }.Take(baths)], couplingsPerBath: 2);

    private static readonly double[] Times = [0, 0.05, 0.3, 1, 2.5, 6, 15, 40, 120];

    private static ThermodynamicTrajectory Account(OpenSystemModel model, Matrix<Complex> rho0, IReadOnlyList<double> times,
        EvolutionOptions? options = null) =>
        HeatAndEntropy.Along(Evolution.Run(model, rho0, times, null, options));

    [Theory, MemberData(nameof(RandomCases))]
    public void FirstLaw_EnergyChangeEqualsTotalHeat(int seed, string kind, int baths)
    {
        var model = Model(seed, kind, baths);
        var rho0 = TestModels.RandomDensityMatrix(new Random(seed), model.Dimension);
        var a = Account(model, rho0, Times);
        for (int i = 0; i < Times.Length; i++)
        {
            double q = a.Heat.Values.Sum(h => h[i]);
            Assert.True(Math.Abs(a.Energy[i] - a.Energy[0] - q) < 1e-10, $"t = {Times[i]}: ΔE = {a.Energy[i] - a.Energy[0]}, ΣQ = {q}");
        }
    }

    [Theory, MemberData(nameof(RandomCases))]
    public void SecondLaw_EntropyProductionIsNonNegativeAndNonDecreasing(int seed, string kind, int baths)
    {
        var model = Model(seed, kind, baths);
        var rho0 = TestModels.RandomDensityMatrix(new Random(seed + 100), model.Dimension);
        var times = Enumerable.Range(0, 60).Select(k => 0.02 * Math.Pow(1.15, k) - 0.02).ToArray();
        var a = Account(model, rho0, times);
        Assert.All(a.EntropyProduction.Concat(a.EntropyProductionRate), x => Assert.NotNull(x)); // T > 0 and a mixed start
        for (int i = 0; i < times.Length; i++)
        {
            Assert.True(a.EntropyProduction[i] >= -1e-12, $"Σ({times[i]}) = {a.EntropyProduction[i]}");
            Assert.True(a.EntropyProductionRate[i] >= -1e-10, $"σ({times[i]}) = {a.EntropyProductionRate[i]}");
            if (i > 0) Assert.True(a.EntropyProduction[i] >= a.EntropyProduction[i - 1] - 1e-12, $"Σ decreases at t = {times[i]}");
        }
    }

    [Theory]
    [InlineData(21, "nondegenerate")]
    [InlineData(22, "degenerate-levels")]
    [InlineData(23, "degenerate-gaps")]
    public void OneTemperature_EntropyProductionIsTheDropOfRelativeEntropy(int seed, string kind)
    {
        var model = TestModels.Random(seed, Spectrum(kind), [0.9, 0.9], couplingsPerBath: 2);
        var rho0 = TestModels.RandomDensityMatrix(new Random(seed), model.Dimension);
        var a = Account(model, rho0, Times);
        Assert.NotNull(a.RelativeEntropy);
        var d = a.RelativeEntropy!;
        // an independent D(ρ‖ρ_β) at t = 0 from matrix logarithms
        Assert.Equal(RelativeEntropy(rho0, model.Hamiltonian, 0.9), d[0]!.Value, 1e-10);
        for (int i = 0; i < Times.Length; i++)
        {
            Assert.True(Math.Abs(a.EntropyProduction[i]!.Value - (d[0]!.Value - d[i]!.Value)) < 1e-10,
                $"t = {Times[i]}: Σ = {a.EntropyProduction[i]}, D0 − Dt = {d[0] - d[i]}");
            if (i > 0) Assert.True(d[i] <= d[i - 1] + 1e-12, $"D increases at t = {Times[i]}");
        }
    }

    [Theory]
    [InlineData(31, "nondegenerate", false)]
    [InlineData(32, "degenerate-levels", false)]
    [InlineData(33, "nondegenerate", true)]
    public void Heat_EqualsTheIntegralOfTheSampledCurrents(int seed, string kind, bool pade)
    {
        var model = Model(seed, kind, 2);
        var rho0 = TestModels.RandomDensityMatrix(new Random(seed), model.Dimension);
        const double T = 4;
        const int steps = 400; // Simpson's rule on 401 samples
        var times = Enumerable.Range(0, steps + 1).Select(k => T * k / steps).ToArray();
        var a = Account(model, rho0, times, new EvolutionOptions(ForcePade: pade));
        foreach (var (name, j) in a.HeatCurrents)
        {
            double h = T / steps, sum = j[0] + j[steps];
            for (int k = 1; k < steps; k++) sum += (k % 2 == 1 ? 4 : 2) * j[k];
            double simpson = sum * h / 3;
            double q = a.Heat[name][steps];
            Assert.True(Math.Abs(q - simpson) < 1e-8 * Math.Max(1, Math.Abs(q)), $"{name}: Q = {q}, ∫J = {simpson}");
        }
    }

    [Theory]
    [InlineData(41, "nondegenerate")]
    [InlineData(42, "degenerate-levels")]
    [InlineData(43, "degenerate-gaps")]
    public void Currents_EqualTheDenseLiouvillianOfEachBathAlone(int seed, string kind)
    {
        var model = Model(seed, kind, 2);
        var rho0 = TestModels.RandomDensityMatrix(new Random(seed), model.Dimension);
        double[] times = [0, 0.7, 3];
        var ev = Evolution.Run(model, rho0, times);
        var a = HeatAndEntropy.Along(ev);
        var h = model.Hamiltonian;
        int d = model.Dimension;
        foreach (var bath in model.Baths)
        {
            var alone = new OpenSystemModel(model.Space, h, [bath], null, model.Options);
            var l = DenseLiouvillian.Davies(EnergyBasisModel.Build(alone));
            for (int i = 0; i < times.Length; i++)
            {
                var rho = ev.DensityMatrix(i);
                var lrho = Vectorization.Unvec(l * Vectorization.Vec(rho), d);
                double j = (h * lrho).Trace().Real; // Tr[H L_k ρ]: the Hamiltonian and Lamb-shift parts add 0
                Assert.True(Math.Abs(j - a.HeatCurrents[bath.Name][i]) < 1e-11, $"{bath.Name}, t = {times[i]}: {a.HeatCurrents[bath.Name][i]} vs {j}");
            }
        }
    }

    [Theory]
    [InlineData(51, "nondegenerate")]
    [InlineData(52, "degenerate-gaps")]
    public void LongTimeCurrents_AreTheSteadyStateCurrents(int seed, string kind)
    {
        var model = Model(seed, kind, 3);
        var ss = SteadyState.Solve(model);
        Assert.True(ss.Unique);
        var a = Account(model, TestModels.RandomDensityMatrix(new Random(seed), model.Dimension), [5000]);
        foreach (var (name, j) in ss.HeatCurrents)
            Assert.True(Math.Abs(a.HeatCurrents[name][0] - j) < 1e-10, $"{name}: {a.HeatCurrents[name][0]} vs steady {j}");
        Assert.True(Math.Abs(a.EntropyProductionRate[0]!.Value - ss.EntropyProduction) < 1e-9,
            $"σ(∞) = {a.EntropyProductionRate[0]} vs steady {ss.EntropyProduction}");
    }

    [Fact]
    public void BlochRedfield_KeepsTheFirstLaw_AndItsCurrentsMatchTheDenseGenerator()
    {
        var model = TestModels.Random(61, TestModels.NonDegenerate, [0.7, 1.6], secular: SecularMode.None);
        var rho0 = TestModels.RandomDensityMatrix(new Random(61), model.Dimension);
        double[] times = [0, 0.4, 2, 9];
        var ev = Evolution.Run(model, rho0, times);
        var a = HeatAndEntropy.Along(ev);
        var dm = ev.Decomposed;
        int d = model.Dimension;
        for (int i = 0; i < times.Length; i++)
        {
            Assert.True(Math.Abs(a.Energy[i] - a.Energy[0] - a.Heat.Values.Sum(q => q[i])) < 1e-10);
            var x = Vectorization.Vec(ev.DensityMatrixEigenbasis(i));
            for (int b = 0; b < model.Baths.Count; b++)
            {
                var lx = Vectorization.Unvec(DenseLiouvillian.RedfieldEigenbasis(dm, b) * x, d);
                double j = 0;
                for (int n = 0; n < d; n++) j += dm.Basis.Energies[n] * lx[n, n].Real;
                Assert.True(Math.Abs(j - a.HeatCurrents[model.Baths[b].Name][i]) < 1e-11);
            }
        }
    }

    [Fact]
    public void LocalApproach_KeepsTheFirstLaw()
    {
        var model = ModelFile.Parse("""
            sites: [2, 2]
            hamiltonian: [[0.5, "Z0"], [0.15, "Z1"], [0.5, "X0 X1"]]
            baths:
              - {name: hot, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 20}, couplings: ["X0"]}
              - {name: cold, temperature: 0.5, spectrum: {type: ohmic, eta: 0.01, cutoff: 20}, couplings: ["X1"]}
            options: {approach: local}
            """, ModelFileFormat.Yaml, "lk.yaml");
        var ev = Evolution.Run(model, TestModels.RandomDensityMatrix(new Random(81), 4), [0, 1, 10, 100]);
        Assert.Equal(PropagationMethod.LocalDense, ev.Method);
        var a = HeatAndEntropy.Along(ev);
        for (int i = 0; i < 4; i++)
            Assert.True(Math.Abs(a.Energy[i] - a.Energy[0] - a.Heat.Values.Sum(q => q[i])) < 1e-10);
    }

    [Fact]
    public void ZeroTemperatureBath_GivesNullEntropyProduction_WithAReason_NeverNaN()
    {
        var model = TestModels.Random(71, TestModels.NonDegenerate, [double.PositiveInfinity, 1.0]);
        var rho0 = TestModels.RandomDensityMatrix(new Random(71), model.Dimension);
        var a = Account(model, rho0, [0, 1, 3]);
        Assert.All(a.EntropyProduction.Skip(1), x => Assert.Null(x));
        Assert.Contains(a.Notes, n => n.Contains("T = 0") && n.Contains("bath0"));
        Assert.Null(a.RelativeEntropy);
        Assert.All(a.Energy.Concat(a.Entropy).Concat(a.Heat.Values.SelectMany(q => q)), x => Assert.True(double.IsFinite(x)));
    }

    [Fact]
    public void PureInitialState_HasAnInfiniteEntropyRateAtZero_ReportedNull()
    {
        var model = TestModels.Qubit(1, 2);
        var ground = Matrix<Complex>.Build.Dense(2, 2);
        ground[1, 1] = 1; // Z = −1: the upper state |0⟩ is index 0; start in |1⟩ (the ground state) — still pure
        var a = Account(model, ground, [0, 0.5]);
        Assert.Null(a.EntropyProductionRate[0]);
        Assert.NotNull(a.EntropyProductionRate[1]);
        Assert.Equal(0, a.Entropy[0], 14);
        Assert.Contains(a.Notes, n => n.Contains("dS/dt = +∞"));
    }

    // D(ρ‖e^{−βH}/Z) = Tr ρ ln ρ − Tr ρ ln ρ_β, both logarithms from Hermitian eigen-decompositions.
    private static double RelativeEntropy(Matrix<Complex> rho, Matrix<Complex> h, double beta)
    {
        var er = rho.Evd(Symmetricity.Hermitian);
        double trRhoLogRho = er.EigenValues.Select(z => z.Real).Where(p => p > 1e-300).Sum(p => p * Math.Log(p));
        var eh = h.Evd(Symmetricity.Hermitian);
        var e = eh.EigenValues.Select(z => z.Real).ToArray();
        double e0 = e.Min();
        double logZ = Math.Log(e.Sum(x => Math.Exp(-beta * (x - e0)))) - beta * e0;
        var logGibbs = eh.EigenVectors * Matrix<Complex>.Build.DenseOfDiagonalArray(e.Select(x => new Complex(-beta * x - logZ, 0)).ToArray())
            * eh.EigenVectors.ConjugateTranspose();
        return trRhoLogRho - (rho * logGibbs).Trace().Real;
    }
}
