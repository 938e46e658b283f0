using Davies.Baths;
using Davies.Models;
using Davies.Operators;

namespace Davies.Tests.Models;

public class ModelFileTests
{
    private const string Source = "test.yaml";

    private static OpenSystemModel Yaml(string text) => ModelFile.Parse(text, ModelFileFormat.Yaml, Source);

    private static OpenSystemModel Json(string text) => ModelFile.Parse(text, ModelFileFormat.Json, "test.json");

    internal static string ExamplesDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Davies.slnx")) && Directory.Exists(Path.Combine(dir.FullName, "examples")))
                return Path.Combine(dir.FullName, "examples");
        throw new DirectoryNotFoundException("examples directory not found above " + AppContext.BaseDirectory);
    }

    private static void AssertClose(Matrix<Complex> expected, Matrix<Complex> actual, double tol = 1e-12)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.True((expected - actual).FrobeniusNorm() < tol, $"expected\n{expected}\nactual\n{actual}");
    }

    private static void AssertSameModel(OpenSystemModel a, OpenSystemModel b)
    {
        Assert.Equal(a.Space, b.Space);
        AssertClose(a.Hamiltonian, b.Hamiltonian);
        Assert.Equal(a.Baths.Count, b.Baths.Count);
        for (int i = 0; i < a.Baths.Count; i++)
        {
            Assert.Equal(a.Baths[i].Name, b.Baths[i].Name);
            Assert.Equal(a.Baths[i].Beta, b.Baths[i].Beta);
            Assert.Equal(a.Baths[i].Rates.GetType(), b.Baths[i].Rates.GetType());
            Assert.Equal(a.Baths[i].CouplingLabels, b.Baths[i].CouplingLabels);
            Assert.Equal(a.Baths[i].Couplings.Count, b.Baths[i].Couplings.Count);
            for (int c = 0; c < a.Baths[i].Couplings.Count; c++) AssertClose(a.Baths[i].Couplings[c], b.Baths[i].Couplings[c]);
        }
        Assert.Equal(a.Observables.Keys.Order(), b.Observables.Keys.Order());
        foreach (var (k, v) in a.Observables) AssertClose(v, b.Observables[k]);
        Assert.Equal(a.Options, b.Options);
    }

    // ------------------------------------------------------------------ valid input

    [Theory]
    [InlineData("qubit.yaml")]
    [InlineData("qubit.json")]
    [InlineData("degenerate_pair.yaml")]
    [InlineData("ising_chain.yaml")]
    [InlineData("oscillator.yaml")]
    [InlineData("two_qubit_engine.yaml")]
    [InlineData("qubit_zero_temperature.yaml")]
    [InlineData("absorption_refrigerator.yaml")]
    [InlineData("local_vs_global.yaml")]
    [InlineData("spin_boson_redfield.yaml")]
    [InlineData("spin_boson_davies.yaml")]
    [InlineData("sweeps/qubit_temperature.yaml")]
    [InlineData("sweeps/ising_gap.yaml")]
    [InlineData("sweeps/refrigerator_cop.yaml")]
    public void Load_Succeeds_ForEveryExample(string file)
    {
        var model = ModelFile.Load(Path.Combine(ExamplesDirectory(), file));
        Assert.NotEmpty(model.Baths);
    }

    [Fact]
    public void Examples_AllCoveredByLoadTest()
    {
        var files = Directory.GetFiles(ExamplesDirectory()).Select(f => Path.GetFileName(f))
            .Where(f => f.EndsWith(".yaml") || f.EndsWith(".yml") || f.EndsWith(".json")).Order().ToArray();
        Assert.Equal(["absorption_refrigerator.yaml", "degenerate_pair.yaml", "ising_chain.yaml", "local_vs_global.yaml", "oscillator.yaml", "qubit.json", "qubit.yaml", "qubit_zero_temperature.yaml", "spin_boson_davies.yaml", "spin_boson_redfield.yaml", "two_qubit_engine.yaml"], files);
    }

    [Fact]
    public void SweepExamples_AllCoveredByLoadTest_AndDeclareParameters()
    {
        var files = Directory.GetFiles(Path.Combine(ExamplesDirectory(), "sweeps")).Select(f => Path.GetFileName(f)).Order().ToArray();
        Assert.Equal(["ising_gap.yaml", "qubit_temperature.yaml", "refrigerator_cop.yaml"], files);
        foreach (var f in files) Assert.NotEmpty(ModelFile.LoadTemplate(Path.Combine(ExamplesDirectory(), "sweeps", f)).Parameters);
    }

    [Fact]
    public void Load_QubitExample_HasExpectedContent()
    {
        var model = ModelFile.Load(Path.Combine(ExamplesDirectory(), "qubit.yaml"));
        AssertClose(Matrix<Complex>.Build.DenseOfDiagonalArray([0.5, -0.5]), model.Hamiltonian);
        var bath = Assert.Single(model.Baths);
        Assert.Equal(2.0, bath.Beta);
        var rates = Assert.IsType<ThermalRates>(bath.Rates);
        var ohmic = Assert.IsType<OhmicSpectralDensity>(rates.Density);
        Assert.Equal((0.005, 10.0, 1.0), (ohmic.Eta, ohmic.Cutoff, ohmic.Exponent));
        AssertClose(SiteOperators.PauliX(), bath.Couplings[0]);
        Assert.Equal("X0", bath.CouplingLabels[0]);
        AssertClose(SiteOperators.PauliZ(), model.Observables["sz"]);
        Assert.Equal(new ModelOptions(), model.Options);
    }

    [Fact]
    public void Load_IsingChain_MatchesHandBuiltHamiltonian()
    {
        var model = ModelFile.Load(Path.Combine(ExamplesDirectory(), "ising_chain.yaml"));
        var s = model.Space;
        var h = OperatorParser.Sum(
            Enumerable.Range(0, 3).Select(i => ((Complex)(-1.0), $"Z{i} Z{i + 1}"))
                .Concat(Enumerable.Range(0, 4).Select(i => ((Complex)(-0.7), $"X{i}"))), s);
        AssertClose(h, model.Hamiltonian);
        Assert.Equal(["site0", "site1", "site2", "site3"], model.Baths.Select(b => b.Name));
        Assert.True(model.IsSingleTemperature);
    }

    [Fact]
    public void Load_QubitJsonAndYaml_GiveIdenticalModels()
    {
        var dir = ExamplesDirectory();
        AssertSameModel(ModelFile.Load(Path.Combine(dir, "qubit.yaml")), ModelFile.Load(Path.Combine(dir, "qubit.json")));
    }

    [Fact]
    public void Parse_JsonAndYaml_GiveIdenticalModels_ForEveryFeature()
    {
        const string yaml = """
            sites: [2, 3]
            hamiltonian:
              - [1.0, "Z0"]
              - [[0.0, 0.5], "a1 X0"]
              - [[0.0, -0.5], "ad1 X0"]
              - [0.25, "n1"]
            baths:
              - name: hot
                beta: 0.5
                spectrum: {type: drude, lambda: 0.1, gamma: 2}
                couplings: ["X0", {matrix: [[1,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,-1]]}]
              - name: cold
                temperature: 0
                spectrum: {type: tabulated, points: [[0.5, 0.1], [1.0, 0.2], [2.0, 0.0]]}
                couplings: [[[1, "a1"], [1, "ad1"]]]
              - {name: m, temperature: 1, spectrum: {type: metropolis, rate: 0.1}, couplings: ["Z0"]}
              - {name: g, temperature: 1, spectrum: {type: glauber, rate: 0.2}, couplings: ["Z0 n1"]}
              - {name: o, temperature: 3, spectrum: {type: ohmic, eta: 0.1, cutoff: 4, exponent: 0.5}, couplings: ["I"]}
            observables:
              lower: [[0.5, "X0"], [[0, 0.5], "Y0"]]
              x1: [[1, "a1"], [1, "ad1"]]
            options:
              secular: none
              lamb_shift: false
              tolerance: 1e-9
            """;
        const string json = """
            {
              "sites": [2, 3],
              "hamiltonian": [[1.0, "Z0"], [[0.0, 0.5], "a1 X0"], [[0.0, -0.5], "ad1 X0"], [0.25, "n1"]],
              "baths": [
                {"name": "hot", "beta": 0.5, "spectrum": {"type": "drude", "lambda": 0.1, "gamma": 2},
                 "couplings": ["X0", {"matrix": [[1,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,-1]]}]},
                {"name": "cold", "temperature": 0, "spectrum": {"type": "tabulated", "points": [[0.5, 0.1], [1.0, 0.2], [2.0, 0.0]]},
                 "couplings": [[[1, "a1"], [1, "ad1"]]]},
                {"name": "m", "temperature": 1, "spectrum": {"type": "metropolis", "rate": 0.1}, "couplings": ["Z0"]},
                {"name": "g", "temperature": 1, "spectrum": {"type": "glauber", "rate": 0.2}, "couplings": ["Z0 n1"]},
                {"name": "o", "temperature": 3, "spectrum": {"type": "ohmic", "eta": 0.1, "cutoff": 4, "exponent": 0.5}, "couplings": ["I"]}
              ],
              "observables": {
                "lower": [[0.5, "X0"], [[0, 0.5], "Y0"]],
                "x1": [[1, "a1"], [1, "ad1"]]
              },
              "options": {"secular": "none", "lamb_shift": false, "tolerance": 1e-9}
            }
            """;
        var y = Yaml(yaml);
        var j = Json(json);
        AssertSameModel(y, j);

        Assert.Equal(new ModelOptions(SecularMode.None, false, 1e-9), y.Options);
        Assert.Equal(double.PositiveInfinity, y.Baths[1].Beta);
        Assert.Equal(0.5, y.Baths[0].Beta);
        var drude = Assert.IsType<DrudeLorentzSpectralDensity>(Assert.IsType<ThermalRates>(y.Baths[0].Rates).Density);
        Assert.Equal((0.1, 2.0), (drude.Lambda, drude.Gamma));
        var table = Assert.IsType<TabulatedSpectralDensity>(Assert.IsType<ThermalRates>(y.Baths[1].Rates).Density);
        Assert.Equal([(0.5, 0.1), (1.0, 0.2), (2.0, 0.0)], table.Points);
        Assert.Equal(0.1, Assert.IsType<MetropolisRates>(y.Baths[2].Rates).RateConstant);
        Assert.Equal(0.2, Assert.IsType<GlauberRates>(y.Baths[3].Rates).RateConstant);
        Assert.Equal(0.5, Assert.IsType<OhmicSpectralDensity>(Assert.IsType<ThermalRates>(y.Baths[4].Rates).Density).Exponent);

        // (X + iY)/2 = |0⟩⟨1| on qubit 0, identity on the 3-level site.
        var lower = Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { 0, 1 }, { 0, 0 } })
            .KroneckerProduct(SiteOperators.Identity(3));
        AssertClose(lower, y.Observables["lower"]);
        // The complex-coefficient terms: i/2 X0 a1 − i/2 X0 a1† is Hermitian.
        var expectedH = OperatorParser.Sum([(1.0, "Z0"), (new Complex(0, 0.5), "a1 X0"), (new Complex(0, -0.5), "ad1 X0"), (0.25, "n1")], y.Space);
        AssertClose(expectedH, y.Hamiltonian);
        AssertClose(Matrix<Complex>.Build.DenseOfDiagonalArray([1, 0, 0, 0, 0, -1]), y.Baths[0].Couplings[1]);
        Assert.Equal("matrix (6×6)", y.Baths[0].CouplingLabels[1]);
        Assert.Equal("1·a1 + 1·ad1", y.Baths[1].CouplingLabels[0]);
    }

    [Fact]
    public void Parse_MatrixHamiltonian_WithoutSites_UsesOneSite()
    {
        var model = Yaml("""
            hamiltonian: {matrix: [[1, [0, -0.5], 0], [[0, 0.5], 0, 0], [0, 0, -1]]}
            baths:
              - name: b
                temperature: 1
                spectrum: {type: ohmic, eta: 0.1, cutoff: 5}
                couplings: [{matrix: [[0, 1, 0], [1, 0, 1], [0, 1, 0]]}]
            """);
        Assert.Equal(new Davies.Spaces.HilbertSpace([3]), model.Space);
        Assert.Equal(new Complex(0, -0.5), model.Hamiltonian[0, 1]);
    }

    [Fact]
    public void HamiltonianLabel_ListsTheTermsAsWritten_AndSurvivesWithOptions()
    {
        var chain = ModelFile.Load(Path.Combine(ExamplesDirectory(), "ising_chain.yaml"));
        Assert.StartsWith("-1·Z0 Z1 + -1·Z1 Z2 + -1·Z2 Z3 + -0.7·X0", chain.HamiltonianLabel);
        Assert.Equal(chain.HamiltonianLabel, chain.WithOptions(chain.Options with { LambShift = false }).HamiltonianLabel);
        var matrix = Yaml("""
            hamiltonian: {matrix: [[1, 0], [0, -1]]}
            baths: [{name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.1, cutoff: 5}, couplings: [{matrix: [[0, 1], [1, 0]]}]}]
            """);
        Assert.Equal("matrix (2×2)", matrix.HamiltonianLabel);
    }

    [Fact]
    public void Parse_JsonAllowsCommentsAndTrailingCommas()
    {
        var model = Json("""
            // a qubit
            {"sites": [2], "hamiltonian": "Z0", "baths": [{"name": "b", "temperature": 1,
             "spectrum": {"type": "glauber", "rate": 1}, "couplings": ["X0",],},],}
            """);
        Assert.Single(model.Baths);
    }

    // ------------------------------------------------------------------ failing input: one test per rule

    private static T Fails<T>(Func<OpenSystemModel> parse, params string[] fragments) where T : Exception
    {
        var ex = Assert.Throws<T>(() => parse());
        foreach (var f in fragments) Assert.Contains(f, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        return ex;
    }

    private const string GoodBath = """
        baths:
          - name: b
            temperature: 1
            spectrum: {type: ohmic, eta: 0.1, cutoff: 5}
            couplings: ["X0"]
        """;

    [Fact]
    public void Load_Throws_ForMissingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "davies-no-such-model-" + Guid.NewGuid() + ".yaml");
        Fails<ModelFileException>(() => ModelFile.Load(path), path, "file not found");
    }

    [Fact]
    public void Load_Throws_ForUnknownExtension()
    {
        Fails<ModelFileException>(() => ModelFile.Load("model.txt"), "model.txt", "'.txt'");
    }

    [Theory]
    [InlineData(ModelFileFormat.Yaml, "")]
    [InlineData(ModelFileFormat.Yaml, "  \n# just a comment\n")]
    [InlineData(ModelFileFormat.Json, "   \n")]
    public void Parse_Throws_ForEmptyFile(ModelFileFormat format, string text)
    {
        Fails<ModelFileException>(() => ModelFile.Parse(text, format, "empty.model"), "empty.model: ", "empty");
    }

    [Fact]
    public void Parse_Throws_ForMalformedJson()
    {
        Fails<ModelFileException>(() => Json("{\n  \"sites\": [2],\n  \"hamiltonian\": \"Z0\" \"baths\": []\n}"),
            "test.json: line 3", "malformed JSON");
    }

    [Fact]
    public void Parse_Throws_ForMalformedYaml()
    {
        Fails<ModelFileException>(() => Yaml("sites: [2, 2\nhamiltonian: Z0\n"), "test.yaml: line ", "malformed YAML");
    }

    [Fact]
    public void Parse_Throws_ForDuplicateYamlKey()
    {
        Fails<ModelFileException>(() => Yaml("sites: [2]\nsites: [2]\nhamiltonian: Z0\n" + GoodBath), "test.yaml: line 2", "sites");
    }

    [Fact]
    public void Parse_Throws_ForWrongType()
    {
        Fails<ModelFileException>(() => Yaml("sites: [2]\nhamiltonian: Z0\n" + GoodBath.Replace("temperature: 1", "temperature: hot")),
            "test.yaml: baths[0].temperature (line 5)", "expected a number", "\"hot\"");
    }

    [Fact]
    public void Parse_Throws_ForNonMappingTopLevel()
    {
        Fails<ModelFileException>(() => Yaml("- 1\n- 2\n"), "test.yaml: line 1", "top level must be a mapping");
    }

    [Fact]
    public void Parse_Throws_ForNaNStringInJson()
    {
        Fails<ModelFileException>(() => Json("""
            {"sites": [2], "hamiltonian": [["NaN", "Z0"]],
             "baths": [{"name": "b", "temperature": 1, "spectrum": {"type": "glauber", "rate": 1}, "couplings": ["X0"]}]}
            """), "test.json: hamiltonian[0][0] (line 1)", "not a finite number");
    }

    [Theory]
    [InlineData(".nan")]
    [InlineData(".inf")]
    [InlineData("-.inf")]
    public void Parse_Throws_ForNonFiniteYamlNumber(string value)
    {
        Fails<ModelFileException>(() => Yaml($"sites: [2]\nhamiltonian: {{matrix: [[1, 0], [0, {value}]]}}\n" + GoodBath),
            "test.yaml: hamiltonian.matrix[1][1] (line 2)", "not a finite number");
    }

    [Fact]
    public void Parse_Throws_ForNonHermitianHamiltonian()
    {
        Fails<ModelException>(() => Yaml("sites: [2]\nhamiltonian: [[1, \"Z0\"], [[0, 1], \"X0\"]]\n" + GoodBath),
            "test.yaml: hamiltonian (line 2)", "not Hermitian");
    }

    [Fact]
    public void Parse_Throws_ForNonHermitianCoupling()
    {
        Fails<ModelException>(() => Yaml("sites: [4]\nhamiltonian: n0\n" + GoodBath.Replace("\"X0\"", "\"a0\"")),
            "test.yaml: baths[0].couplings[0] (line 7)", "Hermitian");
    }

    [Fact]
    public void Parse_Throws_ForNegativeTemperature()
    {
        Fails<ModelException>(() => Yaml("sites: [2]\nhamiltonian: Z0\n" + GoodBath.Replace("temperature: 1", "temperature: -1")),
            "test.yaml: baths[0].temperature (line 5)", "negative temperature");
    }

    [Fact]
    public void Parse_Throws_ForNonPositiveBeta()
    {
        Fails<ModelException>(() => Yaml("sites: [2]\nhamiltonian: Z0\n" + GoodBath.Replace("temperature: 1", "beta: 0")),
            "test.yaml: baths[0].beta (line 5)", "beta must be > 0");
    }

    [Fact]
    public void Parse_Throws_ForBothTemperatureAndBeta()
    {
        Fails<ModelFileException>(() => Yaml("sites: [2]\nhamiltonian: Z0\n" + GoodBath.Replace("temperature: 1", "temperature: 1\n    beta: 1")),
            "test.yaml: baths[0].beta (line 6)", "not both");
    }

    [Fact]
    public void Parse_Throws_ForSiteIndexOutOfRange()
    {
        Fails<ModelException>(() => Yaml("sites: [2, 2]\nhamiltonian: Z0 Z1\n" + GoodBath.Replace("\"X0\"", "\"X2\"")),
            "test.yaml: baths[0].couplings[0] (line 7)", "'X2'", "2 sites");
    }

    [Fact]
    public void Parse_Throws_ForUnknownToken()
    {
        Fails<ModelException>(() => Yaml("sites: [2, 2]\nhamiltonian: [[1, \"Z0 Q1\"]]\n" + GoodBath),
            "test.yaml: hamiltonian[0][1] (line 2)", "unknown token 'Q1'", "\"Z0 Q1\"");
    }

    [Fact]
    public void Parse_Throws_ForPauliOnNonQubitSite()
    {
        Fails<ModelException>(() => Yaml("sites: [2, 3]\nhamiltonian: Z1\n" + GoodBath),
            "test.yaml: hamiltonian (line 2)", "'Z1'", "dimension 3");
    }

    [Fact]
    public void Parse_Throws_ForOperatorStringWithoutSites()
    {
        Fails<ModelFileException>(() => Yaml("hamiltonian: Z0\n" + GoodBath), "test.yaml: sites (line 1)", "missing");
    }

    [Fact]
    public void Parse_Throws_ForSingleTermNotWrappedInList()
    {
        Fails<ModelFileException>(() => Yaml("sites: [2]\nhamiltonian: [0.5, \"Z0\"]\n" + GoodBath),
            "test.yaml: hamiltonian[0] (line 2)", "[[0.5, \"Z0\"]]");
    }

    [Fact]
    public void Parse_Throws_ForUnknownSpectrumType()
    {
        Fails<ModelFileException>(() => Yaml("sites: [2]\nhamiltonian: Z0\n" + GoodBath.Replace("type: ohmic", "type: ohmik")),
            "test.yaml: baths[0].spectrum.type (line 6)", "unknown spectrum type 'ohmik'", "did you mean 'ohmic'");
    }

    [Fact]
    public void Parse_Throws_ForMissingSpectrumParameter()
    {
        Fails<ModelFileException>(() => Yaml("sites: [2]\nhamiltonian: Z0\n" + GoodBath.Replace(", cutoff: 5", "")),
            "test.yaml: baths[0].spectrum.cutoff (line 6)", "missing required key 'cutoff'");
    }

    [Fact]
    public void Parse_Throws_ForCouplingOfWrongDimension()
    {
        Fails<ModelException>(() => Yaml("sites: [2, 2]\nhamiltonian: Z0\n" + GoodBath.Replace("\"X0\"", "{matrix: [[0, 1], [1, 0]]}")),
            "test.yaml: baths[0].couplings[0] (line 7)", "2×2", "dimension 4");
    }

    [Fact]
    public void Parse_Throws_ForNegativeTabulatedSpectralDensity()
    {
        Fails<ModelException>(() => Yaml("sites: [2]\nhamiltonian: Z0\n" + GoodBath.Replace("{type: ohmic, eta: 0.1, cutoff: 5}",
                "\n      type: tabulated\n      points: [[0.5, 0.1], [1.0, -0.2]]")),
            "test.yaml: baths[0].spectrum.points[1][1] (line 8)", "negative spectral density");
    }

    [Fact]
    public void Parse_Throws_ForNonIncreasingTableFrequencies()
    {
        Fails<ModelException>(() => Yaml("sites: [2]\nhamiltonian: Z0\n" + GoodBath.Replace("{type: ohmic, eta: 0.1, cutoff: 5}",
                "{type: tabulated, points: [[1.0, 0.1], [1.0, 0.2]]}")),
            "test.yaml: baths[0].spectrum.points[1][0] (line 6)", "strictly increasing");
    }

    [Fact]
    public void Parse_Throws_ForNegativeEta()
    {
        Fails<ModelException>(() => Yaml("sites: [2]\nhamiltonian: Z0\n" + GoodBath.Replace("eta: 0.1", "eta: -0.1")),
            "test.yaml: baths[0].spectrum.eta (line 6)", "positive", "-0.1");
    }

    [Fact]
    public void Parse_Throws_ForDuplicateBathNames()
    {
        Fails<ModelException>(() => Yaml("sites: [2]\nhamiltonian: Z0\n" + GoodBath + "\n  - {name: b, temperature: 2, spectrum: {type: glauber, rate: 1}, couplings: [Z0]}\n"),
            "test.yaml: baths[1].name (line 8)", "duplicate bath name 'b'");
    }

    [Fact]
    public void Parse_Throws_ForNoBaths()
    {
        Fails<ModelException>(() => Yaml("sites: [2]\nhamiltonian: Z0\nbaths: []\n"), "test.yaml: baths (line 3)", "no baths");
    }

    [Fact]
    public void Parse_Throws_ForMissingBaths()
    {
        Fails<ModelFileException>(() => Yaml("sites: [2]\nhamiltonian: Z0\n"), "test.yaml: baths (line 1)", "missing required key 'baths'");
    }

    [Fact]
    public void Parse_Throws_ForRaggedMatrix()
    {
        Fails<ModelFileException>(() => Yaml("hamiltonian:\n  matrix:\n    - [1, 0]\n    - [0]\n" + GoodBath),
            "test.yaml: hamiltonian.matrix[1] (line 4)", "ragged");
    }

    [Fact]
    public void Parse_Throws_ForNonSquareMatrix()
    {
        Fails<ModelFileException>(() => Yaml("hamiltonian: {matrix: [[1, 0, 0], [0, 1, 0]]}\n" + GoodBath),
            "test.yaml: hamiltonian.matrix[0] (line 1)", "square");
    }

    [Fact]
    public void Parse_Throws_ForUnknownTopLevelKey()
    {
        Fails<ModelFileException>(() => Yaml("sites: [2]\nhamiltonian: Z0\nobservable: {z: Z0}\n" + GoodBath),
            "test.yaml: observable (line 3)", "unknown key 'observable'", "did you mean 'observables'");
    }

    [Fact]
    public void Parse_Throws_ForUnknownBathKey()
    {
        Fails<ModelFileException>(() => Yaml("sites: [2]\nhamiltonian: Z0\n" + GoodBath.Replace("temperature: 1", "temprature: 1")),
            "test.yaml: baths[0].temprature (line 5)", "unknown key 'temprature'", "did you mean 'temperature'");
    }

    [Fact]
    public void Parse_Throws_ForUnknownSecularMode()
    {
        Fails<ModelFileException>(() => Yaml("sites: [2]\nhamiltonian: Z0\noptions: {secular: full}\n" + GoodBath),
            "test.yaml: options.secular (line 3)", "'full'");
    }

    [Fact]
    public void Parse_Throws_ForNonPositiveTolerance()
    {
        Fails<ModelException>(() => Yaml("sites: [2]\nhamiltonian: Z0\noptions: {tolerance: 0}\n" + GoodBath),
            "test.yaml: options.tolerance (line 3)", "positive");
    }

    [Fact]
    public void Parse_Throws_ForNonIntegerSiteDimension()
    {
        Fails<ModelFileException>(() => Yaml("sites: [2, 2.5]\nhamiltonian: Z0\n" + GoodBath), "test.yaml: sites[1] (line 1)", "whole number");
    }
}
