using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Davies.Cli.Tests;

/// <summary>
/// `davies report MODEL -o FILE` (docs/report.md): the page is well-formed, self-contained (nothing loaded, no script),
/// has every section, shows the numbers the library computes (populations against Gibbs, arc widths ∝ rates), bins
/// the levels past d = 64, and bad input is one message with exit code 2.
/// </summary>
public class ReportCommandTests
{
    internal static readonly string[] AlwaysSections = ["model", "baths", "levels", "steady-state", "spectrum", "relaxation", "validity", "provenance"];

    internal static string TempHtml() => Path.Combine(Path.GetTempPath(), "davies-report-" + Guid.NewGuid().ToString("N") + ".html");

    /// <summary>Runs the report and returns the page, asserting success.</summary>
    internal static string Report(string model, string output)
    {
        var r = CliRunner.Run("report", model, "-o", output, "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal($"report written to {output}", r.Out.Trim());
        Assert.True(File.Exists(output));
        return File.ReadAllText(output);
    }

    internal static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    private static IEnumerable<XElement> ById(XDocument doc, string id) => doc.Descendants().Where(e => (string?)e.Attribute("id") == id);

    [Fact]
    public void Qubit_HasEverySection_WellFormed_AndSelfContained()
    {
        string output = TempHtml();
        try
        {
            string model = Path.Combine(CliRunner.Examples, "qubit.yaml");
            string html = Report(model, output);
            var doc = Parse(html); // throws when the markup is not well-formed
            foreach (var id in AlwaysSections)
                Assert.True(ById(doc, id).Count() == 1, $"section '{id}' missing or repeated");
            // The qubit relaxes to a unique Gibbs state with only the trace conserved: no conserved section.
            Assert.Empty(ById(doc, "conserved"));
            foreach (var id in new[] { "level-diagram", "populations", "spectrum-plot", "relaxation-plot", "observables-plot", "bath-bath" })
                Assert.True(ById(doc, id).Count() == 1, $"plot '{id}' missing");

            // Self-contained: no script, no external stylesheet, no attribute that loads anything.
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
            foreach (var a in doc.Descendants().Attributes().Where(a => a.Name.LocalName is "src" or "href" or "srcset" or "data"))
                Assert.True(a.Value.StartsWith('#'), $"{a.Parent!.Name.LocalName} {a.Name}=\"{a.Value}\" refers outside the page");
            Assert.DoesNotContain("url(", html);
            Assert.DoesNotContain("@import", html);

            // Provenance: the command line as typed and the package version.
            var provenance = ById(doc, "provenance").Single().Value;
            Assert.Contains($"davies report {model} -o {output} --quiet", provenance);
            Assert.Contains($"davies version {ReportCommand.Version}", provenance);
            Assert.Contains("<meta name=\"generator\" content=\"davies " + ReportCommand.Version + "\"/>", html);

            // Model: the Hamiltonian term as written; the bath's temperature; the J(ω) plot marks ω = 1.
            Assert.Contains("0.5·Z0", ById(doc, "model").Single().Value);
            var bathPlot = ById(doc, "bath-bath").Single();
            Assert.Contains(bathPlot.Descendants().Where(e => e.Name.LocalName == "title"), t => t.Value == "ω = 1");
        }
        finally { File.Delete(output); }
    }

    [Fact]
    public void Qubit_SteadyPopulations_EqualGibbs_AndArcWidthsFollowDetailedBalance()
    {
        string output = TempHtml();
        try
        {
            var doc = Parse(Report(Path.Combine(CliRunner.Examples, "qubit.yaml"), output));
            // H = 0.5 Z at T = 0.5: the Gibbs populations are 1/(1 + e^{∓βω}) with βω = 2.
            double ground = 1 / (1 + Math.Exp(-2)), excited = 1 - ground;
            var rows = ById(doc, "steady-state").Single().Descendants().Where(e => e.Name.LocalName == "tr").Skip(1)
                .Select(tr => tr.Elements().Select(td => td.Value).ToArray()).Where(c => c.Length == 5).ToList();
            Assert.Equal(2, rows.Count);
            Assert.Equal(ground, double.Parse(rows[0][3], CultureInfo.InvariantCulture), 5); // steady state
            Assert.Equal(ground, double.Parse(rows[0][4], CultureInfo.InvariantCulture), 5); // Gibbs
            Assert.Equal(excited, double.Parse(rows[1][3], CultureInfo.InvariantCulture), 5);

            // Two arcs: emission and absorption, widths in the ratio of the rates, G(−ω)/G(ω) = e^{−βω} = e^{−2}.
            var widths = ById(doc, "level-diagram").Single().Descendants()
                .Where(e => (string?)e.Attribute("class") == "transition")
                .Select(e => double.Parse((string)e.Attribute("stroke-width")!, CultureInfo.InvariantCulture)).Order().ToArray();
            Assert.Equal(2, widths.Length);
            // Widths are written with two decimals; the fastest arc has the full width 9.
            Assert.Equal(9, widths[1]);
            Assert.InRange(widths[0], 9 * Math.Exp(-2) - 0.006, 9 * Math.Exp(-2) + 0.006);
        }
        finally { File.Delete(output); }
    }

    [Fact]
    public void DephasingQubit_NonUniqueSteadyState_ShowsConservedQuantities()
    {
        // σz coupling to H = 0.5 σz: the populations never change; the kernel is two-dimensional.
        string model = CliRunner.TempModel("""
            sites: [2]
            hamiltonian: [[0.5, "Z0"]]
            baths:
              - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.05, cutoff: 5}, couplings: ["Z0"]}
            """);
        string output = TempHtml();
        try
        {
            var doc = Parse(Report(model, output));
            foreach (var id in AlwaysSections.Append("conserved"))
                Assert.True(ById(doc, id).Count() == 1, $"section '{id}' missing");
            var conserved = ById(doc, "conserved").Single().Value;
            Assert.StartsWith("Conserved quantities2 conserved quantities", conserved);
            Assert.Contains("steady state not unique", ById(doc, "steady-state").Single().Value);
        }
        finally { File.Delete(output); File.Delete(model); }
    }

    [Fact]
    public void LargeModel_BinsTheLevels()
    {
        // A chaotic chain of 8 sites: d = 256 > 64, all levels distinct.
        string output = TempHtml();
        try
        {
            var doc = Parse(Report(Path.Combine(CliRunner.Examples, "eth", "chaotic_n8.yaml"), output));
            var bars = ById(doc, "level-diagram").Single().Descendants().Where(e => e.Name.LocalName == "rect").ToList();
            Assert.InRange(bars.Count, 2, 48);
            // Every one of the 256 eigenstates is in exactly one bin.
            int states = bars.Sum(b => int.Parse(Regex.Match(b.Value, @": (\d+) states").Groups[1].Value, CultureInfo.InvariantCulture));
            Assert.Equal(256, states);
            Assert.Contains("energy bins", ById(doc, "levels").Single().Value);
            foreach (var id in AlwaysSections) Assert.Single(ById(doc, id));
        }
        finally { File.Delete(output); }
    }

    [Fact]
    public void UnwritableOutput_OneMessage_ExitTwo_BeforeComputing()
    {
        string qubit = Path.Combine(CliRunner.Examples, "qubit.yaml");
        string missingDir = Path.Combine(Path.GetTempPath(), "davies-no-such-dir-" + Guid.NewGuid().ToString("N"), "report.html");
        foreach (var target in new[] { missingDir, Path.GetTempPath() })
        {
            var r = CliRunner.Run("report", qubit, "-o", target);
            Assert.Equal(2, r.ExitCode);
            Assert.Equal("", r.Out);
            var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            Assert.StartsWith($"davies: error: --output '{target}': cannot write the file", lines[0]);
        }
        Assert.False(Directory.Exists(Path.GetDirectoryName(missingDir)));
    }

    [Fact]
    public void ModelError_OneMessage_ExitTwo_NoFileLeft()
    {
        string output = TempHtml();
        string bad = CliRunner.TempModel("""
            sites: [2]
            hamiltonian: [[0.5, "Q0"]]
            baths:
              - {name: b, temperature: 1, spectrum: {type: ohmic, eta: 0.05, cutoff: 5}, couplings: ["X0"]}
            """);
        try
        {
            foreach (var model in new[] { bad, Path.Combine(Path.GetTempPath(), "davies-missing-" + Guid.NewGuid().ToString("N") + ".yaml") })
            {
                var r = CliRunner.Run("report", model, "-o", output);
                Assert.Equal(2, r.ExitCode);
                var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Single(lines);
                Assert.StartsWith("davies: error: ", lines[0]);
                Assert.DoesNotContain("   at ", r.Err);
                Assert.False(File.Exists(output), "a report file was left behind after a model error");
            }
        }
        finally { File.Delete(bad); File.Delete(output); }
    }

    [Fact]
    public void MissingOutputOption_IsAUsageError()
    {
        var r = CliRunner.Run("report", Path.Combine(CliRunner.Examples, "qubit.yaml"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--output", r.Err);
    }
}
