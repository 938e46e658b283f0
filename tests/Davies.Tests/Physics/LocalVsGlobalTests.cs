using Davies.Baths;
using Davies.Generators;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Tests.Physics;

/// <summary>
/// The local master equation (options.approach: local) against the global one, an independent hand-built local
/// Liouvillian, the Levy–Kosloff violation of the second law, and the dense Bloch–Redfield solution as the common
/// reference in each approach's regime.
/// </summary>
public class LocalVsGlobalTests
{
    // Two qubits, the hot one (site 0, ω_h) on bath "hot", the cold one (site 1, ω_c) on bath "cold", coupled by
    // `interaction` (a term list, or none). Ohmic baths η = 0.01, ω_c = 20.
    private static OpenSystemModel TwoQubits(double wh, double wc, string interaction, double th, double tc,
        string approach = "global", string secular = "partial", bool lamb = false) => ModelFile.Parse($$"""
        sites: [2, 2]
        hamiltonian: [[{{wh / 2}}, "Z0"], [{{wc / 2}}, "Z1"]{{interaction}}]
        baths:
          - {name: hot, temperature: {{th}}, spectrum: {type: ohmic, eta: 0.01, cutoff: 20}, couplings: ["X0"]}
          - {name: cold, temperature: {{tc}}, spectrum: {type: ohmic, eta: 0.01, cutoff: 20}, couplings: ["X1"]}
        options: {approach: {{approach}}, secular: {{secular}}, lamb_shift: {{(lamb ? "true" : "false")}}}
        """, ModelFileFormat.Yaml, "two-qubits.yaml");

    // g(σ⁺σ⁻ + σ⁻σ⁺) = (g/2)(X0 X1 + Y0 Y1)
    private static string Exchange(double g) => $", [{g / 2}, \"X0 X1\"], [{g / 2}, \"Y0 Y1\"]";

    private static string XX(double g) => $", [{g}, \"X0 X1\"]";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WithoutInterSiteCoupling_LocalEqualsGlobal(bool lamb)
    {
        var global = SteadyState.Solve(TwoQubits(1, 1.6, "", 2, 0.5, lamb: lamb));
        var local = SteadyState.Solve(TwoQubits(1, 1.6, "", 2, 0.5, "local", lamb: lamb));
        Assert.Equal(SteadyStateMethod.LocalDense, local.Method);
        Assert.True((global.DensityMatrix - local.DensityMatrix).FrobeniusNorm() < 1e-12);
        foreach (var (name, j) in global.HeatCurrents) Assert.Equal(j, local.HeatCurrents[name], 12);
        var sg = Spectrum.Compute(TwoQubits(1, 1.6, "", 2, 0.5, lamb: lamb));
        var sl = Spectrum.Compute(TwoQubits(1, 1.6, "", 2, 0.5, "local", lamb: lamb));
        Assert.Equal(sg.SpectralGap, sl.SpectralGap, 12);
    }

