using Davies.Baths;
using Davies.Models;
using Davies.Solvers;
using Davies.Spaces;

namespace Davies.Tests.Models;

/// <summary>Valid ranges of model-file numbers (docs/model-file.md, "Valid ranges and limits") and the numerics at their edges.</summary>
public class ModelFileRangeTests
{
    private const string Source = "ranges.yaml";

    private static OpenSystemModel Yaml(string text) => ModelFile.Parse(text, ModelFileFormat.Yaml, Source);

    /// <summary>A qubit model; line 2 is the Hamiltonian, line 5 the temperature, line 6 the spectrum.</summary>
    internal static string Qubit(string hamiltonian = "[[0.5, \"Z0\"]]", string temperature = "temperature: 1",
        string spectrum = "{type: ohmic, eta: 0.01, cutoff: 5}", string coupling = "\"X0\"", string extra = "") =>
        $"sites: [2]\nhamiltonian: {hamiltonian}\nbaths:\n  - name: b\n    {temperature}\n    spectrum: {spectrum}\n    couplings: [{coupling}]\n{extra}";

    private static void Rejected(string yaml, string expected)
    {
        var ex = Assert.ThrowsAny<ModelException>(() => Yaml(yaml));
        Assert.Equal(expected, ex.Message);
    }

    // ------------------------------------------------------------------ the reproductions of the issue

    [Fact]
    public void TinyHamiltonian_IsRejected() =>
        Rejected(Qubit(hamiltonian: "[[1e-320, \"Z0\"]]"),
            "ranges.yaml: hamiltonian (line 2): the largest entry of the Hamiltonian is 1E-320, below 1e-30: its energy scale is outside the valid range 1e-30 ≤ max|H_ij| ≤ 1e30 (or H = 0); use a smaller energy unit");

    [Fact]
    public void HugeHamiltonianCoefficient_IsRejected() =>
        Rejected(Qubit(hamiltonian: "[[1e308, \"Z0\"]]"),
            "ranges.yaml: hamiltonian[0][0] (line 2): coefficient 1e308 is outside the valid range |c| ≤ 1e30");

    [Fact]
    public void TinyBeta_IsRejected() =>
        Rejected(Qubit(temperature: "beta: 1e-320"),
            "ranges.yaml: baths[0].beta (line 5): β = 1e-320 is outside the valid range 1e-30 ≤ β ≤ 1e30 (use temperature: 0 for T = 0)");

    [Fact]
    public void HugeTemperature_IsRejected() =>
        Rejected(Qubit(temperature: "temperature: 1e308"),
            "ranges.yaml: baths[0].temperature (line 5): T = 1e308 is outside the valid range 1e-30 ≤ T ≤ 1e30 (or T = 0)");

    [Fact]
    public void HugeEta_IsRejected() =>
        Rejected(Qubit(spectrum: "{type: ohmic, eta: 1e308, cutoff: 5}"),
            "ranges.yaml: baths[0].spectrum.eta (line 6): eta = 1e308 is outside the valid range 1e-30 ≤ eta ≤ 1e30");

    [Fact]
    public void HugeExponent_IsRejected() =>
        Rejected(Qubit(spectrum: "{type: ohmic, eta: 0.01, cutoff: 5, exponent: 300}"),
            "ranges.yaml: baths[0].spectrum.exponent (line 6): exponent 300 is outside the valid range 0.01 ≤ s ≤ 20");

    [Fact]
    public void HugeTolerance_IsRejected() =>
        Rejected(Qubit(extra: "options: {tolerance: 1e300}\n"),
            "ranges.yaml: options.tolerance (line 8): tolerance 1e300 is outside the valid range 0 < tolerance ≤ 1e30");

    [Fact]
    public void OnePointTable_IsRejectedAtLoad() =>
        Rejected(Qubit(spectrum: "{type: tabulated, points: [[1, 0.1]]}"),
            "ranges.yaml: baths[0].spectrum.points (line 6): the table has one point; give at least two points [[ω, J(ω)], …] (J is interpolated linearly between them and is 0 beyond the last, which should have J = 0)");

    [Fact]
    public void SiteIndexBeyondLong_IsReportedAsWritten() =>
        Rejected(Qubit(hamiltonian: "\"Z99999999999999999999\""),
            "ranges.yaml: hamiltonian (line 2): site 99999999999999999999 in token 'Z99999999999999999999' of operator \"Z99999999999999999999\" is out of range: the model has 1 site (0–0)");

