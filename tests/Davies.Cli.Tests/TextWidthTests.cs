using System.Text.RegularExpressions;

namespace Davies.Cli.Tests;

/// <summary>
/// The readable output's width: on a terminal, the terminal's width (tables fit in it); into a file or a pipe, no
/// wrapping at all (every table row one line), and the model's declared observables are shown by `steady` without
/// --observe.
/// </summary>
public class TextWidthTests
{
    private static string Ising => Path.Combine(CliRunner.Examples, "ising_chain.yaml");

    private const string LongCell = "ohmic(eta=0.01, cutoff=5, exponent=1) at T=1";

    private static void AssertUnwrapped(string output)
    {
        var lines = output.Split('\n');
        // The bath table: each bath's row is one line with its whole rate description (it wrapped at 80 columns before).
        foreach (var bath in new[] { "site0", "site1", "site2", "site3" })
            Assert.Contains(lines, l => l.Contains($"│ {bath} ") && l.Contains(LongCell));
        // Validity details are long sentences: not wrapped either.
        Assert.True(lines.Max(l => l.Length) > 120, "no line longer than 120 characters: the output was wrapped");
        // Every table row has as many column separators as the table's header: no continuation rows.
        Assert.DoesNotContain(lines, l => Regex.IsMatch(l, @"^│\s+│"));
    }

    [Fact]
    public void Steady_IntoAWriter_DoesNotWrapTables()
    {
        var r = CliRunner.Run("steady", Ising, "--verbose", "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        AssertUnwrapped(r.Out);
    }

    [Fact]
    public void Steady_IntoAPipe_DoesNotWrapTables()
    {
        var r = CliRunner.RunProcess("", "steady", Ising, "--verbose", "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        AssertUnwrapped(r.Out);
    }

    [Fact]
    public void Steady_ShowsTheDeclaredObservables_WithoutObserve()
    {
        var r = CliRunner.Run("steady", Ising, "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        var lines = r.Out.Split('\n');
        // The Ising chain declares mx and zz_bulk; their values come from the library's steady state.
        var model = Davies.Models.ModelFile.Load(Ising);
        var ss = Davies.Solvers.SteadyState.Solve(model);
        foreach (var name in new[] { "mx", "zz_bulk" })
        {
            var row = lines.SingleOrDefault(l => Regex.IsMatch(l, $@"^│ {name}\s+│"));
            Assert.True(row is not null, $"no row for the declared observable {name}:\n{r.Out}");
            double shown = double.Parse(row!.Split('│', StringSplitOptions.TrimEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(ss.Expectation(model.Observables[name]), shown, 5);
        }
    }

    /// <summary>Runs davies on a pseudo-terminal of the given width (util-linux `script`); the output without ANSI escapes.</summary>
    private static string OnTerminal(int columns, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "davies.dll");
        string command = $"stty cols {columns}; exec {Quote(ExternalProcess.Dotnet)} {Quote(dll)} {string.Join(" ", args.Select(Quote))}";
        var r = ExternalProcess.Run("script", ["-qec", command, "/dev/null"], TimeSpan.FromMinutes(2));
        Assert.True(r.ExitCode == 0, $"script failed ({r.ExitCode}):\n{r.Out}\n{r.Err}");
        return Regex.Replace(r.Out, @"\x1b(\[[0-9;?]*[A-Za-z]|[=>])", "").Replace("\r", "");
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    [SkippableTheory]
    [InlineData(90)]
    [InlineData(140)]
    public void Steady_OnATerminal_FitsItsWidth(int columns)
    {
        Skip.If(ExternalProcess.Which("script") is null, "util-linux `script` (a pseudo-terminal) is not installed");
        var text = OnTerminal(columns, "steady", Ising, "--verbose", "--quiet");
        var lines = text.Split('\n').Where(l => l.Length > 0).ToList();
        Assert.Contains(lines, l => l.StartsWith("┌")); // tables were drawn
        Assert.True(lines.All(l => l.Length <= columns), $"a line is wider than the terminal ({columns}):\n{string.Join("\n", lines.Where(l => l.Length > columns))}");
        // The width is used, not a fixed 80 columns: some table reaches past 80 on a wider terminal.
        Assert.Contains(lines, l => l.Length > 80);
    }
}
