using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Davies.Cli.Tests;

/// <summary>
/// The NuGet packages (docs/packaging.md): the library package Davies (XML docs, README, licence, repository metadata,
/// symbols) and the tool package Davies.Cli, packed from this build, installed with `dotnet tool install --tool-path`
/// from a folder (no network), and run on a shipped example; `davies --version` prints the one version of
/// Directory.Build.props.
/// </summary>
public class PackageTests
{
    private static string Root => Path.GetDirectoryName(CliRunner.Examples)!;

    /// <summary>The version in Directory.Build.props, the one place it is written.</summary>
    private static string DeclaredVersion()
    {
        var props = XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        var versions = props.Descendants("Version").Select(v => v.Value.Trim()).ToList();
        Assert.True(versions.Count == 1, $"Directory.Build.props must set <Version> exactly once (found {versions.Count})");
        return versions[0];
    }

    /// <summary>The configuration the tests were built in (Release in CI): packing reuses that build (--no-build).</summary>
    private static string Configuration =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    [Fact]
    public void VersionOption_PrintsThePackageVersion()
    {
        var r = CliRunner.Run("--version");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(DeclaredVersion(), r.Out.Trim());
    }

    [Fact]
    public void NoProjectFile_SetsItsOwnVersion()
    {
        foreach (var project in Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories))
        {
            if (project.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
            var doc = XDocument.Load(project);
            var own = doc.Descendants().Where(e => e.Name.LocalName is "Version" or "VersionPrefix" or "PackageVersion" && e.Parent?.Name.LocalName == "PropertyGroup");
            Assert.True(!own.Any(), $"{project} sets its own version; the one version lives in Directory.Build.props");
        }
    }

    [Fact]
    public void PackInstallRun_TheToolFromAFolder_RunsTheShippedExample()
    {
        string version = DeclaredVersion();
        string work = Path.Combine(Path.GetTempPath(), "davies-pack-" + Guid.NewGuid().ToString("N"));
        string artifacts = Path.Combine(work, "artifacts"), tools = Path.Combine(work, "tools");
        Directory.CreateDirectory(artifacts);
        try
        {
            var limit = TimeSpan.FromMinutes(4);
            foreach (var project in new[] { "src/Davies/Davies.csproj", "src/Davies.Cli/Davies.Cli.csproj" })
            {
                var pack = ExternalProcess.Run(ExternalProcess.Dotnet,
                    ["pack", Path.Combine(Root, project), "-c", Configuration, "--no-build", "-o", artifacts, "-nodeReuse:false", "-p:UseSharedCompilation=false"],
                    limit, Root);
                Assert.True(pack.ExitCode == 0, $"dotnet pack {project} failed:\n{pack.Out}\n{pack.Err}");
            }

            // The library: its package id, version, the XML docs beside the assembly, README, licence, repository commit, symbols.
            string lib = Path.Combine(artifacts, $"Davies.{version}.nupkg");
            Assert.True(File.Exists(lib), $"missing {lib}; artifacts: {string.Join(", ", Directory.GetFiles(artifacts).Select(Path.GetFileName))}");
            Assert.True(File.Exists(Path.Combine(artifacts, $"Davies.{version}.snupkg")), "no symbols package Davies.<version>.snupkg");
            using (var zip = ZipFile.OpenRead(lib))
            {
                var names = zip.Entries.Select(e => e.FullName).ToList();
                Assert.Contains("lib/net10.0/Davies.Core.dll", names);
                Assert.Contains("lib/net10.0/Davies.Core.xml", names);
                Assert.Contains("README.md", names);
                var nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
                XNamespace ns = nuspec.Root!.Name.Namespace;
                var meta = nuspec.Root.Element(ns + "metadata")!;
                Assert.Equal("Davies", meta.Element(ns + "id")?.Value);
                Assert.Equal(version, meta.Element(ns + "version")?.Value);
                Assert.Equal("README.md", meta.Element(ns + "readme")?.Value);
                Assert.False(string.IsNullOrWhiteSpace(meta.Element(ns + "license")?.Value), "the package has no licence");
                var repo = meta.Element(ns + "repository");
                Assert.True(repo is not null && repo.Attribute("type")?.Value == "git", "no <repository type=\"git\"> metadata");
                Assert.Matches("^[0-9a-f]{40}$", repo!.Attribute("commit")?.Value ?? "");
            }

            // The tool: a DotnetTool package with command davies.
            string cli = Path.Combine(artifacts, $"Davies.Cli.{version}.nupkg");
            Assert.True(File.Exists(cli), $"missing {cli}");
            using (var zip = ZipFile.OpenRead(cli))
            {
                var settings = zip.Entries.Single(e => e.FullName.EndsWith("DotnetToolSettings.xml"));
                var command = XDocument.Load(settings.Open()).Descendants("Command").Single();
                Assert.Equal("davies", command.Attribute("Name")?.Value);
            }

            // Install from the folder alone (a config with no other source: no network).
            string config = Path.Combine(work, "nuget.config");
            File.WriteAllText(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="artifacts" value="{artifacts}" />
                  </packageSources>
                </configuration>
                """);
            var install = ExternalProcess.Run(ExternalProcess.Dotnet,
                ["tool", "install", "--tool-path", tools, "--configfile", config, "Davies.Cli", "--version", version], limit, work);
            Assert.True(install.ExitCode == 0, $"dotnet tool install failed:\n{install.Out}\n{install.Err}");

            string davies = Path.Combine(tools, "davies");
            Assert.True(File.Exists(davies), $"no {davies} after install");
            var env = new Dictionary<string, string> { ["DOTNET_ROOT"] = Path.GetDirectoryName(ResolvedDotnet())! };
            var versionRun = ExternalProcess.Run(davies, ["--version"], limit, work, env);
            Assert.True(versionRun.ExitCode == 0, versionRun.Err);
            Assert.Equal(version, versionRun.Out.Trim());

            var steady = ExternalProcess.Run(davies, ["steady", Path.Combine(CliRunner.Examples, "qubit.yaml"), "--json"], limit, work, env);
            Assert.True(steady.ExitCode == 0, steady.Err);
            using var json = JsonDocument.Parse(steady.Out);
            Assert.Equal(2, json.RootElement.GetProperty("dimension").GetInt32());
            Assert.True(json.RootElement.GetProperty("unique").GetBoolean());
            // The qubit thermalizes: its steady state is the Gibbs state of its bath.
            Assert.True(json.RootElement.GetProperty("gibbs_trace_distance").GetDouble() < 1e-8);

            var help = ExternalProcess.Run(davies, ["--help"], limit, work, env);
            Assert.True(help.ExitCode == 0, help.Err);
            Assert.Matches(new Regex(@"^\s+report\s", RegexOptions.Multiline), help.Out);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The dotnet executable with symbolic links resolved (its folder is DOTNET_ROOT for the tool's launcher).</summary>
    private static string ResolvedDotnet()
    {
        string path = ExternalProcess.Dotnet;
        if (!Path.IsPathRooted(path)) path = ExternalProcess.Which(path) ?? throw new InvalidOperationException("dotnet not on PATH");
        var info = new FileInfo(path);
        return info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)!.FullName : info.FullName;
    }
}
