namespace Davies.Tests;

/// <summary>
/// The house rules of the source layout (issue 12): no file in src/ over 500 lines (split along physics), the generator
/// itself under 300, and the jump operators a type of their own.
/// </summary>
public class LayoutTests
{
    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Davies.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Davies.slnx) not found");
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.GetFiles(Path.Combine(Root(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    [Fact]
    public void NoSourceFile_IsLongerThan500Lines()
    {
        var tooLong = SourceFiles().Select(f => (File: Path.GetRelativePath(Root(), f), Lines: File.ReadLines(f).Count()))
            .Where(x => x.Lines > 500).ToList();
        Assert.True(tooLong.Count == 0, "over 500 lines: " + string.Join(", ", tooLong.Select(x => $"{x.File} ({x.Lines})")));
    }

    [Fact]
    public void TheDaviesGenerator_StaysUnder300Lines_AndTheJumpOperatorsHaveTheirOwnType()
    {
        int lines = File.ReadLines(Path.Combine(Root(), "src", "Davies", "Generators", "DaviesGenerator.cs")).Count();
        Assert.True(lines < 300, $"DaviesGenerator.cs has {lines} lines");
        Assert.Contains("public sealed class JumpOperators", File.ReadAllText(Path.Combine(Root(), "src", "Davies", "Spectral", "JumpOperators.cs")));
    }
}
