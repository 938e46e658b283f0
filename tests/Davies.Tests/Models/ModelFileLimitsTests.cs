using Davies.Models;

namespace Davies.Tests.Models;

/// <summary>Resource limits of the model-file reader: nesting depth, alias expansion, file size.</summary>
public class ModelFileLimitsTests
{
    private const string Valid = """
        sites: [2]
        hamiltonian: "Z0"
        baths:
          - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.01, cutoff: 5}, couplings: ["X0"]}

        """;

    private static OpenSystemModel Yaml(string text) => ModelFile.Parse(text, ModelFileFormat.Yaml, "limits.yaml");

    /// <summary>A "billion laughs" document: lol9 expands to 10^9 scalars, under the given top-level key.</summary>
    internal static string AliasBomb(string key, string indent = "")
    {
        var lines = new List<string> { $"{indent}{key}0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        for (int i = 1; i < 10; i++)
            lines.Add($"{indent}{key}{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10)) + "]");
        return string.Join("\n", lines) + "\n";
    }

    [Fact]
    public void DeepYamlNesting_IsRejected_WithoutOverflowingTheStack()
    {
        var ex = Assert.Throws<ModelFileException>(() => Yaml("sites: " + new string('[', 100_000)));
        Assert.StartsWith("limits.yaml: line 1, column", ex.Message);
        Assert.Contains("nested more than 64 levels", ex.Message);
    }

    [Fact]
    public void DeepJsonNesting_IsRejected()
    {
        var ex = Assert.Throws<ModelFileException>(() => ModelFile.Parse("{\"sites\": " + new string('[', 100_000), ModelFileFormat.Json, "limits.json"));
        Assert.StartsWith("limits.json: line 1", ex.Message);
        Assert.Contains("depth of 64", ex.Message);
    }

    [Fact]
    public void NestingOf64Levels_IsNotADepthError()
    {
        // 63 lists inside the top-level mapping: 64 levels, the limit; the schema (not the depth check) rejects it.
        var ex = Assert.Throws<ModelFileException>(() => Yaml(Valid + "observables: " + new string('[', 63) + new string(']', 63)));
        Assert.DoesNotContain("nested", ex.Message);
        var deeper = Assert.Throws<ModelFileException>(() => Yaml(Valid + "observables: " + new string('[', 64) + new string(']', 64)));
        Assert.Contains("nested more than 64 levels", deeper.Message);
    }

    [Fact]
    public void AnAliasCountsTheDepthOfItsAnchor()
    {
        // The anchored list is 40 levels deep and fine where it is defined; used 30 levels down it would be 70.
        string anchored = "x: &deep " + new string('[', 40) + new string(']', 40);
        string use = new string('[', 30) + "*deep" + new string(']', 30);
        var ex = Assert.Throws<ModelFileException>(() => Yaml(Valid + "observables: {" + anchored + ", y: " + use + "}"));
        Assert.Contains("nested more than 64 levels", ex.Message);
    }

    [Fact]
    public void AliasBomb_UnderUnknownTopLevelKeys_ReportsTheUnknownKey()
    {
        var ex = Assert.Throws<ModelFileException>(() => Yaml(AliasBomb("lol") + Valid));
        Assert.Equal("limits.yaml: lol0 (line 1): unknown key 'lol0'; allowed keys here: parameters, sites, hamiltonian, baths, observables, options, machine, symmetries", ex.Message);
    }

    [Fact]
    public void AliasBomb_UnderAKnownKey_HitsTheAliasLimit()
    {
        var ex = Assert.Throws<ModelFileException>(() => Yaml(Valid + "observables:\n" + AliasBomb("o", "  ")));
        Assert.StartsWith("limits.yaml: line ", ex.Message);
        Assert.Contains("aliases expand to more than 1,000,000 nodes", ex.Message);
    }

    [Fact]
    public void Aliases_StillWork_AndAreShared()
    {
        var model = Yaml("""
            sites: [2, 2]
            hamiltonian: [[0.5, "Z0"], [0.5, "Z1"]]
            baths:
              - {name: a, temperature: 1, spectrum: &s {type: ohmic, eta: 0.01, cutoff: 5}, couplings: &c ["X0", "X1"]}
              - {name: b, temperature: 2, spectrum: *s, couplings: *c}
            """);
        Assert.Equal(2, model.Baths.Count);
        Assert.Equal(model.Baths[0].Couplings[1], model.Baths[1].Couplings[1]);
    }

    [Fact]
    public void UndefinedAlias_IsAnError()
    {
        var ex = Assert.Throws<ModelFileException>(() => Yaml(Valid + "observables: {x: *nowhere}"));
        Assert.Contains("line 5", ex.Message);
        Assert.Contains("*nowhere", ex.Message);
    }

    [Theory]
    [InlineData(ModelFileFormat.Yaml)]
    [InlineData(ModelFileFormat.Json)]
    public void MoreThanTheMaximumNumberOfValues_IsRejected(ModelFileFormat format)
    {
        // 4,000,000 list items plus the mapping, its key and the list: just over the limit.
        string items = string.Join(",", Enumerable.Repeat("1", (int)ModelLimits.MaxNodes));
        string text = format == ModelFileFormat.Yaml ? "x: [" + items + "]" : "{\"x\": [" + items + "]}";
        var ex = Assert.Throws<ModelFileException>(() => ModelFile.Parse(text, format, "many"));
        Assert.Contains("the file holds more than 4,000,000 values", ex.Message);
        // Far fewer values are fine (the schema then rejects the key).
        var ok = Assert.Throws<ModelFileException>(() => ModelFile.Parse(text[..1000] + "]" + (format == ModelFileFormat.Json ? "}" : ""), format, "many"));
        Assert.DoesNotContain("values", ok.Message);
    }

    [Fact]
    public void TextLargerThanTheCap_IsRejected()
    {
        var text = Valid + "#" + new string('x', (int)ModelLimits.MaxFileBytes);
        var ex = Assert.Throws<ModelFileException>(() => Yaml(text));
        Assert.StartsWith("limits.yaml: the model is larger than 64 MiB", ex.Message);
    }

    [Fact]
    public void FileLargerThanTheCap_IsRejected_WithoutReadingIt()
    {
        string path = Path.Combine(Path.GetTempPath(), "davies-big-" + Guid.NewGuid().ToString("N") + ".yaml");
        try
        {
            using (var f = File.Create(path)) f.SetLength(ModelLimits.MaxFileBytes + 1); // sparse
            var ex = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
            Assert.Equal($"{path}: the file is larger than 64 MiB; model files are limited to 67,108,864 bytes", ex.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FileOfExactlyTheCap_IsRead()
    {
        string path = Path.Combine(Path.GetTempPath(), "davies-cap-" + Guid.NewGuid().ToString("N") + ".yaml");
        try
        {
            var head = System.Text.Encoding.UTF8.GetBytes(Valid + "#");
            using (var f = File.Create(path))
            {
                f.Write(head);
                var pad = new byte[1 << 20];
                Array.Fill(pad, (byte)'x');
                long left = ModelLimits.MaxFileBytes - head.Length;
                while (left > 0)
                {
                    int n = (int)Math.Min(left, pad.Length);
                    f.Write(pad, 0, n);
                    left -= n;
                }
            }
            Assert.Equal(ModelLimits.MaxFileBytes, new FileInfo(path).Length);
            Assert.Single(ModelFile.Load(path).Baths);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void EndlessDevice_IsRejected()
    {
        if (!File.Exists("/dev/zero")) return; // Linux and macOS only
        string link = Path.Combine(Path.GetTempPath(), "davies-zero-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.CreateSymbolicLink(link, "/dev/zero");
        try
        {
            var ex = Assert.Throws<ModelFileException>(() => ModelFile.Load(link));
            Assert.Equal($"{link}: the file is larger than 64 MiB; model files are limited to 67,108,864 bytes", ex.Message);
        }
        finally { File.Delete(link); }
    }
}
