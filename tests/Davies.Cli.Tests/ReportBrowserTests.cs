using System.Text.RegularExpressions;

namespace Davies.Cli.Tests;

/// <summary>
/// The report page in a real browser: headless Debian Chromium loads it from a file (no network: the flags of
/// /work/.library/env/machines/dotnet.md keep Chromium's own background connections off), and the DOM it builds has
/// every section and every plot laid out with a size. A probe script is appended to a copy of the page (the page itself
/// has no script): it records errors (window.onerror, failed resource loads) and the rendered size of each section and
/// SVG into an element that --dump-dom prints. Chromium comes from `.ci/install-deps.sh --with-browser`; when it is
/// missing and cannot be installed (not root, no apt-get), the test is skipped with that message.
/// </summary>
public class ReportBrowserTests
{
    private const string Probe = """
        <script>
        var davErrors = [];
        window.addEventListener('error', function (e) { davErrors.push('error: ' + (e.message || (e.target && (e.target.src || e.target.href)) || e.type)); }, true);
        window.addEventListener('load', function () {
          var out = [];
          document.querySelectorAll('section[id]').forEach(function (s) { var r = s.getBoundingClientRect(); out.push('section ' + s.id + ' ' + Math.round(r.width) + 'x' + Math.round(r.height)); });
          document.querySelectorAll('svg.plot').forEach(function (s) { var r = s.getBoundingClientRect(); out.push('svg ' + (s.id || '?') + ' ' + Math.round(r.width) + 'x' + Math.round(r.height)); });
          var n = performance.getEntriesByType('resource').length;
          out.push('resources ' + n);
          davErrors.forEach(function (e) { out.push(e); });
          var pre = document.createElement('pre'); pre.id = 'davies-probe'; pre.textContent = out.join('\n'); document.body.appendChild(pre);
        });
        </script>
        """;

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio",
        "--enable-logging=stderr", "--v=0", "--window-size=1100,2000", "--virtual-time-budget=5000",
    ];

    private static readonly object InstallGate = new();
    private static string? _chromium;
    private static string? _missingReason;

    /// <summary>The Chromium executable; installs it with .ci/install-deps.sh --with-browser when missing and possible.</summary>
    internal static string Chromium()
    {
        lock (InstallGate)
        {
            if (_chromium is null && _missingReason is null)
            {
                _chromium = Find();
                if (_chromium is null)
                {
                    string root = Path.GetDirectoryName(CliRunner.Examples)!;
                    if (Environment.UserName == "root" && ExternalProcess.Which("apt-get") is not null)
                    {
                        var install = ExternalProcess.Run("sh", [Path.Combine(root, ".ci", "install-deps.sh"), "--with-browser"], TimeSpan.FromMinutes(10), root);
                        _chromium = Find();
                        if (_chromium is null)
                            _missingReason = $"chromium is not installed and `.ci/install-deps.sh --with-browser` could not install it (exit {install.ExitCode}): {install.Err.Trim()}";
                    }
                    else _missingReason = "chromium is not installed and cannot be installed here (needs root and apt-get): run `sudo .ci/install-deps.sh --with-browser`";
                }
            }
            Skip.If(_chromium is null, _missingReason);
            return _chromium!;
        }
    }

    private static string? Find() => ExternalProcess.Which("chromium") ?? ExternalProcess.Which("chromium-browser");

    /// <summary>Loads the page in headless Chromium; returns the serialized DOM and Chromium's stderr.</summary>
    internal static (string Dom, string Log) Load(string htmlPath, params string[] extra)
    {
        string chromium = Chromium();
        string profile = Path.Combine(Path.GetTempPath(), "davies-chromium-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = ExternalProcess.Run(chromium, [.. Flags, $"--user-data-dir={profile}", .. extra, new Uri(htmlPath).AbsoluteUri], TimeSpan.FromMinutes(2));
            Assert.True(r.ExitCode == 0, $"chromium failed (exit {r.ExitCode}):\n{r.Err}");
            return (r.Out, r.Err);
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [SkippableTheory]
    [InlineData("qubit.yaml", false)]
    [InlineData("ising_chain.yaml", false)]
    [InlineData("qubit_zero_temperature.yaml", true)]
    [InlineData("eth/chaotic_n8.yaml", false)]
    public void Report_LoadsWithoutErrors_AndEverySectionRenders(string example, bool conserved)
    {
        Chromium();
        string output = ReportCommandTests.TempHtml(), probed = output.Replace(".html", ".probe.html");
        try
        {
            string html = ReportCommandTests.Report(Path.Combine(CliRunner.Examples, example), output);
            File.WriteAllText(probed, html.Replace("</body>", Probe + "</body>"));
            var (dom, log) = Load(probed, "--dump-dom");

            // No console message (an uncaught error or a failed load would log one), no error event, nothing fetched.
            var console = log.Split('\n').Where(l => l.Contains(":CONSOLE")).ToList();
            Assert.True(console.Count == 0, "console messages:\n" + string.Join("\n", console));
            var probe = Regex.Match(dom, "<pre id=\"davies-probe\">(.*?)</pre>", RegexOptions.Singleline);
            Assert.True(probe.Success, "the probe did not run (page did not finish loading?):\n" + dom[..Math.Min(dom.Length, 2000)]);
            var lines = probe.Groups[1].Value.Split('\n');
            Assert.DoesNotContain(lines, l => l.StartsWith("error"));
            Assert.Contains("resources 0", lines);

            // Each section and each plot is there and laid out with a size.
            var expected = ReportCommandTests.AlwaysSections.Concat(conserved ? ["conserved"] : []).ToList();
            foreach (var id in expected)
            {
                var line = lines.SingleOrDefault(l => l.StartsWith($"section {id} "));
                Assert.True(line is not null, $"section {id} not in the rendered page");
                var size = Regex.Match(line!, @"(\d+)x(\d+)$");
                Assert.True(int.Parse(size.Groups[1].Value) > 300 && int.Parse(size.Groups[2].Value) > 40, $"section {id} rendered as {size.Value}");
            }
            if (!conserved) Assert.DoesNotContain(lines, l => l.StartsWith("section conserved "));
            foreach (var id in new[] { "level-diagram", "populations", "spectrum-plot", "relaxation-plot" })
            {
                var line = lines.SingleOrDefault(l => l.StartsWith($"svg {id} "));
                Assert.True(line is not null, $"plot {id} not rendered");
                var size = Regex.Match(line!, @"(\d+)x(\d+)$");
                Assert.True(int.Parse(size.Groups[1].Value) > 300 && int.Parse(size.Groups[2].Value) > 150, $"plot {id} rendered as {size.Value}");
            }
        }
        finally { File.Delete(output); File.Delete(probed); }
    }

    [SkippableFact]
    public void Screenshot_OfTheQubitReport_IsAPng()
    {
        Chromium();
        string output = ReportCommandTests.TempHtml(), png = output.Replace(".html", ".png");
        try
        {
            ReportCommandTests.Report(Path.Combine(CliRunner.Examples, "qubit.yaml"), output);
            Load(output, "--hide-scrollbars", $"--screenshot={png}");
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 20_000, $"screenshot only {bytes.Length} bytes");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
        finally { File.Delete(output); File.Delete(png); }
    }
}
