using System.Diagnostics;

namespace Davies.Cli.Tests;

/// <summary>
/// Hostile model files, end to end in a separate `davies` process (a stack overflow or an out-of-memory kill would
/// take the test host with it): each ends with exit 2 and one line on stderr, within a generous timeout, with the
/// process's managed heap capped at 500 MB (DOTNET_GCHeapHardLimit) and its sampled peak resident memory below 500 MB.
/// </summary>
public class ResourceLimitTests
{
    private const long MemoryLimit = 500L * 1024 * 1024;

    private static (int Exit, string Out, string Err, long PeakBytes) RunProcess(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "davies.dll");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_GCHeapHardLimit"] = "0x" + MemoryLimit.ToString("X");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        long peak = 0;
        var clock = Stopwatch.StartNew();
        while (!p.WaitForExit(20))
        {
            try
            {
                p.Refresh();
                peak = Math.Max(peak, p.PeakWorkingSet64);
            }
            catch (InvalidOperationException) { } // exited meanwhile
            if (clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail($"davies {string.Join(' ', args)} did not finish within 120 s");
            }
        }
        return (p.ExitCode, stdout.Result, stderr.Result, peak);
    }

    private static void AssertOneLineExit2(string path, params string[] mustContain)
    {
        var (exit, stdout, stderr, peak) = RunProcess("steady", path, "--quiet");
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exit == 2, $"exit {exit}, stderr (first 2000 chars):\n{stderr[..Math.Min(stderr.Length, 2000)]}");
        Assert.Equal("", stdout);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}:\n{stderr[..Math.Min(stderr.Length, 2000)]}");
        Assert.StartsWith("davies: error: " + path + ":", lines[0]);
        foreach (var s in mustContain) Assert.Contains(s, lines[0]);
        Assert.True(peak < MemoryLimit, $"peak resident memory {peak / (1024 * 1024)} MB");
    }

    /// <summary>A "billion laughs" document: KEY9 expands to 10^9 scalars.</summary>
    private static string AliasBomb(string key, string indent = "")
    {
        var lines = new List<string> { $"{indent}{key}0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        for (int i = 1; i < 10; i++)
            lines.Add($"{indent}{key}{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10)) + "]");
        return string.Join("\n", lines) + "\n";
    }

    [Fact]
    public void DeepNesting_100000Levels()
    {
        var path = CliRunner.TempModel("sites: " + new string('[', 100_000) + "\n");
        try { AssertOneLineExit2(path, "nested more than 64 levels"); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void DeepNesting_Json()
    {
        var path = CliRunner.TempModel("{\"sites\": " + new string('[', 100_000) + "\n", ".json");
        try { AssertOneLineExit2(path, "depth of 64"); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AliasBomb_UnderUnknownTopLevelKeys()
    {
        var path = CliRunner.TempModel(AliasBomb("lol") + "sites: [2]\nhamiltonian: \"Z0\"\n");
        try { AssertOneLineExit2(path, "unknown key 'lol0'"); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AliasBomb_UnderObservables()
    {
        var path = CliRunner.TempModel("sites: [2]\nhamiltonian: \"Z0\"\nobservables:\n" + AliasBomb("o", "  "));
        try { AssertOneLineExit2(path, "aliases expand to more than 1,000,000 nodes"); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void MoreThan4MillionValues()
    {
        var path = CliRunner.TempModel("sites: [2]\nhamiltonian: \"Z0\"\nobservables: {x: [" + string.Join(",", Enumerable.Repeat("1", 4_100_000)) + "]}\n");
        try { AssertOneLineExit2(path, "the file holds more than 4,000,000 values"); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void DevZero()
    {
        if (!File.Exists("/dev/zero")) return;
        string link = Path.Combine(Path.GetTempPath(), "davies-zero-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.CreateSymbolicLink(link, "/dev/zero");
        try { AssertOneLineExit2(link, "larger than 64 MiB"); }
        finally { File.Delete(link); }
    }

    [Fact]
    public void File200MB()
    {
        string path = Path.Combine(Path.GetTempPath(), "davies-200mb-" + Guid.NewGuid().ToString("N") + ".yaml");
        using (var f = File.Create(path))
        {
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)' ');
            for (int i = 0; i < 200; i++) f.Write(block);
        }
        try { AssertOneLineExit2(path, "larger than 64 MiB"); }
        finally { File.Delete(path); }
    }

    // n free qubits, each X_i on its own Ohmic bath
    private static string FreeQubits(int n) =>
        $"sites: [{string.Join(", ", Enumerable.Repeat(2, n))}]\n" +
        $"hamiltonian: [{string.Join(", ", Enumerable.Range(0, n).Select(i => $"[0.5, \"Z{i}\"]"))}]\nbaths:\n" +
        string.Concat(Enumerable.Range(0, n).Select(i =>
            $"  - {{name: b{i}, temperature: 0.5, spectrum: {{type: ohmic, eta: 0.05, cutoff: 10}}, couplings: [\"X{i}\"]}}\n"));

    [Fact]
    public void TwentyQubits_AreRefusedAtLoad_WithTheEstimate()
    {
        string path = Path.Combine(Path.GetTempPath(), "davies-20q-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, FreeQubits(20));
        try { AssertOneLineExit2(path, "sites", "dimension 1048576", "more than 46340", "TiB"); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FourteenQubits_AreRefusedByTheMemoryEstimate_BeforeTheBuild()
    {
        // d = 16384 loads (sparse operators), but the model in its eigenbasis needs ~34 GiB kept, ~11 GiB streamed: over a
        // 1 GiB limit
        string path = Path.Combine(Path.GetTempPath(), "davies-14q-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, FreeQubits(14));
        try
        {
            var (exit, stdout, stderr, peak) = RunProcess("steady", path, "--quiet", "--max-memory", "1G");
            var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, exit);
            Assert.Equal("", stdout);
            Assert.Single(lines);
            // over the limit even when streamed (the kept build would need 34 GiB)
            Assert.Equal("davies: error: the model in its eigenbasis (d = 16384: eigenvectors, the Pauli matrix and one of 14 coupling(s) at a time as 16384×16384 arrays) needs about 11.4 GiB, more than the limit of 1 GiB", lines[0]);
            Assert.True(peak < MemoryLimit, $"peak resident memory {peak / (1024 * 1024)} MB");
        }
        finally { File.Delete(path); }
    }
}
