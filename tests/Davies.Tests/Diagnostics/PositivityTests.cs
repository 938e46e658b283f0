using Davies.Diagnostics;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Tests.Diagnostics;

/// <summary>
/// Positivity of ρ(t) and ρ_ss (<see cref="Positivity"/>): the Davies generator keeps every state positive (random
/// models, pure initial states, short and long times); Bloch–Redfield on the shipped spin-boson example does not, and
/// its smallest eigenvalues equal those of an independent Redfield generator written out in this test and QuTiP's.
/// </summary>
public class PositivityTests
{
    private static string Example(string name) => Path.Combine(Models.ModelFileTests.ExamplesDirectory(), name);

    /// <summary>A grid with very short times (where a pure state's zero eigenvalues move first) up to relaxation.</summary>
    private static readonly double[] Grid = [0, 1e-9, 1e-6, 1e-4, 1e-3, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 1000];

    private static Matrix<Complex> RandomPureState(Random rng, int d)
    {
        var psi = Vector<Complex>.Build.Dense(d, _ => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5));
        psi /= psi.L2Norm();
        return psi.OuterProduct(psi.Conjugate());
    }

    public static TheoryData<int, string, double[]> RandomDaviesModels => new()
    {
        { 101, nameof(TestModels.NonDegenerate), [0.5, 2.0] },
        { 102, nameof(TestModels.DegenerateLevels), [0.5, 2.0] },
        { 103, nameof(TestModels.DegenerateGaps), [0.5, 2.0] },
        { 104, nameof(TestModels.DegenerateLevels), [1.0, double.PositiveInfinity] },
        { 105, nameof(TestModels.DegenerateGaps), [0.3, 3.0, double.PositiveInfinity] },
    };

    private static double[] Spectrum(string name) => name switch
    {
        nameof(TestModels.NonDegenerate) => TestModels.NonDegenerate,
        nameof(TestModels.DegenerateLevels) => TestModels.DegenerateLevels,
        _ => TestModels.DegenerateGaps,
    };

    [Theory]
    [MemberData(nameof(RandomDaviesModels))]
    public void DaviesEvolution_StaysPositive_AtEveryTime_OnRandomModels(int seed, string spectrum, double[] betas)
    {
        var model = TestModels.Random(seed, Spectrum(spectrum), betas, couplingsPerBath: 2, lambShift: true);
        var dm = EnergyBasisModel.Build(model);
        var rng = new Random(seed);
        foreach (var rho0 in new[] { RandomPureState(rng, dm.Dimension), RandomPureState(rng, dm.Dimension), TestModels.RandomDensityMatrix(rng, dm.Dimension) })
        {
            var run = Evolution.Run(dm, rho0, Grid);
            Assert.NotEqual(PropagationMethod.RedfieldDense, run.Method);
            var report = Positivity.Of(run);
            Assert.Equal(Grid, report.Times);
            for (int i = 0; i < Grid.Length; i++)
            {
                Assert.True(report.MinEigenvalues[i] >= -1e-12, $"t = {Grid[i]}: smallest eigenvalue {report.MinEigenvalues[i]}");
                Assert.Equal(1.0, report.TraceNorms[i], 10);
                // independent: the site-basis state diagonalised by Math.NET
                Assert.Equal(TestModels.MinEigenvalue(run.DensityMatrix(i)), report.MinEigenvalues[i], 12);
            }
            Assert.True(report.Positive);
            Assert.Null(report.Warning("model"));
        }
    }

    [Theory]
    [MemberData(nameof(RandomDaviesModels))]
    public void DaviesSteadyState_LevelBlockEigenvalues_EqualFullDiagonalisation(int seed, string spectrum, double[] betas)
    {
        var ss = SteadyState.Solve(TestModels.Random(seed, Spectrum(spectrum), betas, couplingsPerBath: 2));
        Assert.True(ss.BlockDiagonal);
        var report = Positivity.Of(ss);
        Assert.Null(report.Times);
        Assert.Null(report.Time);
        Assert.Equal(TestModels.MinEigenvalue(ss.DensityMatrix), report.MinEigenvalue, 12);
        Assert.True(report.MinEigenvalue >= -1e-12);
        Assert.True(report.Positive);
        Assert.False(report.BlochRedfield);
    }

    [Theory]
    [InlineData(211, false)]
    [InlineData(212, true)]
    public void RedfieldSteadyState_MinEigenvalue_EqualsEvdOfTheDensityMatrix(int seed, bool lambShift)
    {
        var model = TestModels.Random(seed, TestModels.DegenerateGaps, [0.7, 2.0], couplingsPerBath: 2, lambShift: lambShift,
            secular: SecularMode.None);
        var ss = SteadyState.Solve(model);
        Assert.Equal(SteadyStateMethod.RedfieldDense, ss.Method);
        var report = Positivity.Of(ss);
        var values = (0.5 * (ss.DensityMatrix + ss.DensityMatrix.ConjugateTranspose())).Evd(Symmetricity.Hermitian).EigenValues.Select(z => z.Real).ToArray();
        Assert.Equal(values.Min(), report.MinEigenvalue, 12);
        Assert.Equal(values.Sum(Math.Abs), report.TraceNorms[0], 12);
        Assert.True(report.BlochRedfield);
    }

    [Fact]
    public void RedfieldSteadyState_WithLargeLambShift_IsNotPositive_AndTheWarningSaysSo()
    {
        // the shipped spin-boson example with its Lamb shift on (S(0) = −ηω_c): ρ_ss itself has a negative eigenvalue
        // (−0.174929 from an independent scipy Redfield generator with S(ω) by principal-value quadrature)
        string text = File.ReadAllText(Example("spin_boson_redfield.yaml")).Replace("lamb_shift: false", "lamb_shift: true");
        var ss = SteadyState.Solve(ModelFile.Parse(text, ModelFileFormat.Yaml, "sb.yaml"));
        var report = Positivity.Of(ss);
        Assert.Equal(TestModels.MinEigenvalue(ss.DensityMatrix), report.MinEigenvalue, 12);
        Assert.Equal(-0.174929, report.MinEigenvalue, 5);
        Assert.False(report.Positive);
        var warning = report.Warning("sb.yaml");
        Assert.NotNull(warning);
        Assert.StartsWith("sb.yaml: the steady state is not positive", warning);
        Assert.Contains("secular: partial", warning);
    }

    /// <summary>G(ω) = 2πηω e^{−|ω|/ω_c}/(1 − e^{−ω/T}), G(0) = 2πηT: the Ohmic rate written out independently.</summary>
    private static double OhmicG(double w, double eta, double wc, double t) =>
        w == 0 ? 2 * Math.PI * eta * t : 2 * Math.PI * eta * w * Math.Exp(-Math.Abs(w) / wc) / -double.ExpM1(-w / t);

    /// <summary>
    /// Bloch–Redfield without Lamb shift written out on its own: dρ/dt = −i[H, ρ] + [Λρ, A] + [A, ρΛ†], with
    /// Λ = Σ_ω Γ(ω) A(ω), Λ_mn = ½G(E_n − E_m) A_mn in the eigenbasis of H (A(ω) lowers the energy by ω), as a
    /// column-stacking d²×d² matrix in the site basis.
    /// </summary>
    private static Matrix<Complex> IndependentRedfield(Matrix<Complex> h, Matrix<Complex> a, Func<double, double> g)
    {
        int d = h.RowCount;
        var evd = h.Evd(Symmetricity.Hermitian);
        var v = evd.EigenVectors;
        var e = evd.EigenValues.Select(z => z.Real).ToArray();
        var ae = v.ConjugateTranspose() * a * v;
        var lamE = Matrix<Complex>.Build.Dense(d, d, (m, n) => 0.5 * g(e[n] - e[m]) * ae[m, n]);
        var lam = v * lamE * v.ConjugateTranspose();
        var lamDag = lam.ConjugateTranspose();
        var l = Matrix<Complex>.Build.Dense(d * d, d * d);
        for (int k = 0; k < d * d; k++)
        {
            var rho = Matrix<Complex>.Build.Dense(d, d);
            rho[k % d, k / d] = 1;
            var lr = -Complex.ImaginaryOne * (h * rho - rho * h) + (lam * rho * a - a * lam * rho) + (a * rho * lamDag - rho * lamDag * a);
            for (int c = 0; c < d; c++)
                for (int r = 0; r < d; r++) l[r + c * d, k] = lr[r, c];
        }
        return l;
    }

    [Fact]
    public void RedfieldSpinBoson_LosesPositivity_AsAnIndependentRedfieldAndQuTiP_AndDaviesDoesNot()
    {
        var model = ModelFile.Load(Example("spin_boson_redfield.yaml"));
        Assert.Equal(SecularMode.None, model.Options.Secular);
        var dm = EnergyBasisModel.Build(model);
        var rho0 = InitialStates.Parse("0", dm);
        var times = InitialStates.ParseTimes("0:2:41");
        var report = Positivity.Of(Evolution.Run(dm, rho0, times));
        Assert.True(report.BlochRedfield);

        var l = IndependentRedfield(model.Hamiltonian, model.Baths[0].Couplings[0], w => OhmicG(w, 0.1, 10, 0.1));
        var x0 = Vector<Complex>.Build.Dense(4, k => rho0[k % 2, k / 2]);
        for (int i = 0; i < times.Length; i++)
        {
            var x = TestModels.TaylorExp(l * times[i]) * x0;
            var rho = Matrix<Complex>.Build.Dense(2, 2, (r, c) => x[r + 2 * c]);
            Assert.Equal(TestModels.MinEigenvalue(rho), report.MinEigenvalues[i], 10);
        }
        // QuTiP 4.7.1: brmesolve(H, |0⟩⟨0|, t, a_ops=[[σz, G]]) (no Lamb shift, atol 1e-12, rtol 1e-10): the smallest
        // eigenvalue over 0:10:401 is −0.0215041274 at t = 0.85
        Assert.Equal(0.85, report.Time!.Value, 12);
        Assert.Equal(-0.0215041274, report.MinEigenvalue, 8);
        Assert.False(report.Positive);
        Assert.False(report.IsNegative(0)); // the pure initial state is positive; positivity is lost at once after it
        Assert.True(report.IsNegative(1));
        var warning = report.Warning("sb.yaml")!;
        Assert.StartsWith("sb.yaml: ρ(t) is not positive at t = 0.85: smallest eigenvalue -0.0215", warning);

        // the Davies twin: the same model with secular: partial
        var davies = ModelFile.Load(Example("spin_boson_davies.yaml"));
        Assert.Equal(SecularMode.Partial, davies.Options.Secular);
        var ddm = EnergyBasisModel.Build(davies);
        var twin = Positivity.Of(Evolution.Run(ddm, InitialStates.Parse("0", ddm), InitialStates.ParseTimes("0:10:401")));
        Assert.True(twin.Positive);
        Assert.True(twin.MinEigenvalue >= -1e-12, $"Davies: {twin.MinEigenvalue}");
        Assert.False(twin.BlochRedfield);
    }

    [Theory]
    [InlineData("diagonal")]
    [InlineData("real")]
    [InlineData("complex")]
    public void Eigenvalues_EachShortcut_AgreesWithAFullDiagonalisation(string kind)
    {
        var rng = new Random(7);
        int n = 6;
        var rho = TestModels.RandomDensityMatrix(rng, n);
        if (kind == "diagonal")
            rho = Matrix<Complex>.Build.Dense(n, n, (i, j) => i == j ? rho[i, i] : new Complex(1e-18 * (i - j), 1e-18));
        if (kind == "real") rho = rho.Map(z => new Complex(z.Real, 0));
        rho[0, 0] -= 0.3; // a negative eigenvalue, so the minimum is not trivially ≥ 0
        var values = Positivity.Eigenvalues(rho, Davies.LinearAlgebra.LinearAlgebraProvider.Current, 1e-15);
        var reference = (0.5 * (rho + rho.ConjugateTranspose())).Evd(Symmetricity.Hermitian).EigenValues.Select(z => z.Real).Order().ToArray();
        Assert.Equal(n, values.Length);
        var sorted = values.Order().ToArray();
        for (int k = 0; k < n; k++) Assert.Equal(reference[k], sorted[k], 13);
        Assert.True(sorted[0] < 0);
    }

    [Fact]
    public void NegativeThreshold_IsRelativeToTheTraceNorm()
    {
        var report = new PositivityReport([0, 1, 2, 3], [-0.9e-12, -1.1e-12, -5e-12, 0.1], [1, 1, 10, 1], BlochRedfield: true);
        Assert.False(report.IsNegative(0));
        Assert.True(report.IsNegative(1));
        Assert.False(report.IsNegative(2)); // −5e-12 > −1e-12 × 10
        Assert.False(report.IsNegative(3));
        Assert.Equal(1, report.NegativeCount);
        Assert.Equal(-5e-12, report.MinEigenvalue);
        Assert.Equal(2.0, report.Time);
        Assert.Contains("negative at 1 of 4 times, t from 1 to 1", report.Warning());

        var positive = new PositivityReport([0, 1], [-0.5e-12, 0], [1, 1], BlochRedfield: true);
        Assert.True(positive.Positive);
        Assert.Null(positive.Warning("x"));

        var empty = new PositivityReport([], [], [], BlochRedfield: false);
        Assert.True(double.IsNaN(empty.MinEigenvalue));
        Assert.Null(empty.Time);
        Assert.True(empty.Positive);
    }
}
