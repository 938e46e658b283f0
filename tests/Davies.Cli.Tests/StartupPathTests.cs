using Davies.Diagnostics;
using Davies.Models;
using Davies.Spectral;

namespace Davies.Cli.Tests;

/// <summary>
/// The start-up shortcuts of the command line (docs/benchmarks.md, "Whole-process time, third pass"): only the invoked
/// command is built, and the steady state's model checks run beside the solve on small models. Neither may change what
/// is printed.
/// </summary>
public class StartupPathTests
{
    [Fact]
    public void VerbsFor_ACommandFirst_BuildsOnlyThatCommand()
    {
        foreach (var (name, _) in CliApp.Verbs)
        {
            var chosen = CliApp.VerbsFor([name, "model.yaml", "--json"]).ToArray();
            Assert.Equal([name], chosen.Select(v => v.Name).ToArray());
        }
    }

    [Theory]
    [InlineData()]
    [InlineData("--help")]
    [InlineData("--version")]
    [InlineData("stedy", "model.yaml")]
    [InlineData("Steady")]
    [InlineData("model.yaml", "steady")]
    public void VerbsFor_NoCommandFirst_BuildsThemAll(params string[] args) =>
        Assert.Equal(CliApp.Verbs.Select(v => v.Name), CliApp.VerbsFor(args).Select(v => v.Name));

    [Fact]
    public void RootHelp_ListsEveryCommand()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var (name, _) in CliApp.Verbs) Assert.Contains(name, r.Out);
    }

    [Fact]
    public void MisspeltCommand_IsBadInput_NamingIt()
    {
        var r = CliRunner.Run("stedy", Path.Combine(CliRunner.Examples, "qubit.yaml"));
        Assert.Equal(CliApp.BadInput, r.ExitCode);
        Assert.Contains("stedy", r.Err);
    }

    [Theory]
    [InlineData("steady")]
    [InlineData("evolve")]
    [InlineData("spectrum")]
    [InlineData("bath")]
    [InlineData("eth")]
    [InlineData("report")]
    [InlineData("sweep")]
    public void CommandHelp_WithOnlyThatCommandBuilt_IsItsUsage(string verb)
    {
        var r = CliRunner.Run(verb, "--help");
        Assert.Equal(0, r.ExitCode);
        int usage = r.Out.IndexOf("Usage:", StringComparison.Ordinal);
        Assert.True(usage >= 0, r.Out);
        Assert.Contains($" {verb} ", r.Out[usage..]); // "<tool> VERB [options]": the executable's name varies
        Assert.Contains("--help", r.Out);
    }

    [Theory]
    [InlineData("eth/chaotic_n6.yaml")]
    [InlineData("eth/integrable_n6.yaml")]
    [InlineData("../bench/qutip/chain7.yaml")]
    public void ModelChecks_BesideTheSolve_EqualThoseAfterIt(string example)
    {
        var m = ModelFile.Load(Path.GetFullPath(Path.Combine(CliRunner.Examples, example)));
        var dm = EnergyBasisModel.Build(m);
        Assert.InRange(dm.Dimension, SteadyReport.OverlapFrom, SteadyReport.OverlapBelow - 1);
        var sequential = new SteadyReport(dm, [], null, false, null, CancellationToken.None);
        _ = sequential.Result;
        var overlapped = new SteadyReport(dm, [], null, false, null, CancellationToken.None);
        overlapped.StartModelChecks();
        _ = overlapped.Result;
        Assert.Equal(sequential.Result.Residual, overlapped.Result.Residual);
        Assert.Equal(Describe(sequential.Checks), Describe(overlapped.Checks));
        Assert.Equal(Describe(sequential.Validity), Describe(overlapped.Validity));
    }

    [Fact]
    public void PrefetchWhileLoading_RunsEveryWork_EvenAfterOneFails()
    {
        using var done = new CountdownEvent(3);
        Action ok = () => done.Signal();
        Action fails = () => throw new InvalidOperationException("dropped: the stage that needs it recomputes it");
        CliContext.PrefetchWhileLoading([ok, ok, ok]);
        Assert.True(done.Wait(TimeSpan.FromMinutes(1)), "the works did not all run");
        using var after = new CountdownEvent(1);
        CliContext.PrefetchWhileLoading([fails, () => after.Signal()]);
        Assert.True(after.Wait(TimeSpan.FromMinutes(1)), "a failing work kept the next one from running");
    }

    private static string[] Describe(IReadOnlyList<GeneratorCheck> checks) =>
        checks.Select(c => $"{c.Name} {c.Passed} {c.Value:R} {c.Detail}").ToArray();

    private static string Describe(ValidityReport v) => v.ToString(); // records: every criterion, doubles round-trip
}
