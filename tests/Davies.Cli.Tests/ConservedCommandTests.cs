using System.Text.Json;

namespace Davies.Cli.Tests;

/// <summary>
/// `davies steady`: the conserved quantities and invariant subspaces (JSON and text), and `--initial STATE`, whose limit
/// equals `davies evolve` at long times and depends on the sector the state starts in.
/// </summary>
public class ConservedCommandTests
{
    private const string CollectivePair = """
        sites: [2, 2]
        hamiltonian: [[0.5, "Z0"], [0.5, "Z1"]]
        baths:
          - name: b
            temperature: 1
            spectrum: {type: ohmic, eta: 0.05, cutoff: 5}
            couplings:
              - [[1, "X0"], [1, "X1"]]
        """;

    // transverse-field Ising chain with σx couplings (each its own bath): the parity X0 X1 X2 is conserved
    private const string ParityChain = """
        sites: [2, 2, 2]
        hamiltonian: [[-1, "Z0 Z1"], [-1, "Z1 Z2"], [-0.7, "X0"], [-0.7, "X1"], [-0.7, "X2"]]
        baths:
          - {name: s0, temperature: 1, spectrum: {type: ohmic, eta: 0.1, cutoff: 5}, couplings: ["X0"]}
          - {name: s1, temperature: 1, spectrum: {type: ohmic, eta: 0.1, cutoff: 5}, couplings: ["X1"]}
          - {name: s2, temperature: 1, spectrum: {type: ohmic, eta: 0.1, cutoff: 5}, couplings: ["X2"]}
        observables:
          z0: "Z0"
          zz: "Z0 Z1"
          xx: "X0 X1"
          parity: "X0 X1 X2"
        """;

