using System.Globalization;
using Davies.Baths;
using Davies.Models;

namespace Davies.Tests.Models;

public class ModelParametersTests
{
    private static OpenSystemModel Yaml(string text, IReadOnlyDictionary<string, double>? parameters = null) =>
        ModelFile.Parse(text, ModelFileFormat.Yaml, "p.yaml", parameters);

    private static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static T Fails<T>(Func<object> parse, params string[] fragments) where T : Exception
    {
        var ex = Assert.Throws<T>(() => parse());
        foreach (var f in fragments) Assert.True(ex.Message.Contains(f, StringComparison.Ordinal), $"'{f}' is not in: {ex.Message}");
        Assert.DoesNotContain('\n', ex.Message);
        return ex;
    }

    /// <summary>Every kind of numeric field written with parameters and expressions.</summary>
    private const string Parametric = """
        parameters:
          w: 1.3
          g: w / 8
          Th: 2 * Tc        # refers to a parameter declared after it
          Tc: 0.75
          phi: pi / 3
          nmax: 3
        sites: [2, "nmax"]
        hamiltonian:
          - ["w / 2", "Z0"]
          - [g, "X0 n1"]
          - ["g * exp(i * phi)", "a1 X0"]
          - [["g * cos(phi)", "-g * sin(phi)"], "ad1 X0"]
          - ["w * 0.25", "n1"]
        baths:
          - name: hot
            temperature: Th
            spectrum: {type: ohmic, eta: "0.01 * w", cutoff: "2 ^ 3", exponent: "1 + 1/2"}
            couplings: ["X0"]
          - name: cold
            beta: 1 / Tc
            spectrum: {type: tabulated, points: [["w / 2", "g"], [w, "g / 2"], ["2 * w", 0]]}
            couplings: [{matrix: [[1,0,0,0,0,0],[0,0,0,0,0,0],[0,0,"sqrt(g)",0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,"-1"]]}]
        options:
          tolerance: "1e-9 * w"
        """;

    private static string Numeric()
    {
        double w = 1.3, g = w / 8, tc = 0.75, th = 2 * tc, phi = Math.PI / 3;
        var e = new Complex(Math.Cos(phi), Math.Sin(phi));
        return $"""
            sites: [2, 3]
            hamiltonian:
              - [{R(w / 2)}, "Z0"]
              - [{R(g)}, "X0 n1"]
              - [[{R(g * Math.Cos(phi))}, {R(g * Math.Sin(phi))}], "a1 X0"]
              - [[{R(g * Math.Cos(phi))}, {R(-g * Math.Sin(phi))}], "ad1 X0"]
              - [{R(w * 0.25)}, "n1"]
            baths:
              - name: hot
                temperature: {R(th)}
                spectrum: {"{"}type: ohmic, eta: {R(0.01 * w)}, cutoff: 8, exponent: 1.5{"}"}
                couplings: ["X0"]
              - name: cold
                beta: {R(1 / tc)}
                spectrum: {"{"}type: tabulated, points: [[{R(w / 2)}, {R(g)}], [{R(w)}, {R(g / 2)}], [{R(2 * w)}, 0]]{"}"}
                couplings: [{"{"}matrix: [[1,0,0,0,0,0],[0,0,0,0,0,0],[0,0,{R(Math.Sqrt(g))},0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,-1]]{"}"}]
            options:
              tolerance: {R(1e-9 * w)}
            """;
    }

    [Fact]
    public void ModelWithParameters_EqualsTheSameModelWrittenWithNumbers()
    {
        var p = Yaml(Parametric);
        var n = Yaml(Numeric());
        Assert.Equal(n.Space, p.Space);
        Assert.Equal(n.Hamiltonian, p.Hamiltonian); // exact: the same doubles
        Assert.Equal(n.Baths.Select(b => b.Beta), p.Baths.Select(b => b.Beta));
        Assert.Equal(n.Baths.Select(b => b.Rates.Description), p.Baths.Select(b => b.Rates.Description));
        for (int b = 0; b < 2; b++) Assert.Equal(n.Baths[b].Couplings[0], p.Baths[b].Couplings[0]);
        Assert.Equal(n.Options, p.Options);
        var ohmic = Assert.IsType<OhmicSpectralDensity>(Assert.IsType<ThermalRates>(p.Baths[0].Rates).Density);
        Assert.Equal((0.01 * 1.3, 8.0, 1.5), (ohmic.Eta, ohmic.Cutoff, ohmic.Exponent));
    }

