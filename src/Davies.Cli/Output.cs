using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Davies.Models;
using Spectre.Console;

namespace Davies.Cli;

/// <summary>JSON writing helpers: non-finite numbers become null.</summary>
internal static class JsonOut
{
    public static void Number(Utf8JsonWriter w, string name, double? x)
    {
        if (x is { } v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    public static void Array(Utf8JsonWriter w, string name, IEnumerable<double> xs)
    {
        w.WriteStartArray(name);
        foreach (var x in xs)
            if (double.IsFinite(x)) w.WriteNumberValue(x);
            else w.WriteNullValue();
        w.WriteEndArray();
    }

    /// <summary>A complex number as the pair [re, im] (non-finite parts null).</summary>
    public static void ComplexValue(Utf8JsonWriter w, Complex z)
    {
        w.WriteStartArray();
        foreach (var x in new[] { z.Real, z.Imaginary })
            if (double.IsFinite(x)) w.WriteNumberValue(x);
            else w.WriteNullValue();
        w.WriteEndArray();
    }

    /// <summary>
    /// An expectation value: a plain number for a Hermitian observable, the pair [re, im] for a non-Hermitian one
    /// (whose imaginary part carries information).
    /// </summary>
    public static void Expectation(Utf8JsonWriter w, string name, Complex z, bool hermitian)
    {
        if (hermitian)
        {
            Number(w, name, z.Real);
            return;
        }
        w.WritePropertyName(name);
        ComplexValue(w, z);
    }

    /// <summary>A time series of expectation values: numbers (Hermitian) or [re, im] pairs (non-Hermitian).</summary>
    public static void Expectations(Utf8JsonWriter w, string name, IEnumerable<Complex> zs, bool hermitian)
    {
        if (hermitian)
        {
            Array(w, name, zs.Select(z => z.Real));
            return;
        }
        w.WriteStartArray(name);
        foreach (var z in zs) ComplexValue(w, z);
        w.WriteEndArray();
    }

    public static void ComplexMatrix(Utf8JsonWriter w, string name, Matrix<Complex> m)
    {
        w.WriteStartArray(name);
        for (int i = 0; i < m.RowCount; i++)
        {
            w.WriteStartArray();
            for (int j = 0; j < m.ColumnCount; j++)
            {
                w.WriteStartArray();
                w.WriteNumberValue(m[i, j].Real);
                w.WriteNumberValue(m[i, j].Imaginary);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}

/// <summary>Number formats of the readable summaries.</summary>
internal static class TextOut
{
    /// <summary>"a + bi" or "a - bi", each part in <paramref name="format"/> (invariant culture).</summary>
    public static string Complex(Complex z, string format = "G6")
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        string re = z.Real.ToString(format, c);
        return z.Imaginary < 0
            ? $"{re} - {(-z.Imaginary).ToString(format, c)}i"
            : $"{re} + {z.Imaginary.ToString(format, c)}i";
    }
}

/// <summary>
/// A Spectre console writing to a given writer (colour only on a real terminal). Its width: the terminal's when stdout
/// is a terminal (<see cref="Console.WindowWidth"/>, else $COLUMNS, else 80); when stdout is a file or a pipe,
/// <see cref="NoWrapWidth"/>, so that tables and lines are never wrapped (each row stays one line for grep and awk).
/// </summary>
internal static class TextConsole
{
    /// <summary>The width when stdout is not a terminal: wide enough that nothing wraps.</summary>
    public const int NoWrapWidth = 1 << 20;

    public static IAnsiConsole For(TextWriter writer)
    {
        var raw = writer is GuardedOutput g ? g.Inner : writer;
        bool terminal = ReferenceEquals(raw, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        console.Profile.Width = terminal ? TerminalWidth() : NoWrapWidth;
        return console;
    }

    /// <summary>The terminal's width in columns: the console window, else $COLUMNS, else 80.</summary>
    internal static int TerminalWidth()
    {
        try
        {
            if (Console.WindowWidth > 0) return Console.WindowWidth;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException) { }
        return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 0 ? columns : 80;
    }
}

/// <summary>Resolves an observable given on the command line.</summary>
internal static class Observables
{
    public static Matrix<Complex> Resolve(OpenSystemModel model, string text)
    {
        if (model.Observables.TryGetValue(text, out var op)) return op;
        try
        {
            return Davies.Operators.OperatorParser.Parse(text, model.Space);
        }
        catch (DaviesException e)
        {
            var names = model.Observables.Count == 0 ? "the model defines none" : "the model defines " + string.Join(", ", model.Observables.Keys);
            throw new ModelException($"--observe '{text}': neither an observable name ({names}) nor a valid operator: {e.Message}");
        }
    }
}

/// <summary>Warnings about results that are computed but probably not what was meant ("davies: warning: …" on stderr).</summary>
internal static class Warnings
{
    /// <summary>The local approach's remarks ("davies: note: …", e.g. a coupling on every site: local = global); not with --quiet.</summary>
    public static void ApproachNotes(CliContext ctx, Davies.Spectral.EnergyBasisModel model, bool quiet)
    {
        if (quiet) return;
        foreach (var note in Davies.Spectral.LocalApproach.Notes(model)) ctx.Err.WriteLine($"davies: note: {note}");
    }

    /// <summary>Warns when the degeneracy tolerance merges distinct levels (<see cref="Davies.Diagnostics.ToleranceCheck"/>); not with --quiet.</summary>
    public static void Tolerance(CliContext ctx, OpenSystemModel model, Davies.Spectral.EigenBasis basis, bool quiet)
    {
        if (quiet) return;
        string? context = model.Options.Tolerance is null ? model.SourceName : $"{model.SourceName}: options.tolerance";
        if (Davies.Diagnostics.ToleranceCheck.Check(basis, context) is { } w) ctx.Err.WriteLine($"davies: warning: {w.Message}");
    }

    /// <summary>One line per failed criterion of the validity report ("davies: warning: validity: …"); not with --quiet.</summary>
    public static void Validity(CliContext ctx, Davies.Diagnostics.ValidityReport report, bool quiet)
    {
        if (quiet) return;
        foreach (var c in report.Criteria.Where(c => !c.Ok))
            ctx.Err.WriteLine($"davies: warning: validity: {c.Name} = {ValidityOutput.Format(c.Value)} exceeds {ValidityOutput.Format(c.Threshold)} ({c.Detail}); {c.Advice}");
    }
}

/// <summary>Option parsers whose errors name the flag and the value (instead of a .NET type name).</summary>
internal static class OptionParsers
{
    public static double? Number(ArgumentResult r, string flag, string requirement)
    {
        string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)) return x;
        r.AddError($"{flag} '{text}': {requirement}");
        return null;
    }

    public static int Integer(ArgumentResult r, string flag, string requirement)
    {
        string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x)) return x;
        r.AddError($"{flag} '{text}': {requirement}");
        return 0;
    }
}

/// <summary>Standard output could not be written (closed or full): exit code <see cref="CliApp.OutputError"/>.</summary>
internal sealed class OutputException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The writer commands print their results to: every failure of the underlying writer (an <see cref="IOException"/>
/// such as "No space left on device", or the <see cref="UnauthorizedAccessException"/> .NET raises
/// for a closed descriptor) becomes one <see cref="OutputException"/> that names the cause. (A broken pipe never gets
/// here: the console stream of .NET drops output on EPIPE.)
/// </summary>
internal sealed class GuardedOutput(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    public TextWriter Inner { get; } = inner;

    public override System.Text.Encoding Encoding => Inner.Encoding;

    private static bool IsWriteFailure(Exception e) => e is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException;

    private static OutputException Fail(Exception e) => new(e switch
    {
        UnauthorizedAccessException or ObjectDisposedException or NotSupportedException => "stdout is closed or not writable",
        _ => "stdout: " + e.Message.TrimEnd('.', ' '),
    }, e);

    public override void Write(char value)
    {
        try { Inner.Write(value); }
        catch (Exception e) when (IsWriteFailure(e)) { throw Fail(e); }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        try { Inner.Write(buffer, index, count); }
        catch (Exception e) when (IsWriteFailure(e)) { throw Fail(e); }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        try { Inner.Write(buffer); }
        catch (Exception e) when (IsWriteFailure(e)) { throw Fail(e); }
    }

    public override void Write(string? value)
    {
        try { Inner.Write(value); }
        catch (Exception e) when (IsWriteFailure(e)) { throw Fail(e); }
    }

    public override void WriteLine(string? value)
    {
        try { Inner.WriteLine(value); }
        catch (Exception e) when (IsWriteFailure(e)) { throw Fail(e); }
    }

    public override void WriteLine()
    {
        try { Inner.WriteLine(); }
        catch (Exception e) when (IsWriteFailure(e)) { throw Fail(e); }
    }

    public override void Flush()
    {
        try { Inner.Flush(); }
        catch (Exception e) when (IsWriteFailure(e)) { throw Fail(e); }
    }
}

/// <summary>
/// The writer for messages on stderr: a failure to write them (stderr closed or full) is ignored, so that the exit
/// code still tells what happened instead of the process aborting on an unhandled exception.
/// </summary>
internal sealed class BestEffortWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    public TextWriter Inner { get; } = inner;

    public override System.Text.Encoding Encoding => Inner.Encoding;

    private static void Try(Action write)
    {
        try { write(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException) { }
    }

    public override void Write(char value) => Try(() => Inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Try(() => Inner.Write(buffer, index, count));

    public override void Write(string? value) => Try(() => Inner.Write(value));

    public override void WriteLine(string? value) => Try(() => Inner.WriteLine(value));

    public override void WriteLine() => Try(Inner.WriteLine);

    public override void Flush() => Try(Inner.Flush);
}

/// <summary>Plot files: the name check of a --plot-like flag and the save, with one clear message on failure.</summary>
internal static class Plots
{
    /// <summary>Throws unless <paramref name="path"/> (when given) ends in .png or .svg.</summary>
    public static void CheckPath(string? path, string flag)
    {
        if (path is not null && !path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            throw new ModelException($"{flag} '{path}': the file name must end in .png or .svg");
    }

    /// <summary>Saves an 800×500 PNG or SVG; a file that cannot be written is bad input naming the flag.</summary>
    public static void Save(ScottPlot.Plot plt, string path, string flag)
    {
        try
        {
            if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)) plt.SaveSvg(path, 800, 500);
            else plt.SavePng(path, 800, 500);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            throw new DaviesException($"{flag} '{path}': cannot write the file ({e.Message})", e);
        }
    }
}
