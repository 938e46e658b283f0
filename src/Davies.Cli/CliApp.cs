using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Davies.LinearAlgebra;

namespace Davies.Cli;

/// <summary>The `davies` command line: parse, call the library, format. No physics here.</summary>
public static class CliApp
{
    /// <summary>The package version (the one &lt;Version&gt; of Directory.Build.props), as <c>davies --version</c> prints it.</summary>
    public static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(CliApp).Assembly.GetName().Version?.ToString() ?? "unknown";

    private sealed class PrintVersion(TextWriter stdout) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            stdout.WriteLine(Version);
            return 0;
        }
    }

    /// <summary>Exit code for bad input (a file, a flag, a model).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code when the results cannot be written to stdout (closed or full): EX_IOERR.</summary>
    public const int OutputError = 74;

    /// <summary>The commands, in the order <c>davies --help</c> lists them.</summary>
    internal static readonly (string Name, Func<CliContext, Command> Create)[] Verbs =
    [
        ("steady", SteadyCommand.Create), ("evolve", EvolveCommand.Create), ("spectrum", SpectrumCommand.Create),
        ("bath", BathCommand.Create), ("eth", EthCommand.Create), ("report", ReportCommand.Create), ("sweep", SweepCommand.Create),
    ];

    /// <summary>The commands that choose a linear-algebra backend (all but bath).</summary>
    private static readonly string[] BackendVerbs = ["steady", "evolve", "spectrum", "eth", "report", "sweep"];

    /// <summary>
    /// The commands to build for <paramref name="args"/>: only the invoked one when the first argument names a command
    /// (the other commands' options, descriptions and help texts are never read then: ~1 ms of a whole process on the
    /// benchmark VM), all of them otherwise (no command, --help, --version, a misspelt command whose suggestions
    /// list the others, a response file). A command's parse, help and errors depend only on it and the root.
    /// </summary>
    internal static IEnumerable<(string Name, Func<CliContext, Command> Create)> VerbsFor(string[] args)
    {
        if (args.Length > 0)
            foreach (var verb in Verbs)
                if (verb.Name == args[0]) return [verb];
        return Verbs;
    }

    /// <summary>Runs the tool with the given arguments and writers; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // Results go through a writer that turns a failed write into one OutputException (exit 74); messages on
        // stderr are best effort, so a closed stderr never turns an exit code into an abort.
        stdout = new GuardedOutput(stdout);
        stderr = new BestEffortWriter(stderr);
        // Ctrl-C: the first press requests cancellation (checked between stages), a second one ends the process.
        // Registered first: it starts the runtime's signal-handling thread, and creating a thread waits while another
        // thread is inside dlopen (the native backend below), which cost up to 5 ms when it came after it.
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var context = new CliContext(stdout, stderr, cancel.Token);
        // A command that solves something loads the native libraries on a second thread from the start, beside the
        // command tree, the parse and the model file (its action waits for it in ChooseBackend).
        if (args.Length > 0 && BackendVerbs.Contains(args[0])) context.StartChoosingBackend();
        var root = new RootCommand(
            "davies — thermalization of open quantum systems with the Davies master equation.\n" +
            "Conventions: ħ = k_B = 1; energies, frequencies and temperatures in one unit; G(ω > 0) is emission.\n" +
            "Model files (.json, .yaml, .yml): see docs/model-file.md. 'davies COMMAND --help' documents each command.\n" +
            "Exit codes: 0 success, 2 bad input (a file, a flag, a model: one message on stderr), " +
            "74 cannot write output (stdout closed or full: \"davies: cannot write output: …\"), 130 cancelled (Ctrl-C), " +
            "1 internal error.");
        foreach (var (_, create) in VerbsFor(args)) root.Subcommands.Add(create(context));
        // --version: the package version of this tool (Directory.Build.props), not the entry assembly's (a test host's).
        foreach (var option in root.Options.OfType<VersionOption>()) option.Action = new PrintVersion(stdout);
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var e in parse.Errors) stderr.WriteLine($"davies: error: {e.Message}");
                stderr.WriteLine("Run 'davies --help' for usage.");
                return BadInput;
            }
            int code = parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
            stdout.Flush();
            return code;
        }
        catch (OutputException e)
        {
            context.ClearProgress();
            stderr.WriteLine($"davies: cannot write output: {e.Message}");
            return OutputError;
        }
        catch (DaviesException e)
        {
            stderr.WriteLine($"davies: error: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            context.ClearProgress();
            stderr.WriteLine("davies: cancelled");
            return 130;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"davies: internal error ({e.GetType().Name}): {e.Message}");
            stderr.WriteLine("This is a bug in Davies; please report it with the model file.");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}

