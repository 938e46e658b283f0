using System.Text.RegularExpressions;

namespace Davies.Cli.Tests;

/// <summary>The README's front-door commands and links stay true to the repository.</summary>
public class ReadmeTests
{
    private static string Root => Path.GetDirectoryName(CliRunner.Examples)!;

    private static string Readme => File.ReadAllText(Path.Combine(Root, "README.md"));

    [Fact]
    public void QuickStart_SteadyCommand_RunsOnTheShippedExample()
    {
        var m = Regex.Match(Readme, @"dotnet run --project src/Davies\.Cli -- steady (\S+)");
        Assert.True(m.Success, "README has no 'dotnet run --project src/Davies.Cli -- steady FILE' command");
        Assert.True(File.Exists(Path.Combine(Root, "src/Davies.Cli/Davies.Cli.csproj")));
        var r = CliRunner.Run("steady", Path.Combine(Root, m.Groups[1].Value));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("unique steady state", r.Out);
    }

    [Fact]
    public void QuickStart_TestCommand_IsWhatCiRuns()
    {
        var m = Regex.Match(Readme, @"^(dotnet test [^#\n]*?)\s*# the tests", RegexOptions.Multiline);
        Assert.True(m.Success, "README has no test command");
        var ci = File.ReadAllText(Path.Combine(Root, ".ci", "run"));
        // the same command, not one with more options: only redirections or a pipe may follow it
        Assert.Matches(new Regex("^" + Regex.Escape(m.Groups[1].Value) + @"(\s+2>&1|\s*\||\s*$)", RegexOptions.Multiline), ci);
    }

    [Fact]
    public void LinksToDocs_Exist_IncludingTheModelFileReference()
    {
        var links = Regex.Matches(Readme, @"\]\((docs/[^)#]+)").Select(x => x.Groups[1].Value).ToArray();
        Assert.Contains("docs/model-file.md", links);
        foreach (var link in links) Assert.True(File.Exists(Path.Combine(Root, link)), $"README links to missing {link}");
    }
}