    [Fact]
    public void TableEndingWithAJump_AtABohrFrequency_NamesTheFileAndTheSpectrum()
    {
        var m = Yaml(Qubit(spectrum: "{type: tabulated, points: [[0.5, 0.1], [1, 0.1]]}"));
        var ex = Assert.Throws<DivergentRateException>(() => SteadyState.Solve(m));
        Assert.Equal("ranges.yaml: baths[0].spectrum (bath 'b'): the Lamb shift S(ω) of the bath tabulated(2 points, ω from 0.5 to 1) at T=1 " +
                     "diverges at ω = -1: the table ends there with J = 0.1 > 0 (end the table with J = 0)", ex.Message);
        // The sub-Ohmic G(0) divergence names the file too.
        var sub = Yaml(Qubit(hamiltonian: "\"X0\"", spectrum: "{type: ohmic, eta: 0.01, cutoff: 5, exponent: 0.5}"));
        Assert.StartsWith("ranges.yaml: baths[0].couplings[0] ('X0' of bath 'b'): the ω → 0 rate G(0)",
            Assert.Throws<DivergentRateException>(() => SteadyState.Solve(sub)).Message);
    }

    // ------------------------------------------------------------------ the other fields

    [Theory]
    [InlineData("{type: drude, lambda: 1e31, gamma: 1}", "baths[0].spectrum.lambda (line 6): lambda = 1e31 is outside the valid range 1e-30 ≤ lambda ≤ 1e30")]
    [InlineData("{type: drude, lambda: 1, gamma: 1e-31}", "baths[0].spectrum.gamma (line 6): gamma = 1e-31 is outside the valid range 1e-30 ≤ gamma ≤ 1e30")]
    [InlineData("{type: ohmic, eta: 1, cutoff: 2e30}", "baths[0].spectrum.cutoff (line 6): cutoff = 2e30 is outside the valid range 1e-30 ≤ cutoff ≤ 1e30")]
    [InlineData("{type: ohmic, eta: 1, cutoff: 1, exponent: 0.001}", "baths[0].spectrum.exponent (line 6): exponent 0.001 is outside the valid range 0.01 ≤ s ≤ 20")]
    [InlineData("{type: metropolis, rate: 1e40}", "baths[0].spectrum.rate (line 6): rate = 1e40 is outside the valid range 1e-30 ≤ rate ≤ 1e30")]
    [InlineData("{type: tabulated, points: [[1e-40, 1], [1, 0]]}", "baths[0].spectrum.points[0][0] (line 6): ω = 1e-40 is outside the valid range 1e-30 ≤ ω ≤ 1e30")]
    [InlineData("{type: tabulated, points: [[1, 1e31], [2, 0]]}", "baths[0].spectrum.points[0][1] (line 6): J = 1e31 is outside the valid range 0 ≤ J ≤ 1e30")]
    public void SpectrumParameters_OutsideTheirRange(string spectrum, string expected) =>
        Rejected(Qubit(spectrum: spectrum), "ranges.yaml: " + expected);

    [Fact]
    public void ImaginaryPartOfACoefficient_IsChecked() =>
        Rejected(Qubit(hamiltonian: "[[0.5, \"Z0\"], [[0, 2e30], \"X0 Z0\"], [[0, -2e30], \"Z0 X0\"]]"),
            "ranges.yaml: hamiltonian[1][0][1] (line 2): coefficient 2e30 is outside the valid range |c| ≤ 1e30");

    [Fact]
    public void MatrixEntries_AndAssembledOperators_AreChecked()
    {
        Rejected(Qubit(coupling: "{matrix: [[0, 1e31], [1e31, 0]]}"),
            "ranges.yaml: baths[0].couplings[0].matrix[0][1] (line 7): coefficient 1e31 is outside the valid range |c| ≤ 1e30");
        // Each coefficient is in range, their sum is not.
        Rejected(Qubit(hamiltonian: "[[1e30, \"Z0\"], [1e30, \"Z0\"]]"),
            "ranges.yaml: hamiltonian (line 2): the operator has an entry of magnitude 2E+30, outside the valid range |A_ij| ≤ 1e30");
    }

