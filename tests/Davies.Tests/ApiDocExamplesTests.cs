// api.md: usings
using Davies.Diagnostics;
using Davies.LinearAlgebra;
using Davies.Models;
using Davies.Operators;
using Davies.Solvers;
using Davies.Spectral;
using Davies.Studies;
using Davies.Thermodynamics;
// end
using System.Text.RegularExpressions;

namespace Davies.Tests;

/// <summary>
/// The examples of docs/api.md, compiled and run here: each example is the code between an "api.md: NAME" comment and
/// "end" in this file, quoted verbatim (dedented) in a csharp block of docs/api.md — <see cref="ApiDoc_QuotesEveryExampleVerbatim"/>
/// checks that the page and this file agree block for block, so an example in the docs cannot drift from code that
/// compiles and passes. The assertions after each example check its results against analytic values.
/// </summary>
public class ApiDocExamplesTests
{
    [Fact]
    public void Load()
    {
        // api.md: load
        LinearAlgebraProvider.UseBestAvailable(); // native LAPACK/BLAS when it loads, else managed Math.NET
        // A qubit H = (ω/2) σz, ω = 1, coupled through σx to an Ohmic bath at T = 0.5 (examples/qubit.yaml).
        OpenSystemModel model = ModelFile.Parse("""
            sites: [2]
            hamiltonian: [[0.5, "Z0"]]
            baths:
              - {name: bath, temperature: 0.5, spectrum: {type: ohmic, eta: 0.005, cutoff: 10}, couplings: ["X0"]}
            observables: {sz: "Z0"}
            """, ModelFileFormat.Yaml, "qubit.yaml");
        // or: ModelFile.Load("examples/qubit.yaml") (.json, .yaml or .yml; errors are ModelFileException)
        Console.WriteLine($"d = {model.Dimension}, baths: {model.Baths.Count}, T = {model.Baths[0].Temperature}");
        // end
        Assert.Equal(2, model.Dimension);
        Assert.Equal(0.5, model.Baths[0].Temperature);
        Assert.True(model.Observables.ContainsKey("sz"));
    }

    private static OpenSystemModel Qubit() => ModelFile.Parse("""
        sites: [2]
        hamiltonian: [[0.5, "Z0"]]
        baths:
          - {name: bath, temperature: 0.5, spectrum: {type: ohmic, eta: 0.005, cutoff: 10}, couplings: ["X0"]}
        observables: {sz: "Z0"}
        """, ModelFileFormat.Yaml, "qubit.yaml");

