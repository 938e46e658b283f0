using Davies.Baths;
using Davies.Diagnostics;
using Davies.Models;
using Davies.Spectral;

namespace Davies.Tests.Diagnostics;

/// <summary>
/// The validity report (docs/validity.md): each criterion against its formula written out here, and each threshold
/// crossed in both directions by changing one physical parameter.
/// </summary>
public class ValidityTests
{
    private static ValidityReport Report(string yaml) =>
        Validity.Evaluate(EnergyBasisModel.Build(ModelFile.Parse(yaml, ModelFileFormat.Yaml, "test.yaml")));

    private static string Qubit(double eta, double T, string extra = "", double cutoff = 10, double exponent = 1) => $$"""
        sites: [2]
        hamiltonian: [[0.5, "Z0"]]
        baths:
          - {name: bath, temperature: {{T}}, spectrum: {type: ohmic, eta: {{eta}}, cutoff: {{cutoff}}, exponent: {{exponent}}}, couplings: ["X0"]}
        {{extra}}
        """;

    private static string ExamplesDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Davies.slnx"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "examples");
    }

    [Fact]
    public void QubitExample_PassesAllCriteria_WithTheValuesOfTheFormulas()
    {
        var model = ModelFile.Load(Path.Combine(ExamplesDirectory(), "qubit.yaml"));
        var report = Validity.Evaluate(EnergyBasisModel.Build(model));
        Assert.True(report.AllOk, string.Join("; ", report.Criteria.Select(c => $"{c.Name} = {c.Value}: {c.Detail}")));

        var rates = (ThermalRates)model.Baths[0].Rates;
        var ohmic = (OhmicSpectralDensity)rates.Density;
        double beta = rates.Beta, w0 = 1;
        // emission out of the upper level: G(ω0) = 2πηω0 e^{−ω0/ωc}/(1 − e^{−βω0})
        double gPlus = 2 * Math.PI * ohmic.Eta * w0 * Math.Exp(-w0 / ohmic.Cutoff) / (1 - Math.Exp(-beta * w0));
        double gMinus = gPlus * Math.Exp(-beta * w0);
        double shift = rates.LambShift(w0) - rates.LambShift(-w0); // the Lamb shift of the transition
        Assert.Equal(gPlus, report.LargestDecayRate, 12);
        Assert.Equal(Math.Abs(shift), report.LambShiftSpread, 12);
        Assert.Equal(Math.Max(gPlus, Math.Abs(shift)) / Math.Min(w0, 1 / beta), report.WeakCoupling.Value, 12);
        // σx couples ω = −1 and +1 (spacing 2) with |½(G(1) + G(−1)) + i(S(1) − S(−1))|
        Assert.Equal(new Complex(0.5 * (gPlus + gMinus), shift).Magnitude / 2, report.Secular.Value, 12);
        Assert.Contains("ω = -1 and 1", report.Secular.Detail);
        Assert.Equal(BathCorrelations.Memory(rates).CorrelationTime * gPlus, report.Markov.Value, 12);
        Assert.Equal(0, report.Memory.Value);
    }

    [Fact]
    public void CloseBohrFrequencies_FailSecular_NamingThem()
    {
        // two qubits at ω = 1 and 1.02 flipped by one collective coupling X0 + X1: S(ω) ≠ 0 at both frequencies
        string Pair(double w2, double eta) => $$"""
            sites: [2, 2]
            hamiltonian: [[0.5, "Z0"], [{{w2 / 2}}, "Z1"]]
            baths:
              - {name: b, temperature: 1, spectrum: {type: ohmic, eta: {{eta}}, cutoff: 10}, couplings: [[[1, "X0"], [1, "X1"]]]}
            """;
        var close = Report(Pair(1.02, 0.005));
        Assert.False(close.Secular.Ok);
        Assert.Contains("ω = 1 and 1.02", close.Secular.Detail);
        Assert.Contains("spacing 0.02", close.Secular.Detail);
        var rates = new ThermalRates(new OhmicSpectralDensity(0.005, 10), 1);
        double rate = new Complex(0.5 * (rates.Rate(1) + rates.Rate(1.02)), rates.LambShift(1) - rates.LambShift(1.02)).Magnitude;
        Assert.Equal(rate / 0.02, close.Secular.Value, 6);
        // far apart: the same coupling passes
        var far = Report(Pair(2.0, 0.005));
        Assert.True(far.Secular.Ok, far.Secular.Detail);
        Assert.True(far.Secular.Value < Validity.SecularThreshold);
    }

    [Fact]
    public void StrongCoupling_FailsWeakCouplingAndMarkov_WeakPasses()
    {
        var strong = Report(Qubit(0.5, 0.5));
        Assert.False(strong.WeakCoupling.Ok);
        Assert.False(strong.Markov.Ok);
        Assert.True(strong.WeakCoupling.Value > Validity.WeakCouplingThreshold);
        Assert.True(strong.Markov.Value > Validity.MarkovThreshold);
        var weak = Report(Qubit(0.005, 0.5));
        Assert.True(weak.WeakCoupling.Ok && weak.Markov.Ok);
        // value ∝ η: the Markov measure scales linearly with the coupling (τ_B does not depend on η)
        Assert.Equal(100, strong.Markov.Value / weak.Markov.Value, 8);
    }

    [Fact]
    public void WeakCoupling_ComparesWithTemperature_AndNotAtZeroTemperature()
    {
        // the same η: fine at T = 0.5, fails at T = 0.02 (Γ_max ≈ 2πη·e^{−0.1} ≫ T), passes again at T = 0
        Assert.True(Report(Qubit(0.002, 0.5)).WeakCoupling.Ok);
        var cold = Report(Qubit(0.002, 0.02));
        Assert.False(cold.WeakCoupling.Ok);
        Assert.Contains("T = 0.02", cold.WeakCoupling.Detail);
        var zero = Report(Qubit(0.002, 0));
        Assert.True(zero.WeakCoupling.Ok, zero.WeakCoupling.Detail);
        Assert.Contains("all baths at T = 0", zero.WeakCoupling.Detail);
    }

    [Fact]
    public void SubOhmicBath_AtFiniteTemperature_FailsMemoryAndMarkov_NamingTheBath()
    {
        var r = Report(Qubit(0.005, 0.5, exponent: 0.5));
        Assert.False(r.Memory.Ok);
        Assert.Equal(1, r.Memory.Value);
        Assert.Contains("'bath'", r.Memory.Detail);
        Assert.False(r.Markov.Ok);
        Assert.True(double.IsPositiveInfinity(r.Markov.Value));
        var zeroT = Report(Qubit(0.005, 0, exponent: 0.5));
        Assert.True(zeroT.Memory.Ok);
        Assert.True(double.IsFinite(zeroT.Markov.Value));
    }

    [Fact]
    public void PhenomenologicalRates_AreNotAssessedForMemory()
    {
        var r = Report("""
            sites: [2]
            hamiltonian: [[0.5, "Z0"]]
            baths:
              - {name: m, temperature: 1, spectrum: {type: metropolis, rate: 0.001}, couplings: ["X0"]}
            """);
        Assert.True(r.Markov.Ok);
        Assert.True(double.IsNaN(r.Markov.Value));
        Assert.Contains("not assessed", r.Markov.Detail);
        Assert.True(r.Memory.Ok);
        Assert.Contains("'m'", r.Memory.Detail);
    }

    [Fact]
    public void BlochRedfield_MakesNoSecularApproximation()
    {
        var r = Report(Qubit(0.5, 0.5, "options: {secular: none}"));
        Assert.True(r.Secular.Ok);
        Assert.True(r.Secular.Value > Validity.SecularThreshold);
        Assert.Contains("no secular approximation", r.Secular.Detail);
    }

    [Fact]
    public void DephasingOnly_HasNoSecularPairs()
    {
        var r = Report("""
            sites: [2]
            hamiltonian: [[0.5, "Z0"]]
            baths:
              - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.001, cutoff: 10}, couplings: ["Z0"]}
            """);
        Assert.Equal(0, r.Secular.Value);
        Assert.Contains("no coupling connects", r.Secular.Detail);
        Assert.True(r.LargestDecayRate > 0); // G(0) = 2πη/β of the dephasing
    }
}