    private static JsonElement Json(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, r.Err);
        return JsonDocument.Parse(r.Out).RootElement.Clone();
    }

    [Fact]
    public void CollectiveCoupling_Json_ReportsTheSwapSymmetry_AndTripletAndSinglet()
    {
        var root = Json("steady", CliRunner.TempModel(CollectivePair), "--json");
        Assert.Equal(2, root.GetProperty("conserved_count").GetInt64());
        Assert.True(root.GetProperty("conserved_canonical").GetBoolean());
        var conserved = root.GetProperty("conserved");
        Assert.Equal(2, conserved.GetArrayLength());
        Assert.Equal("I", conserved[0].GetProperty("operator")[0].GetProperty("term").GetString());
        var swap = conserved[1].GetProperty("operator").EnumerateArray()
            .ToDictionary(t => t.GetProperty("term").GetString()!, t => t.GetProperty("coefficient").GetDouble());
        Assert.Equal(new Dictionary<string, double> { ["X0 X1"] = 1, ["Y0 Y1"] = 1, ["Z0 Z1"] = 1 }, swap);
        Assert.Equal(0, conserved[1].GetProperty("expectation").GetDouble(), 10);
        var subspaces = root.GetProperty("invariant_subspaces").EnumerateArray().ToArray();
        Assert.Equal([3, 1], subspaces.Select(s => s.GetProperty("dimension").GetInt32()));
        Assert.Equal([0.75, 0.25], subspaces.Select(s => Math.Round(s.GetProperty("weight").GetDouble(), 10)));
        Assert.All(subspaces, s => Assert.True(s.GetProperty("gibbs_trace_distance").GetDouble() < 1e-9));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("initial_state").ValueKind);
        Assert.True(root.GetProperty("coherent_kernel_excluded").GetBoolean());
    }

    [Fact]
    public void CollectiveCoupling_Text_ExplainsWhyTheSteadyStateIsNotUnique()
    {
        var r = CliRunner.Run("steady", CliRunner.TempModel(CollectivePair));
        Assert.True(r.ExitCode == 0, r.Err);
        foreach (var text in new[] { "NOT unique", "conserved quantities L†(X) = 0: 2", "X0 X1 + Y0 Y1 + Z0 Z1", "invariant" })
            Assert.True(r.Out.Contains(text), $"'{text}' not in:\n{r.Out}");
    }

    [Fact]
    public void UniqueSteadyState_ReportsOnlyTheIdentity()
    {
        var root = Json("steady", Path.Combine(CliRunner.Examples, "qubit.yaml"), "--json");
        var q = Assert.Single(root.GetProperty("conserved").EnumerateArray());
        Assert.Equal("I", q.GetProperty("expression").GetString());
        Assert.Equal(1, root.GetProperty("conserved_count").GetInt64());
        Assert.Equal(2, Assert.Single(root.GetProperty("invariant_subspaces").EnumerateArray()).GetProperty("dimension").GetInt32());
    }

    [Fact]
    public void ParityChain_ReportsTheParity()
    {
        var root = Json("steady", CliRunner.TempModel(ParityChain), "--json");
        Assert.Equal(["I", "X0 X1 X2"], root.GetProperty("conserved").EnumerateArray().Select(q => q.GetProperty("expression").GetString()));
        Assert.Equal(2, root.GetProperty("kernel_dimension").GetInt32());
    }

    [Theory]
    [InlineData("level:0")]
    [InlineData("level:1")]
    [InlineData("010")]
    public void Initial_LimitEqualsEvolveAtLongTimes(string state)
    {
        var path = CliRunner.TempModel(ParityChain);
        var steady = Json("steady", path, "--initial", state, "--json");
        var evolve = Json("evolve", path, "--initial", state, "--times", "0,4000", "--json");
        Assert.Equal(state, steady.GetProperty("initial_state").GetString());
        foreach (var name in new[] { "z0", "zz", "xx", "parity" })
        {
            double s = steady.GetProperty("expectations").GetProperty(name).GetDouble();
            double e = evolve.GetProperty("expectations").GetProperty(name)[1].GetDouble();
            Assert.True(Math.Abs(s - e) <= 1e-8, $"{state} {name}: steady {s}, evolve {e}");
        }
        // the parity keeps its initial value, which the conserved list reports
        double p0 = evolve.GetProperty("expectations").GetProperty("parity")[0].GetDouble();
        Assert.Equal(p0, steady.GetProperty("expectations").GetProperty("parity").GetDouble(), 10);
        Assert.Equal(p0, steady.GetProperty("conserved")[1].GetProperty("expectation").GetDouble(), 10);
    }

    [Fact]
    public void Initial_LimitsDifferBetweenSectors()
    {
        var path = CliRunner.TempModel(ParityChain);
        var even = Json("steady", path, "--initial", "level:0", "--json");
        var odd = Json("steady", path, "--initial", "level:1", "--json");
        double pe = even.GetProperty("expectations").GetProperty("parity").GetDouble();
        double po = odd.GetProperty("expectations").GetProperty("parity").GetDouble();
        Assert.Equal(1, Math.Abs(pe), 8);
        Assert.Equal(-pe, po, 8);
        Assert.NotEqual(even.GetProperty("expectations").GetProperty("xx").GetDouble(), odd.GetProperty("expectations").GetProperty("xx").GetDouble(), 4);
        // the weights of the two parity subspaces follow the start
        var we = even.GetProperty("invariant_subspaces").EnumerateArray().Select(s => Math.Round(s.GetProperty("weight").GetDouble(), 8)).ToArray();
        var wo = odd.GetProperty("invariant_subspaces").EnumerateArray().Select(s => Math.Round(s.GetProperty("weight").GetDouble(), 8)).ToArray();
        Assert.Equal(we.Reverse(), wo);
        Assert.Equal([0.0, 1.0], we.Order());
    }

    [Fact]
    public void Initial_InTheTriplet_AndHalfInTheSinglet()
    {
        var path = CliRunner.TempModel(CollectivePair);
        var from00 = Json("steady", path, "--initial", "00", "--json");
        var from01 = Json("steady", path, "--initial", "01", "--json", "--observe", "Z0 Z1");
        double Singlet(JsonElement r) => r.GetProperty("invariant_subspaces")[1].GetProperty("weight").GetDouble();
        Assert.Equal(0, Singlet(from00), 10);
        Assert.Equal(0.5, Singlet(from01), 10);
        var evolve = Json("evolve", path, "--initial", "01", "--times", "3000", "--json", "--observe", "Z0 Z1");
        Assert.Equal(evolve.GetProperty("expectations").GetProperty("Z0 Z1")[0].GetDouble(),
            from01.GetProperty("expectations").GetProperty("Z0 Z1").GetDouble(), 8);
    }

    [Fact]
    public void Initial_FromAJsonDensityMatrix_TheSinglet_StaysInTheSinglet()
    {
        var state = CliRunner.TempModel("""{"matrix": [[0, 0, 0, 0], [0, 0.5, -0.5, 0], [0, -0.5, 0.5, 0], [0, 0, 0, 0]]}""", ".json");
        var root = Json("steady", CliRunner.TempModel(CollectivePair), "--initial", state, "--json", "--observe", "Z0 Z1", "--observe", "X0 X1");
        Assert.Equal(1, root.GetProperty("invariant_subspaces")[1].GetProperty("weight").GetDouble(), 10);
        Assert.Equal(-1, root.GetProperty("expectations").GetProperty("Z0 Z1").GetDouble(), 10);
        Assert.Equal(-1, root.GetProperty("expectations").GetProperty("X0 X1").GetDouble(), 10);
        Assert.Equal(-3, root.GetProperty("conserved")[1].GetProperty("expectation").GetDouble(), 10); // 2 SWAP − 1 = −3 on the singlet
    }

    [Theory]
    [InlineData("2")]
    [InlineData("level:9")]
    [InlineData("nonsense")]
    public void Initial_BadState_IsOneMessage_Exit2(string state)
    {
        var r = CliRunner.Run("steady", CliRunner.TempModel(CollectivePair), "--initial", state);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("davies: error: --initial", r.Err);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.Equal("", r.Out);
    }
}