    [Fact]
    public void Build()
    {
        var model = Qubit();
        // api.md: build
        EnergyBasisModel dm = EnergyBasisModel.Build(model); // eigenbasis, levels, Bohr frequencies, jump operators
        Console.WriteLine($"levels: {dm.Basis.Levels.Count}, energies: {string.Join(", ", dm.Basis.Energies)}");
        Console.WriteLine($"positive Bohr frequencies: {string.Join(", ", dm.Bohr.Positive)}");
        // end
        Assert.Equal([-0.5, 0.5], dm.Basis.Energies, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(1.0, dm.Bohr.Positive[0], 12);
    }

    [Fact]
    public void Steady()
    {
        var model = Qubit();
        // api.md: steady
        SteadyStateResult ss = SteadyState.Solve(model); // the ν = 0 sector: for this qubit the Pauli rate matrix
        double sz = ss.Expectation(model.Observables["sz"]);
        Console.WriteLine($"unique: {ss.Unique}, distance to Gibbs: {ss.GibbsTraceDistance}, <sz> = {sz}");
        // end
        Assert.True(ss.Unique);
        Assert.True(ss.GibbsTraceDistance < 1e-10);
        Assert.Equal(-Math.Tanh(0.5 * 1 / 0.5), sz, 10); // ⟨σz⟩ = −tanh(βω/2)
    }

    [Fact]
    public void Evolve()
    {
        var model = Qubit();
        // api.md: evolve
        EnergyBasisModel dm = EnergyBasisModel.Build(model);
        double[] times = InitialStates.ParseTimes("0:200:101");             // 101 times from 0 to 200
        var rho0 = InitialStates.Parse("level:1", dm);                       // the excited eigenstate (also "+", "mixed", "0101", a file…)
        EvolutionResult run = Evolution.Run(dm, rho0, times, [new NamedOperator("sz", model.Observables["sz"])]);
        Console.WriteLine($"<sz>(200) = {run.Expectations["sz"][^1]}, converged to 1e-6 at t = {run.ConvergenceTime(1e-6)}");
        // end
        Assert.Equal(1.0, run.Expectations["sz"][0], 12);
        // Population relaxation of a qubit: ⟨σz⟩(t) = ⟨σz⟩∞ + (1 − ⟨σz⟩∞) e^{−t/T1}, T1 = 1/(G(ω) + G(−ω)).
        var spectrum = Spectrum.Compute(model);
        double inf = -Math.Tanh(1.0), t1 = spectrum.T1!.Value;
        Assert.Equal(inf + (1 - inf) * Math.Exp(-200 / t1), run.Expectations["sz"][^1], 8);
    }

    [Fact]
    public void SpectrumOfTheGenerator()
    {
        var model = Qubit();
        // api.md: spectrum
        SpectrumResult spectrum = Spectrum.Compute(model, new SpectrumOptions(Modes: 4));
        Console.WriteLine($"gap {spectrum.SpectralGap}, relaxation time {spectrum.RelaxationTime}, T1 = {spectrum.T1}, T2 = {spectrum.T2}");
        foreach (SpectralMode mode in spectrum.SlowestModes) Console.WriteLine($"λ = {mode.Eigenvalue}");
        // end
        // A qubit: T2 = 2 T1 without pure dephasing (σx coupling), gap = 1/T2.
        Assert.Equal(2 * spectrum.T1!.Value, spectrum.T2!.Value, 8);
        Assert.Equal(1 / spectrum.T2!.Value, spectrum.SpectralGap, 10);
    }

    [Fact]
    public void ValidityOfTheApproximations()
    {
        var model = Qubit();
        // api.md: validity
        ValidityReport validity = Validity.Evaluate(EnergyBasisModel.Build(model));
        foreach (ValidityCriterion c in validity.Criteria)
            Console.WriteLine($"{c.Name}: {c.Value} (threshold {c.Threshold}) {(c.Ok ? "ok" : c.Advice)}");
        // end
        Assert.Equal(["markov", "secular", "weak_coupling", "memory"], validity.Criteria.Select(c => c.Name));
        Assert.True(validity.AllOk); // η = 0.005: weak coupling
    }

    [Fact]
    public void Conserved()
    {
        // api.md: conserved
        // Pure dephasing: σz coupling commutes with H, so the populations are conserved (two steady states).
        var dephasing = ModelFile.Parse("""
            sites: [2]
            hamiltonian: [[0.5, "Z0"]]
            baths:
              - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.05, cutoff: 5}, couplings: ["Z0"]}
            """, ModelFileFormat.Yaml, "dephasing.yaml");
        SteadyStateResult ss = SteadyState.Solve(dephasing);
        ConservedQuantitiesResult conserved = ConservedQuantities.Of(ss);
        Console.WriteLine($"unique: {ss.Unique}, conserved quantities: {conserved.Count}");
        foreach (ConservedQuantity q in conserved.Quantities) Console.WriteLine($"{q.Expression}: {q.Description}");
        // end
        Assert.False(ss.Unique);
        Assert.Equal(2, conserved.Count);
    }

    [Fact]
    public void Thermodynamics()
    {
        var model = Qubit();
        // api.md: thermodynamics
        EnergyBasisModel dm = EnergyBasisModel.Build(model);
        EvolutionResult run = Evolution.Run(dm, InitialStates.Parse("level:1", dm), InitialStates.ParseTimes("0:200:51"),
            options: new EvolutionOptions { Thermodynamics = true });
        ThermodynamicTrajectory th = run.Thermodynamics!;
        // First law: the energy change is the heat from the bath; second law: entropy production ≥ 0.
        Console.WriteLine($"ΔE = {th.Energy[^1] - th.Energy[0]}, Q = {th.Heat["bath"][^1]}, Σ = {th.EntropyProduction[^1]}");
        // Non-equilibrium steady states: ss.HeatCurrents[bath], ss.EntropyProduction; machines: Machines.Evaluate(ss).
        // end
        Assert.Equal(th.Energy[^1] - th.Energy[0], th.Heat["bath"][^1], 6);
        Assert.True(th.EntropyProduction[^1] > 0);
        // The excited qubit relaxes to Gibbs with T1: ΔE(t) = (⟨H⟩_Gibbs − 1/2)(1 − e^{−t/T1}), ⟨H⟩_Gibbs = −(1/2) tanh(1).
        double t1 = Spectrum.Compute(model).T1!.Value;
        Assert.Equal((-0.5 * Math.Tanh(1) - 0.5) * (1 - Math.Exp(-200 / t1)), th.Energy[^1] - th.Energy[0], 10);
    }

    // ---- the page and the file agree ----

    private static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Davies.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    /// <summary>The examples in this file: name → code (dedented), in file order.</summary>
    internal static List<(string Name, string Code)> Regions(string source)
    {
        var result = new List<(string, string)>();
        var lines = source.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var start = Regex.Match(lines[i], @"^\s*// api\.md: (\S+)\s*$");
            if (!start.Success) continue;
            int j = i + 1;
            while (j < lines.Length && lines[j].Trim() != "// end") j++;
            var body = lines[(i + 1)..j];
            int indent = body.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            result.Add((start.Groups[1].Value, string.Join("\n", body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd()));
            i = j;
        }
        return result;
    }

    /// <summary>The csharp blocks of a markdown page, in order.</summary>
    internal static List<string> CsharpBlocks(string markdown) =>
        Regex.Matches(markdown.Replace("\r\n", "\n"), @"^```csharp\n(.*?)^```\s*$", RegexOptions.Singleline | RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value.TrimEnd()).ToList();

    [Fact]
    public void Sweeps()
    {
        // api.md: sweeps
        // A template is parsed once; each point instantiates it with its parameter values (davies sweep does the same).
        ModelTemplate template = ModelFile.ParseTemplate("""
            parameters: {T: 1}
            sites: [2]
            hamiltonian: [[0.5, "Z0"]]
            baths:
              - {name: bath, temperature: "T", spectrum: {type: ohmic, eta: 0.005, cutoff: 10}, couplings: ["X0"]}
            observables: {sz: "Z0"}
            """, ModelFileFormat.Yaml, "qubit.yaml");
        SweepGrid grid = SweepGrid.Cartesian([SweepAxis.Parse("T=0.1:2:20")]); // start:stop:count (also :log, lists)
        var sz = new double[grid.Count];
        SweepRunSummary summary = SweepRunner.Run(grid,
            (point, cancel) =>
            {
                OpenSystemModel model = template.Instantiate(point.Parameters);
                return [SteadyState.Solve(model).Expectation(model.Observables["sz"])];
            },
            row => sz[row.Index] = row.Quantities[0], // rows arrive in grid order; row.Error holds a failed point's message
            new SweepRunOptions { Jobs = 2 });
        Console.WriteLine($"{summary.Computed} points, errors: {summary.Errors}, <sz>(T = 2) = {sz[^1]}");
        // end
        Assert.Equal(20, summary.Computed);
        Assert.Equal(0, summary.Errors);
        for (int p = 0; p < grid.Count; p++)
            Assert.Equal(-Math.Tanh(1 / (2 * grid.ParametersAt(p)["T"])), sz[p], 10); // ⟨σz⟩ = −tanh(1/2T), ω = 1
    }

    [Fact]
    public void ApiDoc_QuotesEveryExampleVerbatim()
    {
        var regions = Regions(File.ReadAllText(Path.Combine(Root, "tests", "Davies.Tests", "ApiDocExamplesTests.cs")));
        var blocks = CsharpBlocks(File.ReadAllText(Path.Combine(Root, "docs", "api.md")));
        Assert.Equal(["usings", "load", "build", "steady", "evolve", "spectrum", "validity", "conserved", "thermodynamics", "sweeps"], regions.Select(r => r.Name));
        Assert.Equal(regions.Count, blocks.Count);
        for (int i = 0; i < regions.Count; i++)
            Assert.True(regions[i].Code == blocks[i],
                $"docs/api.md block {i + 1} differs from the example '{regions[i].Name}' in tests/Davies.Tests/ApiDocExamplesTests.cs:\n--- docs ---\n{blocks[i]}\n--- test ---\n{regions[i].Code}");
    }

    [Fact]
    public void Extraction_SeesADifference()
    {
        // The comparison above can fail: a changed character in a block is found.
        const string source = "class C {\n    void M() {\n        // api.md: a\n        int x = 1;\n        // end\n    }\n}\n";
        var regions = Regions(source);
        Assert.Equal("int x = 1;", Assert.Single(regions).Code);
        Assert.Equal(["int x = 1;"], CsharpBlocks("text\n```csharp\nint x = 1;\n```\n"));
        Assert.NotEqual(regions[0].Code, CsharpBlocks("```csharp\nint x = 2;\n```\n")[0]);
    }
}
