using System.Globalization;
using System.Text.Json;
using Davies.Models;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Cli.Tests;

/// <summary>
/// Output failures through a real process: a closed or full stdout is exit 74 with one "davies: cannot write
/// output: …" line; a closed stderr never turns an exit code into an abort.
/// </summary>
public class OutputFailureTests
{
    private static string Qubit => Path.Combine(CliRunner.Examples, "qubit.yaml");

    public static TheoryData<string[]> Commands => new()
    {
        new[] { "steady", Qubit },
        new[] { "steady", Qubit, "--json" },
        new[] { "evolve", Qubit, "--initial", "0", "--times", "0,1", "--csv" },
        new[] { "evolve", Qubit, "--initial", "0", "--times", "0,1" },
        new[] { "spectrum", Qubit, "--json" },
        new[] { "bath", Qubit, "--times", "0,1", "--json" },
        new[] { "bath", Qubit, "--times", "0,1", "--csv" },
        new[] { "--help" },
    };

    private static string[] WithQuiet(string[] args) => args[0] == "--help" ? args : [.. args, "--quiet"];

    private static void AssertOutputError(CliRun r, string cause)
    {
        Assert.True(r.ExitCode == CliApp.OutputError, $"exit {r.ExitCode}, stderr: {r.Err}");
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{r.Err}");
        Assert.StartsWith("davies: cannot write output: ", lines[0]);
        Assert.Contains(cause, lines[0]);
        Assert.DoesNotContain("internal error", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void ClosedStdout_Exits74(string[] args) =>
        AssertOutputError(CliRunner.RunProcess(">&-", WithQuiet(args)), "stdout");

    [Theory]
    [MemberData(nameof(Commands))]
    public void FullStdout_Exits74(string[] args)
    {
        Assert.True(File.Exists("/dev/full"), "the test needs /dev/full (Linux)");
        AssertOutputError(CliRunner.RunProcess(">/dev/full", WithQuiet(args)), "No space left on device");
    }

    [Fact]
    public void ClosedStderr_WithBadInput_StillExits2()
    {
        var r = CliRunner.RunProcess("2>&-", "steady", "/nonexistent/model.yaml");
        Assert.Equal(CliApp.BadInput, r.ExitCode);
        Assert.Equal("", r.Out);
        var flag = CliRunner.RunProcess("2>&-", "evolve", Qubit, "--initial", "0", "--times", "0,-1");
        Assert.Equal(CliApp.BadInput, flag.ExitCode);
        var parse = CliRunner.RunProcess("2>&-", "steady", Qubit, "--bogus");
        Assert.Equal(CliApp.BadInput, parse.ExitCode);
    }

    [Fact]
    public void ClosedStderr_WithGoodInput_Succeeds()
    {
        var r = CliRunner.RunProcess("2>&-", "steady", Qubit, "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.True(JsonDocument.Parse(r.Out).RootElement.GetProperty("unique").GetBoolean());
    }

    private sealed class FailingWriter(Exception failure) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw failure;

        public override void Write(string? value) => throw failure;

        public override void WriteLine(string? value) => throw failure;
    }

    [Fact]
    public void InProcess_FailingWriters_GiveTheExitCodesAndOneLine()
    {
        var err = new StringWriter();
        int code = CliApp.Run(["steady", Qubit, "--json", "--quiet"], new FailingWriter(new IOException("No space left on device")), err);
        Assert.Equal(74, code);
        Assert.Equal("davies: cannot write output: stdout: No space left on device", err.ToString().TrimEnd());
        // stderr failing as well: still 74, and still 2 for bad input
        Assert.Equal(74, CliApp.Run(["steady", Qubit, "--quiet"], new FailingWriter(new IOException("Broken pipe")), new FailingWriter(new IOException("x"))));
        Assert.Equal(2, CliApp.Run(["steady", "/nonexistent/model.yaml"], TextWriter.Null, new FailingWriter(new UnauthorizedAccessException())));
    }

    [Fact]
    public void Help_DocumentsExitCode74()
    {
        Assert.Contains("74 cannot write output", CliRunner.Run("--help").Out);
        foreach (var command in new[] { "steady", "evolve", "spectrum", "bath" })
            Assert.Contains("74 cannot write output", CliRunner.Run(command, "--help").Out);
    }
}