    [Fact]
    public void LocalHeatCurrents_EqualAHandBuiltLocalLiouvillian()
    {
        const double wh = 1, wc = 0.8, g = 0.05, th = 1.5, tc = 0.5;
        var model = TwoQubits(wh, wc, Exchange(g), th, tc, "local");
        var ss = SteadyState.Solve(model);

        // σ⁻ = |1⟩⟨0| lowers (Z|0⟩ = |0⟩), qubit k local frequency ω_k, rates G_k(±ω_k) of its own bath
        var sm = Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { 0, 0 }, { 1, 0 } });
        var id = Matrix<Complex>.Build.DenseIdentity(2);
        var s0 = sm.KroneckerProduct(id);
        var s1 = id.KroneckerProduct(sm);
        var hot = new ThermalRates(new OhmicSpectralDensity(0.01, 20), 1 / th);
        var cold = new ThermalRates(new OhmicSpectralDensity(0.01, 20), 1 / tc);
        var dHot = hot.Rate(wh) * Dissipator(s0) + hot.Rate(-wh) * Dissipator(s0.ConjugateTranspose());
        var dCold = cold.Rate(wc) * Dissipator(s1) + cold.Rate(-wc) * Dissipator(s1.ConjugateTranspose());
        var h = model.Hamiltonian;
        var l = -Complex.ImaginaryOne * (Vectorization.Left(h) - Vectorization.Right(h)) + dHot + dCold;
        // kernel: the right singular vector of the smallest singular value
        var svd = l.Svd(true);
        var rho = Vectorization.Unvec(svd.VT.Row(15).Conjugate(), 4);
        rho /= rho.Trace();
        Assert.True((rho - ss.DensityMatrix).FrobeniusNorm() < 1e-10, $"‖Δρ‖ = {(rho - ss.DensityMatrix).FrobeniusNorm()}");
        double jh = (h * Vectorization.Unvec(dHot * Vectorization.Vec(rho), 4)).Trace().Real;
        double jc = (h * Vectorization.Unvec(dCold * Vectorization.Vec(rho), 4)).Trace().Real;
        Assert.Equal(jh, ss.HeatCurrents["hot"], 12);
        Assert.Equal(jc, ss.HeatCurrents["cold"], 12);
        Assert.True(jh > 0 && jc < 0, $"heat should flow from hot to cold: J_hot = {jh}, J_cold = {jc}");
    }

    // Levy & Kosloff (EPL 107, 20004 (2014)): detuned qubits with σxσx coupling. ω_h = 1, ω_c = 0.3, g = 0.5,
    // T_h = 1, T_c = 0.5: the local master equation carries heat from the cold to the hot bath (negative entropy
    // production); the global one, valid here (g ≫ rates), does not.
    [Fact]
    public void LevyKosloffPoint_LocalViolatesTheSecondLaw_GlobalDoesNot()
    {
        var local = SteadyState.Solve(TwoQubits(1, 0.3, XX(0.5), 1, 0.5, "local"));
        Assert.True(local.HeatCurrents["cold"] > 1e-4, $"J_cold = {local.HeatCurrents["cold"]}");
        Assert.True(local.HeatCurrents["hot"] < -1e-4, $"J_hot = {local.HeatCurrents["hot"]}");
        Assert.True(local.EntropyProduction < -1e-4, $"σ = {local.EntropyProduction}");

        var global = SteadyState.Solve(TwoQubits(1, 0.3, XX(0.5), 1, 0.5));
        Assert.True(global.EntropyProduction >= 0, $"σ = {global.EntropyProduction}");
        Assert.True(global.HeatCurrents["hot"] > 0, $"J_hot = {global.HeatCurrents["hot"]}");
    }

    // Resonant qubits with exchange coupling g: the global Bohr frequencies 1 ± g are split by 2g. For g ≪ γ the
    // global secular approximation wrongly separates them and the local equation is the accurate one; for g ≫ γ the
    // global one is. Reference: the dense Bloch–Redfield (non-secular) steady state of the same model.
    [Theory]
    [InlineData(0.0005, "local")]
    [InlineData(0.8, "global")]
    public void EachApproach_IsAccurateInItsRegime(double g, string better)
    {
        double Error(string approach)
        {
            var s = SteadyState.Solve(TwoQubits(1, 1, Exchange(g), 2, 0.5, approach));
            var reference = SteadyState.Solve(TwoQubits(1, 1, Exchange(g), 2, 0.5, secular: "none"));
            return Math.Abs(s.HeatCurrents["hot"] - reference.HeatCurrents["hot"]) / Math.Abs(reference.HeatCurrents["hot"]);
        }
        double local = Error("local"), global = Error("global");
        if (better == "local") Assert.True(local < 0.1 * global, $"g = {g}: local error {local}, global error {global}");
        else Assert.True(global < 0.1 * local, $"g = {g}: local error {local}, global error {global}");
    }

    [Fact]
    public void LocalApproach_WithAMatrixHamiltonian_IsAClearError()
    {
        var e = Assert.Throws<ModelException>(() => ModelFile.Parse("""
            sites: [2]
            hamiltonian: {matrix: [[0.5, 0], [0, -0.5]]}
            baths:
              - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 20}, couplings: ["X0"]}
            options: {approach: local}
            """, ModelFileFormat.Yaml, "m.yaml"));
        Assert.Contains("options.approach", e.Message);
        Assert.Contains("list of terms", e.Message);
    }

    [Fact]
    public void ACouplingOnEverySite_GivesANote_AndLocalEqualsGlobal()
    {
        var model = ModelFile.Parse("""
            sites: [2, 2]
            hamiltonian: [[0.5, "Z0"], [0.7, "Z1"], [0.2, "X0 X1"]]
            baths:
              - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 20}, couplings: ["X0 X1"]}
            options: {approach: local, lamb_shift: false}
            """, ModelFileFormat.Yaml, "m.yaml");
        var dm = EnergyBasisModel.Build(model);
        var local = LocalJumpOperators.Of(dm);
        Assert.Contains(local.Notes, n => n.Contains("acts on every site"));
        var global = SteadyState.Solve(model.WithOptions(model.Options with { Approach = MasterEquationApproach.Global }));
        Assert.True((SteadyState.Solve(dm).DensityMatrix - global.DensityMatrix).FrobeniusNorm() < 1e-10);
    }

    private static Matrix<Complex> Dissipator(Matrix<Complex> s)
    {
        var sts = s.ConjugateTranspose() * s;
        return Vectorization.Sandwich(s, s.ConjugateTranspose()) - 0.5 * Vectorization.Left(sts) - 0.5 * Vectorization.Right(sts);
    }
}