    [Fact]
    public void Overrides_ReplaceADeclaredValue_AndItsDependentsFollow()
    {
        var m = Yaml(Parametric, new Dictionary<string, double> { ["Tc"] = 0.25, ["w"] = 2 });
        Assert.Equal(1 / 0.5, m.Baths[0].Beta); // Th = 2 Tc
        Assert.Equal(1 / 0.25, m.Baths[1].Beta);
        Assert.Equal(new Complex(1, 0), m.Hamiltonian[0, 0]); // w/2 on |0, n = 0⟩
        var t = ModelFile.ParseTemplate(Parametric, ModelFileFormat.Yaml, "p.yaml");
        Assert.Equal(["w", "g", "Th", "Tc", "phi", "nmax"], t.Parameters.Select(p => p.Name));
        Assert.Equal([1.3, 1.3 / 8, 1.5, 0.75, Math.PI / 3, 3], t.Parameters.Select(p => p.Value));
        Assert.Equal("2 * Tc", t.Parameters[2].Definition);
        Assert.Equal(Yaml(Parametric, new Dictionary<string, double> { ["Th"] = 5 }).Baths[0].Beta,
            t.Instantiate(new Dictionary<string, double> { ["Th"] = 5 }).Baths[0].Beta);
        Assert.Equal(0.2, t.Instantiate(new Dictionary<string, double> { ["Th"] = 5 }).Baths[0].Beta);
    }

    [Fact]
    public void Template_BuildsTheModelsParseBuilds_AndItsModelsShareNoMatrix()
    {
        // A template parses each operator string once (for all its instantiations): the models must still be exactly
        // those a fresh Parse builds, also when the sites change, and a change to one model's matrices must not leak.
        const string text = """
            parameters: {w: 1, n: 3}
            sites: [2, n]
            hamiltonian: [["w / 2", "Z0"], ["w / 10", "X0 n1"], [0.05, "X0 a1"], [0.05, "X0 ad1"]]
            baths: [{name: b, temperature: 0.5, spectrum: {type: ohmic, eta: 0.01, cutoff: 10}, couplings: ["X0", "X0 n1"]}]
            observables: {n: "n1", sz: "Z0"}
            """;
        var t = ModelFile.ParseTemplate(text, ModelFileFormat.Yaml, "p.yaml");
        var first = t.Instantiate(new Dictionary<string, double> { ["w"] = 1, ["n"] = 3 });
        first.Baths[0].Couplings[0][0, 1] = 99;
        first.Observables["n"][1, 1] = 99;
        foreach (var (w, n) in new[] { (2.0, 4.0), (1.0, 3.0), (0.5, 2.0) })
        {
            var set = new Dictionary<string, double> { ["w"] = w, ["n"] = n };
            var fromTemplate = t.Instantiate(set);
            var fresh = Yaml(text, set);
            Assert.Equal(fresh.Space, fromTemplate.Space);
            Assert.Equal(fresh.Hamiltonian, fromTemplate.Hamiltonian);
            Assert.Equal(fresh.Baths[0].Couplings, fromTemplate.Baths[0].Couplings);
            Assert.Equal(fresh.Observables["n"], fromTemplate.Observables["n"]);
            Assert.Equal(fresh.Observables["sz"], fromTemplate.Observables["sz"]);
        }
    }

    [Fact]
    public void OperatorCache_KeepsOperatorsWithinItsBudget_AndHandsOutCopies()
    {
        var space = new Davies.Spaces.HilbertSpace([2, 2, 2]); // 8×8 complex: 1 KiB each
        var cache = new OperatorCache(budgetBytes: 2048);
        var a = cache.Get("Z0 X1", space);
        var b = cache.Get("Z0 X1", space);
        Assert.Equal(Davies.Operators.OperatorParser.Parse("Z0 X1", space), a);
        Assert.Equal(a, b);
        Assert.NotSame(a, b);
        a[0, 0] = 7;
        Assert.Equal(Davies.Operators.OperatorParser.Parse("Z0 X1", space), cache.Get("Z0 X1", space));
        cache.Get("X2", space);
        Assert.Equal(2, cache.Count);
        Assert.Equal(Davies.Operators.OperatorParser.Parse("Y0", space), cache.Get("Y0", space)); // over budget: built, not kept
        Assert.Equal(2, cache.Count);
        Assert.Equal(Davies.Operators.OperatorParser.Parse("n0", new Davies.Spaces.HilbertSpace([3])), new OperatorCache().Get("n0", new Davies.Spaces.HilbertSpace([3])));
    }

