namespace Davies.Cli.Tests;

internal sealed record CliRun(int ExitCode, string Out, string Err);

internal static class CliRunner
{
    private static readonly object Gate = new();
    private static bool _backendChosen;

    public static CliRun Run(params string[] args)
    {
        lock (Gate)
        {
            if (!_backendChosen)
            {
                // The tool picks its linear-algebra backend once per process and may print a one-time notice (e.g. no
                // native LAPACK); pick it quietly here so that no test's stderr depends on the order the tests run in.
                _backendChosen = true;
                CliApp.Run(["steady", Path.Combine(Examples, "qubit.yaml"), "--quiet"], TextWriter.Null, TextWriter.Null);
            }
            var o = new StringWriter();
            var e = new StringWriter();
            int code = CliApp.Run(args, o, e);
            return new CliRun(code, o.ToString(), e.ToString());
        }
    }

    /// <summary>
    /// Runs the built `davies` (davies.dll next to the tests) as a real process through /bin/sh, with shell
    /// redirections applied to it (">&amp;-" closes stdout, ">/dev/full" fills it, "2>&amp;-" closes stderr). Streams that
    /// are not redirected are captured.
    /// </summary>
    public static CliRun RunProcess(string redirections, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "davies.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$0\" \"$@\" " + redirections);
        psi.ArgumentList.Add(dotnet);
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new CliRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the built `davies` as a child process (stdout and stderr captured, not read) and returns it unfinished.</summary>
    public static System.Diagnostics.Process Start(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "davies.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var psi = new System.Diagnostics.ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return System.Diagnostics.Process.Start(psi)!;
    }

    public static string Examples
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Davies.slnx"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "examples");
        }
    }

    public static string TempModel(string text, string extension = ".yaml")
    {
        var path = Path.Combine(Path.GetTempPath(), "davies-test-" + Guid.NewGuid().ToString("N") + extension);
        File.WriteAllText(path, text);
        return path;
    }
}
