using System.CommandLine;
using Davies.LinearAlgebra;

namespace Davies.Cli;

/// <summary>The `davies` command line: parse, call the library, format. No physics here.</summary>
public static class CliApp
{
    /// <summary>Exit code for bad input (a file, a flag, a model).</summary>
    public const int BadInput = 2;

    /// <summary>Runs the tool with the given arguments and writers; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "davies — thermalization of open quantum systems with the Davies master equation.\n" +
            "Conventions: ħ = k_B = 1; energies, frequencies and temperatures in one unit; G(ω > 0) is emission.\n" +
            "Model files (.json, .yaml, .yml): see docs/model-file.md.");
        var context = new CliContext(stdout, stderr);
        root.Subcommands.Add(SteadyCommand.Create(context));
        root.Subcommands.Add(EvolveCommand.Create(context));
        root.Subcommands.Add(SpectrumCommand.Create(context));
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var e in parse.Errors) stderr.WriteLine($"davies: error: {e.Message}");
                stderr.WriteLine("Run 'davies --help' for usage.");
                return BadInput;
            }
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (DaviesException e)
        {
            stderr.WriteLine($"davies: error: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("davies: cancelled");
            return 130;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"davies: internal error ({e.GetType().Name}): {e.Message}");
            stderr.WriteLine("This is a bug in Davies; please report it with the model file.");
            return 1;
        }
    }
}

/// <summary>Writers and shared start-up for commands.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr)
{
    private static readonly object Gate = new();
    private static bool _backendChosen;

    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;

    /// <summary>Installs the fastest linear-algebra backend once per process; prints its fallback notice unless quiet.</summary>
    public void ChooseBackend(bool quiet)
    {
        lock (Gate)
        {
            if (_backendChosen) return;
            _backendChosen = true;
            var notice = LinearAlgebraProvider.UseBestAvailable();
            if (notice is not null && !quiet) Err.WriteLine(notice);
        }
    }
}