    [Fact]
    public void SiteDimensions_MayBeParameters()
    {
        const string Oscillator = "parameters: {nmax: 3}\nsites: [2, nmax]\nhamiltonian: [[1, \"n1\"], [0.5, \"Z0\"]]\n" +
                                  "baths: [{name: b, temperature: 1, spectrum: {type: glauber, rate: 1}, couplings: [\"X0\"]}]\n";
        Assert.Equal(6, Yaml(Oscillator).Dimension);
        Assert.Equal(10, Yaml(Oscillator, new Dictionary<string, double> { ["nmax"] = 5 }).Dimension);
        Fails<ModelFileException>(() => Yaml(Oscillator, new Dictionary<string, double> { ["nmax"] = 2.5 }), "sites[1] (line 2)", "whole number", "2.5 (the value of \"nmax\")");
        Fails<ModelException>(() => Yaml(Oscillator, new Dictionary<string, double> { ["nmax"] = 0 }), "sites[1] (line 2)", "≥ 1, got 0 (the value of \"nmax\")");
    }

    [Fact]
    public void UnknownOverride_IsAClearError()
    {
        Fails<ModelFileException>(() => Yaml(Parametric, new Dictionary<string, double> { ["Tcc"] = 1 }),
            "p.yaml: unknown parameter 'Tcc'", "w, g, Th, Tc, phi, nmax", "did you mean 'Tc'");
        Fails<ModelFileException>(() => ModelFile.Parse(File.ReadAllText(Path.Combine(ModelFileTests.ExamplesDirectory(), "qubit.yaml")),
            ModelFileFormat.Yaml, "qubit.yaml", new Dictionary<string, double> { ["T"] = 1 }), "unknown parameter 'T'", "declares no parameters");
    }

    [Fact]
    public void UnknownName_InAField_NamesFileFieldLineAndColumn()
    {
        var e = Fails<ModelFileException>(() => Yaml(Parametric.Replace("temperature: Th", "temperature: 2 * Tx")),
            "p.yaml: baths[0].temperature (line 17):", "\"2 * Tx\"", "unknown name 'Tx' (column 5)", "did you mean 'Th'");
        Assert.Contains("the file's parameters are w, g, Th, Tc, phi, nmax", e.Message);
    }

    [Fact]
    public void SyntaxError_InAField_NamesFileFieldLineAndColumn()
    {
        Fails<ModelFileException>(() => Yaml(Parametric.Replace("\"w / 2\", \"Z0\"", "\"w / (2\", \"Z0\"")),
            "p.yaml: hamiltonian[0][0] (line 10):", "syntax error in the expression \"w / (2\"", "'(' at column 5 is not closed");
    }

    [Fact]
    public void EvaluatedValues_AreRangeChecked_AsNumbersAre()
    {
        Fails<ModelException>(() => Yaml(Parametric, new Dictionary<string, double> { ["Tc"] = -1 }),
            "p.yaml: baths[0].temperature (line 17):", "negative temperature -2 (the value of \"Th\")");
        Fails<ModelException>(() => Yaml(Parametric, new Dictionary<string, double> { ["w"] = -1 }),
            "baths[0].spectrum.eta (line 18):", "must be a positive number, got -0.01 (the value of \"0.01 * w\")");
        Fails<ModelException>(() => Yaml(Parametric, new Dictionary<string, double> { ["w"] = 1e40 }), "hamiltonian[0][0]", "5E+39 (the value of \"w / 2\") is outside the valid range");
        Fails<ModelException>(() => Yaml(Parametric, new Dictionary<string, double> { ["Tc"] = 0 }),
            "baths[1].beta (line 21):", "division by zero at column 3", "(with Tc = 0)");
        Fails<ModelException>(() => Yaml(Parametric.Replace("exponent: \"1 + 1/2\"", "exponent: \"30 * w\"")), "exponent", "outside the valid range");
        Assert.IsNotType<ModelFileException>(Fails<ModelException>(() => Yaml(Parametric, new Dictionary<string, double> { ["g"] = -1 }),
            "baths[1].spectrum.points[0][1] (line 22)", "negative spectral density J(0.65) = -1 (the value of \"g\")"));
    }

