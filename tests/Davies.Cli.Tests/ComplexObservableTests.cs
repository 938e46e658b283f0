using System.Globalization;
using System.Text.Json;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Cli.Tests;

/// <summary>
/// Non-Hermitian observables are complex: on the qubit example X0 Y0 = iZ0, so ⟨X0 Y0⟩ = i⟨Z⟩, which in the steady
/// state (T = 0.5, ω0 = 1) is −i tanh(βω0/2) = −i tanh 1.
/// </summary>
public class ComplexObservableTests
{
    private static string Qubit => Path.Combine(CliRunner.Examples, "qubit.yaml");

    private static readonly double Tanh1 = Math.Tanh(1.0);

    [Fact]
    public void Library_SteadyComplexExpectation_IsIZ()
    {
        var m = ModelFile.Load(Qubit);
        var ss = SteadyState.Solve(m);
        var xy = Davies.Operators.OperatorParser.Parse("X0 Y0", m.Space);
        var z = ss.ComplexExpectation(xy);
        Assert.Equal(0, z.Real, 12);
        Assert.Equal(-Tanh1, z.Imaginary, 10);
        Assert.Equal(0, ss.Expectation(xy), 12); // the real one keeps its meaning: Re Tr[ρ O]
        Assert.Equal(-Tanh1, ss.ComplexExpectation(m.Observables["sz"]).Real, 10);
        Assert.Equal(0, ss.ComplexExpectation(m.Observables["sz"]).Imaginary, 14);
        Assert.False(new NamedOperator("xy", xy).IsHermitian);
        Assert.True(new NamedOperator("sz", m.Observables["sz"]).IsHermitian);
    }

    [Fact]
    public void Steady_Json_PairForNonHermitian_NumberForHermitian()
    {
        var r = CliRunner.Run("steady", Qubit, "--json", "--observe", "X0 Y0", "--observe", "sz");
        Assert.True(r.ExitCode == 0, r.Err);
        var e = JsonDocument.Parse(r.Out).RootElement.GetProperty("expectations");
        var xy = e.GetProperty("X0 Y0");
        Assert.Equal(JsonValueKind.Array, xy.ValueKind);
        Assert.Equal(2, xy.GetArrayLength());
        Assert.Equal(0, xy[0].GetDouble(), 12);
        Assert.Equal(-Tanh1, xy[1].GetDouble(), 10);
        Assert.Equal(JsonValueKind.Number, e.GetProperty("sz").ValueKind);
        Assert.Equal(-Tanh1, e.GetProperty("sz").GetDouble(), 10);
    }

    [Fact]
    public void Steady_Text_ShowsAPlusBi()
    {
        var r = CliRunner.Run("steady", Qubit, "--observe", "X0 Y0", "--observe", "Y0 X0");
        Assert.True(r.ExitCode == 0, r.Err);
        string t = Tanh1.ToString("G6", CultureInfo.InvariantCulture);
        Assert.Contains($"0 - {t}i", r.Out);  // X0 Y0 = iZ
        Assert.Contains($"0 + {t}i", r.Out);  // Y0 X0 = −iZ
    }

    [Fact]
    public void Evolve_JsonAndCsv_ComplexSeries_IsITimesZ()
    {
        string[] head = ["evolve", Qubit, "--initial", "0", "--times", "0,0.5,2,40", "--observe", "X0 Y0", "--observe", "sz"];
        var json = CliRunner.Run([.. head, "--json"]);
        Assert.True(json.ExitCode == 0, json.Err);
        var e = JsonDocument.Parse(json.Out).RootElement.GetProperty("expectations");
        var xy = e.GetProperty("X0 Y0");
        var sz = e.GetProperty("sz").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(4, xy.GetArrayLength());
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(2, xy[i].GetArrayLength());
            Assert.Equal(0, xy[i][0].GetDouble(), 12);
            Assert.Equal(sz[i], xy[i][1].GetDouble(), 12);
        }
        Assert.Equal(1, sz[0], 12);                 // |0⟩ is the upper level, Z = +1
        // relaxing to the Gibbs state: ⟨σz⟩(t) = −tanh 1 + (1 + tanh 1) e^{−t/T1}, 1/T1 = G(ω0) + G(−ω0) with
        // G(ω0) = 2πηω0 e^{−ω0/ωc}/(1 − e^{−βω0}) (qubit.yaml: η = 0.005, ωc = 10, ω0 = 1, β = 2)
        double gPlus = 2 * Math.PI * 0.005 * Math.Exp(-0.1) / (1 - Math.Exp(-2)), rate = gPlus * (1 + Math.Exp(-2));
        Assert.Equal(-Tanh1 + (1 + Tanh1) * Math.Exp(-40 * rate), xy[3][1].GetDouble(), 10);

        var csv = CliRunner.Run([.. head, "--csv"]);
        Assert.True(csv.ExitCode == 0, csv.Err);
        var lines = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("t,X0 Y0.re,X0 Y0.im,sz,p0,p1", lines[0]);
        for (int i = 0; i < 4; i++)
        {
            var cells = lines[i + 1].Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(6, cells.Length);
            Assert.Equal(xy[i][0].GetDouble(), cells[1]);
            Assert.Equal(xy[i][1].GetDouble(), cells[2]);
            Assert.Equal(sz[i], cells[3]);
        }

        var text = CliRunner.Run(head);
        Assert.True(text.ExitCode == 0, text.Err);
        Assert.Contains("0 + 1i", text.Out); // t = 0: i⟨Z⟩ = i
    }

    [Fact]
    public void Evolve_Plot_DrawsRealAndImaginaryParts()
    {
        var svg = Path.Combine(Path.GetTempPath(), $"davies-complex-{Guid.NewGuid():N}.svg");
        try
        {
            var r = CliRunner.Run("evolve", Qubit, "--initial", "0", "--times", "0:5:11", "--observe", "X0 Y0", "--observe", "sz", "--plot", svg, "-q");
            Assert.True(r.ExitCode == 0, r.Err);
            string text = File.ReadAllText(svg);
            Assert.Contains("Re ⟨X0 Y0⟩", text);
            Assert.Contains("Im ⟨X0 Y0⟩", text);
            Assert.Contains("⟨sz⟩", text);
            Assert.DoesNotContain("Im ⟨sz⟩", text);
        }
        finally { File.Delete(svg); }
    }

    [Fact]
    public void Library_EvolutionComplexExpectations()
    {
        var m = ModelFile.Load(Qubit);
        var dm = EnergyBasisModel.Build(m);
        var xy = Davies.Operators.OperatorParser.Parse("X0 Y0", m.Space);
        var run = Evolution.Run(dm, InitialStates.Parse("0", dm), [0, 1, 3], [new NamedOperator("xy", xy), new NamedOperator("sz", m.Observables["sz"])]);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, run.ComplexExpectations["xy"][i].Real, 12);
            Assert.Equal(run.Expectations["sz"][i], run.ComplexExpectations["xy"][i].Imaginary, 12);
            Assert.Equal(run.Expectations["xy"][i], run.ComplexExpectations["xy"][i].Real);
            Assert.Equal(run.Expectations["sz"][i], run.ComplexExpectations["sz"][i].Real);
        }
    }

    [Fact]
    public void Help_DocumentsComplexFormats()
    {
        var steady = CliRunner.Run("steady", "--help").Out;
        Assert.Contains("[re, im]", steady);
        Assert.Contains("a + bi", steady);
        var evolve = CliRunner.Run("evolve", "--help").Out;
        Assert.Contains("OP.re", evolve);
        Assert.Contains("[re, im]", evolve);
    }
}