    [Fact]
    public void ZeroTemperature_ZeroHamiltonian_AndTinyTermsBesideLargeOnes_AreValid()
    {
        Assert.True(double.IsPositiveInfinity(Yaml(Qubit(temperature: "temperature: 0")).Baths[0].Beta));
        Assert.Equal(0, Yaml(Qubit(hamiltonian: "[[0, \"Z0\"]]")).Hamiltonian.FrobeniusNorm());
        // The scale check is on the largest entry: a negligible term next to a normal one is fine.
        var m = Yaml(Qubit(hamiltonian: "[[1e-320, \"Z0\"], [1, \"X0\"]]", coupling: "\"Z0\""));
        var ss = SteadyState.Solve(m);
        Assert.True(double.IsFinite(ss.GibbsTraceDistance!.Value) && ss.GibbsTraceDistance < 1e-8);
    }

    // ------------------------------------------------------------------ the edges of the ranges compute

    public static TheoryData<string, string, string, string, string, string> Corners()
    {
        var data = new TheoryData<string, string, string, string, string, string>();
        string[] ends = ["1e-30", "1e30"];
        foreach (var h in ends)
            foreach (var t in ends)
                foreach (var eta in ends)
                    foreach (var cutoff in ends)
                        foreach (var g in ends)
                            foreach (var s in new[] { "0.01", "1", "20" })
                                data.Add(h, t, eta, cutoff, g, s);
        return data;
    }

    [Theory]
    [MemberData(nameof(Corners))]
    public void OhmicModels_AtTheCornersOfTheValidRanges_GiveFiniteResults(string h, string t, string eta, string cutoff, string g, string s)
    {
        var m = Yaml(Qubit(hamiltonian: $"[[{h}, \"Z0\"]]", temperature: $"temperature: {t}",
            spectrum: $"{{type: ohmic, eta: {eta}, cutoff: {cutoff}, exponent: {s}}}", coupling: $"[[{g}, \"X0\"]]"));
        AssertFinite(SteadyState.Solve(m));
    }

    [Theory]
    [InlineData("1e30", "temperature: 1e30", "{type: drude, lambda: 1e30, gamma: 1e-30}")]
    [InlineData("1e-30", "temperature: 1e30", "{type: drude, lambda: 1e30, gamma: 1e30}")]
    [InlineData("1e-30", "temperature: 1e-30", "{type: drude, lambda: 1e-30, gamma: 1e-30}")]
    [InlineData("1e30", "beta: 1e30", "{type: tabulated, points: [[1e-30, 1e30], [1e30, 0]]}")]
    [InlineData("1e-30", "beta: 1e-30", "{type: tabulated, points: [[1e-30, 1e30], [1e30, 0]]}")]
    [InlineData("1e30", "beta: 1e-30", "{type: metropolis, rate: 1e30}")]
    [InlineData("1e-30", "beta: 1e30", "{type: glauber, rate: 1e-30}")]
    public void OtherSpectra_AtTheEdges_GiveFiniteResults(string h, string temperature, string spectrum)
    {
        var m = Yaml(Qubit(hamiltonian: $"[[{h}, \"Z0\"]]", temperature: temperature, spectrum: spectrum));
        AssertFinite(SteadyState.Solve(m));
    }

    private static void AssertFinite(SteadyStateResult r)
    {
        Assert.All(r.Energies, e => Assert.True(double.IsFinite(e)));
        Assert.All(r.ShiftedEnergies, e => Assert.True(double.IsFinite(e)));
        Assert.True(double.IsFinite(r.Residual));
        Assert.Equal(1.0, r.DensityMatrix.Trace().Real, 10);
        foreach (var z in r.DensityMatrix.Enumerate()) Assert.True(double.IsFinite(z.Real) && double.IsFinite(z.Imaginary));
        foreach (var (_, j) in r.HeatCurrents) Assert.False(double.IsNaN(j));
    }

    // ------------------------------------------------------------------ numerics behind the ranges