    [Fact]
    public void ComplexCoefficients_TakeExpressions_AndTheirRangeIsChecked()
    {
        var m = Yaml("parameters: {g: 0.5}\nsites: [2]\nhamiltonian: [[\"g\", \"Z0\"], [\"2 * g * i\", \"X0 Y0\"]]\nbaths: [{name: b, temperature: 1, spectrum: {type: glauber, rate: 1}, couplings: [\"X0\"]}]\n");
        Assert.Equal(new Complex(-0.5, 0), m.Hamiltonian[0, 0]); // g Z + 2g i (X Y) = g Z + 2g i (i Z) = −g Z
        Fails<ModelException>(() => Yaml("parameters: {g: 1e31}\nsites: [2]\nhamiltonian: [[\"g * i\", \"Y0\"]]\nbaths: [{name: b, temperature: 1, spectrum: {type: glauber, rate: 1}, couplings: [\"X0\"]}]\n"),
            "hamiltonian[0][0]", "outside the valid range");
    }

    [Fact]
    public void ParameterDefinitions_AreChecked()
    {
        const string Rest = "sites: [2]\nhamiltonian: Z0\nbaths: [{name: b, temperature: 1, spectrum: {type: glauber, rate: 1}, couplings: [\"X0\"]}]\n";
        Fails<ModelFileException>(() => Yaml("parameters: {a: b + 1, b: 2 * c, c: a}\n" + Rest),
            "p.yaml: parameters.a (line 1):", "a → b → c → a", "cycle");
        Fails<ModelFileException>(() => Yaml("parameters: {pi: 3}\n" + Rest), "parameters.pi", "reserved name");
        Fails<ModelFileException>(() => Yaml("parameters: {i: 3}\n" + Rest), "parameters.i", "reserved name");
        Fails<ModelFileException>(() => Yaml("parameters: {sqrt: 3}\n" + Rest), "parameters.sqrt", "reserved name");
        Fails<ModelFileException>(() => Yaml("parameters: {a: i}\n" + Rest), "parameters.a", "imaginary unit");
        Fails<ModelFileException>(() => Yaml("parameters: {a: [1, 2]}\n" + Rest), "parameters.a", "expected a number");
        Fails<ModelFileException>(() => Yaml("parameters: [1, 2]\n" + Rest), "parameters (line 1)", "expected a mapping");
        Fails<ModelException>(() => Yaml("parameters: {a: log(0)}\n" + Rest), "parameters.a (line 1)", "log(0) is −∞");
        Fails<ModelFileException>(() => ModelFile.Parse("""{"parameters": {"T-1": 1}, "sites": [2], "hamiltonian": "Z0", "baths": [{"name": "b", "temperature": 1, "spectrum": {"type": "glauber", "rate": 1}, "couplings": ["X0"]}]}""", ModelFileFormat.Json, "p.json"),
            "p.json: parameters.T-1 (line 1)", "not a valid parameter name");
        // Unused parameters are fine; an override of a broken definition replaces it.
        Assert.Equal(2, Yaml("parameters: {a: 1 / 0}\n" + Rest, new Dictionary<string, double> { ["a"] = 1 }).Dimension);
    }

    [Fact]
    public void NonFiniteOverride_IsRefused()
    {
        Fails<ModelFileException>(() => Yaml(Parametric, new Dictionary<string, double> { ["w"] = double.NaN }), "parameter 'w'", "not a finite number");
    }

    [Fact]
    public void LoadWithParameters_AndTemplate_ReadTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"davies-params-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Parametric);
        try
        {
            var set = new Dictionary<string, double> { ["Tc"] = 0.5 };
            Assert.Equal(1.0, ModelFile.Load(path, set).Baths[0].Beta);
            Assert.Equal(1.0, ModelFile.LoadTemplate(path).Instantiate(set).Baths[0].Beta);
            Assert.Equal(path, ModelFile.LoadTemplate(path).SourceName);
            Assert.Equal(1 / 1.5, ModelFile.Load(path).Baths[0].Beta);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
