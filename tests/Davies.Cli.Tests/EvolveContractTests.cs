using System.Globalization;
using System.Text.Json;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Cli.Tests;

/// <summary>
/// `davies evolve` and `davies spectrum` against the library: every --initial and --times form, JSON, CSV and plot
/// outputs, and one clear error (exit code 2, no stack trace) for each kind of bad input.
/// </summary>
public class EvolveContractTests
{
    private static string Example(string name) => Path.Combine(CliRunner.Examples, name);

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    private static void AssertClose(double expected, double actual, double tol, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: {actual} vs {expected}");

    /// <summary>Runs `evolve --json` and checks it against <see cref="Evolution.Run(EnergyBasisModel, Matrix{Complex}, IReadOnlyList{double}, IReadOnlyList{NamedOperator}?, EvolutionOptions?)"/>.</summary>
    private static (JsonElement Root, EvolutionResult Library) EvolveJson(string model, string state, string times, params string[] observe)
    {
        var args = new List<string> { "evolve", model, "--initial", state, "--times", times, "--json" };
        foreach (var o in observe) args.AddRange(["--observe", o]);
        var r = CliRunner.Run(args.ToArray());
        Assert.True(r.ExitCode == 0, r.Err);
        var root = JsonDocument.Parse(r.Out).RootElement;

        var m = ModelFile.Load(model);
        var dm = EnergyBasisModel.Build(m);
        if (observe.Length == 0) observe = m.Observables.Keys.ToArray(); // the command's default: all the model's observables
        var lib = Evolution.Run(dm, InitialStates.Parse(state, dm), InitialStates.ParseTimes(times),
            observe.Select(o => new NamedOperator(o, m.Observables.TryGetValue(o, out var op) ? op : Davies.Operators.OperatorParser.Parse(o, m.Space))).ToArray());

        Assert.Equal(lib.Times, Doubles(root.GetProperty("times")));
        Assert.Equal(lib.Energies, Doubles(root.GetProperty("energies")));
        var energies = lib.Energies;
        for (int k = 1; k < energies.Length; k++) Assert.True(energies[k] >= energies[k - 1], "energies ascending");
        var expectations = root.GetProperty("expectations");
        Assert.Equal(observe, expectations.EnumerateObject().Select(p => p.Name).ToArray());
        foreach (var o in observe)
            Assert.Equal(lib.Expectations[o], Doubles(expectations.GetProperty(o)));
        var pops = root.GetProperty("populations");
        Assert.Equal(lib.Times.Count, pops.GetArrayLength());
        for (int i = 0; i < lib.Times.Count; i++)
        {
            var p = Doubles(pops[i]);
            Assert.Equal(energies.Length, p.Length);
            Assert.Equal(lib.Populations[i], p);
            AssertClose(1, p.Sum(), 1e-12, $"populations at t={lib.Times[i]} sum");
        }
        return (root, lib);
    }

    [Fact]
    public void Evolve_Json_LabelState_MatchesLibrary_AndSiteConvention()
    {
        // |1010⟩ on four sites: Z = diag(1, −1), so Z0 = −1, Z1 = +1, Z2 = −1, Z3 = +1 at t = 0
        var (root, lib) = EvolveJson(Example("ising_chain.yaml"), "1010", "0:4:9", "Z0", "Z1", "Z2 Z3", "mx");
        var e = root.GetProperty("expectations");
        Assert.Equal(-1, e.GetProperty("Z0")[0].GetDouble(), 12);
        Assert.Equal(1, e.GetProperty("Z1")[0].GetDouble(), 12);
        Assert.Equal(-1, e.GetProperty("Z2 Z3")[0].GetDouble(), 12);
        Assert.Equal(0, e.GetProperty("mx")[0].GetDouble(), 12);
        Assert.Equal([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4], Doubles(root.GetProperty("times")));
        Assert.Equal(16, lib.Energies.Length);
        Assert.Equal("sectors", root.GetProperty("method").GetString());
    }

    [Theory]
    [InlineData("qubit.yaml")]
    [InlineData("ising_chain.yaml")]
    public void Evolve_Json_LevelStates_StartInThatLevel(string model)
    {
        int d = model == "qubit.yaml" ? 2 : 16;
        foreach (int k in new[] { 0, 1, d - 1 })
        {
            var (root, _) = EvolveJson(Example(model), $"level:{k}", "0,0.5", model == "qubit.yaml" ? "sz" : "Z0");
            var p0 = Doubles(root.GetProperty("populations")[0]);
            for (int j = 0; j < d; j++) AssertClose(j == k ? 1 : 0, p0[j], 1e-12, $"level:{k}, p{j}(0)");
        }
        var (g, _) = EvolveJson(Example(model), "ground", "0", model == "qubit.yaml" ? "sz" : "Z0");
        AssertClose(1, Doubles(g.GetProperty("populations")[0])[0], 1e-12, "ground: p0(0)");
    }

    [Theory]
    [InlineData("qubit.yaml", 2.0)]        // T = 0.5
    [InlineData("ising_chain.yaml", 1.0)]  // T = 1
    public void Evolve_Json_GibbsIsStationary_AndMaximallyMixedIsUniform(string model, double beta)
    {
        var (gibbs, lib) = EvolveJson(Example(model), "gibbs", "0,1,10");
        var e = lib.Energies;
        double z = e.Sum(x => Math.Exp(-beta * (x - e[0])));
        for (int i = 0; i < 3; i++)
        {
            var p = Doubles(gibbs.GetProperty("populations")[i]);
            for (int k = 0; k < e.Length; k++) AssertClose(Math.Exp(-beta * (e[k] - e[0])) / z, p[k], 1e-10, $"gibbs p{k}(t{i})");
        }
        var (mixed, _) = EvolveJson(Example(model), "maximally-mixed", "0,3");
        Assert.All(Doubles(mixed.GetProperty("populations")[0]), p => AssertClose(1.0 / e.Length, p, 1e-12, "uniform"));
    }

    [Fact]
    public void Evolve_Json_DensityMatrixFile_MatchesLibraryAndItsOwnExpectations()
    {
        // ρ0 = ½(I + 0.6 X + 0.4 Y) → ⟨X⟩ = 0.6, ⟨Y⟩ = 0.4, ⟨Z⟩ = 0 at t = 0; entries as numbers and [re, im] pairs
        string path = CliRunner.TempModel("{\"matrix\": [[0.5, [0.3, -0.2]], [[0.3, 0.2], 0.5]]}", ".json");
        try
        {
            var (root, lib) = EvolveJson(Example("qubit.yaml"), path, "0,0.25,2", "X0", "Y0", "Z0");
            var e = root.GetProperty("expectations");
            Assert.Equal(0.6, e.GetProperty("X0")[0].GetDouble(), 12);
            Assert.Equal(0.4, e.GetProperty("Y0")[0].GetDouble(), 12);
            Assert.Equal(0, e.GetProperty("Z0")[0].GetDouble(), 12);
            Assert.Equal(0.5, lib.DensityMatrix(0)[0, 0].Real, 12);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Evolve_Csv_HasOneRowPerTime_AndTheNumbersOfTheJson()
    {
        string[] head = ["evolve", Example("ising_chain.yaml"), "--initial", "0110", "--times", "0,0.3,1,7.5,20", "--observe", "mx", "--observe", "Z1 Z2", "--observe", "zz_bulk"];
        var csv = CliRunner.Run([.. head, "--csv"]);
        var json = CliRunner.Run([.. head, "--json"]);
        Assert.True(csv.ExitCode == 0, csv.Err);
        Assert.True(json.ExitCode == 0, json.Err);
        var root = JsonDocument.Parse(json.Out).RootElement;
        var lines = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("t,mx,Z1 Z2,zz_bulk," + string.Join(",", Enumerable.Range(0, 16).Select(k => $"p{k}")), lines[0]);
        Assert.Equal(6, lines.Length);
        var times = Doubles(root.GetProperty("times"));
        string[] names = ["mx", "Z1 Z2", "zz_bulk"];
        for (int i = 0; i < times.Length; i++)
        {
            var cells = lines[i + 1].Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(4 + 16, cells.Length);
            Assert.Equal(times[i], cells[0]);
            for (int j = 0; j < names.Length; j++)
                Assert.Equal(root.GetProperty("expectations").GetProperty(names[j])[i].GetDouble(), cells[j + 1]);
            Assert.Equal(cells[2], cells[3]); // zz_bulk is "Z1 Z2" in the model file
            Assert.Equal(Doubles(root.GetProperty("populations")[i]), cells[4..]);
        }
    }

    [Fact]
    public void Evolve_Plot_SvgHasAxesLabelsLegendAndUnits_PngIsAnImage_AndStdoutStillJson()
    {
        var svg = Path.Combine(Path.GetTempPath(), $"davies-contract-{Guid.NewGuid():N}.svg");
        var png = Path.ChangeExtension(svg, ".png");
        var pops = Path.Combine(Path.GetTempPath(), $"davies-contract-{Guid.NewGuid():N}-pops.svg");
        string noObservables = CliRunner.TempModel("sites: [2]\nhamiltonian: [[0.5, Z0]]\nbaths:\n  - {name: b, temperature: 0.5, spectrum: {type: glauber, rate: 0.2}, couplings: [X0]}\n");
        try
        {
            var r = CliRunner.Run("evolve", Example("qubit.yaml"), "--initial", "0", "--times", "0:10:41", "--observe", "sz", "--observe", "sx", "--plot", svg, "--json");
            Assert.True(r.ExitCode == 0, r.Err);
            Assert.Equal(41, JsonDocument.Parse(r.Out).RootElement.GetProperty("times").GetArrayLength());
            string text = File.ReadAllText(svg);
            Assert.Contains("<svg", text);
            Assert.Contains("time (ħ = 1 units)", text);       // x axis label with units
            Assert.Contains("expectation value", text);        // y axis label
            Assert.Contains("⟨sz⟩", text);                     // legend entries
            Assert.Contains("⟨sx⟩", text);
            Assert.True(text.Split("<path").Length > 4, "axes, grid and curves are drawn");

            Assert.Equal(0, CliRunner.Run("evolve", Example("qubit.yaml"), "--initial", "gibbs", "--times", "0,1,2", "--plot", png, "-q").ExitCode);
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 5000, $"PNG of {bytes.Length} bytes");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);

            // no observable: the level populations are plotted, labelled with their energies
            Assert.Equal(0, CliRunner.Run("evolve", noObservables, "--initial", "level:1", "--times", "0:5:6", "--plot", pops, "-q").ExitCode);
            string popText = File.ReadAllText(pops);
            Assert.Contains("population", popText);
            Assert.Contains("p0 (E = -0.5)", popText);
            Assert.Contains("p1 (E = 0.5)", popText);
        }
        finally
        {
            File.Delete(svg);
            File.Delete(png);
            File.Delete(pops);
            File.Delete(noObservables);
        }
    }

    [Fact]
    public void Evolve_Until_TextAndJson_AgreeWithTheLibrary()
    {
        string model = Example("qubit.yaml");
        var json = CliRunner.Run("evolve", model, "--initial", "0", "--times", "0,1", "--observe", "sz", "--json", "--until", "1e-4");
        Assert.True(json.ExitCode == 0, json.Err);
        var root = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(1e-4, root.GetProperty("until").GetDouble());
        var dm = EnergyBasisModel.Build(ModelFile.Load(model));
        double expected = Evolution.ConvergenceTime(dm, InitialStates.Parse("0", dm), 1e-4);
        Assert.Equal(expected, root.GetProperty("convergence_time").GetDouble(), 10);
        var text = CliRunner.Run("evolve", model, "--initial", "0", "--times", "0,1", "--until", "1e-4");
        Assert.True(text.ExitCode == 0, text.Err);
        string flat = System.Text.RegularExpressions.Regex.Replace(text.Out, @"\s+", " "); // the table writer wraps long lines
        Assert.Contains($"convergence time (trace distance to the steady state stays below 0.0001): {expected.ToString("G6", CultureInfo.InvariantCulture)}", flat);
    }

    [Fact]
    public void ZeroTemperatureExample_GroundPopulationReachesOneOnlyAsymptotically()
    {
        // Third law: at T = 0 the excited population is e^{−t/T1} > 0 at every finite time, and the time to come
        // within ε of the ground state, T1 ln(1/ε), grows without bound as ε → 0.
        string model = Example("qubit_zero_temperature.yaml");
        var spec = JsonDocument.Parse(CliRunner.Run("spectrum", model, "--json").Out).RootElement;
        double t1 = spec.GetProperty("t1").GetDouble();
        var times = Enumerable.Range(0, 7).Select(k => 5.0 * k * t1).ToArray(); // up to 30 T1
        var r = CliRunner.Run("evolve", model, "--initial", "level:1", "--times", string.Join(",", times.Select(t => t.ToString("R", CultureInfo.InvariantCulture))), "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        var pops = JsonDocument.Parse(r.Out).RootElement.GetProperty("populations");
        for (int i = 0; i < times.Length; i++)
        {
            double excited = pops[i][1].GetDouble(), ground = pops[i][0].GetDouble();
            Assert.True(excited > 0 && ground < 1, $"t = {times[i]}: ground {ground}, excited {excited}");
            AssertClose(Math.Exp(-times[i] / t1), excited, 1e-9 * Math.Exp(-times[i] / t1), $"excited population at t = {times[i]}");
        }
        double previous = 0;
        foreach (double eps in new[] { 1e-2, 1e-4, 1e-8, 1e-12 })
        {
            var u = CliRunner.Run("evolve", model, "--initial", "level:1", "--times", "0", "--json", "--until", eps.ToString("R", CultureInfo.InvariantCulture));
            double t = JsonDocument.Parse(u.Out).RootElement.GetProperty("convergence_time").GetDouble();
            AssertClose(t1 * Math.Log(1 / eps), t, 1e-9 * t, $"convergence time for ε = {eps}");
            Assert.True(t > previous);
            previous = t;
        }
    }

    /// <summary>Bad input: exit code 2, nothing on stdout, one "davies: error:" line naming the flag, no stack trace.</summary>
    private static void AssertOneClearError(CliRun r, string flag, string fragment)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        var errors = lines.Where(l => l.StartsWith("davies: error:", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length == 1, r.Err);
        Assert.Contains(flag, errors[0]);
        Assert.Contains(fragment, errors[0]);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain("Exception", r.Err);
        Assert.All(lines.Except(errors), l => Assert.StartsWith("Run 'davies --help'", l));
    }

    [Theory]
    [InlineData("[[0.5, 0.1], [0.2, 0.5]]", "not Hermitian")]
    [InlineData("[[0.5, [0, 0.3]], [[0, 0.3], 0.5]]", "not Hermitian")]
    [InlineData("[[0.7, 0], [0, 0.5]]", "trace")]
    [InlineData("[[0.5, 0.1], [0.1, 0.4]]", "trace")]
    [InlineData("[[0.5, 0.9], [0.9, 0.5]]", "positive semidefinite")]
    [InlineData("[[1.5, 0], [0, -0.5]]", "positive semidefinite")]
    [InlineData("[[0.5, 0, 0], [0, 0.5, 0], [0, 0, 0]]", "dimension")]
    [InlineData("[[1]]", "dimension")]
    [InlineData("[[1, 0], [0]]", "")]
    [InlineData("[[0.5, \"a\"], [0, 0.5]]", "")]
    public void Evolve_BadDensityMatrixFile_OneClearError(string matrix, string fragment)
    {
        string path = CliRunner.TempModel("{\"matrix\": " + matrix + "}", ".json");
        try
        {
            AssertOneClearError(CliRunner.Run("evolve", Example("qubit.yaml"), "--initial", path, "--times", "0,1", "--observe", "sz"), "--initial", fragment);
            AssertOneClearError(CliRunner.Run("evolve", Example("qubit.yaml"), "--initial", path, "--times", "0,1", "--json"), "--initial", fragment);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("--initial", "2")]                // digit beyond the site dimension
    [InlineData("--initial", "11")]               // a single site takes a multi-digit level: 11 is out of range
    [InlineData("--initial", "level:2")]
    [InlineData("--initial", "level:-1")]
    [InlineData("--initial", "level:one")]
    [InlineData("--initial", "excited")]
    [InlineData("--initial", "")]
    [InlineData("--initial", "no-such-state.json")]
    [InlineData("--times", "")]
    [InlineData("--times", "0,,1")]
    [InlineData("--times", "0,-1")]
    [InlineData("--times", "x")]
    [InlineData("--times", "0,nan")]
    [InlineData("--times", "0,1e400")]
    [InlineData("--times", "0:1")]
    [InlineData("--times", "0:1:2:3")]
    [InlineData("--times", "0:1:0")]
    [InlineData("--times", "0:1:2.5")]
    [InlineData("--times", "5:1:3")]
    [InlineData("--observe", "Q0")]
    [InlineData("--observe", "Z1")]
    [InlineData("--observe", "")]
    [InlineData("--observe", "nope")]
    [InlineData("--until", "abc")]
    [InlineData("--until", "0")]
    [InlineData("--until", "1")]
    public void Evolve_BadFlag_OneClearErrorNamingIt(string flag, string value)
    {
        var args = new Dictionary<string, string> { ["--initial"] = "0", ["--times"] = "0,1", ["--observe"] = "sz" };
        args[flag] = value;
        var argv = new List<string> { "evolve", Example("qubit.yaml") };
        foreach (var (k, v) in args) argv.AddRange([k, v]);
        AssertOneClearError(CliRunner.Run(argv.ToArray()), flag, value == "" ? "" : value);
    }

    [Theory]
    [InlineData("101", "one digit per site")]
    [InlineData("10101", "one digit per site")]
    [InlineData("1020", "site 2")]
    [InlineData("level:16", "level:16")]
    public void Evolve_BadLabelForFourSites_OneClearError(string label, string fragment) =>
        AssertOneClearError(CliRunner.Run("evolve", Example("ising_chain.yaml"), "--initial", label, "--times", "0,1"), "--initial", fragment);

    [Fact]
    public void Evolve_NeedsInitialAndTimes()
    {
        var r = CliRunner.Run("evolve", Example("qubit.yaml"), "--times", "0,1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--initial", r.Err);
        Assert.Equal(2, CliRunner.Run("evolve", Example("qubit.yaml"), "--initial", "0").ExitCode);
    }

    [Fact]
    public void Spectrum_Json_MatchesLibrary_ModesAndSectors()
    {
        string model = Example("ising_chain.yaml");
        var r = CliRunner.Run("spectrum", model, "--json", "--modes", "5");
        Assert.True(r.ExitCode == 0, r.Err);
        var root = JsonDocument.Parse(r.Out).RootElement;
        var lib = Spectrum.Compute(ModelFile.Load(model), new SpectrumOptions(Modes: 5));
        Assert.Equal(lib.SpectralGap, root.GetProperty("spectral_gap").GetDouble());
        Assert.Equal(1 / lib.SpectralGap, root.GetProperty("relaxation_time").GetDouble(), 12);
        Assert.Equal(lib.PopulationGap!.Value, root.GetProperty("population_gap").GetDouble());
        Assert.Equal(lib.KernelDimension, root.GetProperty("kernel_dimension").GetInt32());
        Assert.False(root.TryGetProperty("t1", out _)); // not a two-level system
        var modes = root.GetProperty("modes");
        Assert.Equal(5, modes.GetArrayLength());
        for (int i = 0; i < 5; i++)
        {
            var ev = modes[i].GetProperty("eigenvalue");
            Assert.Equal(2, ev.GetArrayLength());
            Assert.Equal(lib.SlowestModes[i].Eigenvalue.Real, ev[0].GetDouble());
            Assert.Equal(lib.SlowestModes[i].Eigenvalue.Imaginary, ev[1].GetDouble());
            Assert.Equal(lib.SlowestModes[i].BohrFrequency, modes[i].GetProperty("bohr_frequency").GetDouble());
            Assert.True(-ev[0].GetDouble() >= lib.SpectralGap * (1 - 1e-12));
        }
        Assert.Equal(-lib.SpectralGap, modes[0].GetProperty("eigenvalue")[0].GetDouble());
        // default: 10 modes
        var byDefault = JsonDocument.Parse(CliRunner.Run("spectrum", model, "--json").Out).RootElement;
        Assert.Equal(10, byDefault.GetProperty("modes").GetArrayLength());
    }

    [Fact]
    public void Spectrum_Redfield_UsesTheFullGenerator()
    {
        string path = CliRunner.TempModel(
            "sites: [2]\nhamiltonian: [[1.0, Z0]]\nbaths:\n  - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.05, cutoff: 10}, couplings: [X0]}\n" +
            "options: {secular: none}\n");
        try
        {
            var r = CliRunner.Run("spectrum", path, "--json", "--modes", "10");
            Assert.True(r.ExitCode == 0, r.Err);
            var root = JsonDocument.Parse(r.Out).RootElement;
            Assert.Equal("redfield-dense", root.GetProperty("method").GetString());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("population_gap").ValueKind);
            Assert.Equal(3, root.GetProperty("modes").GetArrayLength()); // d² = 4 eigenvalues, one of them the steady state
            var lib = Spectrum.Compute(ModelFile.Load(path));
            Assert.Equal(lib.SpectralGap, root.GetProperty("spectral_gap").GetDouble());
            Assert.Equal(lib.T1!.Value, root.GetProperty("t1").GetDouble());
            Assert.Equal(lib.T2!.Value, root.GetProperty("t2").GetDouble());
            var ev = CliRunner.Run("evolve", path, "--initial", "0", "--times", "0,1", "--observe", "Z0", "--json");
            Assert.Equal("redfield-dense", JsonDocument.Parse(ev.Out).RootElement.GetProperty("method").GetString());
        }
        finally { File.Delete(path); }
    }
}