    [Fact]
    public void OhmicDensity_WhosePowerAloneOverflows_IsFinite()
    {
        // (ω/ω_c)^s = 200^150 ≈ 1e345 overflows, J = e^{150 ln 200 − 200} ≈ 1e258 does not.
        double j = new OhmicSpectralDensity(1, 1, 150).Evaluate(200);
        double expected = Math.Exp(150 * Math.Log(200) - 200);
        Assert.True(Math.Abs(j - expected) <= 1e-12 * expected, $"{j} vs {expected}");
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.02)]
    public void StronglySubOhmicLambShift_IsFinite(double s)
    {
        var rates = new ThermalRates(new OhmicSpectralDensity(0.05, 5, s), 1);
        foreach (double w in new[] { -1.0, -1e-3, 1e-3, 1.0 }) Assert.True(double.IsFinite(rates.LambShift(w)), $"S({w})");
        // Smooth in s: as s → 0 the shift grows as Γ(s) ≈ 1/s, so s and 1.1 s give shifts in the ratio ≈ 1.1.
        double a = rates.LambShift(1), b = new ThermalRates(new OhmicSpectralDensity(0.05, 5, s * 1.1), 1).LambShift(1);
        Assert.True(Math.Abs(a / b - 1.1) < 0.02, $"{a} vs {b}");
    }

    [Fact]
    public void LambShift_AtAHugeTemperature_FailsTyped_OrIsFinite()
    {
        // Below the model-file range (β = 1e-308): the quadrature's breakpoints at multiples of 1/β overflowed to ∞
        // and reached J(∞) (ArgumentOutOfRangeException); now the result is finite or a NumericalException.
        var rates = new ThermalRates(new OhmicSpectralDensity(0.01, 5), 1e-308);
        try { Assert.True(double.IsFinite(rates.LambShift(1))); }
        catch (NumericalException) { }
    }

    // ------------------------------------------------------------------ numerical failures carry the model context

    private sealed class NaNRates : IRateFunction
    {
        public double Beta => 1;
        public double Rate(double omega) => double.NaN;
        public double LambShift(double omega) => 0;
        public bool HasLambShift => false;
        public string Description => "NaN rates";
    }

    [Fact]
    public void NumericalFailure_NamesTheSource_NotTheRoutine()
    {
        var space = new HilbertSpace([2]);
        var h = Davies.Operators.OperatorParser.Parse("Z0", space);
        var x = Davies.Operators.OperatorParser.Parse("X0", space);
        var model = new OpenSystemModel(space, h, [new Bath("b", new NaNRates(), [x])]) { SourceName = "custom.yaml" };
        var ex = Assert.ThrowsAny<NumericalException>(() => SteadyState.Solve(model));
        Assert.StartsWith("custom.yaml: numerical failure while computing the ", ex.Message);
        Assert.Contains("docs/model-file.md", ex.Message);
        Assert.DoesNotContain("info =", ex.Message);
        Assert.Equal("custom.yaml", model.WithOptions(new ModelOptions(LambShift: false)).SourceName);
    }

    private sealed class HugeDensity : ISpectralDensity
    {
        public double Evaluate(double omega) => omega == 0 ? 0 : double.MaxValue;
        public double LowFrequencySlope => double.PositiveInfinity;
        public double CharacteristicFrequency => 1;
        public string Description => "huge";
    }

    [Fact]
    public void NonFiniteLambShift_NamesTheSourceAndTheBath()
    {
        var space = new HilbertSpace([2]);
        var h = Davies.Operators.OperatorParser.Parse("Z0", space);
        var x = Davies.Operators.OperatorParser.Parse("X0", space);
        var model = new OpenSystemModel(space, h, [new Bath("hot", new ThermalRates(new HugeDensity(), 1), [x])]) { SourceName = "huge.yaml" };
        var ex = Assert.ThrowsAny<NumericalException>(() => SteadyState.Solve(model));
        Assert.StartsWith("huge.yaml: numerical failure while computing the rates and couplings in the eigenbasis: baths[0].spectrum (bath 'hot'): " +
                          "the Lamb-shift quadrature of huge at T=1 at ω = ", ex.Message);
        Assert.Contains("gave a non-finite result", ex.Message);
    }

    [Fact]
    public void HugeHandBuiltHamiltonian_FailsTyped_WithTheSource()
    {
        // No model-file ranges for a model built in code: zgesdd rejected 1e308 entries ("argument 5"); the
        // solver now reports the stage and the source instead.
        var space = new HilbertSpace([2]);
        var h = Davies.Operators.OperatorParser.Parse("Z0", space) * 1e308;
        var x = Davies.Operators.OperatorParser.Parse("X0", space);
        var model = new OpenSystemModel(space, h, [new Bath("b", new ThermalRates(new OhmicSpectralDensity(0.01, 5), 1), [x])]) { SourceName = "huge.yaml" };
        var ex = Assert.ThrowsAny<DaviesException>(() => SteadyState.Solve(model));
        Assert.StartsWith("huge.yaml: numerical failure while computing the ", ex.Message);
        Assert.DoesNotContain("zgesdd", ex.Message);
    }
}
