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