/// <summary>Writers, cancellation and shared start-up for commands.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
{
    private static readonly object Gate = new();
    private static bool _backendChosen;
    private static Thread? _probe;
    private static string? _probeNotice;
    // Set when the probe's result is in: the waiters need that, not the end of the thread (whose exit took ~0.4 ms more).
    private static readonly ManualResetEventSlim ProbeDone = new(false);
    private StageProgress? _progress;

    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;

    /// <summary>Cancelled by Ctrl-C.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>
    /// A progress sink that shows the current stage on stderr, or null when stderr is not the process's terminal
    /// (redirected, or a test writer) or when quiet.
    /// </summary>
    public IProgress<string>? Progress(bool quiet)
    {
        var raw = Err is BestEffortWriter b ? b.Inner : Err;
        if (quiet || !ReferenceEquals(raw, Console.Error) || Console.IsErrorRedirected) return null;
        return _progress = new StageProgress(Err);
    }

    /// <summary>Erases the progress line, if one is shown.</summary>
    public void ClearProgress() => _progress?.Clear();

    /// <summary>The --max-memory option shared by the commands.</summary>
    public static Option<string?> MaxMemoryOption() => new("--max-memory")
    {
        Description = "Refuse (exit 2, one message) any stage whose memory estimate exceeds SIZE (e.g. 512M, 4G; powers of 1024). " +
                      "Default: the memory available to the process. Every large allocation is estimated first.",
        HelpName = "SIZE",
    };

    /// <summary>Applies --max-memory (null: the memory available to the process); a malformed size is bad input.</summary>
    public void SetMemoryLimit(string? text)
    {
        if (text is null)
        {
            Davies.Solvers.MemoryBudget.Limit = 0;
            return;
        }
        if (!Davies.Solvers.MemoryBudget.TryParseSize(text, out long bytes))
            throw new DaviesException($"--max-memory: expected a size such as 512M or 4G, got '{text}'");
        Davies.Solvers.MemoryBudget.Limit = bytes;
    }

    /// <summary>
    /// Starts installing the linear-algebra backend on a background thread, so that loading the native libraries
    /// (several milliseconds: OpenBLAS, LAPACKE and their smoke test) overlaps with reading the model file, which needs
    /// no backend; <see cref="ChooseBackend"/> waits for it. Once per process, like <see cref="ChooseBackend"/>.
    /// </summary>
    public void StartChoosingBackend()
    {
        lock (Gate)
        {
            if (_backendChosen || _probe is not null) return;
            _probe = new Thread(() =>
            {
                try { _probeNotice = LinearAlgebraProvider.UseBestAvailable(); } // never throws
                finally { ProbeDone.Set(); }
            }) { IsBackground = true, Name = "davies backend" };
            _probe.Start();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> (a cache-filling computation whose result a later stage asks for, e.g. the baths'
    /// correlation times) on a background thread, so that it overlaps with the main thread's stages on a second core.
    /// Any exception is dropped: the stage that needs the result computes it again and reports the error itself.
    /// </summary>
    public static void Prefetch(Action work)
    {
        var thread = new Thread(() =>
        {
            try { work(); }
            catch (Exception) { } // recomputed (and reported) by the stage that needs it
        }) { IsBackground = true, Name = "davies prefetch" };
        thread.Start();
    }

    /// <summary>Whether the thread of <see cref="StartChoosingBackend"/> is still loading the native libraries.</summary>
    public static bool BackendLoading
    {
        get
        {
            lock (Gate) return _probe is not null && !ProbeDone.IsSet;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on this thread if the native libraries are still loading (else not at all): work that
    /// the next stage would do anyway, done while this thread would only wait in <see cref="ChooseBackend"/>. Its exception is
    /// dropped: the stage that needs its result does it again and reports the error.
    /// </summary>
    public static void WhileLoading(Action work)
    {
        if (!BackendLoading) return;
        try { work(); }
        catch (Exception) { } // done again (and reported) by the stage that needs it
    }

    /// <summary>
    /// Runs <paramref name="works"/> (cache-filling computations, as for <see cref="Prefetch"/>) one after another on
    /// this thread while the native libraries are still loading (it would only wait for them in
    /// <see cref="ChooseBackend"/>), and the rest on a background thread. A work's exception is dropped (the others still
    /// run), as in <see cref="Prefetch"/>: the stage that needs its result computes it again and reports the error.
    /// </summary>
    public static void PrefetchWhileLoading(IReadOnlyList<Action> works)
    {
        int k = 0;
        for (; k < works.Count && BackendLoading; k++)
        {
            try { works[k](); }
            catch (Exception) { } // recomputed (and reported) by the stage that needs it
        }
        if (k == works.Count) return;
        var rest = works.Skip(k).ToArray();
        Prefetch(() =>
        {
            foreach (var work in rest)
            {
                try { work(); }
                catch (Exception) { } // as above: one failure does not keep the others from being prefetched
            }
        });
    }

    /// <summary>
    /// Installs the fastest linear-algebra backend once per process (or waits for <see cref="StartChoosingBackend"/>);
    /// prints its fallback notice unless quiet.
    /// </summary>
    public void ChooseBackend(bool quiet)
    {
        lock (Gate)
        {
            if (_backendChosen) return;
            _backendChosen = true;
            string? notice;
            if (_probe is not null)
            {
                ProbeDone.Wait();
                notice = _probeNotice;
                _probe = null;
            }
            else notice = LinearAlgebraProvider.UseBestAvailable();
            if (notice is not null && !quiet) Err.WriteLine(notice);
        }
    }
}

/// <summary>Shows "davies: STAGE (elapsed)" on one terminal line, rewritten in place; synchronous and thread-safe.</summary>
internal sealed class StageProgress(TextWriter err) : IProgress<string>
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private int _width;

    private readonly object _gate = new();

    public void Report(string value)
    {
        lock (_gate)
        {
            string line = $"davies: {value} ({_clock.Elapsed.TotalSeconds:F1} s)";
            err.Write("\r" + line.PadRight(_width));
            _width = line.Length;
            err.Flush();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            if (_width == 0) return;
            err.Write("\r" + new string(' ', _width) + "\r");
            err.Flush();
            _width = 0;
        }
    }
}
