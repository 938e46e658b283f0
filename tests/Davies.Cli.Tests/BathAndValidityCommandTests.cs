using System.Globalization;
using System.Text.Json;

namespace Davies.Cli.Tests;

/// <summary>`davies bath` end to end, and the validity report of steady, spectrum and evolve (docs/validity.md).</summary>
public class BathAndValidityCommandTests
{
    private static string Example(string name) => Path.Combine(CliRunner.Examples, name);

    private const string MixedBaths = """
        sites: [2]
        hamiltonian: [[0.5, "Z0"]]
        baths:
          - {name: dl, temperature: 0.5, spectrum: {type: drude, lambda: 0.05, gamma: 1}, couplings: ["X0"]}
          - {name: sub, temperature: 0.5, spectrum: {type: ohmic, eta: 0.01, cutoff: 5, exponent: 0.5}, couplings: ["X0"]}
          - {name: met, temperature: 0.5, spectrum: {type: metropolis, rate: 0.01}, couplings: ["X0"]}
        """;

    private static void AssertOneLineError(CliRun r, string fragment)
    {
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("davies: error: ", line);
        Assert.Contains(fragment, line);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Bath_Json_HasContractKeys_AndTheLibraryValues()
    {
        var r = CliRunner.Run("bath", Example("qubit.yaml"), "--times", "0:2:5", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal("", r.Err);
        var root = JsonDocument.Parse(r.Out).RootElement;
        var times = root.GetProperty("times").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal([0, 0.5, 1, 1.5, 2], times);
        var bath = root.GetProperty("baths").GetProperty("bath");
        foreach (var key in new[] { "re", "im", "correlation_time", "integral_abs", "integrable", "c0", "note", "method", "temperature" })
            Assert.True(bath.TryGetProperty(key, out _), $"missing key {key}");
        var rates = Davies.Models.ModelFile.Load(Example("qubit.yaml")).Baths[0].Rates;
        for (int i = 0; i < times.Length; i++)
        {
            var c = Davies.Baths.BathCorrelations.At(rates, times[i]);
            Assert.Equal(c.Real, bath.GetProperty("re")[i].GetDouble());
            Assert.Equal(c.Imaginary, bath.GetProperty("im")[i].GetDouble());
        }
        Assert.True(bath.GetProperty("integrable").GetBoolean());
        Assert.Equal(Davies.Baths.BathCorrelations.Memory(rates).CorrelationTime, bath.GetProperty("correlation_time").GetDouble());
        Assert.True(bath.GetProperty("integral_abs").GetDouble() > 0);
    }

    [Fact]
    public void Bath_MixedBaths_ReportInfiniteC0_LongMemory_AndSkipPhenomenological()
    {
        var path = CliRunner.TempModel(MixedBaths);
        try
        {
            var r = CliRunner.Run("bath", path, "--times", "0,1", "--json");
            Assert.True(r.ExitCode == 0, r.Err);
            var baths = JsonDocument.Parse(r.Out).RootElement.GetProperty("baths");
            var dl = baths.GetProperty("dl");
            Assert.Equal(JsonValueKind.Null, dl.GetProperty("re")[0].ValueKind); // C(0) = ∞
            Assert.Equal(JsonValueKind.Null, dl.GetProperty("c0").ValueKind);
            Assert.Contains("C(0)", dl.GetProperty("note").GetString());
            Assert.True(dl.GetProperty("correlation_time").GetDouble() > 0);
            var sub = baths.GetProperty("sub");
            Assert.False(sub.GetProperty("integrable").GetBoolean());
            Assert.Equal(JsonValueKind.Null, sub.GetProperty("correlation_time").ValueKind);
            Assert.Equal(JsonValueKind.Null, sub.GetProperty("integral_abs").ValueKind);
            Assert.Contains("long memory", sub.GetProperty("note").GetString());
            var met = baths.GetProperty("met");
            Assert.Equal(JsonValueKind.Null, met.GetProperty("re").ValueKind);
            Assert.Equal(JsonValueKind.Null, met.GetProperty("integrable").ValueKind);
            Assert.Contains("no microscopic C(t)", met.GetProperty("note").GetString());
            Assert.Contains("bath 'met'", Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
            Assert.Equal("", CliRunner.Run("bath", path, "--times", "0,1", "--json", "--quiet").Err);

            var csv = CliRunner.Run("bath", path, "--times", "0,1", "--csv", "-q");
            var lines = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
            Assert.Equal("t,dl.re,dl.im,sub.re,sub.im", lines[0]);
            Assert.StartsWith("0,inf,0,", lines[1]);
            Assert.Equal(3, lines.Length);

            var text = CliRunner.Run("bath", path, "--times", "0,1", "--bath", "sub");
            Assert.True(text.ExitCode == 0, text.Err);
            Assert.Contains("long memory", text.Out);
            Assert.DoesNotContain("dl", text.Out.Replace("Bath correlation functions", ""));
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("--bath", "nope", "--bath 'nope': no such bath")]
    [InlineData("--times", "0:1", "--times '0:1'")]
    [InlineData("--times", "a,b", "--times 'a,b'")]
    [InlineData("--times", "-1,2", "times must be ≥ 0")]
    public void Bath_BadInput_OneLine_ExitTwo(string flag, string value, string fragment)
    {
        var args = new List<string> { "bath", Example("qubit.yaml") };
        if (flag != "--times") args.AddRange(["--times", "0,1"]);
        args.AddRange([flag, value]);
        AssertOneLineError(CliRunner.Run(args.ToArray()), fragment);
    }

    [Fact]
    public void Bath_JsonAndCsv_Together_IsBadInput() =>
        AssertOneLineError(CliRunner.Run("bath", Example("qubit.yaml"), "--times", "0,1", "--json", "--csv"), "choose one");

    [Fact]
    public void Bath_Plot_WritesTheFile()
    {
        string png = Path.Combine(Path.GetTempPath(), $"davies-bath-{Guid.NewGuid():N}.png");
        try
        {
            var r = CliRunner.Run("bath", Example("qubit.yaml"), "--times", "0:3:61", "--plot", png);
            Assert.True(r.ExitCode == 0, r.Err);
            Assert.True(new FileInfo(png).Length > 1000);
            AssertOneLineError(CliRunner.Run("bath", Example("qubit.yaml"), "--times", "0,1", "--plot", "x.gif"), "--plot 'x.gif'");
        }
        finally { File.Delete(png); }
    }

    [Theory]
    [InlineData("steady")]
    [InlineData("spectrum")]
    [InlineData("evolve")]
    public void QubitExample_PassesEveryCriterion_InEveryCommand(string command)
    {
        var args = new List<string> { command, Example("qubit.yaml"), "--json" };
        if (command == "evolve") args.AddRange(["--initial", "0", "--times", "0,1"]);
        var r = CliRunner.Run(args.ToArray());
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal("", r.Err);
        var validity = JsonDocument.Parse(r.Out).RootElement.GetProperty("validity");
        foreach (var name in new[] { "markov", "secular", "weak_coupling", "memory" })
        {
            var c = validity.GetProperty(name);
            Assert.True(c.GetProperty("ok").GetBoolean(), $"{name}: {c}");
            foreach (var key in new[] { "value", "threshold", "ok", "detail" }) Assert.True(c.TryGetProperty(key, out _), $"{name}.{key}");
            Assert.True(c.GetProperty("value").GetDouble() <= c.GetProperty("threshold").GetDouble());
        }
        args.Remove("--json");
        var text = CliRunner.Run(args.ToArray());
        foreach (var name in new[] { "markov", "secular", "weak_coupling", "memory" }) Assert.Contains(name, text.Out);
    }

    [Theory]
    [InlineData("steady")]
    [InlineData("spectrum")]
    [InlineData("evolve")]
    public void FailedCriteria_WarnOnceEach_QuietSilencesOnlyTheLines(string command)
    {
        var path = CliRunner.TempModel(MixedBaths);
        try
        {
            var args = new List<string> { command, path, "--json" };
            if (command == "evolve") args.AddRange(["--initial", "0", "--times", "0,1"]);
            var r = CliRunner.Run(args.ToArray());
            Assert.True(r.ExitCode == 0, r.Err);
            var validity = JsonDocument.Parse(r.Out).RootElement.GetProperty("validity");
            var failed = new[] { "markov", "secular", "weak_coupling", "memory" }.Where(n => !validity.GetProperty(n).GetProperty("ok").GetBoolean()).ToArray();
            Assert.Contains("memory", failed);
            Assert.Contains("markov", failed);
            Assert.Equal(JsonValueKind.Null, validity.GetProperty("markov").GetProperty("value").ValueKind); // τ_B = ∞
            var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("davies: warning: validity: ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(failed.Length, lines.Length);
            foreach (var n in failed) Assert.Single(lines, l => l.StartsWith($"davies: warning: validity: {n} = ", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("'sub'") && l.Contains("another bath"));
            args.Add("--quiet");
            var q = CliRunner.Run(args.ToArray());
            Assert.Equal("", q.Err);
            Assert.Equal(validity.ToString(), JsonDocument.Parse(q.Out).RootElement.GetProperty("validity").ToString());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SecularFailure_NamesTheFrequencies_AndSuggestsBlochRedfield()
    {
        var path = CliRunner.TempModel("""
            sites: [2, 2]
            hamiltonian: [[0.5, "Z0"], [0.51, "Z1"]]
            baths:
              - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.002, cutoff: 10}, couplings: [[[1, "X0"], [1, "X1"]]]}
            """);
        try
        {
            var r = CliRunner.Run("steady", path, "--json");
            Assert.True(r.ExitCode == 0, r.Err);
            var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("validity: secular"));
            Assert.Contains("ω = 1 and 1.02", line);
            Assert.Contains("secular: none", line);
            var secular = JsonDocument.Parse(r.Out).RootElement.GetProperty("validity").GetProperty("secular");
            Assert.False(secular.GetProperty("ok").GetBoolean());
            Assert.True(secular.GetProperty("value").GetDouble() > secular.GetProperty("threshold").GetDouble());
            Assert.Equal(0.1, secular.GetProperty("threshold").GetDouble(), 15);
            Assert.True(double.Parse(secular.GetProperty("value").GetRawText(), CultureInfo.InvariantCulture) > 0.1);
        }
        finally { File.Delete(path); }
    }
}
