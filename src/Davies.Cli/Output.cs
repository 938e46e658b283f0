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

/// <summary>A Spectre console writing to a given writer (colour only on a real terminal).</summary>
internal static class TextConsole
{
    public static IAnsiConsole For(TextWriter writer)
    {
        bool terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
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
    /// <summary>Warns when the degeneracy tolerance merges distinct levels (<see cref="Davies.Diagnostics.ToleranceCheck"/>); not with --quiet.</summary>
    public static void Tolerance(CliContext ctx, OpenSystemModel model, Davies.Spectral.EigenBasis basis, bool quiet)
    {
        if (quiet) return;
        string? context = model.Options.Tolerance is null ? model.SourceName : $"{model.SourceName}: options.tolerance";
        if (Davies.Diagnostics.ToleranceCheck.Check(basis, context) is { } w) ctx.Err.WriteLine($"davies: warning: {w.Message}");
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
